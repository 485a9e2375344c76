import * as z from 'zod/mini'
import { ValidationError } from '../errors/catalogue.js'
import { lazySchema } from '../lazySchema.js'

/**
 * An EventBridge event; its `detail` is the payload.
 *
 * @example
 * { "version": "0", "id": "…", "detail-type": "BindSecurityGroup", "source": "acme.tickets",
 *   "account": "123456789012", "time": "2026-11-29T03:00:00Z", "region": "eu-west-1",
 *   "resources": [], "detail": { "instanceId": "i-YufwpQAe", "securityGroupId": "g-nky7qeom" } }
 */
const EventBridgeEnvelopeSchema = lazySchema(() =>
  z.looseObject({
    'detail-type': z.string(),
    source: z.string(),
    detail: z.unknown(),
  }),
)

/**
 * An SNS notification as SQS receives it without raw message delivery; `Message` is the
 * payload, as a JSON string.
 *
 * @example
 * { "Type": "Notification", "MessageId": "…", "TopicArn": "arn:aws:sns:…:bindings",
 *   "Message": "{\"instanceId\":\"i-YufwpQAe\",\"securityGroupId\":\"g-nky7qeom\"}", … }
 */
const SnsEnvelopeSchema = lazySchema(() =>
  z.looseObject({
    Type: z.literal('Notification'),
    TopicArn: z.string(),
    Message: z.string(),
  }),
)

/** A payload pulled out of its envelopes, with the path to it for validation messages. */
export interface Unwrapped {
  payload: unknown
  fieldPrefix: string
}

const join = (prefix: string, field: string) => (prefix === '' ? field : `${prefix}.${field}`)

/**
 * Parses `text` as JSON.
 *
 * @throws {ValidationError} naming `field` when it is not JSON.
 */
export function parseJsonField(text: string, field: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new ValidationError('Invalid message', [{ field, message: 'is not valid JSON' }])
  }
}

/**
 * Unwraps the envelopes a bind request may travel in: an EventBridge event (its `detail`), an
 * SNS notification (its `Message`, parsed), or both nested (EventBridge → SNS). Anything else
 * is the payload itself.
 *
 * @throws {ValidationError} when an SNS `Message` is not JSON.
 */
export function unwrapBindPayload(value: unknown, fieldPrefix = ''): Unwrapped {
  let payload = value
  let prefix = fieldPrefix
  // Two levels at most: EventBridge → SNS → SQS is the deepest nesting AWS produces.
  for (let level = 0; level < 2; level++) {
    const eventBridge = EventBridgeEnvelopeSchema.safeParse(payload)
    if (eventBridge.success) {
      payload = eventBridge.data.detail
      prefix = join(prefix, 'detail')
      continue
    }
    const sns = SnsEnvelopeSchema.safeParse(payload)
    if (sns.success) {
      prefix = join(prefix, 'Message')
      payload = parseJsonField(sns.data.Message, prefix)
      continue
    }
    break
  }
  return { payload, fieldPrefix: prefix }
}
