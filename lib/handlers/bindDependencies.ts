import type { Credentials } from '../bce/types.js'
import { ConfigError } from '../errors/catalogue.js'
import type { BinderContext } from '../middleware/chain.js'
import type { FunctionRuntime } from '../runtime/functionRuntime.js'
import { type FunctionConfig, parseCredentialsSecret } from '../schemas/config.js'
import { type BindDependencies, invocationDeadline, retryPolicyFrom } from '../usecases/bind.js'

/**
 * What a handler needs for this invocation: the configuration, and what `bind` needs: an
 * absolute deadline (the Lambda's remaining time less `DEADLINE_MARGIN_MS`, so the function
 * answers before Lambda kills it), the configured retry policy, and BCC clients for the current
 * credentials (from the environment, or the secret `secretsLoader` put on the context).
 *
 * @throws the runtime's `ConfigError` for a misconfigured function (`configGuard` has thrown it
 *   already, earlier in the chain), or one for a credentials secret of the wrong shape.
 */
export function bindDependenciesFor(
  runtime: FunctionRuntime,
  context: BinderContext,
): { config: FunctionConfig; dependencies: BindDependencies } {
  if (runtime.configError !== undefined) throw runtime.configError
  const { config } = runtime
  const credentials = currentCredentials(config, context)
  const now = runtime.clock.now()
  const { sleep, random } = runtime.options
  return {
    config,
    dependencies: {
      clientFor: runtime.clientsFor(credentials),
      defaultRegion: config.bcc.region,
      retryPolicy: retryPolicyFrom(config.bcc),
      deadline: invocationDeadline(now, context, config.deadlineMarginMs),
      timing: {
        clock: runtime.clock,
        ...(sleep === undefined ? {} : { sleep }),
        ...(random === undefined ? {} : { random }),
      },
    },
  }
}

function currentCredentials(config: FunctionConfig, context: BinderContext): Credentials {
  if (config.credentials.from === 'environment') return config.credentials.value
  // `secretsLoader` validated the secret when it fetched it; without one, the same error.
  const secret = context.bceCredentials ?? parseCredentialsSecret(undefined)
  if (secret instanceof ConfigError) throw secret
  return secret
}
