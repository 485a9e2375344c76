import { timingSafeEqual } from 'node:crypto'
import { parseAuthorization } from './authorization.js'
import {
  DEFAULT_HEADERS_TO_SIGN,
  DEFAULT_MAX_FUTURE_SKEW_SECONDS,
  HEADER,
  MS_PER_SECOND,
} from './constants.js'
import { computeSignature, signingKeyFor } from './signer.js'
import type { SignableRequest, VerifyFailureReason, VerifyOptions, VerifyResult } from './types.js'

// Messages name the rule that failed, never the secret or a signature: they may reach logs
// and the client.
const failure = (reason: VerifyFailureReason, message: string): VerifyResult => ({
  ok: false,
  reason,
  message,
})

const signaturesEqual = (expected: string, provided: string): boolean =>
  // Both are 64 hex characters (the parser checks the provided one), so the lengths match
  // and timingSafeEqual cannot throw.
  timingSafeEqual(Buffer.from(expected), Buffer.from(provided))

/**
 * Verifies a bce-auth-v1 signature the way a BCE server would (for tests and emulators).
 *
 * Checks, in this order: the header parses (`InvalidHTTPAuthHeader`), an explicit signed
 * header list includes `host` (`InvalidHTTPAuthHeader`), the access key is known
 * (`InvalidAccessKeyId`), `now` lies between `timestamp - maxFutureSkewSeconds` and
 * `timestamp + expirationSeconds`, both ends included (`RequestExpired`), and the signature
 * matches the request rebuilt from the named headers, or with the empty `//` list from the
 * default set, plus every `x-bce-` header present (`SignatureDoesNotMatch`). An `x-bce-`
 * header the signer did not sign therefore fails the check. Signatures are compared in
 * constant time.
 *
 * @param lookupSecret - the SK of an access key ID, or `undefined` when it is unknown
 * @param now - the verifier's clock
 * @throws RangeError when `now` is an invalid date or `maxFutureSkewSeconds` is negative or
 * not finite (programming errors, not verdicts on the request).
 */
export const verify = (
  request: SignableRequest,
  authorization: string | undefined,
  lookupSecret: (accessKeyId: string) => string | undefined,
  now: Date,
  options: VerifyOptions = {},
): VerifyResult => {
  const maxFutureSkewSeconds = options.maxFutureSkewSeconds ?? DEFAULT_MAX_FUTURE_SKEW_SECONDS
  // An invalid clock or tolerance would turn every time comparison false, i.e. "not expired".
  if (Number.isNaN(now.getTime())) throw new RangeError('now must be a valid date')
  if (!Number.isFinite(maxFutureSkewSeconds) || maxFutureSkewSeconds < 0) {
    throw new RangeError('maxFutureSkewSeconds must be a finite, non-negative number')
  }

  if (authorization === undefined) {
    return failure('InvalidHTTPAuthHeader', 'The Authorization header is missing')
  }
  const parts = parseAuthorization(authorization)
  if (parts === null) {
    return failure('InvalidHTTPAuthHeader', 'The Authorization header is malformed')
  }
  const explicit = parts.signedHeaders.length > 0
  if (explicit && !parts.signedHeaders.includes(HEADER.host)) {
    return failure('InvalidHTTPAuthHeader', 'The signed headers must include host')
  }

  const secret = lookupSecret(parts.accessKeyId)
  if (secret === undefined) {
    return failure('InvalidAccessKeyId', 'The access key ID is unknown')
  }

  const signedAt = parts.timestamp.getTime()
  const expiresAt = new Date(signedAt + parts.expirationSeconds * MS_PER_SECOND)
  if (now.getTime() > expiresAt.getTime()) {
    return failure('RequestExpired', `The signature expired at ${expiresAt.toISOString()}`)
  }
  if (signedAt - now.getTime() > maxFutureSkewSeconds * MS_PER_SECOND) {
    return failure(
      'RequestExpired',
      `The signing time lies more than ${maxFutureSkewSeconds} s ahead of the server clock`,
    )
  }

  const { signingKey } = signingKeyFor(
    secret,
    parts.accessKeyId,
    parts.timestamp,
    parts.expirationSeconds,
  )
  const headersToSign = explicit ? parts.signedHeaders : DEFAULT_HEADERS_TO_SIGN
  const computed = computeSignature(request, signingKey, headersToSign)
  if (!signaturesEqual(computed.signature, parts.signature)) {
    return failure('SignatureDoesNotMatch', 'The signature does not match the request')
  }
  return {
    ok: true,
    accessKeyId: parts.accessKeyId,
    signedHeaders: [...computed.signedHeaders],
    timestamp: parts.timestamp,
    expiresAt,
  }
}
