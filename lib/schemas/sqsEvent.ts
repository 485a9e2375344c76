import * as z from 'zod'

/**
 * The part of an SQS event the queue function relies on; the rest passes through untouched.
 *
 * @example
 * { "Records": [{ "messageId": "059f36b4-…", "body": "{\"instanceId\":…}",
 *   "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:bindings",
 *   "attributes": { "ApproximateReceiveCount": "1", … }, … }] }
 */
export const SqsEventSchema = z.object({
  Records: z.array(
    z.looseObject({
      messageId: z.string().min(1),
      body: z.string(),
      eventSourceARN: z.string(),
      attributes: z.looseObject({
        ApproximateReceiveCount: z.string(),
        MessageGroupId: z.string().optional(),
      }),
    }),
  ),
})
