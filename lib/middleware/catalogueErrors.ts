import { type BinderError, ValidationError } from '../errors/catalogue.js'
import { toCatalogued } from '../errors/outcomes.js'
import type { BinderMiddleware } from './types.js'

const JSON_BODY_PARSER = '@middy/http-json-body-parser'

/** The `cause` middy attaches to its own errors: the package, and what failed. */
function middyCause(error: unknown): { package?: unknown; data?: unknown } | undefined {
  const cause = (error as { cause?: unknown } | null)?.cause
  return typeof cause === 'object' && cause !== null ? cause : undefined
}

/** Any error as a catalogued one; the JSON body parser's becomes a `ValidationError`. */
export function catalogueError(error: unknown): BinderError {
  const cause = middyCause(error)
  if (cause?.package === JSON_BODY_PARSER) {
    return new ValidationError('Invalid webhook body', [
      { field: 'body', message: 'is not valid JSON' },
    ])
  }
  return toCatalogued(error)
}

/**
 * Replaces whatever was thrown with its catalogued error, so the middlewares outside it (the
 * outcome log, the trigger's adapter) and a workflow's `Catch` only ever see catalogue names.
 * Use it innermost of the error-handling middlewares: `onError` runs in reverse order.
 */
export const catalogueErrors = (): BinderMiddleware => ({
  onError: function catalogueErrorsOnError(request) {
    if (request.error !== null && request.error !== undefined)
      request.error = catalogueError(request.error)
  },
})
