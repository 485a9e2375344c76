import { describe, expect, it } from 'vitest'
import { sign } from '../../lib/bce/signer.js'
import type { SignableRequest, VerifyResult } from '../../lib/bce/types.js'
import { verify } from '../../lib/bce/verify.js'
import { OfficialAuth } from './support/officialSdk.js'

const AK = 'f81d3b34e48048fbb2634dc7882d7e21'
const SK = '9a1f3e2c7b6d4e8f0a1b2c3d4e5f6a7b'
const SIGNED_AT = new Date('2026-11-29T02:22:39Z')
const SIGNED_AT_SECONDS = SIGNED_AT.getTime() / 1000
const EXPIRATION_SECONDS = 1800
const MS = 1000
const EXPIRES_AT = new Date(SIGNED_AT.getTime() + EXPIRATION_SECONDS * MS)
const NOW = new Date(SIGNED_AT.getTime() + 5 * MS)

const lookupSecret = (accessKeyId: string): string | undefined =>
  accessKeyId === AK ? SK : undefined

// A fresh request per test, so tampering in one test cannot leak into another.
const bindRequest = (): SignableRequest => ({
  method: 'PUT',
  path: '/v2/instance/i-YufwpQAe',
  query: { bind: '', clientToken: 'c-1' },
  headers: {
    Host: 'bcc.bj.baidubce.com',
    'Content-Type': 'application/json',
    'Content-Length': '33',
    'x-bce-date': '2026-11-29T02:22:39Z',
  },
})

const officialSign = (request: SignableRequest, headersToSign?: string[]): string =>
  new OfficialAuth(AK, SK).generateAuthorization(
    request.method,
    request.path,
    request.query ?? {},
    request.headers,
    SIGNED_AT_SECONDS,
    EXPIRATION_SECONDS,
    headersToSign,
  )

const SIGNED = officialSign(bindRequest(), ['host', 'content-type', 'x-bce-date'])
const SIGNATURE = SIGNED.slice(SIGNED.lastIndexOf('/') + 1)

// Replaces one of the six fields of an Authorization header.
const withField = (header: string, index: number, value: string): string => {
  const fields = header.split('/')
  fields[index] = value
  return fields.join('/')
}

// Changes one character, keeping the string's length and alphabet.
const changeOneChar = (text: string, index: number): string => {
  const char = text[index]
  const replacement = char === 'a' ? 'b' : 'a'
  return text.slice(0, index) + replacement + text.slice(index + 1)
}

const verifyAt = (request: SignableRequest, authorization: string | undefined, now = NOW) =>
  verify(request, authorization, lookupSecret, now)

const failure = (reason: string) => expect.objectContaining({ ok: false, reason })

describe('verify', () => {
  describe('accepts', () => {
    it('a request the official SDK signed', () => {
      expect(verifyAt(bindRequest(), SIGNED)).toEqual({
        ok: true,
        accessKeyId: AK,
        signedHeaders: ['content-type', 'host', 'x-bce-date'],
        timestamp: SIGNED_AT,
        expiresAt: EXPIRES_AT,
      })
    })

    it('a request our signer signed', () => {
      const authorization = sign(
        bindRequest(),
        { accessKeyId: AK, secretAccessKey: SK },
        {
          timestamp: SIGNED_AT,
        },
      )
      expect(verifyAt(bindRequest(), authorization)).toMatchObject({ ok: true })
    })

    it('the // form, rebuilt from the default set plus the x-bce- headers', () => {
      const explicit = officialSign(bindRequest())
      const defaultForm = withField(explicit, 4, '')
      expect(verifyAt(bindRequest(), defaultForm)).toMatchObject({
        ok: true,
        signedHeaders: ['content-length', 'content-type', 'host', 'x-bce-date'],
      })
    })

    it('header names in any case, and unsigned headers added on the way', () => {
      const request = bindRequest()
      const { Host: host, ...rest } = request.headers
      const headers = { ...rest, HOST: host ?? '', 'User-Agent': 'proxy', 'Content-Length': '34' }
      expect(verifyAt({ ...request, headers }, SIGNED)).toMatchObject({ ok: true })
    })

    it('from the signing time up to the expiry, both included', () => {
      expect(verifyAt(bindRequest(), SIGNED, SIGNED_AT)).toMatchObject({ ok: true })
      expect(verifyAt(bindRequest(), SIGNED, EXPIRES_AT)).toMatchObject({ ok: true })
    })

    it('a signing time up to 900 s ahead of the server clock', () => {
      const early = new Date(SIGNED_AT.getTime() - 900 * MS)
      expect(verifyAt(bindRequest(), SIGNED, early)).toMatchObject({ ok: true })
    })
  })

  describe('refuses tampering with SignatureDoesNotMatch', () => {
    it.each<[string, (r: SignableRequest) => SignableRequest]>([
      ['one byte of the path', (r) => ({ ...r, path: changeOneChar(r.path, 5) })],
      ['one byte of a query value', (r) => ({ ...r, query: { ...r.query, clientToken: 'c-2' } })],
      ['an added query parameter', (r) => ({ ...r, query: { ...r.query, force: 'true' } })],
      [
        'one byte of a signed header value',
        (r) => ({ ...r, headers: { ...r.headers, 'Content-Type': 'application/jsoN' } }),
      ],
      [
        'a signed header removed',
        (r) => {
          const { 'Content-Type': _removed, ...headers } = r.headers
          return { ...r, headers }
        },
      ],
      [
        'an unsigned x-bce- header added',
        (r) => ({ ...r, headers: { ...r.headers, 'x-bce-request-id': 'r-1' } }),
      ],
      ['the method', (r) => ({ ...r, method: 'POST' })],
    ])('%s', (_case, tamper) => {
      expect(verifyAt(tamper(bindRequest()), SIGNED)).toEqual(failure('SignatureDoesNotMatch'))
    })

    it('one character of the signature', () => {
      const tampered = withField(SIGNED, 5, changeOneChar(SIGNATURE, 0))
      expect(verifyAt(bindRequest(), tampered)).toEqual(failure('SignatureDoesNotMatch'))
    })

    it('a shorter signed-header list', () => {
      const tampered = withField(SIGNED, 4, 'host;x-bce-date')
      expect(verifyAt(bindRequest(), tampered)).toEqual(failure('SignatureDoesNotMatch'))
    })

    it('the // form when the signer signed fewer than the default set', () => {
      const tampered = withField(SIGNED, 4, '')
      expect(verifyAt(bindRequest(), tampered)).toEqual(failure('SignatureDoesNotMatch'))
    })

    it('a different expiration or timestamp in the header', () => {
      expect(verifyAt(bindRequest(), withField(SIGNED, 3, '1801'))).toEqual(
        failure('SignatureDoesNotMatch'),
      )
      expect(verifyAt(bindRequest(), withField(SIGNED, 2, '2026-11-29T02:22:40Z'))).toEqual(
        failure('SignatureDoesNotMatch'),
      )
    })
  })

  describe('refuses an unusable header with InvalidHTTPAuthHeader', () => {
    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['garbage', 'garbage'],
      ['another scheme', `AWS4-HMAC-SHA256 ${SIGNED}`],
      ['version 2', withField(SIGNED, 0, 'bce-auth-v2')],
      ['a bad timestamp', withField(SIGNED, 2, '2026-11-29 02:22:39')],
      ['a zero expiration', withField(SIGNED, 3, '0')],
      ['upper-case signed headers', withField(SIGNED, 4, 'Content-Type;Host;X-Bce-Date')],
      ['a short signature', withField(SIGNED, 5, SIGNATURE.slice(1))],
      ['a trailing field', `${SIGNED}/`],
    ])('%s', (_case, authorization) => {
      expect(verifyAt(bindRequest(), authorization)).toEqual(failure('InvalidHTTPAuthHeader'))
    })

    it('a signed-header list without host, even with a valid signature', () => {
      const withoutHost = officialSign(bindRequest(), ['x-bce-date'])
      expect(withoutHost).toContain('/x-bce-date/')
      expect(verifyAt(bindRequest(), withoutHost)).toEqual({
        ok: false,
        reason: 'InvalidHTTPAuthHeader',
        message: 'The signed headers must include host',
      })
    })

    it('before looking up the access key', () => {
      const unknownAndMalformed = withField(withField(SIGNED, 1, 'unknown'), 3, 'x')
      expect(verifyAt(bindRequest(), unknownAndMalformed)).toEqual(failure('InvalidHTTPAuthHeader'))
    })
  })

  describe('refuses an unknown access key with InvalidAccessKeyId', () => {
    it('and asks the lookup for exactly the header AK', () => {
      const asked: string[] = []
      const lookup = (accessKeyId: string) => {
        asked.push(accessKeyId)
        return undefined
      }
      expect(verify(bindRequest(), SIGNED, lookup, NOW)).toEqual(failure('InvalidAccessKeyId'))
      expect(asked).toEqual([AK])
    })

    it('before checking the time', () => {
      const late = new Date(EXPIRES_AT.getTime() + MS)
      expect(verifyAt(bindRequest(), withField(SIGNED, 1, 'unknown'), late)).toEqual(
        failure('InvalidAccessKeyId'),
      )
    })
  })

  describe('refuses with RequestExpired', () => {
    it('a request after its expiry', () => {
      const late = new Date(EXPIRES_AT.getTime() + 1)
      expect(verifyAt(bindRequest(), SIGNED, late)).toEqual({
        ok: false,
        reason: 'RequestExpired',
        message: 'The signature expired at 2026-11-29T02:52:39.000Z',
      })
    })

    it('a signing time more than 900 s ahead of the server clock', () => {
      const early = new Date(SIGNED_AT.getTime() - 900 * MS - 1)
      expect(verifyAt(bindRequest(), SIGNED, early)).toEqual({
        ok: false,
        reason: 'RequestExpired',
        message: 'The signing time lies more than 900 s ahead of the server clock',
      })
    })

    it('with a tolerance of its own', () => {
      const early = new Date(SIGNED_AT.getTime() - 10 * MS)
      const lenient = verify(bindRequest(), SIGNED, lookupSecret, early, {
        maxFutureSkewSeconds: 10,
      })
      const strict = verify(bindRequest(), SIGNED, lookupSecret, early, {
        maxFutureSkewSeconds: 9,
      })
      expect(lenient).toMatchObject({ ok: true })
      expect(strict).toEqual(failure('RequestExpired'))
    })

    it('before comparing signatures', () => {
      const late = new Date(EXPIRES_AT.getTime() + MS)
      const tampered = { ...bindRequest(), path: '/v2/instance/i-other' }
      expect(verifyAt(tampered, SIGNED, late)).toEqual(failure('RequestExpired'))
    })
  })

  it('never puts the secret or a signature into a failure message', () => {
    const late = new Date(EXPIRES_AT.getTime() + MS)
    const wrongSignature = changeOneChar(SIGNATURE, 0)
    const expectedForTampered = officialSign({ ...bindRequest(), path: '/x' }, [
      'host',
      'content-type',
      'x-bce-date',
    ]).slice(-64)
    const results: VerifyResult[] = [
      verifyAt(bindRequest(), undefined),
      verifyAt(bindRequest(), `${SIGNED}x`),
      verifyAt(bindRequest(), officialSign(bindRequest(), ['x-bce-date'])),
      verifyAt(bindRequest(), withField(SIGNED, 1, 'unknown')),
      verifyAt(bindRequest(), SIGNED, late),
      verifyAt(bindRequest(), SIGNED, new Date(0)),
      verifyAt({ ...bindRequest(), path: '/x' }, SIGNED),
      verifyAt(bindRequest(), withField(SIGNED, 5, wrongSignature)),
    ]
    for (const result of results) {
      expect(result.ok).toBe(false)
      const message = result.ok ? '' : result.message
      for (const secret of [SK, SIGNATURE, wrongSignature, expectedForTampered]) {
        expect(message).not.toContain(secret)
      }
    }
  })

  it('throws on an invalid clock or tolerance instead of accepting', () => {
    expect(() => verifyAt(bindRequest(), SIGNED, new Date(Number.NaN))).toThrow(RangeError)
    for (const maxFutureSkewSeconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() =>
        verify(bindRequest(), SIGNED, lookupSecret, NOW, { maxFutureSkewSeconds }),
      ).toThrow(RangeError)
    }
  })
})
