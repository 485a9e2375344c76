import { describe, expect, it } from 'vitest'
import { uriEncode } from '../../lib/bce/uriEncode.js'

describe('uriEncode', () => {
  it('keeps the unreserved characters A-Z a-z 0-9 - _ . ~', () => {
    const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~'
    expect(uriEncode(unreserved)).toBe(unreserved)
  })

  it("encodes !'()* although encodeURIComponent keeps them", () => {
    expect(uriEncode("!'()*")).toBe('%21%27%28%29%2A')
    expect(encodeURIComponent("!'()*")).toBe("!'()*")
  })

  it('encodes a space as %20, never +', () => {
    expect(uriEncode('a b+c')).toBe('a%20b%2Bc')
  })

  it('encodes / by default and keeps it on request', () => {
    expect(uriEncode('/v2/a b/')).toBe('%2Fv2%2Fa%20b%2F')
    expect(uriEncode('/v2/a b/', { keepSlash: true })).toBe('/v2/a%20b/')
    expect(uriEncode('/', { keepSlash: false })).toBe('%2F')
  })

  it('encodes the UTF-8 bytes of 2-, 3- and 4-byte characters in upper-case hex', () => {
    expect(uriEncode('ä')).toBe('%C3%A4')
    expect(uriEncode('测')).toBe('%E6%B5%8B')
    expect(uriEncode('€')).toBe('%E2%82%AC')
    expect(uriEncode('😀')).toBe('%F0%9F%98%80')
    expect(uriEncode('a😀b')).toBe('a%F0%9F%98%80b')
  })

  it('encodes control characters and reserved ASCII with two hex digits', () => {
    expect(uriEncode('\u0000\t\n%:=&;?#[]@$,"<>\\^`{|}')).toBe(
      '%00%09%0A%25%3A%3D%26%3B%3F%23%5B%5D%40%24%2C%22%3C%3E%5C%5E%60%7B%7C%7D',
    )
  })

  it('returns the empty string for the empty string', () => {
    expect(uriEncode('')).toBe('')
  })

  it('encodes a lone surrogate as U+FFFD instead of throwing', () => {
    expect(() => encodeURIComponent('\uD800')).toThrow(URIError)
    expect(uriEncode('\uD800')).toBe('%EF%BF%BD')
    expect(uriEncode('a\uDC00b')).toBe('a%EF%BF%BDb')
  })
})
