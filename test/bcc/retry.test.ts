import { describe, expect, it } from 'vitest'
import {
  BccAttemptTimeout,
  BccErrorAnswer,
  BccNetworkError,
  BccUnexpectedAnswer,
} from '../../lib/bcc/errors.js'
import {
  DEFAULT_RETRY_POLICY,
  fullJitterDelayMs,
  isRetryable,
  type RetryPolicy,
  retry,
} from '../../lib/bcc/retry.js'
import { fakeTiming } from '../support/fakeTiming.js'

const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY }

const serviceError = (status: number, code: string, retryAfterMs?: number) =>
  new BccErrorAnswer({
    status,
    code,
    message: code,
    requestId: 'r',
    codeGuessed: false,
    retryAfterMs,
  })
const networkError = () =>
  new BccNetworkError('reset', {
    code: 'ECONNRESET',
    mayHaveReachedBce: true,
    cause: new Error('x'),
  })

/** An operation that fails with each given error in turn, then succeeds; it records its attempts. */
function failing(errors: unknown[], runtime?: ReturnType<typeof fakeTiming>, costMs = 0) {
  const calls: { number: number; timeoutMs: number }[] = []
  const operation = async (attempt: { number: number; timeoutMs: number }) => {
    calls.push(attempt)
    // An attempt never outlives its timeout, as the client's abort guarantees.
    runtime?.advance(Math.min(costMs, attempt.timeoutMs))
    const error = errors[attempt.number - 1]
    if (error !== undefined) throw error
    return 'done'
  }
  return { operation, calls }
}

describe('full-jitter backoff', () => {
  it('draws uniformly below min(cap, base * 2^retry)', () => {
    expect(fullJitterDelayMs(0, 100, 5_000, () => 0.5)).toBe(50)
    expect(fullJitterDelayMs(3, 100, 5_000, () => 0.5)).toBe(400)
    expect(fullJitterDelayMs(10, 100, 5_000, () => 0.999)).toBe(4_995)
    expect(fullJitterDelayMs(2, 100, 5_000, () => 0)).toBe(0)
  })
})

describe('isRetryable', () => {
  it.each([
    [429, 'TooManyRequests'],
    [500, 'InternalError'],
    [502, 'BadGateway'],
    [503, 'ServiceUnavailable'],
    [504, 'GatewayTimeout'],
    [400, 'RequestExpired'],
    [403, 'RequestTimeTooSkewed'],
    [418, 'InternalError'],
  ])('retries HTTP %i %s', (status, code) => {
    expect(isRetryable(serviceError(status, code))).toBe(true)
  })

  it.each([
    [400, 'InappropriateJSON'],
    [403, 'AccessDenied'],
    [404, 'NoSuchObject'],
    [413, 'SecurityGroup.BindInstanceExceededLimit'],
    [400, 'SignatureDoesNotMatch'],
    [501, 'NotImplemented'],
  ])('never retries HTTP %i %s', (status, code) => {
    expect(isRetryable(serviceError(status, code))).toBe(false)
  })

  it('retries network errors, attempt timeouts and malformed answers, and nothing unknown', () => {
    expect(isRetryable(networkError())).toBe(true)
    expect(isRetryable(new BccAttemptTimeout(100))).toBe(true)
    expect(isRetryable(new BccUnexpectedAnswer('odd', { status: 200, requestId: undefined }))).toBe(
      true,
    )
    expect(isRetryable(new TypeError('bug'))).toBe(false)
  })
})

describe('retry', () => {
  it('returns the first success with the number of attempts', async () => {
    const runtime = fakeTiming()
    const { operation, calls } = failing(
      [serviceError(503, 'ServiceUnavailable'), networkError()],
      runtime,
    )
    const result = await retry(operation, policy, runtime.start + 30_000, runtime)

    expect(result).toEqual({ ok: true, value: 'done', attempts: 3 })
    expect(calls.map((call) => call.number)).toEqual([1, 2, 3])
    // Full jitter with random 0.5: 50 ms, then 100 ms.
    expect(runtime.sleeps).toEqual([50, 100])
  })

  it('stops at maxAttempts with the last error', async () => {
    const runtime = fakeTiming()
    const last = serviceError(500, 'InternalError')
    const { operation, calls } = failing(
      [networkError(), networkError(), networkError(), last],
      runtime,
    )
    const result = await retry(operation, policy, runtime.start + 30_000, runtime)

    expect(result).toEqual({ ok: false, error: last, attempts: 4, stoppedBy: 'attempts' })
    expect(calls).toHaveLength(4)
    expect(runtime.sleeps).toEqual([50, 100, 200])
  })

  it('caps the backoff window at maxDelayMs', async () => {
    const runtime = fakeTiming(0, 0.999)
    const { operation } = failing(Array.from({ length: 7 }, networkError), runtime)
    await retry(
      operation,
      { ...policy, maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 3_000 },
      600_000,
      runtime,
    )
    expect(runtime.sleeps).toEqual([999, 1_998, 2_997, 2_997, 2_997, 2_997, 2_997])
  })

  it('never retries a 4xx that is not RequestExpired', async () => {
    const runtime = fakeTiming()
    const refused = serviceError(400, 'InappropriateJSON')
    const { operation, calls } = failing([refused], runtime)
    const result = await retry(operation, policy, runtime.start + 30_000, runtime)

    expect(result).toEqual({ ok: false, error: refused, attempts: 1, stoppedBy: 'not-retryable' })
    expect(calls).toHaveLength(1)
    expect(runtime.sleeps).toEqual([])
  })

  it('waits exactly what Retry-After asks when it fits before the deadline', async () => {
    const runtime = fakeTiming()
    const { operation } = failing([serviceError(429, 'TooManyRequests', 2_000)], runtime)
    const result = await retry(operation, policy, runtime.start + 30_000, runtime)

    expect(result).toMatchObject({ ok: true, attempts: 2 })
    expect(runtime.sleeps).toEqual([2_000])
  })

  it('stops without sleeping when Retry-After reaches past the deadline', async () => {
    const runtime = fakeTiming()
    const busy = serviceError(503, 'ServiceUnavailable', 10_000)
    const { operation } = failing([busy], runtime)
    const result = await retry(operation, policy, runtime.start + 5_000, runtime)

    expect(result).toEqual({
      ok: false,
      error: busy,
      attempts: 1,
      stoppedBy: 'retry-after',
      retryAfterMs: 10_000,
    })
    expect(runtime.sleeps).toEqual([])
  })

  it('cuts each attempt timeout to the time left before the deadline', async () => {
    const runtime = fakeTiming()
    const { operation, calls } = failing([networkError()], runtime, 1_000)
    await retry(operation, { ...policy, attemptTimeoutMs: 3_000 }, runtime.start + 2_500, runtime)

    // 2500 ms left, then 2500 - 1000 (first attempt) - 50 (backoff) = 1450 ms left.
    expect(calls.map((call) => call.timeoutMs)).toEqual([2_500, 1_450])
  })

  it('shortens a backoff so that an attempt still fits, and never starts one that cannot', async () => {
    const runtime = fakeTiming(0, 0.99)
    const { operation, calls } = failing(
      [networkError(), networkError(), networkError()],
      runtime,
      400,
    )
    const result = await retry(
      operation,
      { ...policy, baseDelayMs: 1_000, minAttemptMs: 200 },
      1_000,
      runtime,
    )

    // Attempt 1 ends at 400; a 990 ms backoff would overrun, so it sleeps 400 (leaving 200).
    // Attempt 2 is cut to 200 ms and ends at 1000: nothing is left for another.
    expect(runtime.sleeps).toEqual([400])
    expect(calls.map((call) => call.timeoutMs)).toEqual([1_000, 200])
    expect(result).toMatchObject({ ok: false, attempts: 2, stoppedBy: 'deadline' })
    expect(runtime.clock.now()).toBeLessThanOrEqual(1_000)
  })

  it('makes no attempt when the deadline leaves less than minAttemptMs', async () => {
    const runtime = fakeTiming()
    const { operation, calls } = failing([], runtime)
    const result = await retry(operation, policy, runtime.start + 150, runtime)

    expect(result).toEqual({ ok: false, error: undefined, attempts: 0, stoppedBy: 'deadline' })
    expect(calls).toHaveLength(0)
  })

  it('uses the real clock, sleep and random when none are given', async () => {
    const { operation } = failing([networkError()])
    const result = await retry(
      operation,
      { ...policy, baseDelayMs: 1, maxDelayMs: 1 },
      Date.now() + 10_000,
    )
    expect(result).toMatchObject({ ok: true, attempts: 2 })
  })
})
