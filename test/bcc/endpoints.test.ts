import { describe, expect, it } from 'vitest'
import {
  isLoopbackHostname,
  parseEndpointOverride,
  regionEndpoint,
} from '../../lib/bcc/endpoints.js'
import { isRegion, REGIONS } from '../../lib/bcc/regions.js'

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
  ])('accepts %s as %s', (value, origin) => {
    expect(parseEndpointOverride(value)).toEqual({ origin })
  })

  it.each([
    ['bcc.bj.baidubce.com', 'must be an absolute URL, such as https://bcc.bj.baidubce.com'],
    ['ftp://127.0.0.1', 'must use https (or http on a loopback address)'],
    [
      'http://10.0.0.8:8787',
      'may use plain http only on a loopback address (127.0.0.0/8, ::1, localhost)',
    ],
    [
      'http://127.0.0.1.nip.io',
      'may use plain http only on a loopback address (127.0.0.0/8, ::1, localhost)',
    ],
    ['https://user:pass@bcc.bj.baidubce.com', 'must not contain user info'],
    ['https://bcc.bj.baidubce.com/v2', 'must be an origin only, without path, query or fragment'],
    ['https://bcc.bj.baidubce.com?x=1', 'must be an origin only, without path, query or fragment'],
    ['https://bcc.bj.baidubce.com#x', 'must be an origin only, without path, query or fragment'],
  ])('refuses %s', (value, error) => {
    expect(parseEndpointOverride(value)).toEqual({ error })
  })

  it('recognises loopback host names only', () => {
    expect(['localhost', '127.0.0.1', '127.255.0.9', '[::1]'].map(isLoopbackHostname)).toEqual([
      true,
      true,
      true,
      true,
    ])
    expect(['localhost.example', '128.0.0.1', '::1', '0.0.0.0'].map(isLoopbackHostname)).toEqual([
      false,
      false,
      false,
      false,
    ])
  })
})
