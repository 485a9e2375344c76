import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { ConfigError } from '../errors/catalogue.js'
import {
  AwsCallTimeoutError,
  type AwsOptions,
  callWithin,
  DEFAULT_AWS_CALL_TIMEOUT_MS,
} from './awsCalls.js'

/** Secret values by the name they take on the context, fetched together. */
export type SecretValues = Record<string, unknown>

/**
 * Fetches `SecretString`s from Secrets Manager and parses JSON ones, as `@middy/secrets-manager`
 * does. The SDK is imported on first use: the Lambda runtime ships it, and a function that
 * reads its secrets from the environment never pays for loading it. Each `GetSecretValue` has
 * `aws.callTimeoutMs` (3 s by default): a function without a route to Secrets Manager gets an
 * error instead of waiting until Lambda stops it.
 *
 * @throws {ConfigError} naming, for each secret that could not be had, the AWS error
 * (`ResourceNotFoundException`, ...) or the timeout; never a value.
 */
export function createSecretsFetcher(
  ids: Readonly<Record<string, string>>,
  aws: AwsOptions = {},
): () => Promise<SecretValues> {
  let sdk:
    | Promise<{
        client: SecretsManagerClient
        command: typeof import('@aws-sdk/client-secrets-manager').GetSecretValueCommand
      }>
    | undefined
  return async () => {
    const callTimeoutMs = aws.callTimeoutMs ?? DEFAULT_AWS_CALL_TIMEOUT_MS
    sdk ??= import('@aws-sdk/client-secrets-manager').then((module) => ({
      client: new module.SecretsManagerClient({ ...aws.clientConfig }),
      command: module.GetSecretValueCommand,
    }))
    const { client, command } = await sdk
    const results = await Promise.allSettled(
      Object.entries(ids).map(async ([name, secretId]) => {
        const answer = await callWithin('Secrets Manager', callTimeoutMs, (abortSignal) =>
          client.send(new command({ SecretId: secretId }), { abortSignal }),
        )
        return [name, parseSecret(answer.SecretString)] as const
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

/** An AWS error by its name (its message may quote the secret's ARN), a timeout by its words. */
function failureReason(error: unknown): string {
  if (error instanceof AwsCallTimeoutError) return error.message
  return error instanceof Error ? error.name : 'unknown error'
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
