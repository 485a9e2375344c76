import { randomUUID } from 'node:crypto'
import type { APIGatewayProxyEventV2, Context, SQSEvent } from 'aws-lambda'

/** An API Gateway HTTP API (payload 2.0) event for a request the local gateway received. */
export function httpApiEvent(
  request: { method: string; path: string; headers: Record<string, string>; body: string },
  now = new Date(),
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${request.method} ${request.path}`,
    rawPath: request.path,
    rawQueryString: '',
    headers: request.headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: request.headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${request.method} ${request.path}`,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: request.body,
    isBase64Encoded: false,
  }
}

/** The ARN the local SQS batches claim to come from. */
const LOCAL_QUEUE_ARN = 'arn:aws:sqs:local:000000000000:bcc-sg-binder-local'

/** An SQS batch with one record per item; an item that is a string is sent as it is. */
export function sqsBatch(items: readonly unknown[], now = new Date()): SQSEvent {
  return {
    Records: items.map((item) => ({
      messageId: randomUUID(),
      receiptHandle: `local-${randomUUID()}`,
      body: typeof item === 'string' ? item : JSON.stringify(item),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(now.getTime()),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(now.getTime()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: LOCAL_QUEUE_ARN,
      awsRegion: 'local',
    })),
  }
}

/** What varies between the Lambda contexts we build: the name, the time left, the request id. */
interface ContextParts {
  functionName: string
  /** What `getRemainingTimeInMillis()` answers, each time it is asked. */
  remainingMs: () => number
  awsRequestId: string
}

/** A Lambda context as the runtime hands one to a handler (the local gateway's and the tests'). */
export function lambdaContextOf({
  functionName,
  remainingMs,
  awsRequestId,
}: ContextParts): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }
}

/** A Lambda context that gives the function `timeoutMs` from now. */
export function localContext(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs
  return lambdaContextOf({
    functionName,
    remainingMs: () => Math.max(0, deadline - Date.now()),
    awsRequestId: randomUUID(),
  })
}
