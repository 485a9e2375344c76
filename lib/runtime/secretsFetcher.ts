import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { ConfigError } from '../errors/catalogue.js'

/** Secret values by the name they take on the context, fetched together. */
export type SecretValues = Record<string, unknown>

/**
 * Fetches `SecretString`s from Secrets Manager and parses JSON ones, as `@middy/secrets-manager`
 * does. The SDK is imported on first use: the Lambda runtime ships it, and a function that
 * reads its secrets from the environment never pays for loading it.
 *
 * @throws {ConfigError} naming the AWS error (`ResourceNotFoundException`, ...) of each secret
 * that could not be had; never a value.
 */
export function createSecretsFetcher(
  ids: Readonly<Record<string, string>>,
): () => Promise<SecretValues> {
  let sdk:
    | Promise<{
        client: SecretsManagerClient
        command: typeof import('@aws-sdk/client-secrets-manager').GetSecretValueCommand
      }>
    | undefined
  return async () => {
    sdk ??= import('@aws-sdk/client-secrets-manager').then((module) => ({
      client: new module.SecretsManagerClient({}),
      command: module.GetSecretValueCommand,
    }))
    const { client, command } = await sdk
    const results = await Promise.allSettled(
      Object.entries(ids).map(async ([name, secretId]) => {
        const answer = await client.send(new command({ SecretId: secretId }))
        return [name, parseSecret(answer.SecretString)] as const
      }),
    )
    const failed = results.flatMap((result) =>
      result.status === 'rejected'
        ? [result.reason instanceof Error ? result.reason.name : 'unknown error']
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
