import { createHmac } from 'node:crypto'
import { HMAC_ALGORITHM, HMAC_ENCODING } from './constants.js'

/**
 * HMAC-SHA256 of `message` under `key`, as lower-case hex. Both strings are taken as UTF-8.
 *
 * @example hmacSha256Hex('key', 'message').length // 64
 */
export const hmacSha256Hex = (key: string, message: string): string =>
  createHmac(HMAC_ALGORITHM, key).update(message).digest(HMAC_ENCODING)
