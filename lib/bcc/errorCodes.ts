import { STATUS_CODES } from 'node:http'

/**
 * Codes the official SDKs assume when an error response has no usable body (Go SDK's
 * `ParseResponse`); any other status becomes its reason phrase without spaces (`NotFound`).
 */
const GUESSED_CODES: Readonly<Record<number, string>> = {
  400: 'InvalidHTTPRequest',
  403: 'AccessDenied',
  412: 'PreconditionFailed',
  500: 'InternalError',
}

/** The BCE error code to assume for an error response whose body named none. */
export function guessErrorCode(status: number): string {
  const known = GUESSED_CODES[status]
  if (known !== undefined) return known
  const phrase = STATUS_CODES[status]
  return phrase === undefined ? `Http${status}` : phrase.replace(/[^A-Za-z0-9]/g, '')
}
