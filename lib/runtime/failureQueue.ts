import type { SQSClient } from '@aws-sdk/client-sqs'
import type { SQSRecord } from 'aws-lambda'
import type { Clock } from '../clock.js'
import type { BinderError } from '../errors/catalogue.js'
import { type AwsOptions, callWithin, DEFAULT_AWS_CALL_TIMEOUT_MS } from './awsCalls.js'

/** Sends a message that will never succeed to the failure queue, with its reason. */
export interface FailureQueue {
  /**
   * Resolves once SQS has taken the message. Rejects when it did not, with
   * `AwsCallTimeoutError` when no answer came within the send's timeout or before `deadline`
   * (epoch milliseconds).
   */
  send(record: SQSRecord, error: BinderError, deadline: number): Promise<void>
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
 * keeps the record's message group and deduplicates on its message id. Each send has its own
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
        MessageBody: JSON.stringify(failureMessageOf(record, error, new Date(clock.now()))),
        MessageAttributes: { errorName: { DataType: 'String', StringValue: error.name } },
        ...(fifo
          ? {
              MessageGroupId: record.attributes.MessageGroupId ?? 'bcc-sg-binder',
              MessageDeduplicationId: record.messageId,
            }
          : {}),
      })
      const callTimeoutMs = aws.callTimeoutMs ?? DEFAULT_AWS_CALL_TIMEOUT_MS
      const timeoutMs = Math.min(callTimeoutMs, deadline - clock.now())
      await callWithin('SQS SendMessage', timeoutMs, (abortSignal) =>
        client.send(command, { abortSignal }),
      )
    },
  }
}
