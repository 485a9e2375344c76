/**
 * What can go wrong in one BCC call, before any retry or mapping decides what it means to the
 * caller. The use case turns these into catalogued errors (lib/errors).
 */

/** BCE answered with a 4xx or 5xx status. */
export class BccErrorAnswer extends Error {
  override readonly name = 'BccErrorAnswer'
  readonly status: number
  /** BCE's code, or one guessed from the status when the body had none (`codeGuessed`). */
  readonly code: string
  readonly requestId: string | undefined
  readonly codeGuessed: boolean
  /** How long BCE asked us to wait (`Retry-After`), in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined

  constructor(init: {
    status: number
    code: string
    message: string
    requestId: string | undefined
    codeGuessed: boolean
    retryAfterMs: number | undefined
  }) {
    super(init.message)
    this.status = init.status
    this.code = init.code
    this.requestId = init.requestId
    this.codeGuessed = init.codeGuessed
    this.retryAfterMs = init.retryAfterMs
  }
}

/** The request failed below HTTP: DNS, connect, TLS, a reset, a body cut short. */
export class BccNetworkError extends Error {
  override readonly name = 'BccNetworkError'
  /** The system error code (`ECONNRESET`, `ECONNREFUSED`, ...), when there was one. */
  readonly code: string | undefined
  /**
   * False only when the request certainly never left this machine (the connection was never
   * made); otherwise BCE may have received and applied it.
   */
  readonly mayHaveReachedBce: boolean

  constructor(
    message: string,
    init: { code: string | undefined; mayHaveReachedBce: boolean; cause: unknown },
  ) {
    super(message, { cause: init.cause })
    this.code = init.code
    this.mayHaveReachedBce = init.mayHaveReachedBce
  }
}

/** No complete answer within the attempt's timeout. BCE may have applied the request. */
export class BccAttemptTimeout extends Error {
  override readonly name = 'BccAttemptTimeout'
  readonly timeoutMs: number
  readonly mayHaveReachedBce = true

  constructor(timeoutMs: number) {
    super(`BCC did not answer within ${timeoutMs} ms`)
    this.timeoutMs = timeoutMs
  }
}

/**
 * An answer BCC does not give, so something on the way gave it: a 2xx without the documented
 * shape, a redirect, or a body over the client's size limit. Worth another attempt.
 */
export class BccUnexpectedAnswer extends Error {
  override readonly name = 'BccUnexpectedAnswer'
  readonly status: number
  readonly requestId: string | undefined

  constructor(message: string, init: { status: number; requestId: string | undefined }) {
    super(message)
    this.status = init.status
    this.requestId = init.requestId
  }
}
