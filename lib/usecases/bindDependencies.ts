import { type BccClient, createBccClient } from '../bcc/client.js'
import type { Region } from '../bcc/endpoints.js'
import { regionEndpoint } from '../bcc/endpoints.js'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../bcc/retry.js'
import type { HttpTransport } from '../bcc/transport.js'
import type { Credentials } from '../bce/types.js'
import type { Clock } from '../clock.js'
import type { BccSettings } from '../schemas/config.js'

/**
 * One BCC client per region, created on first use and kept: build this once per container so
 * warm invocations reuse the clients and their connections.
 */
export function createClientResolver(
  config: BccSettings & { credentials: Credentials },
  options: { transport?: HttpTransport; clock?: Clock } = {},
): (region: Region) => BccClient {
  const clients = new Map<Region, BccClient>()
  return (region) => {
    let client = clients.get(region)
    if (client === undefined) {
      client = createBccClient({
        endpoint: config.endpointOverride ?? regionEndpoint(region),
        credentials: config.credentials,
        timeoutMs: config.timeoutMs,
        ...options,
      })
      clients.set(region, client)
    }
    return client
  }
}

/** The retry policy the configuration asks for. */
export function retryPolicyFrom(config: BccSettings): RetryPolicy {
  return {
    ...DEFAULT_RETRY_POLICY,
    maxAttempts: config.maxAttempts,
    baseDelayMs: config.retryBaseDelayMs,
    maxDelayMs: config.retryMaxDelayMs,
    attemptTimeoutMs: config.timeoutMs,
  }
}

/**
 * The time (epoch ms) by which the invocation must have its answer: Lambda's remaining time
 * less the margin the function keeps to answer before Lambda stops it.
 */
export function invocationDeadline(
  now: number,
  context: { getRemainingTimeInMillis(): number },
  marginMs: number,
): number {
  return now + context.getRemainingTimeInMillis() - marginMs
}
