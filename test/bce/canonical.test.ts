import { describe, expect, it } from 'vitest'
import {
  canonicalHeaders,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  uriEncode,
} from '../../lib/bce/canonical.js'
import { DEFAULT_HEADERS_TO_SIGN } from '../../lib/bce/constants.js'

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

describe('canonicalUri', () => {
  it('turns the empty path into /', () => {
    expect(canonicalUri('')).toBe('/')
  })

  it('keeps / and unreserved characters as they are', () => {
    expect(canonicalUri('/v2/instance/i-YufwpQAe')).toBe('/v2/instance/i-YufwpQAe')
    expect(canonicalUri('/a~b_c.d/')).toBe('/a~b_c.d/')
  })

  it('encodes everything else, including % of an already-encoded path', () => {
    expect(canonicalUri("/my folder/ä(1)!*'.txt")).toBe('/my%20folder/%C3%A4%281%29%21%2A%27.txt')
    expect(canonicalUri('/a%20b')).toBe('/a%2520b')
  })
})

describe('canonicalQuery', () => {
  it('is empty for no parameters', () => {
    expect(canonicalQuery({})).toBe('')
  })

  it('writes a parameter without a value as key=', () => {
    expect(canonicalQuery({ bind: '' })).toBe('bind=')
    expect(canonicalQuery({ maxKeys: '100', marker: '' })).toBe('marker=&maxKeys=100')
  })

  it('sorts whole items as strings, which differs from sorting by key', () => {
    // By key, "a" comes before "a-b"; as items, "a-b=…" comes first because "-" < "=".
    expect(canonicalQuery({ a: '1', 'a-b': '2' })).toBe('a-b=2&a=1')
  })

  it('sorts upper case before lower case (code-unit order, not locale order)', () => {
    expect(canonicalQuery({ b: '1', B: '2', a: '3' })).toBe('B=2&a=3&b=1')
  })

  it("encodes keys and values (space as %20, ! ' ( ) * too) and sorts the encoded items", () => {
    // "%C3…" sorts before "k…" because the sort sees the encoded form.
    expect(canonicalQuery({ 'k y': "g-abc def/ghi~*'()!", 'ü/': '😀' })).toBe(
      '%C3%BC%2F=%F0%9F%98%80&k%20y=g-abc%20def%2Fghi~%2A%27%28%29%21',
    )
  })

  it('drops authorization in any case', () => {
    expect(canonicalQuery({ authorization: 'x', Authorization: 'y', AUTHORIZATION: 'z' })).toBe('')
    expect(canonicalQuery({ authorizationX: '1', bind: '' })).toBe('authorizationX=1&bind=')
  })

  it('leaves its input alone', () => {
    const query = Object.freeze({ b: '2', a: '1' })
    expect(canonicalQuery(query)).toBe('a=1&b=2')
    expect(Object.keys(query)).toEqual(['b', 'a'])
  })
})

describe('canonicalHeaders', () => {
  it('signs the default set plus x-bce- headers and leaves the rest out', () => {
    const headers = {
      Host: 'bj.bcebos.com',
      Date: 'Mon, 27 Apr 2015 16:23:49 +0800',
      'Content-Type': 'text/plain',
      'Content-Length': '8',
      'Content-Md5': 'NFzcPqhviddjRNnSOGo4rw==',
      'x-bce-date': '2015-04-27T08:23:49Z',
      'User-Agent': 'test',
    }
    expect(canonicalHeaders(headers, DEFAULT_HEADERS_TO_SIGN)).toEqual({
      canonical: [
        'content-length:8',
        'content-md5:NFzcPqhviddjRNnSOGo4rw%3D%3D',
        'content-type:text%2Fplain',
        'host:bj.bcebos.com',
        'x-bce-date:2015-04-27T08%3A23%3A49Z',
      ].join('\n'),
      signedHeaders: ['content-length', 'content-md5', 'content-type', 'host', 'x-bce-date'],
    })
  })

  it('signs x-bce- headers in any case even when the list leaves them out', () => {
    const headers = { host: 'h', 'X-BCE-Request-Id': 'r', 'content-type': 'c' }
    expect(canonicalHeaders(headers, ['host'])).toEqual({
      canonical: 'host:h\nx-bce-request-id:r',
      signedHeaders: ['host', 'x-bce-request-id'],
    })
  })

  it('matches names case-insensitively and trims names and values', () => {
    const headers = { ' Content-Type ': '  application/json; charset=utf-8\t', HOST: ' h ' }
    expect(canonicalHeaders(headers, ['Host', ' content-TYPE'])).toEqual({
      canonical: 'content-type:application%2Fjson%3B%20charset%3Dutf-8\nhost:h',
      signedHeaders: ['content-type', 'host'],
    })
  })

  it('trims every JavaScript whitespace, not only spaces', () => {
    expect(canonicalHeaders({ host: '\u00a0\u3000\n h \ufeff\u2028' }, ['host']).canonical).toBe(
      'host:h',
    )
  })

  it('drops headers whose value is empty after trimming', () => {
    const headers = { host: 'h', 'x-bce-empty': '   ', 'content-md5': '' }
    expect(canonicalHeaders(headers, DEFAULT_HEADERS_TO_SIGN)).toEqual({
      canonical: 'host:h',
      signedHeaders: ['host'],
    })
  })

  it('encodes values (and names) with the query rules', () => {
    const headers = { 'x-bce-meta-note': '  hello world: ä/测  ', host: '127.0.0.1:8787' }
    expect(canonicalHeaders(headers, ['host']).canonical).toBe(
      'host:127.0.0.1%3A8787\nx-bce-meta-note:hello%20world%3A%20%C3%A4%2F%E6%B5%8B',
    )
  })

  it('sorts whole lines and lists the names in line order, not name order', () => {
    const headers = { 'x-bce-a': '1', 'x-bce-a-b': '2', host: 'h', 'x-bce-B': '3' }
    expect(canonicalHeaders(headers, ['host'])).toEqual({
      canonical: 'host:h\nx-bce-a-b:2\nx-bce-a:1\nx-bce-b:3',
      signedHeaders: ['host', 'x-bce-a-b', 'x-bce-a', 'x-bce-b'],
    })
  })

  it('signs nothing when nothing matches', () => {
    expect(canonicalHeaders({ accept: '*/*' }, ['host'])).toEqual({
      canonical: '',
      signedHeaders: [],
    })
  })

  it('leaves its input alone', () => {
    const headers = Object.freeze({ Host: ' h ' })
    const list = Object.freeze(['HOST'])
    canonicalHeaders(headers, list)
    expect(headers).toEqual({ Host: ' h ' })
    expect(list).toEqual(['HOST'])
  })
})

describe('canonicalRequest', () => {
  it('joins method, URI, query and headers with newlines', () => {
    expect(canonicalRequest('PUT', '/v2/instance/i-1', 'bind=', 'host:h\nx-bce-date:d')).toBe(
      'PUT\n/v2/instance/i-1\nbind=\nhost:h\nx-bce-date:d',
    )
  })

  it('upper-cases the method', () => {
    expect(canonicalRequest('get', '/', '', 'host:h')).toBe('GET\n/\n\nhost:h')
  })
})
