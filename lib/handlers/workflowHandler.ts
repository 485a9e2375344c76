import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import { catalogueErrors } from '../middleware/catalogueErrors.js'
import { configGuard } from '../middleware/configGuard.js'
import { deadlineAndRetry } from '../middleware/deadlineAndRetry.js'
import { outcomeLog } from '../middleware/outcomeLog.js'
import { secretsLoader } from '../middleware/secrets.js'
import type { BinderContext, BinderMiddleware } from '../middleware/types.js'
import { type FunctionRuntime, LAMBDA_CONTEXT_LOGGING } from '../runtime/functionRuntime.js'
import { unwrapBindPayload } from '../schemas/envelopes.js'
import { type BindDependencies, type BindOutcome, bind } from '../usecases/bind.js'
import { type PublicOutcome, toPublicOutcome } from './publicOutcome.js'

/** The workflow adapter: a success is the public outcome; a failure is thrown as is. */
const workflowResult = (): BinderMiddleware => ({
  after: function workflowResultAfter(request) {
    request.response = toPublicOutcome(request.response as BindOutcome)
  },
})

/** Where the bind request is in an event, for logging ids when it fails. */
function payloadOf(event: unknown): unknown {
  try {
    return unwrapBindPayload(event).payload
  } catch {
    return undefined
  }
}

/**
 * The function for Step Functions, EventBridge rules and direct invocation: the event is the
 * bind request, or an EventBridge event whose `detail` is. A failure is thrown with the
 * catalogue name as its `name` and a safe message, so `Retry`/`Catch` can match
 * `ErrorEquals: ["BceUnavailable"]`.
 */
export function createWorkflowHandler(runtime: FunctionRuntime) {
  return middy<unknown, PublicOutcome, Error, BinderContext>()
    .use(injectLambdaContext(runtime.logger, LAMBDA_CONTEXT_LOGGING))
    .use(workflowResult())
    .use(outcomeLog(runtime, { payloadOf }))
    .use(catalogueErrors())
    .use(configGuard(runtime))
    .use(secretsLoader(runtime))
    .use(deadlineAndRetry(runtime))
    .handler(async (event, context) => {
      const { payload, fieldPrefix } = unwrapBindPayload(event)
      const outcome = await bind(payload, context.bindDependencies as BindDependencies, {
        fieldPrefix,
      })
      return outcome as unknown as PublicOutcome
    })
}
