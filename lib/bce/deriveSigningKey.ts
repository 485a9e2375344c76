import { hmacSha256Hex } from './hmacSha256Hex.js'

/**
 * Derives the signing key of one request (step 2 of bce-auth-v1).
 *
 * The result is the hex string itself, and that string (not the raw bytes) is the HMAC key
 * of the signature step.
 *
 * @param secretAccessKey - the SK
 * @param authStringPrefix - `bce-auth-v1/{ak}/{timestamp}/{expirationSeconds}`
 */
export const deriveSigningKey = (secretAccessKey: string, authStringPrefix: string): string =>
  hmacSha256Hex(secretAccessKey, authStringPrefix)
