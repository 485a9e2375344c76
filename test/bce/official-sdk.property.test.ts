import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sign } from '../../lib/bce/signer.js'
import type { SignableRequest } from '../../lib/bce/types.js'
import { verify } from '../../lib/bce/verify.js'
import { PROPERTY_SEED } from '../support/propertySeed.js'
import { OfficialAuth } from './support/officialSdk.js'

const NUM_RUNS = 1000
const MS = 1000
// Four-digit years only: 1970-01-01T00:00:01Z (the SDK reads 0 as "now") to 9999-12-31.
const MAX_TIMESTAMP_SECONDS = 253_402_300_799

// Where the SDK's quirks do not apply: it encodes neither the path nor query keys, so those
// come from unreserved characters (plus / in paths); it does not trim or split names, so
// header names are lower-case, unique and without whitespace; it does not upper-case the
// method, so methods are upper case.
const unreserved = fc.constantFrom(
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~',
)
const pathChar = fc.oneof(unreserved, fc.constant('/'))
const nameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.~')
const tricky = fc.constantFrom(
  ...[' ', '\t', '\u00a0', '\u3000', '!', "'", '(', ')', '*', '/', '~', '%', '+', '=', '&', ':'],
  ...['ä', '测', '😀', 'é', 'Ω', '\u0000', '\n'],
)

const method = fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS')
// Random paths, and the BCC calls the client makes (the batch calls of enterprise groups too).
const path = fc.oneof(
  fc.string({ unit: pathChar, maxLength: 40 }).map((p) => `/${p}`),
  fc.constantFrom(
    '/v2/securitygroup/bind',
    '/v2/securitygroup/unbind',
    '/v2/instance/i-YufwpQAe',
    '/v2/securityGroup',
  ),
)
const value = fc.oneof(
  fc.constant(''),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.oneof(unreserved, tricky), maxLength: 20 }),
)
// A `clientToken` is up to 64 printable ASCII characters (ours: `bsb-` and hex digits).
const printable = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code))
const clientToken = fc.oneof(
  fc.string({ unit: printable, minLength: 1, maxLength: 64 }),
  fc.stringMatching(/^bsb-[0-9a-f]{60}$/),
  fc.uuid().map((uuid) => `bsb-r-${uuid}`),
)
const query = fc.oneof(
  fc.dictionary(fc.string({ unit: unreserved, maxLength: 10 }), value, { maxKeys: 6 }),
  clientToken.map((token) => ({ clientToken: token })),
  fc.constantFrom({ bind: '' }, { unbind: '' }),
  fc.record({
    vpcId: fc.constant('vpc-2pa2x0bjt26i'),
    maxKeys: fc.constant('20'),
    marker: fc.string({ unit: printable, maxLength: 20 }),
  }),
)

const headerName = fc.oneof(
  fc.constantFrom('content-type', 'content-length', 'content-md5', 'date', 'user-agent'),
  fc.string({ unit: nameChar, minLength: 1, maxLength: 12 }),
  fc.string({ unit: nameChar, maxLength: 12 }).map((n) => `x-bce-${n}`),
)
const hostValue = fc.oneof(
  fc.constantFrom('bcc.bj.baidubce.com', '127.0.0.1:8787', ' bcc.gz.baidubce.com '),
  fc.string({ unit: nameChar, minLength: 1, maxLength: 20 }),
)

// Host is always present and signed (our signer refuses otherwise; the SDK does not care).
const headers = fc
  .tuple(hostValue, fc.dictionary(headerName, value, { maxKeys: 8 }))
  .map(([host, rest]) => ({ ...rest, host }))

const mixCase = (name: string, upper: boolean): string => (upper ? name.toUpperCase() : name)

const headersToSign = (names: string[]) =>
  fc.option(
    fc
      .tuple(
        fc.subarray([...names, 'content-md5', 'x-bce-absent', 'accept']),
        fc.boolean(),
        fc.boolean(),
      )
      .map(([picked, upper, hostFirst]) =>
        // Host stays in the list, in some position and case; the rest in any case.
        (hostFirst ? ['host', ...picked] : [...picked, 'host']).map((n) => mixCase(n, upper)),
      ),
    { nil: undefined },
  )

interface SignCase {
  request: SignableRequest
  headersToSign: string[] | undefined
  timestampSeconds: number
  expirationSeconds: number
  accessKeyId: string
  secretAccessKey: string
}

const signable: fc.Arbitrary<SignCase> = fc
  .record({ method, path, query, headers })
  .chain((request: SignableRequest) =>
    fc.record({
      request: fc.constant(request),
      headersToSign: headersToSign(Object.keys(request.headers)),
      timestampSeconds: fc.integer({ min: 1, max: MAX_TIMESTAMP_SECONDS }),
      expirationSeconds: fc.integer({ min: 1, max: 2 ** 31 }),
      accessKeyId: fc.string({ unit: unreserved, minLength: 1, maxLength: 32 }),
      secretAccessKey: fc.string({ unit: 'binary', maxLength: 40 }),
    }),
  )

const officialSign = (c: SignCase): string =>
  new OfficialAuth(c.accessKeyId, c.secretAccessKey).generateAuthorization(
    c.request.method,
    c.request.path,
    c.request.query ?? {},
    c.request.headers,
    c.timestampSeconds,
    c.expirationSeconds,
    c.headersToSign,
  )

// The SDK collects the names to sign as keys of a plain object (`headersMap[name] = true` in
// headersCanonicalization, @baiducloud/sdk/src/auth.js). Assigning to the key `__proto__` sets
// that object's prototype instead, so the SDK never signs a header named `__proto__`, even when
// asked to. Our signer signs it like any other header, as a server reading the request sees it
// (pinned below). Other names of Object.prototype (`constructor`, `toString`, ...) are ordinary
// keys there and stay in the comparison.
const isProto = (name: string) => name.toLowerCase() === '__proto__'
const sdkCanRepresent = (c: SignCase): boolean =>
  !((c.headersToSign ?? []).some(isProto) && Object.keys(c.request.headers ?? {}).some(isProto))

describe('agreement with the official Baidu JavaScript SDK', () => {
  it('sign() produces exactly the header the SDK generates', () => {
    fc.assert(
      fc.property(signable, (c) => {
        fc.pre(sdkCanRepresent(c))
        const ours = sign(
          c.request,
          { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
          {
            timestamp: new Date(c.timestampSeconds * MS),
            expirationSeconds: c.expirationSeconds,
            ...(c.headersToSign === undefined ? {} : { headersToSign: c.headersToSign }),
          },
        )
        expect(ours).toBe(officialSign(c))
      }),
      { numRuns: NUM_RUNS, seed: PROPERTY_SEED },
    )
  })

  it('verify() accepts every request the SDK signed, within its validity window', () => {
    fc.assert(
      fc.property(signable, fc.double({ min: 0, max: 1, noNaN: true }), (c, position) => {
        const offsetMs = Math.floor(position * c.expirationSeconds * MS)
        const now = new Date(c.timestampSeconds * MS + offsetMs)
        const lookup = (ak: string) => (ak === c.accessKeyId ? c.secretAccessKey : undefined)
        const result = verify(c.request, officialSign(c), lookup, now)
        expect(result).toMatchObject({ ok: true, accessKeyId: c.accessKeyId })
      }),
      { numRuns: NUM_RUNS, seed: PROPERTY_SEED },
    )
  })
})

describe('a header named __proto__, which the SDK cannot sign', () => {
  // JSON.parse makes `__proto__` an own key, as headers parsed from a request have it.
  const headersWith = (value: string): Record<string, string> =>
    JSON.parse(`{"host":"bcc.bj.baidubce.com","__proto__":${JSON.stringify(value)}}`)
  const headersToSign = ['host', '__proto__']
  const timestampSeconds = 1_700_000_000
  const protoCase: SignCase = {
    request: { method: 'GET', path: '/', query: {}, headers: headersWith('a') },
    headersToSign,
    timestampSeconds,
    expirationSeconds: 1800,
    accessKeyId: 'ak',
    secretAccessKey: 'sk',
  }
  const ours = sign(
    protoCase.request,
    { accessKeyId: 'ak', secretAccessKey: 'sk' },
    { timestamp: new Date(timestampSeconds * MS), headersToSign },
  )
  const lookup = (ak: string) => (ak === 'ak' ? 'sk' : undefined)
  const during = new Date((timestampSeconds + 1) * MS)

  it('is left out of the comparison only because the SDK drops it', () => {
    expect(sdkCanRepresent(protoCase)).toBe(false)
    expect(officialSign(protoCase).split('/')[4]).toBe('host')
  })

  it('is signed by ours like any other header, and a server checks its value', () => {
    expect(ours.split('/')[4]).toBe('__proto__;host')
    expect(verify(protoCase.request, ours, lookup, during)).toMatchObject({
      ok: true,
      signedHeaders: ['__proto__', 'host'],
    })
    const altered = { ...protoCase.request, headers: headersWith('b') }
    expect(verify(altered, ours, lookup, during)).toMatchObject({
      ok: false,
      reason: 'SignatureDoesNotMatch',
    })
  })
})
