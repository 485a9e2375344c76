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
