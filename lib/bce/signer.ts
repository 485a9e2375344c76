// Steps 2 and 4 of bce-auth-v1 (the signing key and the signature) and `sign()`.
// https://intl.cloud.baidu.com/doc/Reference/s/njwvz1yfu-en

import { createHmac } from 'node:crypto'
import { formatAuthStringPrefix } from './authorization.js'
import { canonicalHeaders, canonicalQuery, canonicalRequest, canonicalUri } from './canonical.js'
import {
  DEFAULT_EXPIRATION_SECONDS,
  DEFAULT_HEADERS_TO_SIGN,
  HEADER,
  HMAC_ALGORITHM,
  HMAC_ENCODING,
  MS_PER_SECOND,
  SEPARATOR,
} from './constants.js'
import type { Credentials, SignableRequest, SignOptions } from './types.js'

/**
 * HMAC-SHA256 of `message` under `key`, as lower-case hex. A string key and the message are
 * taken as UTF-8.
 *
 * @example hmacSha256Hex('key', 'message').length // 64
 */
export const hmacSha256Hex = (key: string | Buffer, message: string): string =>
  createHmac(HMAC_ALGORITHM, key).update(message).digest(HMAC_ENCODING)

/**
 * Derives the signing key of one request (step 2 of bce-auth-v1).
 *
 * The result is the hex string itself, and that string (not the raw bytes) is the HMAC key
 * of the signature step.
 *
 * @param secretAccessKey - the SK, as text or as its UTF-8 bytes
 * @param authStringPrefix - `bce-auth-v1/{ak}/{timestamp}/{expirationSeconds}`
 */
export const deriveSigningKey = (
  secretAccessKey: string | Buffer,
  authStringPrefix: string,
): string => hmacSha256Hex(secretAccessKey, authStringPrefix)

/** The auth-string prefix of one signature and its signing key. */
export interface SigningKey {
  /** `bce-auth-v1/{ak}/{timestamp}/{expirationSeconds}` */
  authStringPrefix: string
  /** The bytes of the hex signing key, the HMAC key of the signature step. */
  signingKey: Buffer
}

// The key depends on the secret and the prefix, whose timestamp has one-second resolution:
// every request signed in the same second reuses it (a queue batch signs ten or more at once).
// smithy's SigV4 signer keeps derived keys the same way. One entry: nothing to grow.
// Compared by the values the prefix is made of, not by the prefix text, which for a new
// second would have to be built and flattened only to compare unequal. The secret is kept as
// bytes too: createHmac would otherwise encode the string again for every signature.
const last = {
  secretAccessKey: '',
  secretBytes: Buffer.alloc(0),
  accessKeyId: '',
  second: Number.NaN,
  expirationSeconds: Number.NaN,
  key: { authStringPrefix: '', signingKey: Buffer.alloc(0) } as Readonly<SigningKey>,
}

/**
 * Builds the auth-string prefix (see `formatAuthStringPrefix`) and derives its signing key
 * (step 2, see `deriveSigningKey`). The last result is remembered, so a request of the same
 * second with the same credentials and expiration skips both.
 *
 * @throws RangeError when the timestamp cannot be formatted (see `formatTimestamp`).
 */
export const signingKeyFor = (
  secretAccessKey: string,
  accessKeyId: string,
  timestamp: Date,
  expirationSeconds: number,
): Readonly<SigningKey> => {
  // An invalid date's NaN never matches, so formatAuthStringPrefix gets to refuse it.
  const second = Math.floor(timestamp.getTime() / MS_PER_SECOND)
  if (
    second === last.second &&
    expirationSeconds === last.expirationSeconds &&
    accessKeyId === last.accessKeyId &&
    secretAccessKey === last.secretAccessKey
  ) {
    return last.key
  }
  const authStringPrefix = formatAuthStringPrefix(accessKeyId, timestamp, expirationSeconds)
  if (secretAccessKey !== last.secretAccessKey) {
    last.secretAccessKey = secretAccessKey
    last.secretBytes = Buffer.from(secretAccessKey)
  }
  const signingKey = Buffer.from(deriveSigningKey(last.secretBytes, authStringPrefix))
  last.accessKeyId = accessKeyId
  last.second = second
  last.expirationSeconds = expirationSeconds
  last.key = { authStringPrefix, signingKey }
  return last.key
}

/** A signature and the header names it covers, in canonical order. */
export interface ComputedSignature {
  signature: string
  signedHeaders: readonly string[]
}

/**
 * Runs steps 3 and 4 of bce-auth-v1 for one request: the part `sign()` and `verify()` share.
 *
 * @param signingKey - the HMAC key of the signature (see `signingKeyFor`)
 * @param headersToSign - headers signed besides every `x-bce-` header
 */
export const computeSignature = (
  request: SignableRequest,
  signingKey: Buffer,
  headersToSign: readonly string[],
): ComputedSignature => {
  const headers = canonicalHeaders(request.headers, headersToSign)
  const canonical = canonicalRequest(
    request.method,
    canonicalUri(request.path),
    canonicalQuery(request.query ?? {}),
    headers.canonical,
  )
  return { signature: hmacSha256Hex(signingKey, canonical), signedHeaders: headers.signedHeaders }
}

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
  const { authStringPrefix, signingKey } = signingKeyFor(
    secretAccessKey,
    accessKeyId,
    timestamp,
    expirationSeconds,
  )
  const { signature, signedHeaders } = computeSignature(request, signingKey, headersToSign)
  if (!signedHeaders.includes(HEADER.host)) {
    throw new RangeError('The host header must be present and signed')
  }
  // The prefix is already formatted; formatAuthorization would format it (and the date) again.
  return `${authStringPrefix}${SEPARATOR.authField}${signedHeaderList(signedHeaders)}${SEPARATOR.authField}${signature}`
}
