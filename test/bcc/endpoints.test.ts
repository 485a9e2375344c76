import { describe, expect, it } from 'vitest'
import {
  isLoopbackHost,
  isRegion,
  parseEndpointOverride,
  REGIONS,
  regionEndpoint,
} from '../../lib/bcc/endpoints.js'

const PLAIN_HTTP_REFUSED =
  'may use plain http only on a loopback address (127.0.0.0/8, ::1, localhost)'

describe('endpoints', () => {
  it('builds the https endpoint of every allowed region', () => {
    expect(REGIONS.map(regionEndpoint)).toEqual([
      'https://bcc.bj.baidubce.com',
      'https://bcc.gz.baidubce.com',
      'https://bcc.su.baidubce.com',
      'https://bcc.hkg.baidubce.com',
      'https://bcc.fwh.baidubce.com',
      'https://bcc.bd.baidubce.com',
      'https://bcc.fsh.baidubce.com',
      'https://bcc.sin.baidubce.com',
    ])
  })

  it('knows the allow-list', () => {
    expect(isRegion('hkg')).toBe(true)
    expect(isRegion('evil.example.com/')).toBe(false)
  })

  it.each([
    ['https://bcc.bj.baidubce.com', 'https://bcc.bj.baidubce.com'],
    ['https://proxy.internal:8443/', 'https://proxy.internal:8443'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['http://127.1.2.3:80', 'http://127.1.2.3'],
    ['http://localhost:8787', 'http://localhost:8787'],
    ['http://[::1]:8787', 'http://[::1]:8787'],
    ['http://127.255.255.255:8787', 'http://127.255.255.255:8787'],
    ['http://127.1:8787', 'http://127.0.0.1:8787'],
    ['http://LOCALHOST:8787', 'http://localhost:8787'],
    ['http://[0:0:0:0:0:0:0:1]:8080', 'http://[::1]:8080'],
    ['http://[::ffff:127.0.0.1]:8787', 'http://[::ffff:7f00:1]:8787'],
  ])('accepts %s as %s', (value, origin) => {
    expect(parseEndpointOverride(value)).toEqual({ origin })
  })

  it.each([
    ['bcc.bj.baidubce.com', 'must be an absolute URL, such as https://bcc.bj.baidubce.com'],
    ['ftp://127.0.0.1', 'must use https (or http on a loopback address)'],
    ...[
      'http://10.0.0.8:8787',
      'http://127.0.0.1.nip.io',
      'http://localhost.example.com',
      'http://128.0.0.1',
      'http://0.0.0.0:8787',
      'http://[::2]',
      'http://[::]:8787',
      'http://[::ffff:10.0.0.1]',
    ].map((value) => [value, PLAIN_HTTP_REFUSED]),
    ['https://user:pass@bcc.bj.baidubce.com', 'must not contain user info'],
    ['https://bcc.bj.baidubce.com/v2', 'must be an origin only, without path, query or fragment'],
    ['https://bcc.bj.baidubce.com?x=1', 'must be an origin only, without path, query or fragment'],
    ['https://bcc.bj.baidubce.com#x', 'must be an origin only, without path, query or fragment'],
  ])('refuses %s', (value, error) => {
    expect(parseEndpointOverride(value)).toEqual({ error })
  })
})

describe('isLoopbackHost', () => {
  it.each([
    ['http://localhost', true],
    ['http://LOCALHOST', true],
    ['http://127.0.0.1', true],
    ['http://127.255.255.255', true],
    ['http://127.1', true],
    ['http://[::1]', true],
    ['http://[0:0:0:0:0:0:0:1]', true],
    ['http://[::ffff:127.0.0.1]', true],
    ['http://126.255.255.255', false],
    ['http://128.0.0.1', false],
    ['http://0.0.0.0', false],
    ['http://[::2]', false],
    ['http://[::]', false],
    ['http://[::ffff:10.0.0.1]', false],
    ['http://localhost.example.com', false],
    ['http://127.0.0.1.nip.io', false],
  ])('takes the hostname of %s as loopback: %s', (url, expected) => {
    expect(isLoopbackHost(new URL(url).hostname)).toBe(expected)
  })

  it.each([
    ['127.0.0.1', true],
    ['127.255.255.255', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['::FFFF:127.0.0.1', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['128.0.0.1', false],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['fe80::1', false],
    // Brackets are for IPv6 only, and shorthand is an address only once URL has normalised it.
    ['[127.0.0.1]', false],
    ['127.1', false],
    ['localhost.example.com', false],
    [undefined, false],
  ])('takes the socket address %s as loopback: %s', (address, expected) => {
    expect(isLoopbackHost(address)).toBe(expected)
  })
})
