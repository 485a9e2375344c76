import { formatAuthStringPrefix } from './authorization.js'
import { computeSignature } from './computeSignature.js'
import {
  DEFAULT_EXPIRATION_SECONDS,
  DEFAULT_HEADERS_TO_SIGN,
  HEADER,
  SEPARATOR,
} from './constants.js'
import type { Credentials, SignableRequest, SignOptions } from './types.js'

// Header lists come from shared signing plans: join each one once.
const joinedLists = new WeakMap<readonly string[], string>()
const signedHeaderList = (names: readonly string[]): string => {
  let joined = joinedLists.get(names)
  if (joined === undefined) {
    joined = names.join(SEPARATOR.signedHeader)
    joinedLists.set(names, joined)
  }
  return joined
}

// The spec makes the signer module the home of both directions.
export { verify } from './verify.js'

/**
 * Signs a request with bce-auth-v1 and returns the value of its `Authorization` header.
 *
 * Pure: no I/O, the input is never modified, and the clock is `options.timestamp` (default:
 * now). It adds no headers: the caller puts `host`, `x-bce-date` (see `formatTimestamp`)
 * and, with temporary credentials, `x-bce-security-token` into `request.headers` before
 * signing; `credentials.sessionToken` is not read here. The signed header names are always
 * listed (never the empty `//` form), so the server need not guess them.
 *
 * @throws RangeError when `expirationSeconds` is not a positive safe integer, the access key
 * ID is empty or contains `/`, the timestamp cannot be formatted, or `host` would not be
 * signed (no non-empty `host` header, or `host` left out of `headersToSign`).
 * @example sign({ method: 'PUT', path: '/v2/instance/i-abc', query: { bind: '' },
 *   headers: { host: 'bcc.bj.baidubce.com', 'x-bce-date': formatTimestamp(now) } },
 *   { accessKeyId, secretAccessKey }, { timestamp: now })
 */
export const sign = (
  request: SignableRequest,
  credentials: Credentials,
  options: SignOptions = {},
): string => {
  const timestamp = options.timestamp ?? new Date()
  const expirationSeconds = options.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS
  // Like the official SDKs, an empty list means the default set, which keeps `host` signed.
  const headersToSign = options.headersToSign?.length
    ? options.headersToSign
    : DEFAULT_HEADERS_TO_SIGN
  const { accessKeyId, secretAccessKey } = credentials

  // Each of these would produce a header the server cannot parse or will refuse.
  if (!Number.isSafeInteger(expirationSeconds) || expirationSeconds <= 0) {
    throw new RangeError('expirationSeconds must be a positive integer')
  }
  if (accessKeyId === '' || accessKeyId.includes('/')) {
    throw new RangeError('The access key ID must be non-empty and must not contain "/"')
  }
  const prefix = formatAuthStringPrefix(accessKeyId, timestamp, expirationSeconds)
  const { signature, signedHeaders } = computeSignature(
    request,
    secretAccessKey,
    prefix,
    headersToSign,
  )
  if (!signedHeaders.includes(HEADER.host)) {
    throw new RangeError('The host header must be present and signed')
  }
  // The prefix is already formatted; formatAuthorization would format it (and the date) again.
  return `${prefix}${SEPARATOR.authField}${signedHeaderList(signedHeaders)}${SEPARATOR.authField}${signature}`
}
