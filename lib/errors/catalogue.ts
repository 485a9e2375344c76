/**
 * The error catalogue: every failure a caller of bcc-sg-binder can see has one of these stable
 * `name`s. HTTP statuses, SQS batch decisions and Step Functions `ErrorEquals` values are keyed
 * on them, so a name never changes once released.
 */
export const ERROR_NAMES = [
  'ValidationError',
  'InstanceNotFound',
  'SecurityGroupNotFound',
  'SecurityGroupLimitExceeded',
  'InstanceExpired',
  'LastSecurityGroup',
  'SecurityGroupKindConflict',
  'IdempotencyConflict',
  'BceRequestRejected',
  'BceAuthFailed',
  'BceUnavailable',
  'BceTimeout',
  'ConfigError',
  'Unauthorized',
  'PayloadTooLarge',
  'MethodNotAllowed',
  'UnexpectedError',
] as const

/** One of the catalogue's stable error names. */
export type ErrorName = (typeof ERROR_NAMES)[number]

/** What BCE said, and how hard we tried, when a catalogued error came from a BCC call. */
export interface BceErrorContext {
  /** BCE's error `code` (from the body, or guessed from the status when the body had none). */
  bceCode?: string | undefined
  /** BCE's `x-bce-request-id`, to quote to Baidu support. */
  bceRequestId?: string | undefined
  /** How many bind attempts were made. */
  attempts?: number | undefined
  /** When BCE asked us to come back later (`Retry-After`), in whole seconds. */
  retryAfterSeconds?: number | undefined
  /** The lower-level error, for logs. Never holds credentials. */
  cause?: unknown
  /** True when a dry run predicts this error: the real call would end in it, none was made. */
  dryRun?: boolean | undefined
}

/** The base of every catalogued error. Its message is safe to show to the caller. */
export abstract class BinderError extends Error {
  abstract override readonly name: ErrorName
  /** True when the same request may succeed later without change. */
  abstract readonly retryable: boolean
  readonly bceCode: string | undefined
  readonly bceRequestId: string | undefined
  readonly attempts: number | undefined
  readonly retryAfterSeconds: number | undefined
  /** What callers see beside the message: `{ dryRun: true }` for a predicted error. */
  readonly details: { dryRun: true } | undefined

  constructor(message: string, context: BceErrorContext = {}) {
    // A workflow sees only the name and the message, so the message says it was predicted.
    super(
      context.dryRun === true ? `Dry run, predicted: ${message}` : message,
      context.cause === undefined ? undefined : { cause: context.cause },
    )
    this.details = context.dryRun === true ? { dryRun: true } : undefined
    this.bceCode = context.bceCode
    this.bceRequestId = context.bceRequestId
    this.attempts = context.attempts
    this.retryAfterSeconds = context.retryAfterSeconds
  }
}

/** One field that failed validation, and why. `field` is a dotted path (`Records.0.body`). */
export interface FieldIssue {
  field: string
  message: string
}

/** Input failed its schema. Lists every bad field; never echoes the values. */
export class ValidationError extends BinderError {
  override readonly name = 'ValidationError'
  readonly retryable = false
  readonly issues: readonly FieldIssue[]

  constructor(what: string, issues: readonly FieldIssue[]) {
    super(`${what}: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`)
    this.issues = issues
  }
}

/** Configuration (environment, secrets) is missing or invalid; names every bad variable. */
export class ConfigError extends BinderError {
  override readonly name = 'ConfigError'
  readonly retryable = false
  readonly issues: readonly FieldIssue[]

  constructor(issues: readonly FieldIssue[]) {
    super(
      `Invalid configuration: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`,
    )
    this.issues = issues
  }
}

/** BCE says the instance does not exist. */
export class InstanceNotFound extends BinderError {
  override readonly name = 'InstanceNotFound'
  readonly retryable = false
}

/** BCE says the security group does not exist. */
export class SecurityGroupNotFound extends BinderError {
  override readonly name = 'SecurityGroupNotFound'
  readonly retryable = false
}

/** The instance already has the maximum number of security groups (10). */
export class SecurityGroupLimitExceeded extends BinderError {
  override readonly name = 'SecurityGroupLimitExceeded'
  readonly retryable = false
}

/** The instance is expired or in debt, and BCE refuses to bind it. */
export class InstanceExpired extends BinderError {
  override readonly name = 'InstanceExpired'
  readonly retryable = false
}

/** An instance keeps at least one security group: unbinding its last one is refused. */
export class LastSecurityGroup extends BinderError {
  override readonly name = 'LastSecurityGroup'
  readonly retryable = false
}

/** An instance uses regular or enterprise security groups, never both. */
export class SecurityGroupKindConflict extends BinderError {
  override readonly name = 'SecurityGroupKindConflict'
  readonly retryable = false
}

/** BCC saw the same `clientToken` with other parameters (`IdempotentParameterMismatch`). */
export class IdempotencyConflict extends BinderError {
  override readonly name = 'IdempotencyConflict'
  readonly retryable = false
}

/** Any other BCE 4xx: BCE understood the request and refused it. */
export class BceRequestRejected extends BinderError {
  override readonly name = 'BceRequestRejected'
  readonly retryable = false
}

/** BCE refused our credentials or signature. A configuration problem on our side. */
export class BceAuthFailed extends BinderError {
  override readonly name = 'BceAuthFailed'
  readonly retryable = false
}

/** BCE kept failing (5xx, 429 or network errors) until the attempts ran out. */
export class BceUnavailable extends BinderError {
  override readonly name = 'BceUnavailable'
  readonly retryable = true
}

/** The deadline ran out, or BCE did not answer within the per-attempt timeout. */
export class BceTimeout extends BinderError {
  override readonly name = 'BceTimeout'
  readonly retryable = true
}

/** A webhook without a valid Standard Webhooks signature: missing, forged, stale or replayed. */
export class Unauthorized extends BinderError {
  override readonly name = 'Unauthorized'
  readonly retryable = false
}

/** A webhook body over the size limit. */
export class PayloadTooLarge extends BinderError {
  override readonly name = 'PayloadTooLarge'
  readonly retryable = false
}

/** A webhook with another method than POST. */
export class MethodNotAllowed extends BinderError {
  override readonly name = 'MethodNotAllowed'
  readonly retryable = false
}

/** Anything not in the catalogue: a bug. Its message never carries the internals. */
export class UnexpectedError extends BinderError {
  override readonly name = 'UnexpectedError'
  readonly retryable = false

  constructor(cause: unknown) {
    super('An unexpected error occurred', { cause })
  }
}
