import type { MiddlewareObj } from '@middy/core'
import type { Context } from 'aws-lambda'
import type { BindDependencies } from '../usecases/bind.js'

/** The Lambda context as our middlewares leave it for the handler. */
export interface BinderContext extends Context {
  /** Set by `deadlineAndRetry`: what `bind` needs for this invocation. */
  bindDependencies?: BindDependencies
  /** Set by the secrets middleware from Secrets Manager (unvalidated JSON). */
  bceCredentials?: unknown
  /** Set by the secrets middleware from Secrets Manager. */
  webhookSecret?: unknown
}

/** A middy middleware over any event and result, with our context. */
export type BinderMiddleware<TEvent = unknown, TResult = unknown> = MiddlewareObj<
  TEvent,
  TResult,
  Error,
  BinderContext
>
