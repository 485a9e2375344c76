import { ROOT_PATH } from './constants.js'
import { uriEncode } from './uriEncode.js'

/**
 * Builds the canonical URI: the decoded path, percent-encoded with `/` kept.
 *
 * An empty path is `/`. The path must not be percent-encoded already: `%` itself is
 * encoded, so `/a%20b` becomes `/a%2520b`.
 *
 * @example canonicalUri('/v2/instance/i-abc') // '/v2/instance/i-abc'
 */
export const canonicalUri = (path: string): string =>
  path === '' ? ROOT_PATH : uriEncode(path, { keepSlash: true })
