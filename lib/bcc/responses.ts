import { guessErrorCode } from './errorCodes.js'
import { BceServiceError } from './errors.js'
import { BceErrorBodySchema } from './responseSchemas.js'
import { parseRetryAfter } from './retryAfter.js'
import type { HttpResponseLike } from './transport.js'

/** Header that carries BCE's request id on every response. */
export const REQUEST_ID_HEADER = 'x-bce-request-id'

/** True for a 2xx status. */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300
}

/** Parses `text` as JSON, or returns undefined (empty, HTML, truncated). */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Turns a non-2xx response into a {@link BceServiceError}. An empty, HTML or truncated body still
 * gives one: the code is then guessed from the status, as the official SDKs do.
 *
 * @param bodyText the body, or undefined when it could not be read in full
 * @param redact removes credentials from BCE's message before it travels further
 */
export function toServiceError(
  response: HttpResponseLike,
  bodyText: string | undefined,
  nowMs: number,
  redact: (text: string) => string,
): BceServiceError {
  const parsed = BceErrorBodySchema.safeParse(parseJson(bodyText))
  const body = parsed.success ? parsed.data : {}
  const status = response.status
  return new BceServiceError({
    status,
    code: body.code ?? guessErrorCode(status),
    codeGuessed: body.code === undefined,
    message: redact(body.message ?? `BCC answered HTTP ${status} with no error body`),
    requestId: response.headers.get(REQUEST_ID_HEADER) ?? body.requestId,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), nowMs),
  })
}
