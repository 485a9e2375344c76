import type { SendMessageCommandInput } from '@aws-sdk/client-sqs'
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import { expect } from 'vitest'
import { ERROR_NAMES, type ErrorName } from '../../../lib/errors/catalogue.js'
import { ERROR_OUTCOMES } from '../../../lib/errors/outcomes.js'
import { createHttpHandler } from '../../../lib/handlers/httpHandler.js'
import { createQueueHandler } from '../../../lib/handlers/queueHandler.js'
import { createWorkflowHandler } from '../../../lib/handlers/workflowHandler.js'
import type { HttpResult } from '../../../lib/middleware/httpEvent.js'
import { DEFAULT_RETRY_AFTER_SECONDS } from '../../../lib/middleware/httpResponse.js'
import type { FunctionRuntime, Trigger } from '../../../lib/runtime/functionRuntime.js'
import { captureOutput, loadEvent, logLines, signedHttpEvent } from '../../support/lambda.js'
import { leaksIn } from './leaks.js'

export const TRIGGERS = ['http', 'queue', 'workflow'] as const satisfies readonly Trigger[]

/** Where the queue function sends permanent failures in these tests (SQS is mocked). */
export const FAILURE_QUEUE_URL =
  'https://sqs.eu-west-1.amazonaws.com/123456789012/bcc-sg-binder-failures'

/** A bind request as the three triggers carry it. */
export interface BindBody {
  instanceId: string
  securityGroupId: string
  region?: string
  dryRun?: boolean
}

/** What the mapping table says a trigger must make of a bind. */
export type Expected =
  | { status: 'bound' | 'already-bound' | 'would-bind' }
  | { error: ErrorName; bceCode?: string; retryAfter?: string }

/** One trigger's answer to one bind request, as the caller sees it. */
type TriggerAnswer =
  | { trigger: 'http'; response: HttpResult }
  | {
      trigger: 'queue'
      messageId: string
      /** The record's body as the queue delivered it. */
      body: string
      response: SQSBatchResponse
      sent: SendMessageCommandInput[]
    }
  | { trigger: 'workflow'; result?: unknown; error?: unknown }

/** An answer with the function's output and its one `bind outcome` log line. */
export type Answered = TriggerAnswer & { output: string; outcomeLine: Record<string, unknown> }

type AnyHandler = (event: any, context: Context) => Promise<any>

/** The trigger's real middy chain on `runtime`. */
export function handlerFor(trigger: Trigger, runtime: FunctionRuntime): AnyHandler {
  if (trigger === 'http') return createHttpHandler(runtime) as AnyHandler
  if (trigger === 'queue') return createQueueHandler(runtime) as AnyHandler
  return createWorkflowHandler(runtime) as AnyHandler
}

/** The first record of events/sqs-standard.json. */
export const [SQS_SAMPLE] = loadEvent<SQSEvent>('sqs-standard.json').Records as [SQSRecord]
let messages = 0

/** A one-record SQS batch of the standard sample carrying `body`. */
function sqsBatchOf(body: BindBody): { event: SQSEvent; messageId: string } {
  const messageId = `fault-matrix-${++messages}`
  return {
    event: { Records: [{ ...SQS_SAMPLE, messageId, body: JSON.stringify(body) }] },
    messageId,
  }
}

/**
 * Sends `body` through `trigger` as its callers would (a signed HTTP API 2.0 webhook, a
 * one-record SQS batch, a direct invocation) and collects the answer and the outcome log line.
 * `sent` reads what the queue function sent to its (mocked) failure queue.
 */
export async function sendThrough(
  trigger: Trigger,
  handler: AnyHandler,
  body: BindBody,
  context: Context,
  sent: () => SendMessageCommandInput[] = () => [],
): Promise<Answered> {
  const { result: answer, output } = await captureOutput(async (): Promise<TriggerAnswer> => {
    if (trigger === 'http') {
      const response = (await handler(
        signedHttpEvent('http-api-v2.json', body),
        context,
      )) as HttpResult
      return { trigger, response }
    }
    if (trigger === 'queue') {
      const { event, messageId } = sqsBatchOf(body)
      const response = (await handler(event, context)) as SQSBatchResponse
      const delivered = event.Records[0]?.body ?? ''
      return { trigger, messageId, body: delivered, response, sent: sent() }
    }
    try {
      return { trigger, result: await handler(structuredClone(body), context) }
    } catch (error) {
      return { trigger, error }
    }
  })
  const outcomes = logLines(output).filter((line) => line.message === 'bind outcome')
  expect(outcomes, 'one outcome log line per bind').toHaveLength(1)
  return { ...answer, output, outcomeLine: outcomes[0] as Record<string, unknown> }
}

/** Asserts that `answered` is what the mapping table (lib/errors/outcomes.ts) gives for `expected`. */
export function expectTableAnswer(answered: Answered, expected: Expected): void {
  const outcome = 'status' in expected ? expected.status : expected.error
  expect(answered.outcomeLine.outcome).toBe(outcome)
  if ('error' in expected && expected.bceCode !== undefined) {
    expect(answered.outcomeLine.bceCode).toBe(expected.bceCode)
  }
  expect(leaksIn(answered.output)).toEqual([])

  if (answered.trigger === 'http') {
    const { statusCode, headers, body } = answered.response
    const parsed = JSON.parse(body)
    expect(leaksIn(body)).toEqual([])
    if ('status' in expected) {
      expect(statusCode).toBe(200)
      expect(parsed.status).toBe(expected.status)
      return
    }
    expect(statusCode).toBe(ERROR_OUTCOMES[expected.error].httpStatus)
    expect(parsed.error.code).toBe(expected.error)
    if (expected.bceCode !== undefined) expect(parsed.error.bceCode).toBe(expected.bceCode)
    if (expected.error === 'BceUnavailable') {
      expect(headers['retry-after']).toBe(
        expected.retryAfter ?? String(DEFAULT_RETRY_AFTER_SECONDS),
      )
    } else {
      expect(headers['retry-after']).toBeUndefined()
    }
    return
  }

  if (answered.trigger === 'queue') {
    const { response, sent, messageId, body } = answered
    if ('status' in expected) {
      expect(response).toEqual({ batchItemFailures: [] })
      expect(sent).toEqual([])
      expect(answered.outcomeLine.disposition).toBe('done')
      return
    }
    if (ERROR_OUTCOMES[expected.error].queue === 'redeliver') {
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: messageId }] })
      expect(sent).toEqual([])
      expect(answered.outcomeLine.disposition).toBe('redeliver')
    } else {
      expect(response).toEqual({ batchItemFailures: [] })
      expect(sent.map((input) => input.MessageAttributes?.errorName?.StringValue)).toEqual([
        expected.error,
      ])
      // The dead-letter copy is the message as it came, so a redrive replays it unchanged.
      expect(sent.map((input) => input.MessageBody)).toEqual([body])
      expect(answered.outcomeLine.disposition).toBe('failure-queue')
    }
    return
  }

  if ('status' in expected) {
    expect(answered.error).toBeUndefined()
    expect(answered.result).toMatchObject({ status: expected.status })
    return
  }
  expect(answered.error).toBeInstanceOf(Error)
  const error = answered.error as Error
  expect(error.name).toBe(expected.error)
  expect(ERROR_NAMES).toContain(error.name)
  expect(leaksIn(error.message)).toEqual([])
}
