import { type HttpTransport, sharedTransport } from '../bcc/transport.js'
import { ConfigError } from '../errors/catalogue.js'
import { getSecretString, SecretsManagerFailure } from './secretsManager.js'

/** Secret values by the name they take on the context, fetched together. */
export type SecretValues = Record<string, unknown>

/** Where the calls go: Lambda's environment (role credentials, region) and a transport. */
export interface SecretsFetcherOptions {
  env: Readonly<Record<string, string | undefined>>
  transport?: HttpTransport
}

/**
 * Fetches `SecretString`s from Secrets Manager and parses JSON ones, as `@middy/secrets-manager`
 * does, with one signed HTTPS call per secret (./secretsManager.ts) instead of the AWS SDK,
 * whose client cost more to load than the rest of a cold start.
 *
 * @throws {ConfigError} naming the AWS error (`ResourceNotFoundException`, ...) of each secret
 * that could not be had; never a value.
 */
export function createSecretsFetcher(
  ids: Readonly<Record<string, string>>,
  options: SecretsFetcherOptions,
): () => Promise<SecretValues> {
  const { env } = options
  return async () => {
    const transport = options.transport ?? sharedTransport()
    const results = await Promise.allSettled(
      Object.entries(ids).map(async ([name, secretId]) => {
        const text = await getSecretString(secretId, env, transport)
        return [name, parseSecret(text)] as const
      }),
    )
    const failed = results.flatMap((result) =>
      result.status === 'rejected'
        ? [
            result.reason instanceof SecretsManagerFailure
              ? result.reason.awsError
              : 'unknown error',
          ]
        : [],
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
