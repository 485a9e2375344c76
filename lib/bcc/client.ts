import { formatTimestamp } from '../bce/authorization.js'
import { uriEncode } from '../bce/canonical.js'
import { HEADER as SIGNED_HEADER } from '../bce/constants.js'
import { sign } from '../bce/signer.js'
import type { Credentials } from '../bce/types.js'
import { type Clock, systemClock } from '../clock.js'
import { ValidationError } from '../errors/catalogue.js'
import { BccAttemptTimeout, BccUnexpectedAnswer, toNetworkError } from './errors.js'
import {
  bceRequestIdOf,
  InstanceDetailSchema,
  isRedirectStatus,
  isSuccessStatus,
  MAX_RESPONSE_BYTES,
  parseJson,
  REQUEST_ID_HEADER,
  readBodyUpTo,
  redactSecrets,
  SecurityGroupListSchema,
  toServiceError,
} from './responses.js'
import { DEFAULT_RETRY_POLICY } from './retry.js'
import { type HttpResponseLike, type HttpTransport, sharedTransport } from './transport.js'

/** Header names the BCC client sends, lower-case as they are signed. */
export const HEADER = {
  ...SIGNED_HEADER,
  contentType: 'content-type',
  contentLength: 'content-length',
  userAgent: 'user-agent',
} as const

/** The content type BCC's docs publish for every request. */
export const CONTENT_TYPE_JSON = 'application/json; charset=utf-8'

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

/**
 * The `user-agent` of every request: this project and its version (package.json's `name` and
 * `version`, which a test keeps equal: a constant keeps JSON imports out of the bundles) and the
 * runtime.
 */
export const USER_AGENT = `bcc-sg-binder/0.1.0 (node/${process.versions.node}; ${process.platform}-${process.arch})`

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

/** What the instance detail tells about an instance's groups. */
export interface InstanceGroups {
  /** `Running`, `Expired`, ... (undefined when BCC leaves it out). */
  status: string | undefined
  vpcId: string | undefined
  /** `nicInfo.securityGroups`: regular groups. */
  securityGroups: string[]
  /** `nicInfo.enterpriseSecurityGroups`, `[]` when absent. */
  enterpriseSecurityGroups: string[]
}

/** One page of a VPC's regular security groups. */
interface SecurityGroupPage {
  ids: string[]
  /** The marker of the next page, when there is one. */
  nextMarker: string | undefined
}

/** One instance and one group for a batch call (`PUT /v2/securitygroup/bind` or `/unbind`). */
interface BatchChange {
  action: 'bind' | 'unbind'
  instanceId: string
  securityGroupId: string
  securityGroupType: 'enterprise' | 'normal'
  /** BCC's idempotence token: at most 64 printable ASCII characters. */
  clientToken: string
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
  /** `PUT /v2/instance/{instanceId}?unbind` with `{"securityGroupId": ...}`. */
  unbindSecurityGroup(
    instanceId: string,
    securityGroupId: string,
    options?: AttemptOptions,
  ): Promise<BceCallResult<undefined>>
  /** `PUT /v2/securitygroup/{bind|unbind}?clientToken=...` for one instance and one group. */
  changeSecurityGroups(
    change: BatchChange,
    options?: AttemptOptions,
  ): Promise<BceCallResult<undefined>>
  /** `GET /v2/instance/{instanceId}`: its status, VPC and groups of both kinds. */
  getInstance(instanceId: string, options?: AttemptOptions): Promise<BceCallResult<InstanceGroups>>
  /** `GET /v2/securityGroup?vpcId=&marker=&maxKeys=`: one page of a VPC's regular groups. */
  listSecurityGroups(
    page: { vpcId: string; marker?: string | undefined; maxKeys: number },
    options?: AttemptOptions,
  ): Promise<BceCallResult<SecurityGroupPage>>
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

  async function send(call: Call, attempt: AttemptOptions, readBody: boolean) {
    const timeoutMs = attempt.timeoutMs ?? defaultTimeoutMs
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

  /** A call that changes something: a 2xx means it was applied. */
  async function applyChange(call: Call, attempt: AttemptOptions) {
    // A body cut short after a 2xx changes nothing.
    const { status, requestId, text } = await send(call, attempt, false)
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
  }

  /** A call that reads: its answer must be JSON of `schema`'s shape, or it is no BCC answer. */
  async function readJson<T>(
    call: Call,
    schema: { safeParse(input: unknown): { success: true; data: T } | { success: false } },
    missing: string,
    attempt: AttemptOptions,
  ): Promise<{ data: T; status: number; requestId: string | undefined }> {
    const { status, requestId, text } = await send(call, attempt, true)
    const parsed = schema.safeParse(parseJson(text))
    if (!parsed.success) throw new BccUnexpectedAnswer(missing, { status, requestId })
    return { data: parsed.data, status, requestId }
  }

  async function perInstanceChange(
    action: 'bind' | 'unbind',
    instanceId: string,
    securityGroupId: string,
    attempt: AttemptOptions,
  ) {
    assertBccIds({ instanceId, securityGroupId })
    return applyChange(
      {
        method: 'PUT',
        path: instancePath(instanceId),
        query: { [action]: '' },
        body: JSON.stringify({ securityGroupId }),
      },
      attempt,
    )
  }

  return {
    endpoint: options.endpoint,

    bindSecurityGroup: (instanceId, securityGroupId, attempt = {}) =>
      perInstanceChange('bind', instanceId, securityGroupId, attempt),

    unbindSecurityGroup: (instanceId, securityGroupId, attempt = {}) =>
      perInstanceChange('unbind', instanceId, securityGroupId, attempt),

    async changeSecurityGroups(change, attempt = {}) {
      assertBccIds({
        instanceId: change.instanceId,
        securityGroupId: change.securityGroupId,
        enterpriseAllowed: true,
      })
      if (!CLIENT_TOKEN_PATTERN.test(change.clientToken)) {
        throw new ValidationError('Invalid BCC call', [
          { field: 'clientToken', message: 'must be 1 to 64 printable ASCII characters' },
        ])
      }
      return applyChange(
        {
          method: 'PUT',
          path: `/v2/securitygroup/${change.action}`,
          query: { clientToken: change.clientToken },
          body: JSON.stringify({
            instanceIds: [change.instanceId],
            securityGroupIds: [change.securityGroupId],
            securityGroupType: change.securityGroupType,
          }),
        },
        attempt,
      )
    },

    async getInstance(instanceId, attempt = {}) {
      assertBccIds({ instanceId })
      const { data, status, requestId } = await readJson(
        { method: 'GET', path: instancePath(instanceId), query: {}, body: '' },
        InstanceDetailSchema,
        'BCC instance detail has no instance.nicInfo.securityGroups list',
        attempt,
      )
      const { instance } = data
      return {
        value: {
          status: instance.status,
          vpcId: instance.vpcId ?? instance.nicInfo.vpcId,
          securityGroups: instance.nicInfo.securityGroups,
          enterpriseSecurityGroups: instance.nicInfo.enterpriseSecurityGroups ?? [],
        },
        status,
        requestId,
      }
    },

    async listSecurityGroups(page, attempt = {}) {
      const query: Record<string, string> = {
        vpcId: page.vpcId,
        maxKeys: String(page.maxKeys),
        ...(page.marker === undefined ? {} : { marker: page.marker }),
      }
      const { data, status, requestId } = await readJson(
        { method: 'GET', path: '/v2/securityGroup', query, body: '' },
        SecurityGroupListSchema,
        'BCC security group list has no securityGroups list',
        attempt,
      )
      const { securityGroups, isTruncated, nextMarker } = data
      return {
        value: {
          ids: securityGroups.map((group) => group.id),
          nextMarker: isTruncated === true && nextMarker !== '' ? nextMarker : undefined,
        },
        status,
        requestId,
      }
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
 * `i-` and 8 letters or digits, mixed case (`i-YufwpQAe`): the one definition, which the
 * bind request's schemas (`lib/schemas/bindRequest.ts`) and the outcome log use too.
 */
export const INSTANCE_ID_PATTERN = /^i-[A-Za-z0-9]{8}$/

/** `g-` and 8 letters or digits (`g-nky7qeom`), or `g-` and 12 lower-case letters or digits. */
export const SECURITY_GROUP_ID_PATTERN = /^g-(?:[A-Za-z0-9]{8}|[a-z0-9]{12})$/

/**
 * `esg-` and 12 lower-case letters or digits (`esg-9pmkwq3rt2ab`): an enterprise security group,
 * which only the batch calls take.
 */
export const ENTERPRISE_SECURITY_GROUP_ID_PATTERN = /^esg-[a-z0-9]{12}$/

/** True for a regular (`g-`) or an enterprise (`esg-`) security group id. */
export function isSecurityGroupId(id: string): boolean {
  return SECURITY_GROUP_ID_PATTERN.test(id) || ENTERPRISE_SECURITY_GROUP_ID_PATTERN.test(id)
}

/** Baidu's `clientToken`: ASCII, at most 64 characters; printable, as it goes into a query. */
const CLIENT_TOKEN_PATTERN = /^[\x21-\x7E]{1,64}$/

/**
 * The client's own guard: an id goes into a URL path and a signed body, so one that is not a
 * well-formed BCC id never reaches the network, whoever calls the client.
 *
 * @throws {ValidationError} naming each bad id.
 */
function assertBccIds(ids: {
  instanceId: string
  securityGroupId?: string
  /** True for the batch calls, the only ones that take an enterprise group. */
  enterpriseAllowed?: boolean
}): void {
  const issues = []
  if (!INSTANCE_ID_PATTERN.test(ids.instanceId)) {
    issues.push({ field: 'instanceId', message: 'is not a BCC instance id' })
  }
  const group = ids.securityGroupId
  const known = (id: string) =>
    ids.enterpriseAllowed ? isSecurityGroupId(id) : SECURITY_GROUP_ID_PATTERN.test(id)
  if (group !== undefined && !known(group)) {
    issues.push({ field: 'securityGroupId', message: 'is not a BCC security group id' })
  }
  if (issues.length > 0) throw new ValidationError('Invalid BCC call', issues)
}
