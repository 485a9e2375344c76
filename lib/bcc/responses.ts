import { STATUS_CODES } from 'node:http'
import * as z from 'zod/mini'
import { uriEncode } from '../bce/canonical.js'
import { lazySchema } from '../lazySchema.js'
import { BccErrorAnswer } from './errors.js'
import { parseRetryAfter } from './retry.js'
import type { HttpResponseLike } from './transport.js'

/**
 * An error body: `{ requestId, code, message }` in Baidu's common error format. Loose: only what
 * we read is checked, and each part may be missing (gateways answer with anything).
 */
const BceErrorBodySchema = lazySchema(() =>
  z.object({
    code: z.catch(z.optional(z.string().check(z.minLength(1))), undefined),
    message: z.catch(z.optional(z.string()), undefined),
    requestId: z.catch(z.optional(z.string()), undefined),
  }),
)

/**
 * `GET /v2/instance/{id}`: the part we read, `instance.nicInfo.securityGroups`, and what a dry
 * run reads: the status, the VPC and `nicInfo.enterpriseSecurityGroups` (Go SDK `NicInfo`).
 */
export const InstanceDetailSchema = lazySchema(() =>
  z.object({
    instance: z.object({
      status: z.catch(z.optional(z.string()), undefined),
      vpcId: z.catch(z.optional(z.string()), undefined),
      nicInfo: z.object({
        vpcId: z.catch(z.optional(z.string()), undefined),
        securityGroups: z.array(z.string()),
        enterpriseSecurityGroups: z.optional(z.array(z.string())),
      }),
    }),
  }),
)

/** `GET /v2/securityGroup`: the ids of one page and where the next one starts. */
export const SecurityGroupListSchema = lazySchema(() =>
  z.object({
    securityGroups: z.array(z.object({ id: z.string() })),
    isTruncated: z.catch(z.optional(z.boolean()), undefined),
    nextMarker: z.catch(z.optional(z.string()), undefined),
  }),
)

/** Header that carries BCE's request id on every response. */
export const REQUEST_ID_HEADER = 'x-bce-request-id'

/**
 * The most bytes of an answer the client reads. It asks for three kinds: a bind's or unbind's,
 * which has no body; an instance detail, a few kilobytes even with its ten groups (compare
 * `emulator/state.ts`); and a page of security groups, kept small enough by its page size
 * (`lib/usecases/bind.ts`). Anything larger came from something else on the way, and reading it
 * whole could take more memory than the function has.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024

/** True for a 2xx status. */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300
}

/** True for a 3xx status. BCC never redirects; a redirect comes from something in between. */
export function isRedirectStatus(status: number): boolean {
  return status >= 300 && status < 400
}

/**
 * Reads `body` as UTF-8 text, or gives `undefined` as soon as it runs past `limit` bytes: reading
 * stops there, and leaving the iteration cancels the stream, which closes the connection.
 *
 * @throws whatever the stream throws (a connection reset, an abort)
 */
export async function readBodyUpTo(
  body: AsyncIterable<Uint8Array | string> | null,
  limit: number,
): Promise<string | undefined> {
  if (body === null) return ''
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    size += bytes.byteLength
    if (size > limit) return undefined
    chunks.push(bytes)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** What a code or request id from BCC becomes when it does not look like one. */
const MALFORMED_FIELD = '[malformed]'
/** The longest code or request id passed on; BCC's are under 50 characters. */
const MAX_FIELD_LENGTH = 64
/** A code: a dotted identifier, as in `SecurityGroup.BindInstanceExceededLimit`. */
const BCE_CODE_SHAPE = /^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_-]*)*$/
/** A request id: a token, a UUID in every answer seen. */
const REQUEST_ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/

/**
 * A code or request id from BCC as it may travel on (HTTP answers, logs, the failure queue):
 * itself when it has the plain shape of one and is short, {@link MALFORMED_FIELD} otherwise,
 * then redacted like a message. Anything in between BCC and us can answer; a 200,000-character
 * "code" must not become our answer.
 */
function plainField(
  value: string | null | undefined,
  shape: RegExp,
  redact: (text: string) => string,
): string | undefined {
  if (value === null || value === undefined) return undefined
  if (value.length > MAX_FIELD_LENGTH || !shape.test(value)) return MALFORMED_FIELD
  return redact(value)
}

/** BCE's error code, checked and redacted (see {@link plainField}). */
function bceCodeOf(
  value: string | undefined,
  redact: (text: string) => string,
): string | undefined {
  return plainField(value, BCE_CODE_SHAPE, redact)
}

/** BCE's request id, checked and redacted (see {@link plainField}). */
export function bceRequestIdOf(
  value: string | null | undefined,
  redact: (text: string) => string,
): string | undefined {
  return plainField(value, REQUEST_ID_SHAPE, redact)
}

/** Parses `text` as JSON, or returns undefined (empty, HTML, truncated). */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Turns a 4xx or 5xx response into a {@link BccErrorAnswer}. An empty, HTML or truncated body still
 * gives one: the code is then guessed from the status, as the official SDKs do.
 *
 * @param bodyText the body, or undefined when it could not be read in full
 * @param redact removes credentials from BCE's message, code and request id before they travel
 * further
 */
export function toServiceError(
  response: HttpResponseLike,
  bodyText: string | undefined,
  nowMs: number,
  redact: (text: string) => string,
): BccErrorAnswer {
  const parsed = BceErrorBodySchema.safeParse(parseJson(bodyText))
  const body = parsed.success ? parsed.data : {}
  const status = response.status
  return new BccErrorAnswer({
    status,
    code: bceCodeOf(body.code, redact) ?? guessErrorCode(status),
    codeGuessed: body.code === undefined,
    message: redact(body.message ?? `BCC answered HTTP ${status} with no error body`),
    requestId: bceRequestIdOf(response.headers.get(REQUEST_ID_HEADER) ?? body.requestId, redact),
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), nowMs),
  })
}

/**
 * Codes the official SDKs assume when an error response has no usable body (Go SDK's
 * `ParseResponse`); any other status becomes its reason phrase without spaces (`NotFound`).
 */
const GUESSED_CODES: Readonly<Record<number, string>> = {
  400: 'InvalidHTTPRequest',
  403: 'AccessDenied',
  412: 'PreconditionFailed',
  500: 'InternalError',
}

/** The BCE error code to assume for an error response whose body named none. */
export function guessErrorCode(status: number): string {
  const known = GUESSED_CODES[status]
  if (known !== undefined) return known
  const phrase = STATUS_CODES[status]
  return phrase === undefined ? `Http${status}` : phrase.replace(/[^A-Za-z0-9]/g, '')
}

/** The longest BCE message we pass on; error text is for humans, not a data channel. */
export const MAX_MESSAGE_LENGTH = 300
const REDACTED = '[redacted]'
// A hex signature or signing key, as a server might echo in a SignatureDoesNotMatch message.
const HEX_DIGEST = /\b[0-9a-f]{64}\b/gi

/**
 * Removes credentials from text that came from BCE (an error message may echo the string it
 * signed, which holds the session token): each secret raw and URI-encoded, any 64-hex digest,
 * and anything past {@link MAX_MESSAGE_LENGTH} characters.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue
    for (const form of new Set([secret, uriEncode(secret)])) {
      result = result.split(form).join(REDACTED)
    }
  }
  result = result.replace(HEX_DIGEST, REDACTED)
  return result.length > MAX_MESSAGE_LENGTH ? `${result.slice(0, MAX_MESSAGE_LENGTH)}…` : result
}
