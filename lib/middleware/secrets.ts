import type { FunctionRuntime } from '../runtime/functionRuntime.js'
import { createSecretsFetcher, type SecretValues } from '../runtime/secretsFetcher.js'
import type { BinderMiddleware } from './types.js'

/**
 * Loads the secrets the configuration names by id (none locally) onto the context as
 * `bceCredentials` and `webhookSecret`; the middlewares that use them validate them. In
 * middy's factory shape, like `@middy/secrets-manager`, which we do not use because it imports
 * the AWS SDK at load time even when no secret is configured (about 90 ms of every cold start
 * here); the fetcher makes the calls without the SDK, with the role's credentials from the
 * function's environment. The fetch starts at cold start, values are kept for
 * `SECRETS_REFRESH_SECONDS` and then fetched again, so a rotation takes effect without a deploy;
 * a failed fetch is forgotten, so the next invocation tries again.
 */
export function secretsLoader(runtime: FunctionRuntime): BinderMiddleware[] {
  const config = runtime.config
  if (config === undefined) return []
  const ids: Record<string, string> = {}
  if (config.credentials.from === 'secretsManager') ids.bceCredentials = config.credentials.secretId
  if (config.webhookSecret?.from === 'secretsManager')
    ids.webhookSecret = config.webhookSecret.secretId
  if (Object.keys(ids).length === 0) return []

  const { transport } = runtime.options
  const fetchSecrets = createSecretsFetcher(ids, {
    env: runtime.env,
    ...(transport === undefined ? {} : { transport }),
  })
  const refreshMs = config.secretsRefreshSeconds * 1000
  let cached: { values: Promise<SecretValues>; expiresAt: number } | undefined
  const current = () => {
    const now = runtime.clock.now()
    if (cached === undefined || now >= cached.expiresAt) {
      const values = fetchSecrets()
      // A prefetch nobody awaits yet must not be an unhandled rejection; the caller sees it.
      values.catch(() => undefined)
      cached = { values, expiresAt: now + refreshMs }
    }
    return cached.values
  }
  current()

  return [
    {
      before: async function secretsLoaderBefore(request) {
        const values = current()
        try {
          Object.assign(request.context, await values)
        } catch (error) {
          if (cached?.values === values) cached = undefined
          throw error
        }
      },
    },
  ]
}
