import { formatTimestamp } from '../bce/authorization.js'
import { uriEncode } from '../bce/canonical.js'
import { sign } from '../bce/signer.js'
import type { Credentials } from '../bce/types.js'
import { type Clock, systemClock } from '../clock.js'
import { ValidationError } from '../errors/catalogue.js'
import { PRODUCT_NAME, PRODUCT_VERSION } from '../version.js'
import { CONTENT_TYPE_JSON, HEADER } from './constants.js'
import { BccAttemptTimeout, BccUnexpectedAnswer, toNetworkError } from './errors.js'
import { InstanceDetailSchema } from './responseSchemas.js'
import {
  bceRequestIdOf,
  isRedirectStatus,
  isSuccessStatus,
  MAX_RESPONSE_BYTES,
  parseJson,
  REQUEST_ID_HEADER,
  readBodyUpTo,
  redactSecrets,
  toServiceError,
} from './responses.js'
import { DEFAULT_RETRY_POLICY } from './retry.js'
import { type HttpResponseLike, type HttpTransport, sharedTransport } from './transport.js'

/**
 * Every header the client sends is signed (`x-bce-security-token` too, as every `x-bce-`
 * header is). One constant list, so the signer can reuse its normalised form.
 */
const SIGNED_HEADERS: readonly string[] = [
  HEADER.host,
  HEADER.contentType,
  HEADER.contentLength,
  HEADER.bceDate,
  HEADER.userAgent,
]

/** The `user-agent` of every request: this project, its version and the runtime. */
export const USER_AGENT = `${PRODUCT_NAME}/${PRODUCT_VERSION} (node/${process.versions.node}; ${process.platform}-${process.arch})`

/** How to reach BCC and as whom. */
export interface BccClientOptions {
  /** The origin to call, such as `https://bcc.bj.baidubce.com` (see `regionEndpoint`). */
  endpoint: string
  credentials: Credentials
  /** Defaults to the process-wide node-fetch transport with keep-alive agents. */
  transport?: HttpTransport
  /** Per-attempt timeout when a call does not give one. */
  timeoutMs?: number
  clock?: Clock
}

/** Options of one attempt. */
interface AttemptOptions {
  /** This attempt's timeout, in milliseconds; the retry loop shortens it near the deadline. */
  timeoutMs?: number
}

/** A successful call: what it returned and BCE's request id. */
interface BceCallResult<T> {
  value: T
  status: number
  requestId: string | undefined
}

/** One signed attempt per call; retrying is the caller's decision (see `retry`). */
export interface BccClient {
  readonly endpoint: string
  /** `PUT /v2/instance/{instanceId}?bind` with `{"securityGroupId": ...}`. */
  bindSecurityGroup(
    instanceId: string,
    securityGroupId: string,
    options?: AttemptOptions,
  ): Promise<BceCallResult<undefined>>
  /** `GET /v2/instance/{instanceId}`, returning `instance.nicInfo.securityGroups`. */
  getInstanceSecurityGroups(
    instanceId: string,
    options?: AttemptOptions,
  ): Promise<BceCallResult<string[]>>
}

interface Call {
  method: 'GET' | 'PUT'
  path: string
  query: Record<string, string>
  body: string
}

/**
 * Creates a BCC client. Each attempt gets a fresh `x-bce-date` and signature; every header it
 * sends is signed.
 *
 * @throws nothing itself; its calls reject with `BccErrorAnswer`, `BccNetworkError`,
 * `BccAttemptTimeout`, `BccUnexpectedAnswer` (also for a redirect, or a body over
 * {@link MAX_RESPONSE_BYTES}), or `ValidationError` for an id that would not be safe in a path.
 */
export function createBccClient(options: BccClientOptions): BccClient {
  const transport = options.transport ?? sharedTransport()
  const clock = options.clock ?? systemClock
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_RETRY_POLICY.attemptTimeoutMs
  const { credentials } = options
  const host = new URL(options.endpoint).host
  const redact = (text: string) =>
    redactSecrets(text, [
      credentials.secretAccessKey,
      credentials.sessionToken,
      credentials.accessKeyId,
    ])

  async function send(call: Call, timeoutMs: number, readBody: boolean) {
    const now = new Date(clock.now())
    const headers: Record<string, string> = {
      [HEADER.host]: host,
      [HEADER.contentType]: CONTENT_TYPE_JSON,
      [HEADER.contentLength]: String(Buffer.byteLength(call.body)),
      [HEADER.bceDate]: formatTimestamp(now),
      [HEADER.userAgent]: USER_AGENT,
    }
    if (credentials.sessionToken !== undefined)
      headers[HEADER.securityToken] = credentials.sessionToken
    headers[HEADER.authorization] = sign(
      { method: call.method, path: call.path, query: call.query, headers },
      credentials,
      {
        timestamp: now,
        headersToSign: SIGNED_HEADERS,
      },
    )

    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    const failed = (error: unknown, during: 'request' | 'response body') =>
      controller.signal.aborted ? new BccAttemptTimeout(timeoutMs) : toNetworkError(error, during)
    try {
      let response: HttpResponseLike
      try {
        response = await transport(`${options.endpoint}${call.path}${queryString(call.query)}`, {
          method: call.method,
          headers,
          ...(call.body === '' ? {} : { body: call.body }),
          signal: controller.signal,
        })
      } catch (error) {
        throw failed(error, 'request')
      }
      const { status } = response
      const requestId = bceRequestIdOf(response.headers.get(REQUEST_ID_HEADER), redact)
      let text: string | undefined
      let bodyError: unknown
      let tooLarge = false
      try {
        text = await readBodyUpTo(response.body, MAX_RESPONSE_BYTES)
        tooLarge = text === undefined
      } catch (error) {
        bodyError = error
      }
      // Neither comes from BCC: like a proxy's HTML page, a passing fault to try again.
      if (tooLarge) {
        throw new BccUnexpectedAnswer(
          `BCC answered HTTP ${status} with a body over ${MAX_RESPONSE_BYTES} bytes, larger than any BCC answer`,
          { status, requestId },
        )
      }
      if (isRedirectStatus(status)) {
        throw new BccUnexpectedAnswer(
          `BCC answered HTTP ${status}, a redirect, which BCC never sends`,
          {
            status,
            requestId,
          },
        )
      }
      if (!isSuccessStatus(status)) throw toServiceError(response, text, clock.now(), redact)
      if (readBody && text === undefined) throw failed(bodyError, 'response body')
      return { status, requestId, text }
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    endpoint: options.endpoint,

    async bindSecurityGroup(instanceId, securityGroupId, attempt = {}) {
      assertBccIds({ instanceId, securityGroupId })
      const call: Call = {
        method: 'PUT',
        path: instancePath(instanceId),
        query: { bind: '' },
        body: JSON.stringify({ securityGroupId }),
      }
      // A 2xx means the bind was applied; a body cut short after it changes nothing.
      const { status, requestId, text } = await send(
        call,
        attempt.timeoutMs ?? defaultTimeoutMs,
        false,
      )
      // Every BCC answer carries a request id (published), and its API answers JSON: a 2xx
      // without the id, or with a markup page, came from something else on the way (a proxy,
      // a captive portal) and applied nothing. JSON cut short still came from BCC.
      if (requestId === undefined || (text !== undefined && isMarkup(text))) {
        throw new BccUnexpectedAnswer('BCC answered 2xx, but not as BCC answers', {
          status,
          requestId,
        })
      }
      return { value: undefined, status, requestId }
    },

    async getInstanceSecurityGroups(instanceId, attempt = {}) {
      assertBccIds({ instanceId })
      const call: Call = { method: 'GET', path: instancePath(instanceId), query: {}, body: '' }
      const { status, requestId, text } = await send(
        call,
        attempt.timeoutMs ?? defaultTimeoutMs,
        true,
      )
      const parsed = InstanceDetailSchema.safeParse(parseJson(text))
      if (!parsed.success) {
        throw new BccUnexpectedAnswer(
          'BCC instance detail has no instance.nicInfo.securityGroups list',
          {
            status,
            requestId,
          },
        )
      }
      return { value: parsed.data.instance.nicInfo.securityGroups, status, requestId }
    },
  }
}

function isMarkup(text: string): boolean {
  return text.trimStart().startsWith('<')
}

function instancePath(instanceId: string): string {
  return `/v2/instance/${uriEncode(instanceId)}`
}

/** `?bind` for a value-less parameter, as BCC's docs write it; values percent-encoded. */
function queryString(query: Record<string, string>): string {
  const parts = Object.entries(query).map(([key, value]) =>
    value === '' ? uriEncode(key) : `${uriEncode(key)}=${uriEncode(value)}`,
  )
  return parts.length === 0 ? '' : `?${parts.join('&')}`
}

/**
 * `i-` and 8 letters or digits, mixed case (`i-YufwpQAe`). The same pattern is in
 * `lib/schemas/ids.ts`, which is to import it from here.
 */
const INSTANCE_ID_PATTERN = /^i-[A-Za-z0-9]{8}$/

/** `g-` and 8 letters or digits (`g-nky7qeom`), or `g-` and 12 lower-case letters or digits. */
const SECURITY_GROUP_ID_PATTERN = /^g-(?:[A-Za-z0-9]{8}|[a-z0-9]{12})$/

/**
 * The client's own guard: an id goes into a URL path and a signed body, so one that is not a
 * well-formed BCC id never reaches the network, whoever calls the client.
 *
 * @throws {ValidationError} naming each bad id.
 */
function assertBccIds(ids: { instanceId: string; securityGroupId?: string }): void {
  const issues = []
  if (!INSTANCE_ID_PATTERN.test(ids.instanceId)) {
    issues.push({ field: 'instanceId', message: 'is not a BCC instance id' })
  }
  if (ids.securityGroupId !== undefined && !SECURITY_GROUP_ID_PATTERN.test(ids.securityGroupId)) {
    issues.push({ field: 'securityGroupId', message: 'is not a BCC security group id' })
  }
  if (issues.length > 0) throw new ValidationError('Invalid BCC call', issues)
}
