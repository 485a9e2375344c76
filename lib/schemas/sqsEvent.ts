import * as z from 'zod/mini'
import { lazySchema } from '../lazySchema.js'

/**
 * The part of an SQS event the queue function relies on; the rest passes through untouched.
 *
 * @example
 * { "Records": [{ "messageId": "059f36b4-…", "body": "{\"instanceId\":…}",
 *   "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:bindings",
 *   "attributes": { "ApproximateReceiveCount": "1", … }, … }] }
 */
const text = (error: string) => z.string({ error })

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
