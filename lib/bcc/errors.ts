/**
 * What can go wrong in one BCC call, before any retry or mapping decides what it means to the
 * caller. `lib/usecases/fromBceFailure.ts` turns these into catalogued errors.
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

/**
 * System error codes that mean the connection was never made, so the request cannot have
 * reached BCE. Anything else (a reset, a hang-up, a body cut short) may have reached it.
 */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/** The first string `code` on the error or along its `cause` chain (undici nests them). */
export function findErrorCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = 'code' in current ? current.code : undefined
    if (typeof code === 'string') return code
    current = 'cause' in current ? current.cause : undefined
  }
  return undefined
}

/** Wraps whatever the transport threw into a {@link BccNetworkError} that says if BCE may have seen it. */
export function toNetworkError(
  error: unknown,
  during: 'request' | 'response body',
): BccNetworkError {
  const code = findErrorCode(error)
  const mayHaveReachedBce =
    during === 'response body' || code === undefined || !NEVER_SENT_CODES.has(code)
  const reason = code ?? (error instanceof Error ? error.name : 'unknown error')
  return new BccNetworkError(`BCC ${during} failed (${reason})`, {
    code,
    mayHaveReachedBce,
    cause: error,
  })
}
