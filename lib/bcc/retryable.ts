import {
  BccAttemptTimeout,
  BccErrorAnswer,
  BccNetworkError,
  BccUnexpectedAnswer,
} from './errors.js'

/** HTTP statuses worth another attempt: throttling and the transient 5xx family. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504])

/**
 * BCE codes worth another attempt whatever their status: a fresh signature cures
 * `RequestExpired` and `RequestTimeTooSkewed` (the official JS SDK re-signs on the latter);
 * `InternalError` is BCE's own transient failure.
 */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'RequestExpired',
  'RequestTimeTooSkewed',
  'InternalError',
])

/** True for a service error that another, freshly signed attempt may get past. */
function isRetryableServiceError(error: BccErrorAnswer): boolean {
  return RETRYABLE_STATUSES.has(error.status) || RETRYABLE_CODES.has(error.code)
}

/**
 * True when a failed BCC call may succeed if tried again: network errors, attempt timeouts,
 * answers that did not come from BCC (a malformed 2xx, a redirect, an oversized body), and
 * retryable service errors. Never another 4xx.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof BccErrorAnswer) return isRetryableServiceError(error)
  return (
    error instanceof BccNetworkError ||
    error instanceof BccAttemptTimeout ||
    error instanceof BccUnexpectedAnswer
  )
}

/** How long BCE asked us to wait before trying again, when it said. */
export function retryAfterMsOf(error: unknown): number | undefined {
  return error instanceof BccErrorAnswer ? error.retryAfterMs : undefined
}
