import { type Clock, type Random, type Sleep, systemClock, systemSleep } from '../clock.js'
import { fullJitterDelayMs } from './backoff.js'
import { isRetryable, retryAfterMsOf } from './retryable.js'

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

/** Defaults: 4 attempts, 100 ms doubling to 5 s, 3 s per attempt, no attempt under 200 ms. */
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
