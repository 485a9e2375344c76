import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatAuthStringPrefix } from '../../lib/bce/authorization.js'
import {
  canonicalHeaders,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
} from '../../lib/bce/canonical.js'
import { DEFAULT_HEADERS_TO_SIGN } from '../../lib/bce/constants.js'
import { deriveSigningKey, hmacSha256Hex, sign } from '../../lib/bce/signer.js'
import type { SignableRequest, SignOptions } from '../../lib/bce/types.js'
import { verify } from '../../lib/bce/verify.js'

interface Vector {
  name: string
  accessKeyId: string
  secretAccessKey: string
  timestamp: string
  expirationSeconds: number
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  headersToSign?: string[]
  expected: {
    canonicalRequest: string
    signingKey: string
    signature: string
    authorization: string
    publishedAuthorization?: string
  }
}

// Baidu's published example and cases computed by the official JS and Python SDKs, which
// agree: see test/fixtures/README.md.
const VECTORS_URL = new URL('../fixtures/bce-auth-v1-vectors.json', import.meta.url)
const vectors = JSON.parse(readFileSync(VECTORS_URL, 'utf8')) as Vector[]

const requestOf = (v: Vector): SignableRequest => ({
  method: v.method,
  path: v.path,
  query: v.query,
  headers: v.headers,
})

const optionsOf = (v: Vector): SignOptions => ({
  timestamp: new Date(v.timestamp),
  expirationSeconds: v.expirationSeconds,
  ...(v.headersToSign === undefined ? {} : { headersToSign: v.headersToSign }),
})

const prefixOf = (v: Vector): string =>
  formatAuthStringPrefix(v.accessKeyId, new Date(v.timestamp), v.expirationSeconds)

const canonicalRequestOf = (v: Vector): string =>
  canonicalRequest(
    v.method,
    canonicalUri(v.path),
    canonicalQuery(v.query),
    canonicalHeaders(v.headers, v.headersToSign ?? DEFAULT_HEADERS_TO_SIGN).canonical,
  )

const ONE_SECOND_MS = 1000
const justAfter = (v: Vector): Date => new Date(Date.parse(v.timestamp) + ONE_SECOND_MS)
const secretOf = (v: Vector) => (ak: string) =>
  ak === v.accessKeyId ? v.secretAccessKey : undefined

describe('bce-auth-v1 vectors from the official SDKs', () => {
  it('covers all eight vectors', () => {
    expect(vectors).toHaveLength(8)
  })

  describe.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    it('signs to exactly the expected Authorization header', () => {
      const credentials = { accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey }
      expect(sign(requestOf(v), credentials, optionsOf(v))).toBe(v.expected.authorization)
    })

    it('builds the expected canonical request from the helpers', () => {
      expect(canonicalRequestOf(v)).toBe(v.expected.canonicalRequest)
    })

    it('derives the expected signing key', () => {
      expect(deriveSigningKey(v.secretAccessKey, prefixOf(v))).toBe(v.expected.signingKey)
    })

    it('computes the expected signature', () => {
      expect(hmacSha256Hex(v.expected.signingKey, canonicalRequestOf(v))).toBe(v.expected.signature)
    })

    it('verifies the expected Authorization header', () => {
      const result = verify(requestOf(v), v.expected.authorization, secretOf(v), justAfter(v))
      expect(result).toMatchObject({ ok: true, accessKeyId: v.accessKeyId })
    })
  })
})

const withPublished = vectors.flatMap((v) =>
  v.expected.publishedAuthorization === undefined
    ? []
    : [[v.name, v, v.expected.publishedAuthorization] as const],
)

describe('the published form with the empty signed-header list', () => {
  it('appears in at least one vector', () => {
    expect(withPublished.length).toBeGreaterThan(0)
  })

  it.each(withPublished)('%s: verifies against the default set', (_name, v, published) => {
    expect(published).toContain('//')
    const result = verify(requestOf(v), published, secretOf(v), justAfter(v))
    expect(result).toEqual({
      ok: true,
      accessKeyId: v.accessKeyId,
      // The same headers the explicit form lists: the default set plus x-bce-date.
      signedHeaders: v.expected.authorization.split('/')[4]?.split(';'),
      timestamp: new Date(v.timestamp),
      expiresAt: new Date(Date.parse(v.timestamp) + v.expirationSeconds * ONE_SECOND_MS),
    })
  })
})
