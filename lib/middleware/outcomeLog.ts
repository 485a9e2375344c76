import type { BinderError } from '../errors/catalogue.js'
import {
  failureFields,
  loggableIds,
  recordOutcome,
  successFields,
} from '../observability/recordOutcome.js'
import type { FunctionRuntime } from '../runtime/functionRuntime.js'
import type { BindOutcome } from '../usecases/bind.js'
import type { BinderMiddleware } from './types.js'

/** Options of {@link outcomeLog}. */
export interface OutcomeLogOptions {
  /** Where the bind request is in the event, to log its ids when the bind fails. */
  payloadOf: (event: unknown) => unknown
  /** False for the queue, which logs each record itself and only invocation-level errors here. */
  logSuccess?: boolean
}

/**
 * One structured log line (and metrics) per outcome: trigger, ids, status or error name, BCE
 * code and request id, attempts, duration and the Lambda request id. Place it inside the
 * trigger's adapter and outside `catalogueErrors`, so it sees the use case's result and the
 * catalogued error.
 */
export const outcomeLog = (
  runtime: FunctionRuntime,
  options: OutcomeLogOptions,
): BinderMiddleware => ({
  after: function outcomeLogAfter(request) {
    if (options.logSuccess === false) return
    recordOutcome(runtime, {
      trigger: runtime.trigger,
      ...successFields(request.response as BindOutcome),
      awsRequestId: request.context.awsRequestId,
    })
  },
  onError: function outcomeLogOnError(request) {
    recordOutcome(runtime, {
      trigger: runtime.trigger,
      ...loggableIds(options.payloadOf(request.event)),
      ...failureFields(request.error as BinderError),
      awsRequestId: request.context.awsRequestId,
    })
  },
})
