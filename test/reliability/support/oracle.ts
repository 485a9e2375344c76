import type { ErrorName } from '../../../lib/errors/catalogue.js'
import { MAX_BODY_BYTES } from '../../../lib/middleware/webhookVerification.js'
import { type BindRequest, BindRequestSchema } from '../../../lib/schemas/bindRequest.js'
import { SqsEventSchema, unwrapBindPayload } from '../../../lib/schemas/events.js'

/**
 * Which generated inputs are valid, decided with the schemas (not with the functions): a
 * payload is valid when `BindRequestSchema` accepts it once its envelopes are unwrapped.
 */

/** The bind request in `value` (after its envelopes), or undefined when it is not a valid one. */
export function validRequestIn(value: unknown): BindRequest | undefined {
  let payload: unknown
  try {
    payload = unwrapBindPayload(value).payload
  } catch {
    return undefined // an SNS Message that is not JSON
  }
  const parsed = BindRequestSchema.safeParse(payload)
  return parsed.success ? parsed.data : undefined
}

/** The bind request an SQS message body carries, or undefined. */
export function validRequestInBody(body: unknown): BindRequest | undefined {
  if (typeof body !== 'string') return undefined
  try {
    return validRequestIn(JSON.parse(body))
  } catch {
    return undefined
  }
}

/** True when the queue function must take `event` as an SQS batch. */
export function isSqsEvent(event: unknown): boolean {
  return SqsEventSchema.safeParse(event).success
}

/** How a generated webhook was signed. */
export interface WebhookFacts {
  /** The body text its headers validly sign; undefined when no valid signature was made. */
  signedText: string | undefined
  /** Its webhook-id. */
  id: string | undefined
  /** True when that id was accepted before (by this handler): a replay. */
  replayed: boolean
}

/** A refusal, and whether the signature had been accepted (and its id remembered) by then. */
export type HttpVerdict =
  | { refusal: ErrorName; signatureAccepted: boolean }
  | { request: BindRequest; signatureAccepted: true }

function methodOf(event: object): string | undefined {
  const { httpMethod, requestContext } = event as {
    httpMethod?: unknown
    requestContext?: { http?: { method?: unknown } } | null
  }
  if (typeof httpMethod === 'string') return httpMethod
  const method = requestContext?.http?.method
  return typeof method === 'string' ? method : undefined
}

const refused = (refusal: ErrorName, signatureAccepted = false): HttpVerdict => ({
  refusal,
  signatureAccepted,
})

/**
 * What the webhook must answer, in the order docs/triggers.md gives: an event that is not an HTTP
 * event (400), another method (405), a body that is not a string (400) or over 16 KB (413), a
 * missing, wrong or replayed signature (401), a body that is not JSON or fails the schema (400);
 * otherwise the request goes to BCC.
 */
export function httpVerdict(event: unknown, facts: WebhookFacts): HttpVerdict {
  if (typeof event !== 'object' || event === null) return refused('ValidationError')
  const method = methodOf(event)
  if (method === undefined) return refused('ValidationError')
  if (method.toUpperCase() !== 'POST') return refused('MethodNotAllowed')
  const { body, isBase64Encoded } = event as { body?: unknown; isBase64Encoded?: unknown }
  let text = ''
  if (body !== undefined && body !== null) {
    if (typeof body !== 'string') return refused('ValidationError')
    const bytes = isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8')
    if (bytes.byteLength > MAX_BODY_BYTES) return refused('PayloadTooLarge')
    text = bytes.toString('utf8')
  }
  if (facts.signedText === undefined || facts.signedText !== text || facts.replayed) {
    return refused('Unauthorized')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return refused('ValidationError', true)
  }
  const request = BindRequestSchema.safeParse(parsed)
  return request.success
    ? { request: request.data, signatureAccepted: true }
    : refused('ValidationError', true)
}
