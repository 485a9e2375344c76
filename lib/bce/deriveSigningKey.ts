import { hmacSha256Hex } from './hmacSha256Hex.js'

// The key depends on the secret and the prefix, whose timestamp has one-second resolution:
// every request signed in the same second reuses it (a queue batch signs ten or more at once).
// smithy's SigV4 signer keeps derived keys the same way. One entry: nothing to grow.
const last = { secretAccessKey: '', authStringPrefix: '', signingKey: '' }

/**
 * Derives the signing key of one request (step 2 of bce-auth-v1).
 *
 * The result is the hex string itself, and that string (not the raw bytes) is the HMAC key
 * of the signature step. The last key derived is remembered, so a second request of the same
 * second with the same credentials skips one HMAC.
 *
 * @param secretAccessKey - the SK
 * @param authStringPrefix - `bce-auth-v1/{ak}/{timestamp}/{expirationSeconds}`
 */
export const deriveSigningKey = (secretAccessKey: string, authStringPrefix: string): string => {
  if (last.authStringPrefix === authStringPrefix && last.secretAccessKey === secretAccessKey) {
    return last.signingKey
  }
  const signingKey = hmacSha256Hex(secretAccessKey, authStringPrefix)
  last.secretAccessKey = secretAccessKey
  last.authStringPrefix = authStringPrefix
  last.signingKey = signingKey
  return signingKey
}
