/**
 * Parses a `Retry-After` value (RFC 9110: delay-seconds or an HTTP date) into milliseconds from
 * `nowMs`. Returns undefined when it is absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value === null || value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  // Only the HTTP-date form; Date.parse alone would accept "1" or "2024" as dates.
  if (!/^[A-Za-z]{3},\s/.test(trimmed)) return undefined
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - nowMs)
}
