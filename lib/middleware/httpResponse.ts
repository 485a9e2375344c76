import { type BinderError, ValidationError } from '../errors/catalogue.js'
import { outcomeOf } from '../errors/outcomes.js'
import { toPublicOutcome } from '../handlers/publicOutcome.js'
import type { BindOutcome } from '../usecases/bind.js'
import type { HttpResult } from './httpEvent.js'
import type { BinderMiddleware } from './types.js'
import { WEBHOOK_METHOD } from './webhookVerification.js'

/** `Retry-After` of a 503 when BCE named no delay, in seconds. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const

/** The webhook's error body: the catalogue name, a safe message, and what BCE said. */
function httpErrorBody(error: BinderError, publicMessage: string) {
  const details = error instanceof ValidationError ? error.issues : undefined
  return {
    error: {
      code: error.name,
      message: publicMessage,
      ...(details === undefined ? {} : { details }),
      ...(error.bceCode === undefined ? {} : { bceCode: error.bceCode }),
      ...(error.bceRequestId === undefined ? {} : { bceRequestId: error.bceRequestId }),
    },
  }
}

/**
 * The HTTP adapter: a success becomes 200 with the public outcome; a (catalogued) error
 * becomes the status of the outcome table and `{ error: { code, message, ... } }`, with
 * `Retry-After` on a 503 and `Allow` on a 405. Unexposed errors (a bug, a bad configuration)
 * say nothing of their internals. Place it outermost of the error-handling middlewares.
 */
export const httpResponse = (): BinderMiddleware<unknown, HttpResult | BindOutcome> => ({
  after: function httpResponseAfter(request) {
    request.response = json(200, toPublicOutcome(request.response as BindOutcome))
  },
  onError: function httpResponseOnError(request) {
    if (request.response !== undefined) return
    const error = request.error as BinderError
    const outcome = outcomeOf(error)
    const response = json(outcome.httpStatus, httpErrorBody(error, outcome.publicMessage))
    if (error.name === 'BceUnavailable') {
      // Whole seconds, capped where BCC's value is read (lib/bcc/retryAfter.ts).
      response.headers['retry-after'] = String(
        error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
      )
    }
    // A 405 names the methods the resource accepts (RFC 9110, section 15.5.6).
    if (error.name === 'MethodNotAllowed') response.headers.allow = WEBHOOK_METHOD
    request.response = response
  },
})

function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) }
}
