import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import type { BccClient } from '../bcc/client.js'
import type { Region } from '../bcc/endpoints.js'
import type { HttpTransport } from '../bcc/transport.js'
import type { Credentials } from '../bce/types.js'
import type { Clock, Random, Sleep } from '../clock.js'
import { systemClock } from '../clock.js'
import { ConfigError } from '../errors/catalogue.js'
import { type FunctionConfig, loadFunctionConfig } from '../schemas/config.js'
import { createClientResolver } from '../usecases/bind.js'
import type { AwsOptions } from './awsCalls.js'

/** Which kind of caller a function serves. */
export type Trigger = 'http' | 'queue' | 'workflow'

/** The name logs and metrics carry unless `POWERTOOLS_SERVICE_NAME` says another. */
const SERVICE_NAME = 'bcc-sg-binder'
/** The CloudWatch namespace of the metrics, unless `POWERTOOLS_METRICS_NAMESPACE` says another. */
const METRICS_NAMESPACE = 'BccSgBinder'

/**
 * Options of Powertools' `injectLambdaContext` for every function. An event holds webhook
 * signatures and whole request bodies, so it is never logged: `logEvent: false` wins over
 * `POWERTOOLS_LOGGER_LOG_EVENT` (`Logger.shouldLogEvent` in @aws-lambda-powertools/logger).
 */
export const LAMBDA_CONTEXT_LOGGING = { logEvent: false } as const

/** What a test or the local gateway may replace; AWS uses the defaults. */
export interface RuntimeOptions {
  transport?: HttpTransport
  clock?: Clock
  sleep?: Sleep
  random?: Random
  logger?: Logger
  /** How Secrets Manager and SQS are reached, and how long one call to them may take. */
  aws?: AwsOptions
}

/** What every function keeps for the life of its container, configured or not. */
interface RuntimeParts {
  trigger: Trigger
  /** The environment it was created with (Lambda's): the role's credentials and region too. */
  env: Readonly<Record<string, string | undefined>>
  logger: Logger
  /**
   * Metrics in CloudWatch embedded metric format. `publishStoredMetrics()` writes one document
   * and clears its metrics and dimensions, so one instance serves every outcome in turn.
   */
  metrics: Metrics
  clock: Clock
  options: RuntimeOptions
}

/** A function whose configuration is valid. */
interface ConfiguredRuntime extends RuntimeParts {
  config: FunctionConfig
  configError?: undefined
  /**
   * BCC clients for these credentials, one per region, kept while the same credentials object
   * is passed.
   */
  clientsFor(credentials: Credentials): (region: Region) => BccClient
}

/** A function whose configuration is invalid: every invocation fails with `configError`. */
interface MisconfiguredRuntime extends RuntimeParts {
  config?: undefined
  configError: ConfigError
}

/**
 * Everything a function keeps for the life of its container. Test `configError` (or `config`)
 * to tell a configured function from a misconfigured one.
 */
export type FunctionRuntime = ConfiguredRuntime | MisconfiguredRuntime

/**
 * Builds a function's long-lived parts at cold start: validates the configuration once (a bad
 * one is logged once, here, and then fails every invocation with `ConfigError`), and creates
 * the logger and metrics.
 */
export function createFunctionRuntime(
  trigger: Trigger,
  env: Readonly<Record<string, string | undefined>>,
  options: RuntimeOptions = {},
): FunctionRuntime {
  // Powertools ranks a constructor option above its own variable (`setPowertoolsLogData` in
  // Logger.ts, `setNamespace` in Metrics.ts), so the variables are read here, ahead of our
  // defaults; an empty one counts as unset, as Powertools has it.
  const serviceName = env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME
  const logger = options.logger ?? new Logger({ serviceName })
  const parts: RuntimeParts = {
    trigger,
    env,
    logger,
    metrics: new Metrics({
      namespace: env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE,
      serviceName,
    }),
    clock: options.clock ?? systemClock,
    options,
  }
  let config: FunctionConfig
  try {
    config = loadFunctionConfig(env, { webhookSecret: trigger === 'http' })
  } catch (error) {
    const configError =
      error instanceof ConfigError
        ? error
        : new ConfigError([{ field: '(unknown)', message: String(error) }])
    logger.error('Invalid configuration: every invocation will fail until it is fixed', {
      errorName: configError.name,
      issues: configError.issues,
    })
    return { ...parts, configError }
  }

  let cached: { credentials: Credentials; resolve: (region: Region) => BccClient } | undefined
  return {
    ...parts,
    config,
    clientsFor(credentials) {
      // The credentials keep their object while they stay (the configuration's, or the one
      // `secretsLoader` keeps per fetched value); a rotated secret gives a new one: new
      // clients, same shared connections.
      if (cached?.credentials !== credentials) {
        cached = {
          credentials,
          resolve: createClientResolver(
            { ...config.bcc, credentials },
            {
              ...(options.transport === undefined ? {} : { transport: options.transport }),
              ...(options.clock === undefined ? {} : { clock: options.clock }),
            },
          ),
        }
      }
      return cached.resolve
    },
  }
}
