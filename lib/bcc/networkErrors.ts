import { BccNetworkError } from './errors.js'

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
    const { code, cause } = current as { code?: unknown; cause?: unknown }
    if (typeof code === 'string') return code
    current = cause
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
