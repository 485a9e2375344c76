import type { MiddlewareObj } from '@middy/core'
import type { Context } from 'aws-lambda'

/** The Lambda context, with what the secrets middleware (`secretsLoader`) adds. */
export interface BinderContext extends Context {
  /** The credentials secret from Secrets Manager (unvalidated JSON). */
  bceCredentials?: unknown
  /** The webhook secret from Secrets Manager. */
  webhookSecret?: unknown
}

/** A middy middleware over any event and result, with our context. */
export type BinderMiddleware<TEvent = unknown, TResult = unknown> = MiddlewareObj<
  TEvent,
  TResult,
  Error,
  BinderContext
>
