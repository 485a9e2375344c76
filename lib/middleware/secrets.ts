import secretsManager from '@middy/secrets-manager'
import type { FunctionRuntime } from '../runtime/functionRuntime.js'
import type { BinderMiddleware } from './types.js'

// middy's cache is module-wide and keyed by name: one key per runtime keeps them apart.
let runtimes = 0

/**
 * middy's Secrets Manager middleware for the secrets the configuration names by id (none
 * locally). Values are cached and fetched again after `SECRETS_REFRESH_SECONDS`, so a rotation
 * takes effect without a deploy; they land on the context as `bceCredentials` and
 * `webhookSecret`, and are validated by the middlewares that use them.
 */
export function secretsLoader(runtime: FunctionRuntime): BinderMiddleware[] {
  const config = runtime.config
  if (config === undefined) return []
  const fetchData: Record<string, string> = {}
  if (config.credentials.from === 'secretsManager')
    fetchData.bceCredentials = config.credentials.secretId
  if (config.webhookSecret?.from === 'secretsManager')
    fetchData.webhookSecret = config.webhookSecret.secretId
  if (Object.keys(fetchData).length === 0) return []
  return [
    secretsManager({
      fetchData,
      setToContext: true,
      cacheKey: `bcc-sg-binder-${runtime.trigger}-${++runtimes}`,
      cacheExpiry: config.secretsRefreshSeconds * 1000,
      ...(runtime.options.secretsManagerClient === undefined
        ? {}
        : { AwsClient: runtime.options.secretsManagerClient as never }),
    }) as BinderMiddleware,
  ]
}
