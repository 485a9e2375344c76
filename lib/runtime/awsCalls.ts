/**
 * Calls to AWS services (Secrets Manager, SQS) with a time limit. The SDK waits for an answer
 * as long as it takes by default, and a function without a route to a service (in a VPC
 * without an endpoint for it) would then wait until Lambda stops it, answering nothing.
 */

/** The longest one AWS call may take when the caller's deadline allows more, in milliseconds. */
const DEFAULT_AWS_CALL_TIMEOUT_MS = 3_000

/** SDK client settings given over the defaults; tests point the clients at loopback servers. */
export interface AwsClientConfig {
  endpoint?: string
  region?: string
  credentials?: { accessKeyId: string; secretAccessKey: string }
}

/** How the functions reach AWS services. */
export interface AwsOptions {
  clientConfig?: AwsClientConfig
  /**
   * The longest one call may take, in milliseconds (default {@link DEFAULT_AWS_CALL_TIMEOUT_MS});
   * read at each call, so a test can shorten it once the SDK is loaded.
   */
  callTimeoutMs?: number
}

/** The longest one call may take under `aws`, read at each call (see `callTimeoutMs`). */
export function callTimeoutOf(aws: AwsOptions): number {
  return aws.callTimeoutMs ?? DEFAULT_AWS_CALL_TIMEOUT_MS
}

/** An AWS call that had no answer in time. */
export class AwsCallTimeoutError extends Error {
  override readonly name = 'AwsCallTimeoutError'
  readonly timeoutMs: number

  constructor(call: string, timeoutMs: number) {
    super(`${call} had no answer within ${timeoutMs} ms`)
    this.timeoutMs = timeoutMs
  }
}

/**
 * `promise`, or a rejection with {@link AwsCallTimeoutError} if it has not settled within
 * `timeoutMs` (none left: only a promise already settled wins). `promise` itself runs on.
 */
export function settleWithin<T>(promise: Promise<T>, call: string, timeoutMs: number): Promise<T> {
  const ms = Math.max(0, timeoutMs)
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new AwsCallTimeoutError(call, ms)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Runs one SDK call (`client.send(command, { abortSignal })`) for at most `timeoutMs`. On time
 * out it rejects with {@link AwsCallTimeoutError} and aborts the call, which ends the SDK's own
 * retries and closes its connection; with no time left it sends nothing.
 */
export async function callWithin<T>(
  call: string,
  timeoutMs: number,
  send: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (timeoutMs <= 0) throw new AwsCallTimeoutError(call, 0)
  const controller = new AbortController()
  try {
    return await settleWithin(send(controller.signal), call, timeoutMs)
  } catch (error) {
    if (error instanceof AwsCallTimeoutError) controller.abort(error)
    throw error
  }
}
