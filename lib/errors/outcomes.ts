import { BinderError, type ErrorName, UnexpectedError, ValidationError } from './catalogue.js'

/** What one catalogued error means to each kind of caller. */
export interface ErrorOutcome {
  /** The HTTP status of the webhook's answer. */
  httpStatus: number
  /**
   * For a queue message: `redeliver` reports it in `batchItemFailures` so SQS delivers it
   * again; `dead-letter` sends it to the failure queue with its reason (or, without one,
   * reports it so the redrive policy moves it to the dead-letter queue).
   */
  queue: 'redeliver' | 'dead-letter'
  /** Whether the error's own message may be shown to an HTTP caller. */
  exposeMessage: boolean
}

/**
 * The one table from error to outcome, for every trigger. Workflows get the error itself: its
 * `name` is what `Retry`/`Catch` match with `ErrorEquals`.
 */
export const ERROR_OUTCOMES: Readonly<Record<ErrorName, ErrorOutcome>> = {
  ValidationError: { httpStatus: 400, queue: 'dead-letter', exposeMessage: true },
  Unauthorized: { httpStatus: 401, queue: 'dead-letter', exposeMessage: true },
  MethodNotAllowed: { httpStatus: 405, queue: 'dead-letter', exposeMessage: true },
  PayloadTooLarge: { httpStatus: 413, queue: 'dead-letter', exposeMessage: true },
  InstanceNotFound: { httpStatus: 404, queue: 'dead-letter', exposeMessage: true },
  SecurityGroupNotFound: { httpStatus: 404, queue: 'dead-letter', exposeMessage: true },
  SecurityGroupLimitExceeded: { httpStatus: 409, queue: 'dead-letter', exposeMessage: true },
  InstanceExpired: { httpStatus: 409, queue: 'dead-letter', exposeMessage: true },
  LastSecurityGroup: { httpStatus: 409, queue: 'dead-letter', exposeMessage: true },
  SecurityGroupKindConflict: { httpStatus: 409, queue: 'dead-letter', exposeMessage: true },
  IdempotencyConflict: { httpStatus: 409, queue: 'dead-letter', exposeMessage: true },
  BceRequestRejected: { httpStatus: 422, queue: 'dead-letter', exposeMessage: true },
  BceAuthFailed: { httpStatus: 502, queue: 'dead-letter', exposeMessage: true },
  BceUnavailable: { httpStatus: 503, queue: 'redeliver', exposeMessage: true },
  BceTimeout: { httpStatus: 504, queue: 'redeliver', exposeMessage: true },
  // The function cannot work until it is redeployed; keep the messages for then.
  ConfigError: { httpStatus: 500, queue: 'redeliver', exposeMessage: false },
  // A bug: keep the message (redelivery ends in the dead-letter queue through the redrive policy).
  UnexpectedError: { httpStatus: 500, queue: 'redeliver', exposeMessage: false },
}

/** Generic texts for errors whose own message stays in the logs. */
const HIDDEN_MESSAGES: Partial<Record<ErrorName, string>> = {
  ConfigError: 'The function is not configured correctly; its logs say how',
  UnexpectedError: 'An unexpected error occurred',
}

/** The package middy names in the `cause` of the error its JSON body parser throws. */
const JSON_BODY_PARSER = '@middy/http-json-body-parser'

/**
 * Any thrown value as a catalogued error; the one place where errors become catalogue errors.
 * A catalogued error is returned as it is, the JSON body parser's becomes a `ValidationError`,
 * and anything else an {@link UnexpectedError}.
 */
export function toCatalogued(error: unknown): BinderError {
  if (error instanceof BinderError) return error
  if (isFromMiddy(error, JSON_BODY_PARSER)) {
    return new ValidationError('Invalid webhook body', [
      { field: 'body', message: 'is not valid JSON' },
    ])
  }
  return new UnexpectedError(error)
}

/** True for an error a middy middleware threw: middy puts `{ package, data }` in its `cause`. */
function isFromMiddy(error: unknown, middyPackage: string): boolean {
  const cause = error instanceof Error ? error.cause : undefined
  return (
    typeof cause === 'object' &&
    cause !== null &&
    'package' in cause &&
    cause.package === middyPackage
  )
}

/** The outcome of an error, with the message that may be shown to the caller. */
export function outcomeOf(error: BinderError): ErrorOutcome & { publicMessage: string } {
  const outcome = ERROR_OUTCOMES[error.name]
  const publicMessage = outcome.exposeMessage
    ? error.message
    : (HIDDEN_MESSAGES[error.name] ?? 'An unexpected error occurred')
  return { ...outcome, publicMessage }
}
