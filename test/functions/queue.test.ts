import { Readable } from 'node:stream'
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createKeepAliveAgents,
  createNodeFetchTransport,
  type HttpTransport,
} from '../../lib/bcc/transport.js'
import { createQueueHandler } from '../../lib/handlers/queueHandler.js'
import { FAILURE_QUEUE_URL } from '../reliability/support/triggers.js'
import { TEST_CREDENTIALS } from '../support/credentials.js'
import { type FunctionHarness, startFunctionHarness } from '../support/functionHarness.js'
import { captureOutput, lambdaContext, loadEvent, logLines } from '../support/lambda.js'

const sqs = mockClient(SQSClient)

let harness: FunctionHarness
beforeAll(async () => {
  harness = await startFunctionHarness('queue')
})
afterAll(() => harness.close())
beforeEach(() => {
  harness.fresh()
  sqs.reset()
})
afterEach(() => sqs.reset())

let ids = 0
/** An SQS record of the standard sample, with its own id and body. */
function record(body: unknown, overrides: Partial<SQSRecord> = {}): SQSRecord {
  const [sample] = loadEvent<SQSEvent>('sqs-standard.json').Records as [SQSRecord]
  return {
    ...sample,
    messageId: `msg-${++ids}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...overrides,
  }
}

async function run(
  event: SQSEvent,
  handler = createQueueHandler(harness.runtime),
): Promise<{ response: SQSBatchResponse; output: string }> {
  const { result, output } = await captureOutput(() => handler(event, lambdaContext()))
  return { response: result, output }
}

const reported = (response: SQSBatchResponse) =>
  response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()
const putsFor = (instanceId: string) =>
  harness
    .bceCalls()
    .filter((request) => request.method === 'PUT' && request.path === `/v2/instance/${instanceId}`)

describe('queue function', () => {
  it('binds every record of the sample batch and reports nothing', async () => {
    const { response } = await run(loadEvent<SQSEvent>('sqs-standard.json'))

    expect(response).toEqual({ batchItemFailures: [] })
    expect(harness.groupsOf('i-YufwpQAe')).toContain('g-nky7qeom')
    expect(harness.groupsOf('i-7Gx2kQpZ')).toContain('g-4NxWoxeq')
  })

  it('reads requests wrapped by EventBridge and by SNS', async () => {
    const eventBridge = loadEvent('sqs-eventbridge-body.json')
    const sns = loadEvent<{ Message: string }>('sqs-sns-body.json')
    sns.Message = JSON.stringify({ instanceId: 'i-7Gx2kQpZ', securityGroupId: 'g-nky7qeom' })
    const { response } = await run({ Records: [record(eventBridge), record(sns)] })

    expect(response).toEqual({ batchItemFailures: [] })
    expect(harness.groupsOf('i-YufwpQAe')).toContain('g-nky7qeom')
    expect(harness.groupsOf('i-7Gx2kQpZ')).toContain('g-nky7qeom')
  })

  it('sorts a mixed batch: success done, retryable redelivered, permanent and unparseable dead-lettered', async () => {
    harness.emulator.setFaults([
      { match: { instanceId: 'i-Web2Demo' }, action: { kind: 'status', status: 503 } },
    ])
    const ok = record({ instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' })
    const retryable = record({ instanceId: 'i-Web2Demo', securityGroupId: 'g-nky7qeom' })
    const permanent = record({ instanceId: 'i-ExpIred1', securityGroupId: 'g-nky7qeom' })
    const unparseable = record('{"instanceId": "i-YufwpQAe",')
    const { response, output } = await run({ Records: [ok, retryable, permanent, unparseable] })

    // Without FAILURE_QUEUE_URL, permanent failures are reported too: the redrive policy
    // moves them to the dead-letter queue.
    expect(reported(response)).toEqual(
      [retryable, permanent, unparseable].map((r) => r.messageId).sort(),
    )
    expect(putsFor('i-YufwpQAe')).toHaveLength(1)
    expect(harness.groupsOf('i-YufwpQAe')).toEqual(['g-4NxWoxeq', 'g-nky7qeom'])
    expect(putsFor('i-ExpIred1')).toHaveLength(1)
    const dispositions = Object.fromEntries(
      logLines(output)
        .filter((line) => line.message === 'bind outcome')
        .map((line) => [line.messageId, [line.outcome, line.disposition]]),
    )
    expect(dispositions).toEqual({
      [ok.messageId]: ['bound', 'done'],
      [retryable.messageId]: ['BceUnavailable', 'redeliver'],
      [permanent.messageId]: ['InstanceExpired', 'dead-letter-queue'],
      [unparseable.messageId]: ['ValidationError', 'dead-letter-queue'],
    })
  })

  describe('with a failure queue', () => {
    let withFailureQueue: FunctionHarness
    beforeAll(async () => {
      withFailureQueue = await startFunctionHarness('queue', { env: { FAILURE_QUEUE_URL } })
    })
    afterAll(() => withFailureQueue.close())

    it('sends permanent failures there at once with their reason, and reports only the retryable', async () => {
      sqs.on(SendMessageCommand).resolves({ MessageId: 'sent-1' })
      withFailureQueue.emulator.setFaults([
        { match: { instanceId: 'i-Web2Demo' }, action: { kind: 'status', status: 504 } },
      ])
      const ok = record({ instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' })
      const retryable = record({ instanceId: 'i-Web2Demo', securityGroupId: 'g-nky7qeom' })
      const permanent = record({ instanceId: 'i-Nope0000', securityGroupId: 'g-nky7qeom' })
      const unparseable = record('not json')
      const { response } = await run(
        { Records: [ok, retryable, permanent, unparseable] },
        createQueueHandler(withFailureQueue.runtime),
      )

      expect(reported(response)).toEqual([retryable.messageId])
      const sent = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input)
      expect(sent.map((input) => input.QueueUrl)).toEqual([FAILURE_QUEUE_URL, FAILURE_QUEUE_URL])
      // Each goes as it came (a redrive replays it unchanged); why it failed is in attributes.
      const byBody = new Map(sent.map((input) => [input.MessageBody, input.MessageAttributes]))
      expect(byBody.get(permanent.body)).toEqual(
        expect.objectContaining({
          errorName: { DataType: 'String', StringValue: 'InstanceNotFound' },
          bceCode: { DataType: 'String', StringValue: 'NoSuchObject' },
          receiveCount: { DataType: 'String', StringValue: '1' },
        }),
      )
      expect(byBody.get('not json')).toEqual(
        expect.objectContaining({
          errorName: { DataType: 'String', StringValue: 'ValidationError' },
          errorMessage: {
            DataType: 'String',
            StringValue: 'Invalid message: body: is not valid JSON',
          },
        }),
      )
      expect(byBody.get('not json')).not.toHaveProperty('bceCode')
    })

    it('a message taken from the dead-letter queue and sent back unchanged binds once its cause is fixed', async () => {
      sqs.on(SendMessageCommand).resolves({ MessageId: 'sent-1' })
      const expired = record({ instanceId: 'i-ExpIred1', securityGroupId: 'g-nky7qeom' })
      const first = await run({ Records: [expired] }, createQueueHandler(withFailureQueue.runtime))
      expect(reported(first.response)).toEqual([])
      const [dead] = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input)
      expect(dead?.MessageAttributes?.errorName?.StringValue).toBe('InstanceExpired')

      // The instance is renewed; SQS's redrive moves the message back as it is.
      const state = withFailureQueue.emulator.state()
      withFailureQueue.emulator.reset({
        ...state,
        instances: state.instances.map((instance) =>
          instance.id === 'i-ExpIred1' ? { ...instance, status: 'Running' } : instance,
        ),
      })
      try {
        const replayed = { ...expired, messageId: 'redriven-1', body: dead?.MessageBody as string }
        const second = await run(
          { Records: [replayed] },
          createQueueHandler(withFailureQueue.runtime),
        )

        expect(reported(second.response)).toEqual([])
        expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1)
        expect(
          withFailureQueue.emulator.state().instances.find((i) => i.id === 'i-ExpIred1')
            ?.securityGroupIds,
        ).toContain('g-nky7qeom')
      } finally {
        withFailureQueue.emulator.reset(state)
      }
    })

    it('reports a permanent failure for redelivery when the failure queue refuses it, so nothing is lost', async () => {
      sqs.on(SendMessageCommand).rejects(new Error('AccessDenied'))
      const permanent = record({ instanceId: 'i-ExpIred1', securityGroupId: 'g-nky7qeom' })
      const { response, output } = await run(
        { Records: [permanent] },
        createQueueHandler(withFailureQueue.runtime),
      )

      expect(reported(response)).toEqual([permanent.messageId])
      expect(output).toContain('could not send to the failure queue')
    })
  })

  it('skips the rest of a FIFO group after a failure, and lets other groups go on', async () => {
    const [sample] = loadEvent<SQSEvent>('sqs-fifo.json').Records as [SQSRecord]
    const fifo = (group: string, body: unknown) =>
      record(body, {
        eventSourceARN: sample.eventSourceARN,
        attributes: { ...sample.attributes, MessageGroupId: group },
      })
    const a1 = fifo('A', { instanceId: 'i-ExpIred1', securityGroupId: 'g-nky7qeom' })
    const a2 = fifo('A', { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' })
    const b1 = fifo('B', { instanceId: 'i-7Gx2kQpZ', securityGroupId: 'g-nky7qeom' })
    const a3 = fifo('A', { instanceId: 'i-Web2Demo', securityGroupId: 'g-nky7qeom' })
    const { response } = await run({ Records: [a1, a2, b1, a3] })

    expect(reported(response)).toEqual([a1, a2, a3].map((r) => r.messageId).sort())
    expect(putsFor('i-YufwpQAe')).toHaveLength(0)
    expect(putsFor('i-Web2Demo')).toHaveLength(0)
    expect(harness.groupsOf('i-7Gx2kQpZ')).toContain('g-nky7qeom')
  })

  it('processes the FIFO sample batch', async () => {
    const { response } = await run(loadEvent<SQSEvent>('sqs-fifo.json'))
    expect(response).toEqual({ batchItemFailures: [] })
  })

  it('runs the records of a batch concurrently, at most QUEUE_CONCURRENCY at a time', async () => {
    // The real transport, wrapped to count the calls in flight.
    const real = createNodeFetchTransport(createKeepAliveAgents())
    let inFlight = 0
    let most = 0
    const counting: HttpTransport = async (url, init) => {
      most = Math.max(most, ++inFlight)
      try {
        const response = await real(url, init)
        const chunks: (Uint8Array | string)[] = []
        for await (const chunk of response.body ?? []) chunks.push(chunk)
        return { status: response.status, headers: response.headers, body: Readable.from(chunks) }
      } finally {
        inFlight--
      }
    }
    const bounded = await startFunctionHarness('queue', {
      env: { QUEUE_CONCURRENCY: '2' },
      runtime: { transport: counting },
    })
    try {
      bounded.emulator.setFaults([{ action: { kind: 'latency', ms: 50 } }])
      const records = Array.from({ length: 6 }, () =>
        record({ instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' }),
      )
      const { response } = await run({ Records: records }, createQueueHandler(bounded.runtime))

      expect(response).toEqual({ batchItemFailures: [] })
      expect(most).toBe(2)
    } finally {
      await bounded.close()
    }
  })

  it.each([
    [
      'a request that fails the schema',
      { instanceId: 'i-1' },
      [],
      'ValidationError',
      'dead-letter-queue',
    ],
    [
      'an unknown instance',
      { instanceId: 'i-Nope0000', securityGroupId: 'g-nky7qeom' },
      [],
      'InstanceNotFound',
      'dead-letter-queue',
    ],
    [
      'an unknown group',
      { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nope0000' },
      [],
      'SecurityGroupNotFound',
      'dead-letter-queue',
    ],
    [
      'a full instance',
      { instanceId: 'i-Fu11Ten0', securityGroupId: 'g-nky7qeom' },
      [],
      'SecurityGroupLimitExceeded',
      'dead-letter-queue',
    ],
    [
      'an expired instance',
      { instanceId: 'i-ExpIred1', securityGroupId: 'g-nky7qeom' },
      [],
      'InstanceExpired',
      'dead-letter-queue',
    ],
    [
      'a refusal',
      { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' },
      [
        {
          match: { method: 'PUT' },
          action: { kind: 'status', status: 400, code: 'InappropriateJSON' },
        },
      ],
      'BceRequestRejected',
      'dead-letter-queue',
    ],
    [
      'an auth failure',
      { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' },
      [{ action: { kind: 'status', status: 403, code: 'AccessDenied' } }],
      'BceAuthFailed',
      'dead-letter-queue',
    ],
    [
      'BCC unavailable',
      { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' },
      [{ action: { kind: 'status', status: 500, code: 'InternalError' } }],
      'BceUnavailable',
      'redeliver',
    ],
    [
      'BCC throttling past the deadline',
      { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' },
      [{ action: { kind: 'status', status: 429, retryAfter: 600 } }],
      'BceUnavailable',
      'redeliver',
    ],
  ] as const)(
    'reports a record with %s (%s) and logs it as %s, %s',
    async (_what, body, faults, outcome, disposition) => {
      harness.emulator.setFaults([...faults])
      const failing = record(body)
      const { response, output } = await run({ Records: [failing] })

      expect(reported(response)).toEqual([failing.messageId])
      const [line] = logLines(output).filter((entry) => entry.message === 'bind outcome')
      expect(line).toMatchObject({ messageId: failing.messageId, outcome, disposition })
    },
  )

  it('redelivers a record whose bind timed out', async () => {
    const slow = await startFunctionHarness('queue', {
      env: { BCC_TIMEOUT_MS: '100', BCC_MAX_ATTEMPTS: '1' },
    })
    try {
      slow.emulator.setFaults([{ action: { kind: 'latency', ms: 400 } }])
      const failing = record({ instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' })
      const { response, output } = await run(
        { Records: [failing] },
        createQueueHandler(slow.runtime),
      )
      expect(reported(response)).toEqual([failing.messageId])
      expect(logLines(output).find((entry) => entry.message === 'bind outcome')).toMatchObject({
        outcome: 'BceTimeout',
        disposition: 'redeliver',
      })
    } finally {
      await slow.close()
    }
  })

  it('never fails the whole batch for one bad record, nor for a whole bad batch', async () => {
    const { response } = await run({ Records: [record('[]'), record(42)] })
    expect(reported(response)).toHaveLength(2)
  })

  it('answers an empty batch with no failures', async () => {
    expect((await run({ Records: [] })).response).toEqual({ batchItemFailures: [] })
  })

  it('fails the invocation with ValidationError for an event that is not an SQS batch', async () => {
    const handler = createQueueHandler(harness.runtime)
    await expect(
      captureOutput(() => handler({ records: 'nope' } as never, lambdaContext())),
    ).rejects.toMatchObject({
      name: 'ValidationError',
    })
  })

  it('fails every invocation with ConfigError when the configuration is bad, so SQS keeps the batch', async () => {
    const { result: bad } = await captureOutput(() =>
      startFunctionHarness('queue', { replaceEnv: ({ BCE_ACCESS_KEY_ID: _, ...env }) => env }),
    )
    try {
      const handler = createQueueHandler(bad.runtime)
      await expect(
        captureOutput(() => handler(loadEvent<SQSEvent>('sqs-standard.json'), lambdaContext())),
      ).rejects.toMatchObject({
        name: 'ConfigError',
      })
    } finally {
      await bad.close()
    }
  })

  it('writes no secret in its output', async () => {
    harness.emulator.setFaults([
      { count: 1, action: { kind: 'status', status: 403, code: 'SignatureDoesNotMatch' } },
    ])
    const { output } = await run(loadEvent<SQSEvent>('sqs-standard.json'))
    expect(output).toContain('bind outcome')
    expect(output).not.toContain(TEST_CREDENTIALS.secretAccessKey)
    expect(output).not.toContain(TEST_CREDENTIALS.accessKeyId)
    expect(output).not.toContain('bce-auth-v1/')
  })
})
