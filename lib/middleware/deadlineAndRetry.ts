import type { FunctionRuntime } from '../runtime/functionRuntime.js'
import type { BceCredentials } from '../schemas/config.js'
import { type FunctionConfig, parseCredentialsSecret } from '../schemas/functionConfig.js'
import { retryPolicyFrom } from '../usecases/bindDependencies.js'
import type { BinderContext, BinderMiddleware } from './types.js'

/**
 * Gives the handler what `bind` needs for this invocation: an absolute deadline (the Lambda's
 * remaining time less `DEADLINE_MARGIN_MS`, so the function answers before Lambda kills it),
 * the configured retry policy, and BCC clients for the current credentials.
 */
export const deadlineAndRetry = (runtime: FunctionRuntime): BinderMiddleware => ({
  before: function deadlineAndRetryBefore(request) {
    const config = runtime.config as FunctionConfig
    const context = request.context
    const credentials = currentCredentials(config, context)
    const now = runtime.clock.now()
    const { sleep, random } = runtime.options
    context.bindDependencies = {
      clientFor: runtime.clientsFor(credentials),
      defaultRegion: config.bcc.region,
      retryPolicy: retryPolicyFrom(config.bcc),
      deadline: invocationDeadline(now, context, config.deadlineMarginMs),
      runtime: {
        clock: runtime.clock,
        ...(sleep === undefined ? {} : { sleep }),
        ...(random === undefined ? {} : { random }),
      },
    }
  },
})

/**
 * The time (epoch ms) by which the invocation must have its answer: Lambda's remaining time
 * less the margin the function keeps to answer before Lambda stops it.
 */
export function invocationDeadline(
  now: number,
  context: Pick<BinderContext, 'getRemainingTimeInMillis'>,
  marginMs: number,
): number {
  return now + context.getRemainingTimeInMillis() - marginMs
}

function currentCredentials(config: FunctionConfig, context: BinderContext): BceCredentials {
  return config.credentials.from === 'environment'
    ? config.credentials.value
    : parseCredentialsSecret(context.bceCredentials)
}
