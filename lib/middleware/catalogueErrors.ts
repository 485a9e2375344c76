import { toCatalogued } from '../errors/outcomes.js'
import type { BinderMiddleware } from './types.js'

/**
 * Replaces whatever was thrown with its catalogued error (`toCatalogued`), so the middlewares
 * outside it (the outcome log) and a workflow's `Catch` only ever see catalogue names.
 */
export const catalogueErrors = (): BinderMiddleware => ({
  onError: function catalogueErrorsOnError(request) {
    request.error = toCatalogued(request.error)
  },
})
