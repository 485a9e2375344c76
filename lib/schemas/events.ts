// What the queue and workflow functions receive around a bind request: the SQS event, and the
// EventBridge and SNS envelopes a request may travel in.
import * as z from 'zod/mini'
import { ValidationError } from '../errors/catalogue.js'
import { lazySchema } from '../lazySchema.js'

const text = (error: string) => z.string({ error })

/**
 * The part of an SQS event the queue function relies on; the rest passes through untouched.
 *
 * @example
 * { "Records": [{ "messageId": "059f36b4-…", "body": "{\"instanceId\":…}",
 *   "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:bindings",
 *   "attributes": { "ApproximateReceiveCount": "1", … }, … }] }
 */
export const SqsEventSchema = lazySchema(() =>
  z.object(
    {
      Records: z.array(
        z.looseObject(
          {
            messageId: text('must be a string').check(
              z.minLength(1, { error: 'must not be empty' }),
            ),
            body: text('must be a string'),
            eventSourceARN: text('must be a string'),
            attributes: z.looseObject(
              {
                ApproximateReceiveCount: text('must be a string'),
                MessageGroupId: z.optional(text('must be a string')),
              },
              { error: 'must be an object' },
            ),
          },
          { error: 'must be an SQS record' },
        ),
        { error: 'must be a list of SQS records' },
      ),
    },
    { error: 'must be an SQS event' },
  ),
)

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
