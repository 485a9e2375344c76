import type { MiddlewareObj } from '@middy/core'
import type { Context } from 'aws-lambda'
import type { Credentials } from '../bce/types.js'
import type { ConfigError } from '../errors/catalogue.js'

/** The Lambda context, with what the secrets middleware (`secretsLoader`) adds. */
export interface BinderContext extends Context {
  /**
   * The credentials secret from Secrets Manager, validated once per fetch: the same object
   * until a fetch brings other values, or the `ConfigError` saying why the secret is unusable.
   */
  bceCredentials?: Credentials | ConfigError
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
