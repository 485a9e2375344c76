/** Version prefix of every Authorization header this signer writes or accepts. */
export const AUTH_VERSION = 'bce-auth-v1' as const

/** Validity of a signature when the caller names none, in seconds (the SDKs' default). */
export const DEFAULT_EXPIRATION_SECONDS = 1800 as const

/** Headers signed when the caller names none (besides every `x-bce-` header). */
export const DEFAULT_HEADERS_TO_SIGN = [
  'host',
  'content-length',
  'content-type',
  'content-md5',
] as const

/** Headers with this (lower-case) prefix are always signed. */
export const BCE_HEADER_PREFIX = 'x-bce-' as const

/** Lower-case header names the signer and its callers refer to. */
export const HEADER = {
  authorization: 'authorization',
  host: 'host',
  bceDate: 'x-bce-date',
  securityToken: 'x-bce-security-token',
} as const

/** A query parameter of this name (any case) carries the signature and is never signed. */
export const EXCLUDED_QUERY_KEY = 'authorization' as const

/** A signature is HMAC-SHA256 as lower-case hex: 32 bytes, 64 characters. */
const SIGNATURE_HEX_LENGTH = 64 as const

/**
 * How far a signing time may lie ahead of the verifier's clock, in seconds (15 minutes).
 * Baidu publishes no such tolerance; this is our choice for the emulator.
 */
export const DEFAULT_MAX_FUTURE_SKEW_SECONDS = 900 as const

/** Separators of the formats the algorithm builds. */
export const SEPARATOR = {
  authField: '/',
  signedHeader: ';',
  queryItem: '&',
  queryKeyValue: '=',
  headerNameValue: ':',
  line: '\n',
} as const

/** A string of unreserved characters only, which percent-encoding leaves as it is. */
export const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/

/** The same, with `/` too (a path whose slashes are kept). */
export const UNRESERVED_OR_SLASH_ONLY = /^[A-Za-z0-9\-_.~/]*$/

/** What `encodeURIComponent` leaves alone but RFC 3986 encodes. */
export const KEPT_BY_ENCODE_URI_COMPONENT = /[!'()*]/g

/** A percent-encoded slash, as `encodeURIComponent` writes it. */
export const ENCODED_SLASH = /%2F/g

/** The path separator, kept as is in the canonical URI. */
export const PATH_SEPARATOR = '/' as const

/** The canonical URI of an empty path. */
export const ROOT_PATH = '/' as const

/** `YYYY-MM-DDTHH:MM:SSZ`, the only timestamp form of the header. */
export const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

/** Suffix that replaces the fractional seconds. */
export const UTC_DESIGNATOR = 'Z' as const

/** Highest year the four-digit timestamp form can hold. */
export const MAX_TIMESTAMP_YEAR = 9999 as const

/** A positive decimal integer without leading zeros. */
export const EXPIRATION_PATTERN = /^[1-9]\d*$/

/** A lower-case HTTP header name (RFC 9110 token, upper-case letters excluded). */
export const SIGNED_HEADER_NAME_PATTERN = /^[a-z0-9!#$%&'*+\-.^_`|~]+$/

/** A signature: 64 lower-case hex characters. */
export const SIGNATURE_PATTERN = new RegExp(`^[0-9a-f]{${SIGNATURE_HEX_LENGTH}}$`)

/** Number of `/`-separated fields of an Authorization header. */
export const AUTH_FIELD_COUNT = 6 as const

/** Hash and encoding of every HMAC in the algorithm. */
export const HMAC_ALGORITHM = 'sha256' as const
export const HMAC_ENCODING = 'hex' as const

/** Milliseconds per second, for arithmetic on `Date` values. */
export const MS_PER_SECOND = 1000 as const
