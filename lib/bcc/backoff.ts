import type { Random } from '../clock.js'

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
