import { describe, expect, it } from 'vitest'
import { canonicalHeaders } from '../../lib/bce/canonicalHeaders.js'
import { DEFAULT_HEADERS_TO_SIGN } from '../../lib/bce/constants.js'

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
