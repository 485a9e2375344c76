import { createHmac } from 'node:crypto'
import { createRequire } from 'node:module'
import { CONTENT_TYPE_JSON, HEADER, USER_AGENT } from '../lib/bcc/client.js'
import { formatAuthStringPrefix, formatTimestamp } from '../lib/bce/authorization.js'
import {
  canonicalHeaders,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
} from '../lib/bce/canonical.js'
import { sign } from '../lib/bce/signer.js'
import type { SignableRequest } from '../lib/bce/types.js'
import { BENCH_BIND, BENCH_CREDENTIALS } from './fixtures.js'
import { type Figure, figure } from './report.js'
import { median, nowMs } from './stats.js'

/** The official SDK's signer, as `@baiducloud/sdk/src/auth.js` defines it (CommonJS). */
interface OfficialAuth {
  generateAuthorization(
    method: string,
    resource: string,
    params: Record<string, string>,
    headers: Record<string, string>,
    timestampSeconds: number,
    expirationSeconds: number,
    headersToSign: string[],
  ): string
}
type OfficialAuthClass = new (ak: string, sk: string) => OfficialAuth

const ROUNDS = 15
/** Each timed run of one signer lasts about this long. */
const RUN_MS = 50
const EXPIRATION_SECONDS = 1800

/** A bind exactly as the BCC client signs it: every header it sends is signed. */
function bindRequest(timestamp: Date): SignableRequest {
  const body = JSON.stringify({ securityGroupId: BENCH_BIND.securityGroupId })
  return {
    method: 'PUT',
    path: `/v2/instance/${BENCH_BIND.instanceId}`,
    query: { bind: '' },
    headers: {
      [HEADER.host]: 'bcc.bj.baidubce.com',
      [HEADER.contentType]: CONTENT_TYPE_JSON,
      [HEADER.contentLength]: String(Buffer.byteLength(body)),
      [HEADER.bceDate]: formatTimestamp(timestamp),
      [HEADER.userAgent]: USER_AGENT,
    },
  }
}

const signatureOf = (authorization: string): string => authorization.slice(-64)

/** Times `iterations` calls of `run`, in microseconds per call. */
function microsPerCall(run: () => string, iterations: number): number {
  let sink = 0
  const start = nowMs()
  for (let i = 0; i < iterations; i++) sink += run().length
  const elapsed = nowMs() - start
  if (sink === 0) throw new Error('signer returned nothing')
  return (elapsed * 1000) / iterations
}

/**
 * Our `sign()` against the official SDK's signer and against the floor (the two HMAC-SHA256 our
 * signer must compute, over strings built once outside the loop), in µs per signature.
 */
export function benchSigning(): Figure[] {
  const Auth = createRequire(import.meta.url)('@baiducloud/sdk/src/auth.js') as OfficialAuthClass
  const official = new Auth(BENCH_CREDENTIALS.accessKeyId, BENCH_CREDENTIALS.secretAccessKey)
  const timestamp = new Date('2026-11-29T03:00:00Z')
  const request = bindRequest(timestamp)
  const headersToSign = Object.keys(request.headers)
  const { secretAccessKey } = BENCH_CREDENTIALS

  const prefix = formatAuthStringPrefix(
    BENCH_CREDENTIALS.accessKeyId,
    timestamp,
    EXPIRATION_SECONDS,
  )
  const canonical = canonicalRequest(
    request.method,
    canonicalUri(request.path),
    canonicalQuery(request.query ?? {}),
    canonicalHeaders(request.headers, headersToSign).canonical,
  )

  // A new second for every signature: the derived signing key can never be reused.
  const seconds = Array.from(
    { length: 4096 },
    (_, i) => new Date(timestamp.getTime() + (i + 1) * 1000),
  )
  let next = 0
  const signers: Record<'ours' | 'oursNewSecond' | 'official' | 'floor', () => string> = {
    ours: () =>
      sign(request, BENCH_CREDENTIALS, {
        timestamp,
        expirationSeconds: EXPIRATION_SECONDS,
        headersToSign,
      }),
    oursNewSecond: () =>
      sign(request, BENCH_CREDENTIALS, {
        timestamp: seconds[next++ % seconds.length] as Date,
        expirationSeconds: EXPIRATION_SECONDS,
        headersToSign,
      }),
    official: () =>
      official.generateAuthorization(
        request.method,
        request.path,
        request.query ?? {},
        request.headers,
        timestamp.getTime() / 1000,
        EXPIRATION_SECONDS,
        headersToSign,
      ),
    floor: () => {
      const signingKey = createHmac('sha256', secretAccessKey).update(prefix).digest('hex')
      return createHmac('sha256', signingKey).update(canonical).digest('hex')
    },
  }

  // The three that sign the same bytes must agree, or the comparison means nothing.
  const signatures = new Set(
    [signers.ours, signers.official, signers.floor].map((run) => signatureOf(run())),
  )
  if (signatures.size !== 1) throw new Error('ours, the official signer and the floor disagree')

  // Warm up (JIT), then size each run to about RUN_MS on this machine.
  const names = Object.keys(signers) as (keyof typeof signers)[]
  const iterations = Object.fromEntries(
    names.map((name) => {
      microsPerCall(signers[name], 20_000)
      const micros = microsPerCall(signers[name], 5_000)
      return [name, Math.max(1_000, Math.round((RUN_MS * 1000) / micros))]
    }),
  ) as Record<keyof typeof signers, number>

  // Interleaved rounds, the order rotating, so drift on a shared machine hits all three alike.
  const samples: Record<keyof typeof signers, number[]> = {
    ours: [],
    oursNewSecond: [],
    official: [],
    floor: [],
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length] as keyof typeof signers
      samples[name].push(microsPerCall(signers[name], iterations[name]))
    }
  }
  const ours = median(samples.ours)
  const note = `median of ${ROUNDS} interleaved runs of ~${RUN_MS} ms each`
  return [
    figure({
      section: 'signing',
      name: 'sign() vs two HMAC-SHA256 (same second: signing key reused)',
      unit: 'µs',
      value: ours,
      baseline: { name: 'floor', value: median(samples.floor) },
      goal: { text: '<= 1.5x', on: 'ratio', bound: 'max', limit: 1.5 },
      samples: ROUNDS,
      note,
    }),
    figure({
      section: 'signing',
      name: 'sign() vs two HMAC-SHA256 (a new second every signature)',
      unit: 'µs',
      value: median(samples.oursNewSecond),
      baseline: { name: 'floor', value: median(samples.floor) },
      goal: { text: '<= 1.5x', on: 'ratio', bound: 'max', limit: 1.5 },
      samples: ROUNDS,
      note,
    }),
    figure({
      section: 'signing',
      name: 'sign() vs @baiducloud/sdk',
      unit: 'µs',
      value: ours,
      baseline: { name: 'official', value: median(samples.official) },
      samples: ROUNDS,
      note,
    }),
  ]
}
