import type { SQSClient } from '@aws-sdk/client-sqs'
import type { SQSRecord } from 'aws-lambda'
import type { Clock } from '../clock.js'
import type { BinderError } from '../errors/catalogue.js'
import { type AwsOptions, callTimeoutOf, callWithin } from './awsCalls.js'

/**
 * Sends a message that will never succeed to the dead-letter queue at once, as it came, with
 * why it failed in message attributes. Once the cause is fixed (a renewed instance, a raised
 * quota), SQS's own redrive (`aws sqs start-message-move-task`) sends it back unchanged.
 */
export interface FailureQueue {
  /**
   * Resolves once SQS has taken the message. Rejects when it did not, with
   * `AwsCallTimeoutError` when no answer came within the send's timeout or before `deadline`
   * (epoch milliseconds).
   */
  send(record: SQSRecord, error: BinderError, deadline: number): Promise<void>
}

/** The longest `errorMessage` attribute: enough for any catalogue message, small for a console. */
const MAX_ERROR_MESSAGE_LENGTH = 256

// SQS refuses a message whose attribute values hold characters outside these XML ranges
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html).
const NOT_ALLOWED_IN_SQS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu

/** One string attribute of a message, with what SQS would refuse replaced by `?`. */
interface StringAttribute {
  DataType: 'String'
  StringValue: string
}

const attribute = (value: string): StringAttribute => ({
  DataType: 'String',
  StringValue: value.replace(NOT_ALLOWED_IN_SQS, '?'),
})

/**
 * The attributes of a record's dead-letter copy: `errorName`, `errorMessage` (cut to 256
 * characters), `bceCode` and `bceRequestId` when BCC sent them, `failedAt` (ISO 8601) and
 * `receiveCount` (the record's `ApproximateReceiveCount`).
 */
export function failureAttributesOf(
  record: SQSRecord,
  error: BinderError,
  now: Date,
): Record<string, StringAttribute> {
  const message =
    error.message.length > MAX_ERROR_MESSAGE_LENGTH
      ? `${error.message.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…`
      : error.message
  return {
    errorName: attribute(error.name),
    errorMessage: attribute(message),
    ...(error.bceCode === undefined ? {} : { bceCode: attribute(error.bceCode) }),
    ...(error.bceRequestId === undefined ? {} : { bceRequestId: attribute(error.bceRequestId) }),
    failedAt: attribute(now.toISOString()),
    receiveCount: attribute(record.attributes.ApproximateReceiveCount),
  }
}

/**
 * An SQS `SendMessage` to `queueUrl` (the dead-letter queue in `serverless.yml`). The SDK is
 * loaded on first use (the Lambda runtime ships it), so functions that never dead-letter do not
 * pay for it at cold start. A FIFO queue keeps the record's message group and deduplicates on
 * its message id. Each send has its own
 * timeout, cut to the time left before the invocation's deadline, so an SQS that does not answer
 * costs one record its redelivery instead of the whole batch.
 */
export function createFailureQueue(
  queueUrl: string,
  clock: Clock,
  aws: AwsOptions = {},
): FailureQueue {
  let sqs:
    | Promise<{
        client: SQSClient
        SendMessageCommand: typeof import('@aws-sdk/client-sqs').SendMessageCommand
      }>
    | undefined
  const load = () => {
    sqs ??= import('@aws-sdk/client-sqs').then((sdk) => ({
      client: new sdk.SQSClient({ ...aws.clientConfig }),
      SendMessageCommand: sdk.SendMessageCommand,
    }))
    return sqs
  }
  const fifo = queueUrl.endsWith('.fifo')
  return {
    async send(record, error, deadline) {
      const { client, SendMessageCommand } = await load()
      const command = new SendMessageCommand({
        QueueUrl: queueUrl,
        // The body as it came, so that a redrive to the bindings queue replays it as it was.
        MessageBody: record.body,
        MessageAttributes: failureAttributesOf(record, error, new Date(clock.now())),
        ...(fifo
          ? {
              MessageGroupId: record.attributes.MessageGroupId ?? 'bcc-sg-binder',
              MessageDeduplicationId: record.messageId,
            }
          : {}),
      })
      const timeoutMs = Math.min(callTimeoutOf(aws), deadline - clock.now())
      await callWithin('SQS SendMessage', timeoutMs, (abortSignal) =>
        client.send(command, { abortSignal }),
      )
    },
  }
}
