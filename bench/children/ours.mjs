// Cold-start child, run with plain `node`: imports the HTTP function's bundle as Lambda would,
// handles one signed webhook (given by the parent in BENCH_EVENT, signed there so that no
// extra library is loaded here), and reports when the answer was ready and its peak RSS.
import { handler } from '../../dist/http.mjs'
import { reportAnswer } from './report.cjs'

// Static imports are evaluated before this line: the time since process start to load them.
const loadedMs = performance.now()
const event = JSON.parse(process.env.BENCH_EVENT ?? 'null')
const deadline = Date.now() + 29_000
const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'bcc-sg-binder-bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bcc-sg-binder-bench',
  memoryLimitInMB: '256',
  awsRequestId: 'bench-cold-start',
  logGroupName: '/aws/lambda/bcc-sg-binder-bench',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
}

const result = await handler(event, context)
reportAnswer({
  loadedMs,
  status: result.statusCode,
  outcome: JSON.parse(result.body).status ?? null,
})
