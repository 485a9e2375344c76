import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import type { SQSEvent, SQSRecord } from 'aws-lambda'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { InstanceExpired } from '../../lib/errors/catalogue.js'
import { createFailureQueue, failureAttributesOf } from '../../lib/runtime/failureQueue.js'
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
  it('sends the body as it came, and why it failed as message attributes', async () => {
    sqs.on(SendMessageCommand).resolves({})
    const url = 'https://sqs.eu-west-1.amazonaws.com/123456789012/bindings-dlq'
    const queue = createFailureQueue(url, clock, { clientConfig: { region: 'eu-west-1' } })
    await queue.send(standardRecord, error, clock.now() + 10_000)

    const [input] = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input)
    expect(input).toEqual({
      QueueUrl: url,
      MessageBody: standardRecord.body,
      MessageAttributes: {
        errorName: { DataType: 'String', StringValue: 'InstanceExpired' },
        errorMessage: { DataType: 'String', StringValue: 'expired' },
        bceCode: { DataType: 'String', StringValue: 'SecurityGroup.ExpiredInstanceForbiddenBind' },
        bceRequestId: { DataType: 'String', StringValue: 'req-1' },
        failedAt: { DataType: 'String', StringValue: '2026-11-29T03:00:00.000Z' },
        receiveCount: { DataType: 'String', StringValue: '1' },
      },
    })
  })

  it('cuts a long message to 256 characters and replaces what SQS refuses in an attribute', () => {
    const long = new InstanceExpired(`${'x'.repeat(300)}`)
    const odd = new InstanceExpired('bad \u0000 char \uFFFF here')
    expect(failureAttributesOf(standardRecord, long, now()).errorMessage?.StringValue).toBe(
      `${'x'.repeat(255)}…`,
    )
    expect(failureAttributesOf(standardRecord, odd, now()).errorMessage?.StringValue).toBe(
      'bad ? char ? here',
    )
    expect(failureAttributesOf(standardRecord, odd, now())).not.toHaveProperty('bceCode')
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
