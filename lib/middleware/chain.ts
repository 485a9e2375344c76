// What every function's middy chain is made of: its context and middleware types, and the two
// middlewares all three chains use (the order of the chain is explained in
// lib/handlers/httpHandler.ts, where it is built).
import type { MiddlewareObj } from '@middy/core'
import type { Context } from 'aws-lambda'
import type { Credentials } from '../bce/types.js'
import type { ConfigError } from '../errors/catalogue.js'
import { toCatalogued } from '../errors/outcomes.js'
import type { FunctionRuntime } from '../runtime/functionRuntime.js'

/** The Lambda context, with what the secrets middleware (`secretsLoader`) adds. */
export interface BinderContext extends Context {
  /**
   * The credentials secret from Secrets Manager, validated once per fetch: the same object
   * until a fetch brings other values, or the `ConfigError` saying why the secret is unusable.
   */
  bceCredentials?: Credentials | ConfigError
  /**
   * The webhook secret from Secrets Manager, validated once per fetch, or the `ConfigError`
   * saying why it is unusable.
   */
  webhookSecret?: string | ConfigError
}

/** A middy middleware over any event and result, with our context. */
export type BinderMiddleware<TEvent = unknown, TResult = unknown> = MiddlewareObj<
  TEvent,
  TResult,
  Error,
  BinderContext
>

/**
 * Fails the invocation with the `ConfigError` found at cold start, before anything else runs:
 * a misconfigured function answers every call the same way instead of half working.
 */
export const configGuard = (runtime: FunctionRuntime): BinderMiddleware => ({
  before: function configGuardBefore() {
    if (runtime.configError !== undefined) throw runtime.configError
  },
})

/**
 * Replaces whatever was thrown with its catalogued error (`toCatalogued`), so the middlewares
 * outside it (the outcome log) and a workflow's `Catch` only ever see catalogue names.
 */
export const catalogueErrors = (): BinderMiddleware => ({
  onError: function catalogueErrorsOnError(request) {
    request.error = toCatalogued(request.error)
  },
})
