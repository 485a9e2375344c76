import { type Clock, type Random, type Sleep, systemClock, systemSleep } from '../clock.js'
import {
  BccAttemptTimeout,
  BccErrorAnswer,
  BccNetworkError,
  BccUnexpectedAnswer,
} from './errors.js'

/** How hard to try. Every duration is in milliseconds. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number
  /** The first backoff window; it doubles each retry. */
  baseDelayMs: number
  /** The largest backoff window. */
  maxDelayMs: number
  /** The longest one attempt may take. */
  attemptTimeoutMs: number
  /** The least time worth starting an attempt with; less than this left and we stop. */
  minAttemptMs: number
}

/**
 * Defaults: 4 attempts, 100 ms doubling to 5 s, 3 s per attempt, no attempt under 200 ms. The
 * one source of these values: the client's default timeout and the defaults of the `BCC_*`
 * variables (`SETTING_DEFAULTS` in lib/schemas/config.ts) are taken from here.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  attemptTimeoutMs: 3_000,
  minAttemptMs: 200,
}

/** Time and chance, injectable so tests run on a fake clock without waiting. */
export interface RetryTiming {
  clock?: Clock
  sleep?: Sleep
  random?: Random
}

/** Why the loop gave up. */
type RetryStop =
  /** The last error is not worth another attempt. */
  | 'not-retryable'
  /** `maxAttempts` were made. */
  | 'attempts'
  /** Too little time was left before the deadline for another attempt. */
  | 'deadline'
  /** BCE asked us to wait (`Retry-After`) longer than the deadline allows. */
  | 'retry-after'

/** The outcome of {@link retry}. `error` is undefined only when no attempt could start. */
export type RetryResult<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; error: unknown; attempts: number; stoppedBy: RetryStop; retryAfterMs?: number }

/**
 * Runs `operation` until it succeeds, fails for good, runs out of attempts, or would overrun
 * `deadline` (epoch ms). It never sleeps or starts an attempt that cannot end by the deadline:
 * each attempt's timeout is cut to the time left, a backoff is shortened to leave an attempt
 * `minAttemptMs`, and a `Retry-After` that does not fit stops the loop.
 */
export async function retry<T>(
  operation: (attempt: { number: number; timeoutMs: number }) => Promise<T>,
  policy: RetryPolicy,
  deadline: number,
  timing: RetryTiming = {},
): Promise<RetryResult<T>> {
  const clock = timing.clock ?? systemClock
  const sleep = timing.sleep ?? systemSleep
  const random = timing.random ?? Math.random
  let lastError: unknown

  for (let attempt = 1; ; attempt++) {
    const left = deadline - clock.now()
    if (left < policy.minAttemptMs) {
      return { ok: false, error: lastError, attempts: attempt - 1, stoppedBy: 'deadline' }
    }
    try {
      const value = await operation({
        number: attempt,
        timeoutMs: Math.min(policy.attemptTimeoutMs, left),
      })
      return { ok: true, value, attempts: attempt }
    } catch (error) {
      lastError = error
    }
    if (!isRetryable(lastError)) {
      return { ok: false, error: lastError, attempts: attempt, stoppedBy: 'not-retryable' }
    }
    if (attempt >= policy.maxAttempts) {
      return { ok: false, error: lastError, attempts: attempt, stoppedBy: 'attempts' }
    }
    const waitBudget = deadline - clock.now() - policy.minAttemptMs
    const retryAfterMs = retryAfterMsOf(lastError)
    if (retryAfterMs !== undefined && retryAfterMs > waitBudget) {
      return {
        ok: false,
        error: lastError,
        attempts: attempt,
        stoppedBy: 'retry-after',
        retryAfterMs,
      }
    }
    if (waitBudget < 0) {
      return { ok: false, error: lastError, attempts: attempt, stoppedBy: 'deadline' }
    }
    const backoff = fullJitterDelayMs(attempt - 1, policy.baseDelayMs, policy.maxDelayMs, random)
    const wait = retryAfterMs ?? Math.min(backoff, waitBudget)
    if (wait > 0) await sleep(wait)
  }
}

/**
 * Full-jitter exponential backoff: a uniform delay in [0, min(cap, base * 2^retry)), in
 * milliseconds. `retry` counts from 0 for the wait before the second attempt.
 */
export function fullJitterDelayMs(
  retry: number,
  baseMs: number,
  capMs: number,
  random: Random,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** retry))
}

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
function retryAfterMsOf(error: unknown): number | undefined {
  return error instanceof BccErrorAnswer ? error.retryAfterMs : undefined
}

/**
 * The longest wait a `Retry-After` can ask of us, in seconds: an hour, four times the longest
 * Lambda invocation. Longer is no plan a caller can act on, and the value we pass on in our own
 * `Retry-After` must stay a plain integer (`99999999999999999999999` would print as `1e+23`).
 */
const MAX_RETRY_AFTER_SECONDS = 3_600

/**
 * Parses a `Retry-After` value (RFC 9110: delay-seconds or an HTTP date) into milliseconds from
 * `nowMs`, at most {@link MAX_RETRY_AFTER_SECONDS}. Returns undefined when it is absent or
 * unreadable; a date in the past is 0.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value === null || value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), MAX_RETRY_AFTER_SECONDS) * 1000
  // Only the HTTP-date form; Date.parse alone would accept "1" or "2024" as dates.
  if (!/^[A-Za-z]{3},\s/.test(trimmed)) return undefined
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Math.min(Math.max(0, at - nowMs), MAX_RETRY_AFTER_SECONDS * 1000)
}
