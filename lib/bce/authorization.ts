// The Authorization header of bce-auth-v1 and its timestamp: formatting and strict parsing.
// https://intl.cloud.baidu.com/doc/Reference/s/njwvz1yfu-en
import {
  AUTH_FIELD_COUNT,
  AUTH_VERSION,
  EXPIRATION_PATTERN,
  MAX_TIMESTAMP_YEAR,
  SEPARATOR,
  SIGNATURE_PATTERN,
  SIGNED_HEADER_NAME_PATTERN,
  TIMESTAMP_PATTERN,
  UTC_DESIGNATOR,
} from './constants.js'
import type { AuthorizationParts } from './types.js'

const pad = (value: number, width: number): string => String(value).padStart(width, '0')

// Every request of one second has the same timestamp, and of one minute the same text up to
// the seconds: remember the last of each.
const lastSecond = { second: Number.NaN, text: '' }
const lastMinute = { minute: Number.NaN, text: '' }

const SECONDS_PER_MINUTE = 60

/**
 * Formats a time as bce-auth-v1 wants it: UTC `YYYY-MM-DDTHH:MM:SSZ`, milliseconds dropped
 * (truncated, not rounded). Also the value of the `x-bce-date` header.
 *
 * @throws RangeError for an invalid date or a year outside 0000–9999, which the four-digit
 * form cannot hold.
 * @example formatTimestamp(new Date('2015-04-27T08:23:49.999Z')) // '2015-04-27T08:23:49Z'
 */
export const formatTimestamp = (date: Date): string => {
  const second = Math.floor(date.getTime() / 1000)
  if (second === lastSecond.second) return lastSecond.text
  const minute = Math.floor(second / SECONDS_PER_MINUTE)
  let text: string
  if (minute === lastMinute.minute) {
    text = lastMinute.text + pad(second - minute * SECONDS_PER_MINUTE, 2) + UTC_DESIGNATOR
  } else {
    const year = date.getUTCFullYear()
    // NaN fails both comparisons, so an invalid date needs its own test.
    if (Number.isNaN(year) || year < 0 || year > MAX_TIMESTAMP_YEAR) {
      throw new RangeError('The timestamp must be a valid date between years 0000 and 9999')
    }
    // By hand: toISOString() and a replace cost more than the HMACs they feed.
    const upToSeconds = `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:`
    lastMinute.minute = minute
    lastMinute.text = upToSeconds
    text = upToSeconds + pad(date.getUTCSeconds(), 2) + UTC_DESIGNATOR
  }
  lastSecond.second = second
  lastSecond.text = text
  return text
}

/**
 * Builds `bce-auth-v1/{ak}/{timestamp}/{expirationSeconds}`, the message of the signing key
 * and the first four fields of the header.
 *
 * @throws RangeError when the timestamp cannot be formatted (see `formatTimestamp`).
 */
export const formatAuthStringPrefix = (
  accessKeyId: string,
  timestamp: Date,
  expirationSeconds: number,
): string =>
  `${AUTH_VERSION}${SEPARATOR.authField}${accessKeyId}${SEPARATOR.authField}${formatTimestamp(timestamp)}${SEPARATOR.authField}${expirationSeconds}`

/**
 * Builds the Authorization header value from its parts.
 *
 * An empty `signedHeaders` gives the `…/1800//…` form, in which the server assumes the
 * default set; `sign()` never produces it.
 *
 * @example formatAuthorization({ accessKeyId: 'ak', timestamp, expirationSeconds: 1800,
 *   signedHeaders: ['host'], signature }) // 'bce-auth-v1/ak/2015-…Z/1800/host/…'
 */
export const formatAuthorization = (parts: AuthorizationParts): string =>
  [
    formatAuthStringPrefix(parts.accessKeyId, parts.timestamp, parts.expirationSeconds),
    parts.signedHeaders.join(SEPARATOR.signedHeader),
    parts.signature,
  ].join(SEPARATOR.authField)

// A real date round-trips: `2015-02-30T…` parses to 2 March in some engines and to an
// invalid date in others, and both differ from the text after formatting.
const parseTimestamp = (text: string): Date | null => {
  if (!TIMESTAMP_PATTERN.test(text)) return null
  const date = new Date(text)
  return !Number.isNaN(date.getTime()) && formatTimestamp(date) === text ? date : null
}

const parseExpiration = (text: string): number | null => {
  const seconds = Number(text)
  return EXPIRATION_PATTERN.test(text) && Number.isSafeInteger(seconds) ? seconds : null
}

const parseSignedHeaders = (text: string): string[] | null => {
  if (text === '') return []
  const names = text.split(SEPARATOR.signedHeader)
  return names.every((name) => SIGNED_HEADER_NAME_PATTERN.test(name)) ? names : null
}

/**
 * Parses an Authorization header strictly.
 *
 * Accepted: exactly six `/`-separated fields; version `bce-auth-v1`; a non-empty access key
 * ID; a real UTC time as `YYYY-MM-DDTHH:MM:SSZ`; a positive integer expiration without
 * leading zeros; signed headers either empty or `;`-separated lower-case header names;
 * a signature of 64 lower-case hex characters. No surrounding whitespace.
 *
 * @returns the parts, or `null` for anything else.
 */
export const parseAuthorization = (header: string): AuthorizationParts | null => {
  const fields = header.split(SEPARATOR.authField)
  if (fields.length !== AUTH_FIELD_COUNT) return null
  const [version = '', accessKeyId = '', timestampText = '', expirationText = ''] = fields
  const [signedHeadersText = '', signature = ''] = fields.slice(AUTH_FIELD_COUNT - 2)
  const timestamp = parseTimestamp(timestampText)
  const expirationSeconds = parseExpiration(expirationText)
  const signedHeaders = parseSignedHeaders(signedHeadersText)
  if (
    version !== AUTH_VERSION ||
    accessKeyId === '' ||
    timestamp === null ||
    expirationSeconds === null ||
    signedHeaders === null ||
    !SIGNATURE_PATTERN.test(signature)
  ) {
    return null
  }
  return { accessKeyId, timestamp, expirationSeconds, signedHeaders, signature }
}
