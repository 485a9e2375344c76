import type { SQSRecord } from 'aws-lambda'
import { outcomeOf, toCatalogued } from '../errors/outcomes.js'
import {
  failureFields,
  loggableIds,
  type OutcomeFields,
  recordOutcome,
  successFields,
} from '../observability/recordOutcome.js'
import { AwsCallTimeoutError } from '../runtime/awsCalls.js'
import type { FailureQueue } from '../runtime/failureQueue.js'
import type { FunctionRuntime } from '../runtime/functionRuntime.js'
import { parseJsonField, unwrapBindPayload } from '../schemas/events.js'
import { type BindDependencies, bind } from '../usecases/bind.js'

/**
 * Binds what one SQS record asks for, and decides what becomes of it. It resolves when the
 * record is done: bound, or routed to the failure queue. It rejects when SQS must keep it:
 * a retryable failure (redelivered), a permanent one without a failure queue (the redrive
 * policy moves it to the dead-letter queue), or a failure queue that could not take it in time.
 */
export async function processRecord(
  record: SQSRecord,
  deps: BindDependencies,
  runtime: FunctionRuntime,
  failureQueue: FailureQueue | undefined,
): Promise<void> {
  const base = { trigger: runtime.trigger, messageId: record.messageId }
  let payload: unknown
  try {
    const unwrapped = unwrapBindPayload(parseJsonField(record.body, 'body'), 'body')
    payload = unwrapped.payload
    // The messageId is the same on every redelivery: so is the enterprise call's clientToken.
    const outcome = await bind(payload, deps, {
      fieldPrefix: unwrapped.fieldPrefix,
      identity: record.messageId,
    })
    recordOutcome(runtime, { ...base, ...successFields(outcome), disposition: 'done' })
  } catch (thrown) {
    const error = toCatalogued(thrown)
    const fields: OutcomeFields = { ...base, ...loggableIds(payload), ...failureFields(error) }
    if (outcomeOf(error).queue === 'redeliver') {
      recordOutcome(runtime, { ...fields, disposition: 'redeliver' })
      throw error
    }
    if (failureQueue === undefined) {
      recordOutcome(runtime, { ...fields, disposition: 'dead-letter-queue' })
      throw error
    }
    try {
      await failureQueue.send(record, error, deps.deadline)
    } catch (sendError) {
      // Nothing is lost: SQS keeps the record and delivers it again (its redrive policy counts).
      runtime.logger.error('could not send to the failure queue; the record stays on its queue', {
        messageId: record.messageId,
        sendError: sendError instanceof Error ? sendError.name : 'unknown',
        ...(sendError instanceof AwsCallTimeoutError ? { timeoutMs: sendError.timeoutMs } : {}),
      })
      recordOutcome(runtime, { ...fields, disposition: 'redeliver' })
      throw error
    }
    recordOutcome(runtime, { ...fields, disposition: 'failure-queue' })
  }
}
