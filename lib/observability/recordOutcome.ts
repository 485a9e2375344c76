import { MetricUnit } from '@aws-lambda-powertools/metrics'
import { INSTANCE_ID_PATTERN, isSecurityGroupId } from '../bcc/client.js'
import { isRegion } from '../bcc/endpoints.js'
import { redactSecrets } from '../bcc/responses.js'
import type { BinderError } from '../errors/catalogue.js'
import type { FunctionRuntime, Trigger } from '../runtime/functionRuntime.js'
import type { BindOutcome } from '../usecases/bind.js'

/** What happened to one bind request, as one log line and a few metrics. */
export interface OutcomeFields {
  trigger: Trigger
  instanceId?: string | undefined
  securityGroupId?: string | undefined
  region?: string | undefined
  /** The outcome on success, or the catalogue name of the error. */
  outcome: BindOutcome['status'] | BinderError['name']
  bceCode?: string | undefined
  bceRequestId?: string | undefined
  attempts?: number | undefined
  durationMs?: number | undefined
  /** The Lambda request id, or the SQS message id for a queue record. */
  awsRequestId?: string | undefined
  messageId?: string | undefined
  /** For a queue record: what became of it. */
  disposition?: 'done' | 'redeliver' | 'failure-queue' | 'dead-letter-queue' | undefined
  errorMessage?: string | undefined
  /** A bug's (`UnexpectedError`) cause's stack frames, as generated (docs/stack-traces.md). */
  errorStack?: string[] | undefined
  /** True for an error a dry run predicted. */
  dryRun?: true | undefined
}

/**
 * The ids of a payload that are safe to log: only well-formed ones, so that an invalid (maybe
 * huge, maybe hostile) value never reaches the logs.
 */
export function loggableIds(
  payload: unknown,
): Pick<OutcomeFields, 'instanceId' | 'securityGroupId' | 'region'> {
  if (typeof payload !== 'object' || payload === null) return {}
  const field = (name: string): unknown =>
    name in payload ? Reflect.get(payload, name) : undefined
  const instanceId = field('instanceId')
  const securityGroupId = field('securityGroupId')
  const region = field('region')
  return {
    ...(typeof instanceId === 'string' && INSTANCE_ID_PATTERN.test(instanceId)
      ? { instanceId }
      : {}),
    ...(typeof securityGroupId === 'string' && isSecurityGroupId(securityGroupId)
      ? { securityGroupId }
      : {}),
    ...(typeof region === 'string' && isRegion(region) ? { region } : {}),
  }
}

/** The fields of a success. */
export function successFields(outcome: BindOutcome): Omit<OutcomeFields, 'trigger'> {
  const { status, instanceId, securityGroupId, region, bceRequestId, attempts, durationMs } =
    outcome
  return {
    outcome: status,
    instanceId,
    securityGroupId,
    region,
    bceRequestId,
    attempts,
    durationMs,
  }
}

/** The fields of a failure. The message is the catalogued one, which holds no secret. */
export function failureFields(error: BinderError): Omit<OutcomeFields, 'trigger'> {
  const cause = error.cause
  const causeText = cause instanceof Error ? ` (cause: ${cause.name}: ${cause.message})` : ''
  return {
    outcome: error.name,
    bceCode: error.bceCode,
    bceRequestId: error.bceRequestId,
    attempts: error.attempts,
    dryRun: error.details?.dryRun,
    // A bug's cause is unknown text: cut it and take out anything shaped like a signature.
    errorMessage: redactSecrets(
      `${error.message}${error.name === 'UnexpectedError' ? causeText : ''}`,
      [],
    ),
    errorStack: error.name === 'UnexpectedError' ? stackFrames(cause) : undefined,
  }
}

/**
 * The `at ...` lines of an error's stack: where the code was, without the message line (already
 * in `errorMessage`, redacted). Positions are in the minified bundle; the `.map` beside it
 * decodes them offline (docs/stack-traces.md), so no source-map flag slows the cold start.
 */
function stackFrames(cause: unknown): string[] | undefined {
  const stack = cause instanceof Error ? (cause.stack ?? '') : ''
  const frames = stack
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
  return frames.length === 0 ? undefined : frames
}

const SUCCESS_STATUSES: ReadonlySet<string> = new Set([
  'bound',
  'already-bound',
  'would-bind',
  'unbound',
  'already-unbound',
  'would-unbind',
] satisfies BindOutcome['status'][])

const FAILURES_LOGGED_AS_ERRORS = new Set(['UnexpectedError', 'ConfigError', 'BceAuthFailed'])

/** Writes the outcome's one log line and its metrics (count by outcome, attempts, bind duration). */
export function recordOutcome(runtime: FunctionRuntime, fields: OutcomeFields): void {
  const line = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))
  const succeeded = SUCCESS_STATUSES.has(fields.outcome)
  if (succeeded) runtime.logger.info('bind outcome', line)
  else if (FAILURES_LOGGED_AS_ERRORS.has(fields.outcome)) runtime.logger.error('bind outcome', line)
  else runtime.logger.warn('bind outcome', line)

  // One EMF document per outcome: a batch mixes outcomes, and dimensions are per document.
  // Adding and publishing run without an await between them, so concurrent records never mix.
  const { metrics } = runtime
  metrics.addDimensions({ trigger: fields.trigger, outcome: fields.outcome })
  metrics.addMetric('Outcome', MetricUnit.Count, 1)
  if (fields.attempts !== undefined)
    metrics.addMetric('Attempts', MetricUnit.Count, fields.attempts)
  if (fields.durationMs !== undefined) {
    metrics.addMetric('BindDuration', MetricUnit.Milliseconds, fields.durationMs)
    // The same value under its former name, which said less than it measures (the whole bind,
    // back-off waits included), kept while dashboards made before use it (docs/operations.md).
    metrics.addMetric('BceLatency', MetricUnit.Milliseconds, fields.durationMs)
  }
  metrics.publishStoredMetrics()
}
