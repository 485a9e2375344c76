import {
  AUTH_FIELD_COUNT,
  AUTH_VERSION,
  EXPIRATION_PATTERN,
  SEPARATOR,
  SIGNATURE_PATTERN,
  SIGNED_HEADER_NAME_PATTERN,
  TIMESTAMP_PATTERN,
} from './constants.js'
import { formatTimestamp } from './formatTimestamp.js'
import type { AuthorizationParts } from './types.js'

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
