import { type HttpTransport, sharedTransport } from '../bcc/transport.js'
import { ConfigError } from '../errors/catalogue.js'
import { AwsCallTimeoutError, type AwsOptions, callTimeoutOf, callWithin } from './awsCalls.js'
import { getSecretString, SecretsManagerFailure } from './secretsManager.js'

/** Secret values by the name they take on the context, fetched together. */
export type SecretValues = Record<string, unknown>

/**
 * Where the calls go: Lambda's environment (role credentials, region, endpoint override), a
 * transport, and the time limit of each call.
 */
export interface SecretsFetcherOptions {
  env: Readonly<Record<string, string | undefined>>
  transport?: HttpTransport
  aws?: AwsOptions
}

/**
 * Fetches `SecretString`s from Secrets Manager and parses JSON ones, as `@middy/secrets-manager`
 * does, with one signed HTTPS call per secret (./secretsManager.ts) instead of the AWS SDK,
 * whose client cost more to load than the rest of a cold start. Each `GetSecretValue` has
 * `aws.callTimeoutMs` (3 s by default; read at each call) and is aborted when it runs out: a
 * function without a route to Secrets Manager gets an error instead of waiting until Lambda
 * stops it.
 *
 * @throws {ConfigError} naming, for each secret that could not be had, the AWS error
 * (`ResourceNotFoundException`, ...) or the timeout; never a value.
 */
export function createSecretsFetcher(
  ids: Readonly<Record<string, string>>,
  options: SecretsFetcherOptions,
): () => Promise<SecretValues> {
  const { env, aws = {} } = options
  return async () => {
    const transport = options.transport ?? sharedTransport()
    const callTimeoutMs = callTimeoutOf(aws)
    const results = await Promise.allSettled(
      Object.entries(ids).map(async ([name, secretId]) => {
        const text = await callWithin('Secrets Manager', callTimeoutMs, (signal) =>
          getSecretString(secretId, env, transport, signal),
        )
        return [name, parseSecret(text)] as const
      }),
    )
    const failed = results.flatMap((result) =>
      result.status === 'rejected' ? [failureReason(result.reason)] : [],
    )
    if (failed.length > 0) {
      throw new ConfigError([
        {
          field: 'secrets',
          message: `could not be loaded from Secrets Manager (${failed.join(', ')})`,
        },
      ])
    }
    return Object.fromEntries(
      results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])),
    )
  }
}

/** What AWS or the network called the failure, or the timeout by its words; never a value. */
function failureReason(error: unknown): string {
  if (error instanceof AwsCallTimeoutError) return error.message
  return error instanceof SecretsManagerFailure ? error.awsError : 'unknown error'
}

/** A JSON object or array is parsed; anything else (a plain `whsec_...` string) stays text. */
function parseSecret(text: string | undefined): unknown {
  if (text === undefined) return undefined
  if (!text.startsWith('{') && !text.startsWith('[')) return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
