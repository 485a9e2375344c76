import { toCatalogued } from '../errors/outcomes.js'
import {
  failureFields,
  loggableIds,
  recordOutcome,
  successFields,
} from '../observability/recordOutcome.js'
import type { FunctionRuntime } from '../runtime/functionRuntime.js'
import type { BindOutcome } from '../usecases/bind.js'
import type { BinderMiddleware } from './chain.js'

/**
 * One structured log line (and metrics) per outcome: trigger, ids, status or error name, BCE
 * code and request id, attempts, duration and the Lambda request id. For a chain whose handler
 * returns the `BindOutcome`; `payloadOf` says where the bind request is in the event, to log
 * its ids when the bind fails.
 */
export const outcomeLog = (
  runtime: FunctionRuntime,
  payloadOf: (event: unknown) => unknown,
): BinderMiddleware<unknown, BindOutcome> => ({
  after: function outcomeLogAfter(request) {
    if (request.response === null) return
    recordOutcome(runtime, {
      trigger: runtime.trigger,
      ...successFields(request.response),
      awsRequestId: request.context.awsRequestId,
    })
  },
  onError: function outcomeLogOnError(request) {
    logFailure(runtime, request, payloadOf)
  },
})

/**
 * The log line (and metrics) of an invocation that failed. The queue uses it alone: it logs
 * each record's outcome itself, and here only what failed the whole batch.
 */
export const failureLog = (runtime: FunctionRuntime): BinderMiddleware => ({
  onError: function failureLogOnError(request) {
    logFailure(runtime, request, () => undefined)
  },
})

function logFailure(
  runtime: FunctionRuntime,
  request: { event: unknown; error: unknown; context: { awsRequestId: string } },
  payloadOf: (event: unknown) => unknown,
): void {
  recordOutcome(runtime, {
    trigger: runtime.trigger,
    ...loggableIds(payloadOf(request.event)),
    // `catalogueErrors` has run: this is the catalogued error itself, not a new one.
    ...failureFields(toCatalogued(request.error)),
    awsRequestId: request.context.awsRequestId,
  })
}
