import { canonicalHeaders } from './canonicalHeaders.js'
import { canonicalQuery } from './canonicalQuery.js'
import { canonicalRequest } from './canonicalRequest.js'
import { canonicalUri } from './canonicalUri.js'
import { deriveSigningKey } from './deriveSigningKey.js'
import { hmacSha256Hex } from './hmacSha256Hex.js'
import type { SignableRequest } from './types.js'

/** A signature and the header names it covers, in canonical order. */
export interface ComputedSignature {
  signature: string
  signedHeaders: readonly string[]
}

/**
 * Runs steps 2–4 of bce-auth-v1 for one request: the part `sign()` and `verify()` share.
 *
 * @param authStringPrefix - `bce-auth-v1/{ak}/{timestamp}/{expirationSeconds}`
 * @param headersToSign - headers signed besides every `x-bce-` header
 */
export const computeSignature = (
  request: SignableRequest,
  secretAccessKey: string,
  authStringPrefix: string,
  headersToSign: readonly string[],
): ComputedSignature => {
  const signingKey = deriveSigningKey(secretAccessKey, authStringPrefix)
  const headers = canonicalHeaders(request.headers, headersToSign)
  const canonical = canonicalRequest(
    request.method,
    canonicalUri(request.path),
    canonicalQuery(request.query ?? {}),
    headers.canonical,
  )
  return { signature: hmacSha256Hex(signingKey, canonical), signedHeaders: headers.signedHeaders }
}
