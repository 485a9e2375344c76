import { ConfigError } from '../errors/catalogue.js'
import { AwsCallTimeoutError, settleWithin } from '../runtime/awsCalls.js'
import type { FunctionRuntime } from '../runtime/functionRuntime.js'
import { createSecretsFetcher, type SecretValues } from '../runtime/secretsFetcher.js'
import { parseCredentialsSecret, parseWebhookSecret } from '../schemas/config.js'
import { invocationDeadline } from '../usecases/bind.js'
import type { BinderContext, BinderMiddleware } from './chain.js'

/**
 * Loads the secrets the configuration names by id (none locally) onto the context as
 * `bceCredentials` and `webhookSecret`. Both are validated once per fetch, not per invocation;
 * the credentials keep their object while a refresh brings the same values, so the runtime
 * keeps its BCC clients by that object (`clientsFor`). A secret of the wrong shape is kept as
 * its `ConfigError`, which the handler (or `webhookVerification`) throws when it needs it. In
 * middy's factory shape, like `@middy/secrets-manager`, which we do not use because it imports
 * the AWS SDK at load time even when no secret is configured (about 90 ms of every cold start
 * here); the fetcher makes the calls without the SDK, with the role's credentials from the
 * function's environment. The fetch starts at cold start, values are kept for
 * `SECRETS_REFRESH_SECONDS` and then fetched again, so a rotation takes effect without a deploy.
 * An invocation waits for a fetch at most until its deadline. Once values have been fetched, a
 * refresh that fails or does not answer in time leaves them in use, with a warning, until the
 * next refresh; only without any value does an invocation fail (`ConfigError`), and the next
 * one tries again.
 */
export function secretsLoader(runtime: FunctionRuntime): BinderMiddleware[] {
  const config = runtime.config
  if (config === undefined) return []
  const ids: Record<string, string> = {}
  if (config.credentials.from === 'secretsManager') ids.bceCredentials = config.credentials.secretId
  if (config.webhookSecret?.from === 'secretsManager')
    ids.webhookSecret = config.webhookSecret.secretId
  if (Object.keys(ids).length === 0) return []

  const { transport, aws } = runtime.options
  const fetchSecrets = createSecretsFetcher(ids, {
    env: runtime.env,
    ...(transport === undefined ? {} : { transport }),
    ...(aws === undefined ? {} : { aws }),
  })
  const refreshMs = config.secretsRefreshSeconds * 1000
  let values: LoadedSecrets | undefined
  let fetching: Promise<SecretValues> | undefined
  let refreshAt = 0

  const startFetch = () => {
    const fetch = fetchSecrets()
    fetching = fetch
    refreshAt = runtime.clock.now() + refreshMs
    // Registered before any invocation awaits `fetch`, so `values` is current when it resumes;
    // and a fetch nobody awaits (the cold-start one) never rejects unhandled.
    fetch
      .then(
        (fetched) => {
          values = loadedSecrets(fetched, values)
        },
        (error: unknown) => {
          if (values === undefined) return
          runtime.logger.warn('Could not refresh the secrets; the values fetched before stay', {
            reason: error instanceof Error ? error.message : String(error),
            nextRefreshInSeconds: config.secretsRefreshSeconds,
          })
        },
      )
      .finally(() => {
        if (fetching === fetch) fetching = undefined
      })
  }
  startFetch()

  return [
    {
      before: async function secretsLoaderBefore(request) {
        const now = runtime.clock.now()
        if (fetching === undefined && (values === undefined || now >= refreshAt)) startFetch()
        if (fetching !== undefined) {
          const waitMs = invocationDeadline(now, request.context, config.deadlineMarginMs) - now
          try {
            await settleWithin(fetching, 'Secrets Manager', waitMs)
          } catch (error) {
            if (values === undefined) throw asConfigError(error)
          }
        }
        Object.assign(request.context, values)
      },
    },
  ]
}

/** What the loader puts on the context. */
type LoadedSecrets = Pick<BinderContext, 'bceCredentials' | 'webhookSecret'>

/**
 * The fetched values, with the credentials secret validated, and replaced by `previous` when
 * it holds the same values (a refresh without a rotation keeps the clients).
 */
function loadedSecrets(fetched: SecretValues, previous: LoadedSecrets | undefined): LoadedSecrets {
  const loaded: LoadedSecrets = {}
  if ('webhookSecret' in fetched) {
    loaded.webhookSecret = orConfigError(parseWebhookSecret, fetched.webhookSecret)
  }
  if (!('bceCredentials' in fetched)) return loaded
  const credentials = orConfigError(parseCredentialsSecret, fetched.bceCredentials)
  const kept = previous?.bceCredentials
  const same =
    kept !== undefined &&
    !(kept instanceof ConfigError) &&
    !(credentials instanceof ConfigError) &&
    kept.accessKeyId === credentials.accessKeyId &&
    kept.secretAccessKey === credentials.secretAccessKey &&
    kept.sessionToken === credentials.sessionToken
  loaded.bceCredentials = same ? kept : credentials
  return loaded
}

/**
 * `parse(value)`, or the `ConfigError` it throws: kept on the context, so every invocation
 * fails with it until a fetch brings a usable secret.
 */
function orConfigError<T>(parse: (value: unknown) => T, value: unknown): T | ConfigError {
  try {
    return parse(value)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
}

/** The fetcher's own `ConfigError`, or one saying that the deadline came first. */
function asConfigError(error: unknown): unknown {
  if (!(error instanceof AwsCallTimeoutError)) return error
  return new ConfigError([
    {
      field: 'secrets',
      message: `could not be loaded from Secrets Manager (no answer within the ${error.timeoutMs} ms left before the deadline)`,
    },
  ])
}
