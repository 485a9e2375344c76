import { PATH_SEPARATOR, UNRESERVED_CHARACTER } from './constants.js'

/** Options of `uriEncode()`. */
export interface UriEncodeOptions {
  /** Leave `/` as is (for paths); by default it becomes `%2F`. */
  keepSlash?: boolean
}

const PERCENT = '%'
const HEX_RADIX = 16
const HEX_WIDTH = 2

// TextEncoder replaces a lone surrogate with U+FFFD (bytes EF BF BD) instead of throwing,
// which is what we want: encodeURIComponent would throw a URIError on the same input.
const utf8 = new TextEncoder()

const encodeByte = (byte: number): string =>
  PERCENT + byte.toString(HEX_RADIX).toUpperCase().padStart(HEX_WIDTH, '0')

/**
 * Percent-encodes a string the way bce-auth-v1 requires (RFC 3986 over UTF-8 bytes).
 *
 * `A-Za-z0-9-_.~` stay; every other byte becomes `%XX` with upper-case hex. Unlike
 * `encodeURIComponent`, `!'()*` are encoded too. A lone surrogate (not valid UTF-16) is
 * encoded as U+FFFD, `%EF%BF%BD`, rather than throwing.
 *
 * @example uriEncode('a b/ü') // 'a%20b%2F%C3%BC'
 * @example uriEncode('/v2/a b', { keepSlash: true }) // '/v2/a%20b'
 */
export const uriEncode = (value: string, options: UriEncodeOptions = {}): string => {
  let encoded = ''
  for (const byte of utf8.encode(value)) {
    const char = String.fromCharCode(byte)
    const kept =
      UNRESERVED_CHARACTER.test(char) || (options.keepSlash === true && char === PATH_SEPARATOR)
    encoded += kept ? char : encodeByte(byte)
  }
  return encoded
}
