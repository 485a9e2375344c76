import { type BinderError, ConfigError, ValidationError } from '../errors/catalogue.js'
import { toCatalogued } from '../errors/outcomes.js'
import type { BinderMiddleware } from './types.js'

const JSON_BODY_PARSER = '@middy/http-json-body-parser'
// middy's secrets-manager reports a failed fetch through @middy/util's getInternal.
const SECRETS_FETCH = '@middy/util'

/** The `cause` middy attaches to its own errors: the package, and what failed. */
function middyCause(error: unknown): { package?: unknown; data?: unknown } | undefined {
  const cause = (error as { cause?: unknown } | null)?.cause
  return typeof cause === 'object' && cause !== null ? cause : undefined
}

/**
 * Any error as a catalogued one. Two of middy's are translated: the JSON body parser's becomes
 * a `ValidationError`, and a secret that Secrets Manager would not give becomes a `ConfigError`
 * (naming the AWS error, such as `ResourceNotFoundException` or `AccessDeniedException`).
 */
export function catalogueError(error: unknown): BinderError {
  const cause = middyCause(error)
  if (cause?.package === JSON_BODY_PARSER) {
    return new ValidationError('Invalid webhook body', [
      { field: 'body', message: 'is not valid JSON' },
    ])
  }
  if (cause?.package === SECRETS_FETCH) {
    const reasons = (Array.isArray(cause.data) ? cause.data : []).map((reason: unknown) =>
      reason instanceof Error ? reason.name : 'unknown error',
    )
    return new ConfigError([
      {
        field: 'secrets',
        message: `could not be loaded from Secrets Manager (${reasons.join(', ')})`,
      },
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
