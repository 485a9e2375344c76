import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import type { Context } from 'aws-lambda'
import { type BinderContext, catalogueErrors, configGuard } from '../middleware/chain.js'
import { outcomeLog } from '../middleware/outcomeLog.js'
import { secretsLoader } from '../middleware/secrets.js'
import { type FunctionRuntime, LAMBDA_CONTEXT_LOGGING } from '../runtime/functionRuntime.js'
import { unwrapBindPayload } from '../schemas/events.js'
import { type BindOutcome, bind, type PublicOutcome, toPublicOutcome } from '../usecases/bind.js'
import { bindDependenciesFor } from './bindDependencies.js'

/** The workflow adapter: a success is the public outcome; a (catalogued) failure is thrown. */
function workflowResult(
  chain: (event: unknown, context: Context) => Promise<BindOutcome>,
): (event: unknown, context: Context) => Promise<PublicOutcome> {
  return async (event, context) => toPublicOutcome(await chain(event, context))
}

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
 * `ErrorEquals: ["BceUnavailable"]`. The chain's order is explained at `createHttpHandler`.
 */
export function createWorkflowHandler(runtime: FunctionRuntime) {
  const chain = middy<unknown, BindOutcome, Error, BinderContext>()
    .use(injectLambdaContext(runtime.logger, LAMBDA_CONTEXT_LOGGING))
    .use(outcomeLog(runtime, payloadOf))
    .use(catalogueErrors())
    .use(configGuard(runtime))
    .use(secretsLoader(runtime))
    .handler((event, context) => {
      const { dependencies } = bindDependenciesFor(runtime, context)
      const { payload, fieldPrefix } = unwrapBindPayload(event)
      return bind(payload, dependencies, { fieldPrefix })
    })
  return workflowResult(chain)
}
