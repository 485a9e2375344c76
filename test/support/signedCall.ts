import { formatTimestamp } from '../../lib/bce/authorization.js'
import { uriEncode } from '../../lib/bce/canonical.js'
import { sign } from '../../lib/bce/signer.js'
import { OfficialAuth } from '../bce/support/officialSdk.js'
import { type RawResponse, sendRaw } from './rawHttp.js'

/** A BCC call before it is signed. Paths and query keys use unreserved characters only. */
export interface Call {
  method: string
  path: string
  query?: Record<string, string>
  body?: string
  /** Extra headers, signed like the rest (every `x-bce-` one always is). */
  headers?: Record<string, string>
}

/** An AK/SK pair, with a session token for temporary credentials. */
export interface KeyPair {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** `?bind&maxKeys=2`: a value-less parameter as a bare key, the rest percent-encoded. */
export function queryString(query: Record<string, string> = {}): string {
  const items = Object.entries(query).map(([key, value]) =>
    value === '' ? uriEncode(key) : `${uriEncode(key)}=${uriEncode(value)}`,
  )
  return items.length === 0 ? '' : `?${items.join('&')}`
}

/** The headers a BCC client sends: host, x-bce-date, the JSON content type and length. */
export function baseHeaders(
  url: string,
  call: Call,
  signedAt: Date,
  credentials: KeyPair,
): Record<string, string> {
  const headers: Record<string, string> = {
    host: new URL(url).host,
    'content-type': 'application/json; charset=utf-8',
    'x-bce-date': formatTimestamp(signedAt),
    ...call.headers,
  }
  if (call.body !== undefined) headers['content-length'] = String(Buffer.byteLength(call.body))
  if (credentials.sessionToken !== undefined) {
    headers['x-bce-security-token'] = credentials.sessionToken
  }
  return headers
}

/** The Authorization value from the official @baiducloud/sdk signer. */
function sdkAuthorization(
  credentials: KeyPair,
  call: Call,
  headers: Record<string, string>,
  signedAt: Date,
  headersToSign?: string[],
): string {
  return new OfficialAuth(
    credentials.accessKeyId,
    credentials.secretAccessKey,
  ).generateAuthorization(
    call.method,
    call.path,
    call.query ?? {},
    headers,
    Math.floor(signedAt.getTime() / 1000),
    1800,
    headersToSign,
  )
}

/** The Authorization value from our signer (lib/bce). */
export function ourAuthorization(
  credentials: KeyPair,
  call: Call,
  headers: Record<string, string>,
  signedAt: Date,
  headersToSign?: string[],
): string {
  return sign(
    { method: call.method, path: call.path, query: call.query ?? {}, headers },
    credentials,
    {
      timestamp: signedAt,
      ...(headersToSign === undefined ? {} : { headersToSign }),
    },
  )
}

/** How {@link signedCall} signs and what it may change afterwards. */
export interface SignedCallOptions {
  credentials: KeyPair
  signer?: 'sdk' | 'ours'
  signedAt?: Date
  headersToSign?: string[]
  /** Changes the request after signing (a tampered byte, a removed header). */
  tamper?: (sent: { call: Call; headers: Record<string, string> }) => void
}

/** Signs a call (with the official SDK by default), sends it and reads the answer. */
export function signedCall(
  url: string,
  call: Call,
  options: SignedCallOptions,
): Promise<RawResponse> {
  const signedAt = options.signedAt ?? new Date()
  const headers = baseHeaders(url, call, signedAt, options.credentials)
  const authorize = options.signer === 'ours' ? ourAuthorization : sdkAuthorization
  headers.authorization = authorize(
    options.credentials,
    call,
    headers,
    signedAt,
    options.headersToSign,
  )
  const sent = { call: { ...call, query: { ...call.query } }, headers }
  options.tamper?.(sent)
  return sendRaw(url, {
    method: sent.call.method,
    target: `${sent.call.path}${queryString(sent.call.query)}`,
    headers: sent.headers,
    ...(sent.call.body === undefined ? {} : { body: sent.call.body }),
  })
}
