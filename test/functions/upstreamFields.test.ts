import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import type { SQSEvent, SQSRecord } from 'aws-lambda'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createHttpHandler } from '../../lib/handlers/httpHandler.js'
import { createQueueHandler } from '../../lib/handlers/queueHandler.js'
import type { HttpResult } from '../../lib/middleware/httpEvent.js'
import { createFunctionRuntime } from '../../lib/runtime/functionRuntime.js'
import { FAILURE_QUEUE_URL } from '../reliability/support/triggers.js'
import { TEST_CREDENTIALS, TEST_SECRETS } from '../support/credentials.js'
import {
  captureOutput,
  lambdaContext,
  loadEvent,
  logLines,
  signedHttpEvent,
  TEST_WEBHOOK_SECRET,
} from '../support/lambda.js'
import { type ScriptedServer, startScriptedServer } from '../support/scriptedServer.js'

/**
 * BCC's `code` and request id reach our HTTP answers, logs and failure queue only when they look
 * like a code (a short dotted identifier) and a request id (a short token); anything else is
 * `[malformed]`, and a credential in either is redacted like one in a message.
 */

const BIND = { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' }
/** Far longer than any code, yet under any limit on the size of an answer's body. */
const HUGE_CODE = 'SecurityGroup.'.padEnd(10_000, 'X')
const sqs = mockClient(SQSClient)

let bcc: ScriptedServer
beforeAll(async () => {
  bcc = await startScriptedServer(TEST_SECRETS)
})
afterAll(() => bcc.close())
beforeEach(() => sqs.reset())

function env(extra: Record<string, string> = {}) {
  return {
    BCE_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    BCE_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    BCC_ENDPOINT: bcc.url,
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    ...extra,
  }
}

/** The HTTP function's answer and log lines for one signed bind. */
async function httpBind() {
  const runtime = createFunctionRuntime('http', env(), { sleep: async () => undefined })
  const { result, output } = await captureOutput(
    () =>
      createHttpHandler(runtime)(
        signedHttpEvent('http-api-v2.json', BIND) as never,
        lambdaContext(),
      ) as Promise<HttpResult>,
  )
  const outcome = logLines(output).find((line) => line.message === 'bind outcome')
  return { result, body: JSON.parse(result.body), outcome, output }
}

describe("BCC's code and request id", () => {
  it('replaces a huge code and a request id that is no token by a marker, in the answer and the log', async () => {
    bcc.script([
      {
        status: 400,
        headers: { 'x-bce-request-id': 'not a token; <script>' },
        body: JSON.stringify({ code: HUGE_CODE, message: 'refused', requestId: 'r' }),
      },
    ])
    const { result, body, outcome, output } = await httpBind()

    expect(result.statusCode).toBe(422)
    expect(body.error).toMatchObject({
      code: 'BceRequestRejected',
      bceCode: '[malformed]',
      bceRequestId: '[malformed]',
    })
    expect(result.body.length).toBeLessThan(500)
    expect(outcome).toMatchObject({ bceCode: '[malformed]', bceRequestId: '[malformed]' })
    expect(output).not.toContain('XXXXXXXXXX')
    expect(output).not.toContain('<script>')
  })

  it('passes on a plain code and request id as they are', async () => {
    bcc.script([
      {
        status: 400,
        headers: { 'x-bce-request-id': '3f1c9a7e-2b4d-4e6f-8a1b-0c2d3e4f5a6b' },
        body: JSON.stringify({ code: 'SecurityGroup.NoSecurityGroup', message: 'refused' }),
      },
    ])
    const { body } = await httpBind()

    expect(body.error).toMatchObject({
      bceCode: 'SecurityGroup.NoSecurityGroup',
      bceRequestId: '3f1c9a7e-2b4d-4e6f-8a1b-0c2d3e4f5a6b',
    })
  })

  it('redacts a credential echoed as the code or the request id', async () => {
    bcc.script([
      {
        status: 400,
        headers: { 'x-bce-request-id': TEST_CREDENTIALS.accessKeyId },
        body: JSON.stringify({ code: TEST_CREDENTIALS.accessKeyId, message: 'refused' }),
      },
    ])
    const { result, output } = await httpBind()

    expect(JSON.parse(result.body).error).toMatchObject({
      bceCode: '[redacted]',
      bceRequestId: '[redacted]',
    })
    expect(output).not.toContain(TEST_CREDENTIALS.accessKeyId)
  })

  it("checks the request id of a success like a failure's", async () => {
    bcc.script([{ status: 200, headers: { 'x-bce-request-id': 'r'.repeat(65) }, body: '' }])
    const { result, body } = await httpBind()

    expect(result.statusCode).toBe(200)
    expect(body.bceRequestId).toBe('[malformed]')
  })

  it('sends the marker, not the huge code, to the failure queue', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'sent-1' })
    bcc.script([
      {
        status: 400,
        headers: { 'x-bce-request-id': 'req-1' },
        body: JSON.stringify({ code: HUGE_CODE, message: 'refused' }),
      },
    ])
    const runtime = createFunctionRuntime('queue', env({ FAILURE_QUEUE_URL }), {
      sleep: async () => undefined,
    })
    const [sample] = loadEvent<SQSEvent>('sqs-standard.json').Records as [SQSRecord]
    const event = { Records: [{ ...sample, body: JSON.stringify(BIND) }] }
    const { result } = await captureOutput(() =>
      createQueueHandler(runtime)(event, lambdaContext()),
    )

    expect(result).toEqual({ batchItemFailures: [] })
    const [sent] = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input)
    expect(sent?.MessageAttributes).toMatchObject({
      errorName: { StringValue: 'BceRequestRejected' },
      bceCode: { StringValue: '[malformed]' },
      bceRequestId: { StringValue: 'req-1' },
    })
    expect(JSON.stringify(sent)).not.toContain('XXXXXXXXXX')
  })
})
