import type { SQSClient } from '@aws-sdk/client-sqs'
import type { SQSRecord } from 'aws-lambda'
import type { BinderError } from '../errors/catalogue.js'

/** Sends a message that will never succeed to the failure queue, with its reason. */
export interface FailureQueue {
  send(record: SQSRecord, error: BinderError): Promise<void>
}

/** What the failure queue receives: the original message, untouched, and why it failed. */
export interface FailureMessage {
  reason: { error: string; message: string; bceCode?: string; bceRequestId?: string }
  source: { messageId: string; eventSourceARN: string; approximateReceiveCount: string }
  body: string
  failedAt: string
}

/** The failure message of a record. */
export function failureMessageOf(record: SQSRecord, error: BinderError, now: Date): FailureMessage {
  return {
    reason: {
      error: error.name,
      message: error.message,
      ...(error.bceCode === undefined ? {} : { bceCode: error.bceCode }),
      ...(error.bceRequestId === undefined ? {} : { bceRequestId: error.bceRequestId }),
    },
    source: {
      messageId: record.messageId,
      eventSourceARN: record.eventSourceARN,
      approximateReceiveCount: record.attributes.ApproximateReceiveCount,
    },
    body: record.body,
    failedAt: now.toISOString(),
  }
}

/**
 * An SQS `SendMessage` to `queueUrl`. The SDK is loaded on first use (the Lambda runtime ships
 * it), so functions that never dead-letter do not pay for it at cold start. A FIFO failure queue
 * keeps the record's message group and deduplicates on its message id.
 */
export function createFailureQueue(
  queueUrl: string,
  now: () => Date,
  client?: SQSClient,
): FailureQueue {
  let sqs:
    | Promise<{
        client: SQSClient
        SendMessageCommand: typeof import('@aws-sdk/client-sqs').SendMessageCommand
      }>
    | undefined
  const load = () => {
    sqs ??= import('@aws-sdk/client-sqs').then((sdk) => ({
      client: client ?? new sdk.SQSClient({}),
      SendMessageCommand: sdk.SendMessageCommand,
    }))
    return sqs
  }
  const fifo = queueUrl.endsWith('.fifo')
  return {
    async send(record, error) {
      const { client: sqsClient, SendMessageCommand } = await load()
      await sqsClient.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(failureMessageOf(record, error, now())),
          MessageAttributes: { errorName: { DataType: 'String', StringValue: error.name } },
          ...(fifo
            ? {
                MessageGroupId: record.attributes.MessageGroupId ?? 'bcc-sg-binder',
                MessageDeduplicationId: record.messageId,
              }
            : {}),
        }),
      )
    },
  }
}
