import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import type { SQSEvent, SQSRecord } from 'aws-lambda'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { InstanceExpired } from '../../lib/errors/catalogue.js'
import { createFailureQueue, failureMessageOf } from '../../lib/runtime/failureQueue.js'
import { loadEvent } from '../support/lambda.js'

const sqs = mockClient(SQSClient)
afterEach(() => sqs.reset())

const [fifoRecord] = loadEvent<SQSEvent>('sqs-fifo.json').Records as [SQSRecord]
const [standardRecord] = loadEvent<SQSEvent>('sqs-standard.json').Records as [SQSRecord]
const error = new InstanceExpired('expired', {
  bceCode: 'SecurityGroup.ExpiredInstanceForbiddenBind',
  bceRequestId: 'req-1',
})
const now = () => new Date('2026-11-29T03:00:00Z')
const clock = { now: () => now().getTime() }

describe('failure queue', () => {
  it('builds the failure message: the original body untouched, and why', () => {
    expect(failureMessageOf(standardRecord, error, now())).toEqual({
      reason: {
        error: 'InstanceExpired',
        message: 'expired',
        bceCode: 'SecurityGroup.ExpiredInstanceForbiddenBind',
        bceRequestId: 'req-1',
      },
      source: {
        messageId: standardRecord.messageId,
        eventSourceARN: standardRecord.eventSourceARN,
        approximateReceiveCount: '1',
      },
      body: standardRecord.body,
      failedAt: '2026-11-29T03:00:00.000Z',
    })
  })

  it('keeps the message group and deduplicates on the message id for a FIFO failure queue', async () => {
    sqs.on(SendMessageCommand).resolves({})
    const url = 'https://sqs.eu-west-1.amazonaws.com/123456789012/failures.fifo'
    const queue = createFailureQueue(url, clock, { clientConfig: { region: 'eu-west-1' } })
    const deadline = clock.now() + 10_000
    await queue.send(fifoRecord, error, deadline)
    await queue.send(
      { ...fifoRecord, attributes: { ...fifoRecord.attributes, MessageGroupId: undefined } },
      error,
      deadline,
    )

    const inputs = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input)
    expect(inputs.map((input) => [input.MessageGroupId, input.MessageDeduplicationId])).toEqual([
      ['i-YufwpQAe', fifoRecord.messageId],
      ['bcc-sg-binder', fifoRecord.messageId],
    ])
  })
})
