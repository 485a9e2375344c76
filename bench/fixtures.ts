import { randomUUID } from 'node:crypto'
import type { Context, SQSEvent } from 'aws-lambda'
import { Webhook } from 'standardwebhooks'

/** The key pair the emulator accepts and every function signs with in the bench. */
export const BENCH_CREDENTIALS = {
  accessKeyId: 'bench-access-key-0123456789abcdef',
  secretAccessKey: 'bench-secret-key-not-a-secret-0123',
} as const

/** The Standard Webhooks secret of the HTTP function in the bench. */
export const BENCH_WEBHOOK_SECRET = `whsec_${Buffer.from('bench-webhook-secret-0123456789').toString('base64')}`

/** The bind every single-call measurement makes: the README's example pair. */
export const BENCH_BIND = { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' } as const

/**
 * Ten binds the seed accepts (200 each: a new group, or one the instance already has), so a
 * batch makes exactly ten calls and no failure read.
 */
export const BATCH_BINDS = [
  { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' },
  { instanceId: 'i-YufwpQAe', securityGroupId: 'g-4NxWoxeq' },
  { instanceId: 'i-Web2Demo', securityGroupId: 'g-4NxWoxeq' },
  { instanceId: 'i-Web2Demo', securityGroupId: 'g-nky7qeom' },
  { instanceId: 'i-Web2Demo', securityGroupId: 'g-7dyv27r6pnse' },
  { instanceId: 'i-Fu11Ten0', securityGroupId: 'g-full0001' },
  { instanceId: 'i-Fu11Ten0', securityGroupId: 'g-full0002' },
  { instanceId: 'i-Fu11Ten0', securityGroupId: 'g-7dyv27r6pnse' },
  { instanceId: 'i-Vpc2Demo', securityGroupId: 'g-vpc2dflt' },
  { instanceId: 'i-Vpc2Demo', securityGroupId: 'g-vpc2web0' },
] as const

/** The environment of a function pointed at an emulator on `endpoint`. */
export function functionEnv(endpoint: string): Record<string, string> {
  return {
    BCE_ACCESS_KEY_ID: BENCH_CREDENTIALS.accessKeyId,
    BCE_SECRET_ACCESS_KEY: BENCH_CREDENTIALS.secretAccessKey,
    BCC_ENDPOINT: endpoint,
    WEBHOOK_SECRET: BENCH_WEBHOOK_SECRET,
  }
}

/** The part of an API Gateway HTTP API (2.0) event the HTTP function reads. */
export interface BenchHttpEvent {
  version: '2.0'
  routeKey: string
  rawPath: string
  rawQueryString: string
  headers: Record<string, string>
  requestContext: {
    accountId: string
    apiId: string
    domainName: string
    domainPrefix: string
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string }
    requestId: string
    routeKey: string
    stage: string
    time: string
    timeEpoch: number
  }
  body: string
  isBase64Encoded: false
}

let webhookCount = 0

/** An HTTP API 2.0 `POST /bindings` event carrying `bind`, signed now with a fresh webhook id. */
export function signedBindEvent(bind: object = BENCH_BIND): BenchHttpEvent {
  const body = JSON.stringify(bind)
  const id = `msg_bench${++webhookCount}_${randomUUID()}`
  const now = new Date()
  return {
    version: '2.0',
    routeKey: 'POST /bindings',
    rawPath: '/bindings',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      host: 'bench.execute-api.eu-west-1.amazonaws.com',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(BENCH_WEBHOOK_SECRET).sign(id, now, body),
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      domainName: 'bench.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'bench',
      http: {
        method: 'POST',
        path: '/bindings',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'bcc-sg-binder-bench',
      },
      requestId: randomUUID(),
      routeKey: 'POST /bindings',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: false,
  }
}

/** A standard-queue SQS batch with one record per bind. */
export function sqsBatch(binds: readonly object[]): SQSEvent {
  const now = String(Date.now())
  return {
    Records: binds.map((bind) => ({
      messageId: randomUUID(),
      receiptHandle: `bench-${randomUUID()}`,
      body: JSON.stringify(bind),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: now,
        SenderId: 'bench',
        ApproximateFirstReceiveTimestamp: now,
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:bcc-sg-binder-bench',
      awsRegion: 'eu-west-1',
    })),
  }
}

/** A Lambda context with `timeoutMs` left from now. */
export function lambdaContext(timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'bcc-sg-binder-bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bcc-sg-binder-bench',
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/bcc-sg-binder-bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }
}
