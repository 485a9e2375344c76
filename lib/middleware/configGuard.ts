import type { FunctionRuntime } from '../runtime/functionRuntime.js'
import type { BinderMiddleware } from './types.js'

/**
 * Fails the invocation with the `ConfigError` found at cold start, before anything else runs:
 * a misconfigured function answers every call the same way instead of half working.
 */
export const configGuard = (runtime: FunctionRuntime): BinderMiddleware => ({
  before: function configGuardBefore() {
    if (runtime.configError !== undefined) throw runtime.configError
  },
})
