import {
  ENCODED_SLASH,
  KEPT_BY_ENCODE_URI_COMPONENT,
  PATH_SEPARATOR,
  UNRESERVED_ONLY,
  UNRESERVED_OR_SLASH_ONLY,
} from './constants.js'

/** Options of `uriEncode()`. */
export interface UriEncodeOptions {
  /** Leave `/` as is (for paths); by default it becomes `%2F`. */
  keepSlash?: boolean
}

const percentEncode = (char: string): string => `%${char.charCodeAt(0).toString(16).toUpperCase()}`

// Signing encodes the same few strings again and again (content type, user agent, host): a
// small memo of recent results. Bounded in entries and in the length of what it keeps.
const MEMO_MAX_ENTRIES = 512
const MEMO_MAX_LENGTH = 256
const memo = { plain: new Map<string, string>(), path: new Map<string, string>() }

const encode = (value: string, keepSlash: boolean): string => {
  // toWellFormed() turns lone surrogates into U+FFFD, on which encodeURIComponent would throw.
  const encoded = encodeURIComponent(value.toWellFormed()).replace(
    KEPT_BY_ENCODE_URI_COMPONENT,
    percentEncode,
  )
  return keepSlash ? encoded.replace(ENCODED_SLASH, PATH_SEPARATOR) : encoded
}

/**
 * Percent-encodes a string the way bce-auth-v1 requires (RFC 3986 over UTF-8 bytes).
 *
 * `A-Za-z0-9-_.~` stay; every other byte becomes `%XX` with upper-case hex. Unlike
 * `encodeURIComponent`, `!'()*` are encoded too. A lone surrogate (not valid UTF-16) is
 * encoded as U+FFFD, `%EF%BF%BD`, rather than throwing.
 *
 * Signing is on the hot path: strings of unreserved characters (ids, names, most values) are
 * returned as they are, and the rest go through the engine's own `encodeURIComponent`.
 *
 * @example uriEncode('a b/ü') // 'a%20b%2F%C3%BC'
 * @example uriEncode('/v2/a b', { keepSlash: true }) // '/v2/a%20b'
 */
export const uriEncode = (value: string, options: UriEncodeOptions = {}): string => {
  const keepSlash = options.keepSlash === true
  const cache = keepSlash ? memo.path : memo.plain
  const known = cache.get(value)
  if (known !== undefined) return known
  const encoded = (keepSlash ? UNRESERVED_OR_SLASH_ONLY : UNRESERVED_ONLY).test(value)
    ? value
    : encode(value, keepSlash)
  if (value.length <= MEMO_MAX_LENGTH) {
    if (cache.size >= MEMO_MAX_ENTRIES) cache.clear()
    cache.set(value, encoded)
  }
  return encoded
}
