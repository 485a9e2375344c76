import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseAuthorization } from '../../lib/bce/authorization.js'
import { sign } from '../../lib/bce/signer.js'
import type { Credentials, SignableRequest } from '../../lib/bce/types.js'
import { deepFreeze } from './support/deepFreeze.js'
import { OfficialAuth } from './support/officialSdk.js'

const credentials: Credentials = {
  accessKeyId: 'f81d3b34e48048fbb2634dc7882d7e21',
  secretAccessKey: '9a1f3e2c7b6d4e8f0a1b2c3d4e5f6a7b',
}
const TIMESTAMP = new Date('2026-11-29T02:22:39Z')
const TIMESTAMP_SECONDS = TIMESTAMP.getTime() / 1000

// A fresh request per test, so no test can affect another.
const bindRequest = (): SignableRequest => ({
  method: 'PUT',
  path: '/v2/instance/i-YufwpQAe',
  query: { bind: '' },
  headers: {
    Host: 'bcc.bj.baidubce.com',
    'Content-Type': 'application/json',
    'Content-Length': '33',
    'x-bce-date': '2026-11-29T02:22:39Z',
  },
})

const official = (request: SignableRequest, expiration = 1800, headersToSign?: string[]) =>
  new OfficialAuth(credentials.accessKeyId, credentials.secretAccessKey).generateAuthorization(
    request.method,
    request.path,
    request.query ?? {},
    request.headers,
    TIMESTAMP_SECONDS,
    expiration,
    headersToSign,
  )

describe('sign', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('equals the official SDK for the default header set', () => {
    expect(sign(bindRequest(), credentials, { timestamp: TIMESTAMP })).toBe(official(bindRequest()))
  })

  it('always lists the signed headers, never the empty // form', () => {
    const authorization = sign(bindRequest(), credentials, { timestamp: TIMESTAMP })
    expect(authorization).not.toContain('//')
    expect(parseAuthorization(authorization)?.signedHeaders).toEqual([
      'content-length',
      'content-type',
      'host',
      'x-bce-date',
    ])
  })

  it('treats an empty headersToSign like the default set, as the SDKs do', () => {
    expect(sign(bindRequest(), credentials, { timestamp: TIMESTAMP, headersToSign: [] })).toBe(
      sign(bindRequest(), credentials, { timestamp: TIMESTAMP }),
    )
  })

  it('signs the named headers plus every x-bce- header', () => {
    const authorization = sign(bindRequest(), credentials, {
      timestamp: TIMESTAMP,
      headersToSign: ['HOST'],
    })
    expect(authorization).toBe(official(bindRequest(), 1800, ['HOST']))
    expect(parseAuthorization(authorization)?.signedHeaders).toEqual(['host', 'x-bce-date'])
  })

  it('uses the given expiration', () => {
    const authorization = sign(bindRequest(), credentials, {
      timestamp: TIMESTAMP,
      expirationSeconds: 60,
    })
    expect(authorization).toBe(official(bindRequest(), 60))
    expect(authorization).toContain('/2026-11-29T02:22:39Z/60/')
  })

  it('drops the milliseconds of the timestamp', () => {
    const withMillis = new Date(TIMESTAMP.getTime() + 999)
    expect(sign(bindRequest(), credentials, { timestamp: withMillis })).toBe(
      sign(bindRequest(), credentials, { timestamp: TIMESTAMP }),
    )
  })

  it('reads the clock when no timestamp is given', () => {
    vi.useFakeTimers({ now: TIMESTAMP })
    expect(sign(bindRequest(), credentials)).toBe(official(bindRequest()))
  })

  it('upper-cases the method and treats a missing query as none', () => {
    const { query: _query, ...withoutQuery } = bindRequest()
    const lower = { ...withoutQuery, method: 'put' }
    expect(sign(lower, credentials, { timestamp: TIMESTAMP })).toBe(
      sign({ ...withoutQuery, query: {} }, credentials, { timestamp: TIMESTAMP }),
    )
  })

  it('signs an empty path as /', () => {
    const root = { ...bindRequest(), path: '/' }
    expect(sign({ ...bindRequest(), path: '' }, credentials, { timestamp: TIMESTAMP })).toBe(
      official(root),
    )
  })

  it('does not read the session token (the caller signs it as x-bce-security-token)', () => {
    const withToken = { ...credentials, sessionToken: 'token' }
    expect(sign(bindRequest(), withToken, { timestamp: TIMESTAMP })).toBe(
      sign(bindRequest(), credentials, { timestamp: TIMESTAMP }),
    )
  })

  it('works on deeply frozen input and leaves it unchanged', () => {
    const request = deepFreeze(bindRequest())
    const frozenCredentials = deepFreeze({ ...credentials, sessionToken: 't' })
    const options = deepFreeze({
      timestamp: new Date(TIMESTAMP),
      expirationSeconds: 1800,
      headersToSign: ['host', 'content-type'],
    })
    const authorization = sign(request, frozenCredentials, options)
    expect(authorization).toBe(official(bindRequest(), 1800, ['host', 'content-type']))
    expect(request).toEqual(bindRequest())
    expect(options.timestamp).toEqual(TIMESTAMP)
    expect(options.headersToSign).toEqual(['host', 'content-type'])
  })

  it('reuses a signing key only for the same secret, access key ID, second and expiration', () => {
    // Back to back, as a batch signs: each differs from the one before it in one value.
    const cases = [
      { credentials, timestamp: TIMESTAMP, expirationSeconds: 1800 },
      {
        credentials: { ...credentials, secretAccessKey: 'another-secret' },
        timestamp: TIMESTAMP,
        expirationSeconds: 1800,
      },
      {
        credentials: { ...credentials, accessKeyId: 'another-ak' },
        timestamp: TIMESTAMP,
        expirationSeconds: 1800,
      },
      { credentials, timestamp: TIMESTAMP, expirationSeconds: 1800 },
      { credentials, timestamp: new Date(TIMESTAMP.getTime() + 1000), expirationSeconds: 1800 },
      { credentials, timestamp: TIMESTAMP, expirationSeconds: 60 },
      { credentials, timestamp: TIMESTAMP, expirationSeconds: 1800 },
    ]
    for (const { credentials: keys, timestamp, expirationSeconds } of cases) {
      const expected = new OfficialAuth(
        keys.accessKeyId,
        keys.secretAccessKey,
      ).generateAuthorization(
        'PUT',
        bindRequest().path,
        bindRequest().query ?? {},
        bindRequest().headers,
        timestamp.getTime() / 1000,
        expirationSeconds,
      )
      expect(sign(bindRequest(), keys, { timestamp, expirationSeconds })).toBe(expected)
    }
  })

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])(
    'refuses expiration %s',
    (expirationSeconds) => {
      expect(() =>
        sign(bindRequest(), credentials, { timestamp: TIMESTAMP, expirationSeconds }),
      ).toThrow(new RangeError('expirationSeconds must be a positive integer'))
    },
  )

  it.each(['', 'ak/with/slashes'])('refuses access key ID %j', (accessKeyId) => {
    expect(() =>
      sign(bindRequest(), { ...credentials, accessKeyId }, { timestamp: TIMESTAMP }),
    ).toThrow(RangeError)
  })

  it('refuses a timestamp it cannot format', () => {
    expect(() => sign(bindRequest(), credentials, { timestamp: new Date(Number.NaN) })).toThrow(
      RangeError,
    )
  })

  it('refuses a request whose host would not be signed', () => {
    const error = new RangeError('The host header must be present and signed')
    const { Host: _host, ...noHost } = bindRequest().headers
    expect(() =>
      sign({ ...bindRequest(), headers: noHost }, credentials, { timestamp: TIMESTAMP }),
    ).toThrow(error)
    expect(() =>
      sign({ ...bindRequest(), headers: { ...noHost, host: '  ' } }, credentials, {
        timestamp: TIMESTAMP,
      }),
    ).toThrow(error)
    expect(() =>
      sign(bindRequest(), credentials, { timestamp: TIMESTAMP, headersToSign: ['content-type'] }),
    ).toThrow(error)
  })

  it('depends on the values of headersToSign, not on the array: a list changed after a call is signed as it is now', () => {
    const request = { ...bindRequest(), headers: { ...bindRequest().headers, 'x-extra': 'e' } }
    const headersToSign = ['host']
    const before = sign(request, credentials, { timestamp: TIMESTAMP, headersToSign })
    headersToSign.push('x-extra')
    const after = sign(request, credentials, { timestamp: TIMESTAMP, headersToSign })
    const fresh = sign(request, credentials, {
      timestamp: TIMESTAMP,
      headersToSign: ['host', 'x-extra'],
    })
    expect(after).toBe(fresh)
    expect(after).not.toBe(before)
    expect(after.split('/')[4]).toBe('host;x-bce-date;x-extra')
  })

  it('depends on the values of the request, not on the object: a request changed after a call is signed as it is now', () => {
    const request = bindRequest()
    const signatures = [sign(request, credentials, { timestamp: TIMESTAMP })]
    for (const change of [
      () => {
        request.path = '/v2/instance/i-Web2Demo'
      },
      () => {
        request.headers['Content-Length'] = '34'
      },
    ]) {
      change()
      const signature = sign(request, credentials, { timestamp: TIMESTAMP })
      expect(signature).toBe(official(request))
      signatures.push(signature)
    }
    expect(new Set(signatures).size).toBe(3)
  })
})
