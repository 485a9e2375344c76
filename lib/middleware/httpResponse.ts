import type { Context } from 'aws-lambda'
import { type BinderError, ValidationError } from '../errors/catalogue.js'
import { outcomeOf, toCatalogued } from '../errors/outcomes.js'
import { type BindOutcome, toPublicOutcome } from '../usecases/bind.js'
import type { HttpEvent, HttpResult } from './httpEvent.js'
import { WEBHOOK_METHOD } from './webhookVerification.js'

/** `Retry-After` of a 503 when BCE named no delay, in seconds. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const

/** The webhook's error body: the catalogue name, a safe message, and what BCE said. */
function httpErrorBody(error: BinderError, publicMessage: string) {
  const details = error instanceof ValidationError ? error.issues : error.details
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
 * The HTTP adapter, around the middy chain: a success becomes 200 with the public outcome; a
 * (catalogued) error becomes the status of the outcome table and `{ error: { code, message,
 * ... } }`, with `Retry-After` on a 503 and `Allow` on a 405. Unexposed errors (a bug, a bad
 * configuration) say nothing of their internals.
 */
export function httpResponse(
  chain: (event: HttpEvent, context: Context) => Promise<BindOutcome>,
): (event: HttpEvent, context: Context) => Promise<HttpResult> {
  return async (event, context) => {
    try {
      return json(200, toPublicOutcome(await chain(event, context)))
    } catch (thrown) {
      return httpError(toCatalogued(thrown))
    }
  }
}

function httpError(error: BinderError): HttpResult {
  const outcome = outcomeOf(error)
  const response = json(outcome.httpStatus, httpErrorBody(error, outcome.publicMessage))
  if (error.name === 'BceUnavailable') {
    // Whole seconds, capped where BCC's value is read (`parseRetryAfter` in lib/bcc/retry.ts).
    response.headers['retry-after'] = String(error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS)
  }
  // A 405 names the methods the resource accepts (RFC 9110, section 15.5.6).
  if (error.name === 'MethodNotAllowed') response.headers.allow = WEBHOOK_METHOD
  return response
}

function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) }
}
