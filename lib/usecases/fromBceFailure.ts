import {
  BccAttemptTimeout,
  BccErrorAnswer,
  BccNetworkError,
  BccUnexpectedAnswer,
} from '../bcc/errors.js'
import { isRetryable, type RetryResult } from '../bcc/retry.js'
import {
  BceAuthFailed,
  type BceErrorContext,
  BceRequestRejected,
  BceTimeout,
  BceUnavailable,
  type BinderError,
  IdempotencyConflict,
  InstanceExpired,
  InstanceNotFound,
  LastSecurityGroup,
  SecurityGroupLimitExceeded,
  SecurityGroupNotFound,
  ValidationError,
} from '../errors/catalogue.js'

/** Codes meaning "no such thing". BCC publishes none for bind; these are what client code treats so. */
const NOT_FOUND_CODES: ReadonlySet<string> = new Set([
  'NoSuchObject',
  'InstanceNotExist',
  'InstanceNotFound',
  'NotFound',
  'ResourceNotFound',
])

/** Codes meaning BCE refused who we are or how we signed. */
const AUTH_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidHTTPAuthHeader',
  // Still refused after fresh signatures: our clock is off, which no retry cures.
  'RequestExpired',
  'RequestTimeTooSkewed',
])

/** 404 answers that are about the request, not about a missing instance or group. */
const NOT_ABOUT_A_RESOURCE: ReadonlySet<string> = new Set(['InvalidVersion', 'InvalidURI'])

/**
 * Codes with a catalogue entry of their own: the published bind errors, and the common table's
 * `IdempotentParameterMismatch` (a `clientToken` reused with other parameters). The last-group
 * rule's code is published with 400 (bind page) and its refusal with 403 (unbind page): the
 * code decides, whatever the status.
 */
const SPECIFIC_CODES = new Map<
  string,
  | typeof SecurityGroupLimitExceeded
  | typeof InstanceExpired
  | typeof LastSecurityGroup
  | typeof IdempotencyConflict
>([
  ['SecurityGroup.BindInstanceExceededLimit', SecurityGroupLimitExceeded],
  ['SecurityGroup.ExpiredInstanceForbiddenBind', InstanceExpired],
  ['SecurityGroup.NoSecurityGroup', LastSecurityGroup],
  ['IdempotentParameterMismatch', IdempotencyConflict],
])

/** Which thing a not-found answer is about; BCE's answer alone does not say. */
export type NotFoundSubject = 'instance' | 'securityGroup'

/**
 * True when BCE's answer says that something does not exist: a not-found code, or a 404
 * whose code is not about the request itself (a wrong API version or URI is a refusal).
 */
function isNotFoundAnswer(error: BccErrorAnswer): boolean {
  return (
    NOT_FOUND_CODES.has(error.code) ||
    (error.status === 404 && !NOT_ABOUT_A_RESOURCE.has(error.code))
  )
}

/** True when `error` is BCE saying that something does not exist. */
export function isNotFound(error: unknown): error is BccErrorAnswer {
  return error instanceof BccErrorAnswer && isNotFoundAnswer(error)
}

/** A guess from the answer's own words, for when nothing better is known. */
export function guessNotFoundSubject(error: BccErrorAnswer): NotFoundSubject {
  return /security ?group/i.test(`${error.code} ${error.message}`) ? 'securityGroup' : 'instance'
}

type Failure = Extract<RetryResult<unknown>, { ok: false }>

/**
 * Maps a failed, retried BCC call to the catalogue. Errors this module does not know (bugs) come
 * back unchanged, so they surface as themselves rather than as a BCE problem.
 */
export function fromBceFailure(
  failure: Failure,
  notFoundSubject: NotFoundSubject,
  action: 'bind' | 'unbind' = 'bind',
): Error {
  const { error, attempts } = failure
  if (failure.stoppedBy === 'deadline') {
    return new BceTimeout(`The deadline ran out after ${attempts} attempt(s) to call BCC`, {
      attempts,
      ...serviceContext(error),
    })
  }
  if (failure.stoppedBy === 'retry-after') {
    return new BceUnavailable('BCC asked to retry later than this invocation can wait', {
      attempts,
      ...serviceContext(error),
      retryAfterSeconds: Math.ceil((failure.retryAfterMs ?? 0) / 1000),
    })
  }
  if (error instanceof ValidationError) return error
  if (error instanceof BccAttemptTimeout) {
    return new BceTimeout(`BCC did not answer in time (${attempts} attempt(s))`, {
      attempts,
      cause: error,
    })
  }
  if (error instanceof BccNetworkError || error instanceof BccUnexpectedAnswer) {
    return new BceUnavailable(
      `BCC could not be reached reliably (${attempts} attempt(s)): ${error.message}`,
      {
        attempts,
        cause: error,
        bceRequestId: error instanceof BccUnexpectedAnswer ? error.requestId : undefined,
      },
    )
  }
  if (error instanceof BccErrorAnswer) {
    return fromServiceError(error, attempts, notFoundSubject, action)
  }
  return error instanceof Error ? error : new Error('Unknown failure calling BCC')
}

function fromServiceError(
  error: BccErrorAnswer,
  attempts: number,
  subject: NotFoundSubject,
  action: 'bind' | 'unbind',
): BinderError {
  const context = { attempts, ...serviceContext(error) }
  const said = `${error.code} (HTTP ${error.status}): ${error.message}`
  const specific = SPECIFIC_CODES.get(error.code)
  if (specific !== undefined) return new specific(`BCC refused the ${action}: ${said}`, context)
  if (isNotFoundAnswer(error)) {
    return subject === 'securityGroup'
      ? new SecurityGroupNotFound(`BCC says the security group does not exist: ${said}`, context)
      : new InstanceNotFound(`BCC says the instance does not exist: ${said}`, context)
  }
  if (AUTH_CODES.has(error.code)) {
    return new BceAuthFailed(`BCC refused our credentials or signature: ${said}`, context)
  }
  // What another attempt could have got past (the retry loop's own rule), or any other 5xx: the
  // server's fault, not the request's.
  if (isRetryable(error) || error.status >= 500) {
    const retryAfterSeconds =
      error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000)
    return new BceUnavailable(`BCC kept failing (${attempts} attempt(s)): ${said}`, {
      ...context,
      retryAfterSeconds,
    })
  }
  return new BceRequestRejected(`BCC refused the request: ${said}`, context)
}

/** What a catalogue error carries of a failed BCC call: BCC's code and request id, and the cause. */
export function serviceContext(error: unknown): BceErrorContext {
  return error instanceof BccErrorAnswer
    ? { bceCode: error.code, bceRequestId: error.requestId, cause: error }
    : { cause: error }
}
