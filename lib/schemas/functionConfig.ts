import * as z from 'zod/mini'
import { ConfigError, type FieldIssue } from '../errors/catalogue.js'
import { lazySchema } from '../lazySchema.js'
import {
  type BccSettings,
  BccSettingsShape,
  type BceCredentials,
  bccSettingsOf,
  credentialsOf,
} from './config.js'
import {
  credentialCheck,
  credentialProblem,
  integerVariable,
  optionalVariable,
  unsetIfEmpty,
} from './envVariables.js'
import { toFieldIssues } from './issues.js'

/** Defaults of the function-level tunables. */
export const FUNCTION_DEFAULTS = {
  queueConcurrency: 10,
  deadlineMarginMs: 1_000,
  secretsRefreshSeconds: 300,
} as const

/**
 * The smallest `DEADLINE_MARGIN_MS`. middy stops a handler itself 5 ms before Lambda's end
 * (`timeoutEarlyInMillis`, https://github.com/middyjs/middy/blob/main/packages/core/index.js),
 * with a bare `TimeoutError` (an HTTP 500, a whole queue batch failed); our deadline must come
 * first, with time to turn it into `BceTimeout`. Measured on a busy 2-core machine, margins up
 * to 20 ms still lost that race now and then; 50 and 100 never did.
 */
const MIN_DEADLINE_MARGIN_MS = 100

/**
 * A Standard Webhooks secret: `whsec_` and the base64 of the key, padded to a multiple of four
 * characters, as the `standardwebhooks` library's decoder expects (`@stablelib/base64`,
 * `_getPaddingLength`): it throws "incorrect padding" on every webhook for `whsec_ABC`.
 */
const WEBHOOK_SECRET_PATTERN = /^whsec_(?=(?:.{4})+$)[A-Za-z0-9+/]+={0,2}$/
const WEBHOOK_SECRET_MESSAGE = "must be a Standard Webhooks secret: 'whsec_' and padded base64"

const httpsUrlVariable = unsetIfEmpty(
  z.optional(z.url({ protocol: /^https$/, error: 'must be an https URL (an SQS queue URL)' })),
)

/** Every variable a function reads. */
const FunctionEnvironmentSchema = z.object({
  ...BccSettingsShape,
  BCE_ACCESS_KEY_ID: optionalVariable,
  BCE_SECRET_ACCESS_KEY: optionalVariable,
  BCE_SESSION_TOKEN: optionalVariable,
  BCE_CREDENTIALS_SECRET_ID: optionalVariable,
  WEBHOOK_SECRET: optionalVariable,
  WEBHOOK_SECRET_ID: optionalVariable,
  FAILURE_QUEUE_URL: httpsUrlVariable,
  QUEUE_CONCURRENCY: integerVariable(1, 100, FUNCTION_DEFAULTS.queueConcurrency),
  DEADLINE_MARGIN_MS: integerVariable(
    MIN_DEADLINE_MARGIN_MS,
    60_000,
    FUNCTION_DEFAULTS.deadlineMarginMs,
  ),
  SECRETS_REFRESH_SECONDS: integerVariable(1, 86_400, FUNCTION_DEFAULTS.secretsRefreshSeconds),
})

/** Where a secret comes from: the environment (local runs) or Secrets Manager (AWS). */
type SecretSource<T> =
  | { from: 'environment'; value: T }
  | { from: 'secretsManager'; secretId: string }

/** A function's validated configuration. */
export interface FunctionConfig {
  bcc: BccSettings
  credentials: SecretSource<BceCredentials>
  /** Only the HTTP function needs one. */
  webhookSecret: SecretSource<string> | undefined
  failureQueueUrl: string | undefined
  queueConcurrency: number
  deadlineMarginMs: number
  secretsRefreshSeconds: number
}

type Vars = z.infer<typeof FunctionEnvironmentSchema>

function credentialsSource(
  vars: Vars,
  issues: FieldIssue[],
): SecretSource<BceCredentials> | undefined {
  const {
    BCE_ACCESS_KEY_ID: ak,
    BCE_SECRET_ACCESS_KEY: sk,
    BCE_CREDENTIALS_SECRET_ID: secretId,
  } = vars
  if (secretId !== undefined) {
    if (ak !== undefined || sk !== undefined) {
      issues.push({
        field: 'BCE_CREDENTIALS_SECRET_ID',
        message:
          'is set together with BCE_ACCESS_KEY_ID/BCE_SECRET_ACCESS_KEY; set one or the other',
      })
    }
    return { from: 'secretsManager', secretId }
  }
  if (ak === undefined)
    issues.push({
      field: 'BCE_ACCESS_KEY_ID',
      message: 'is required (or set BCE_CREDENTIALS_SECRET_ID)',
    })
  if (sk === undefined)
    issues.push({
      field: 'BCE_SECRET_ACCESS_KEY',
      message: 'is required (or set BCE_CREDENTIALS_SECRET_ID)',
    })
  for (const [field, value] of [
    ['BCE_ACCESS_KEY_ID', ak],
    ['BCE_SECRET_ACCESS_KEY', sk],
    ['BCE_SESSION_TOKEN', vars.BCE_SESSION_TOKEN],
  ] as const) {
    const problem = value === undefined ? undefined : credentialProblem(value)
    if (problem !== undefined) issues.push({ field, message: problem })
  }
  if (ak === undefined || sk === undefined) return undefined
  return { from: 'environment', value: credentialsOf(ak, sk, vars.BCE_SESSION_TOKEN) }
}

function webhookSecretSource(vars: Vars, issues: FieldIssue[]): SecretSource<string> | undefined {
  if (vars.WEBHOOK_SECRET_ID !== undefined) {
    if (vars.WEBHOOK_SECRET !== undefined) {
      issues.push({
        field: 'WEBHOOK_SECRET_ID',
        message: 'is set together with WEBHOOK_SECRET; set one or the other',
      })
    }
    return { from: 'secretsManager', secretId: vars.WEBHOOK_SECRET_ID }
  }
  if (vars.WEBHOOK_SECRET === undefined) {
    issues.push({ field: 'WEBHOOK_SECRET', message: 'is required (or set WEBHOOK_SECRET_ID)' })
    return undefined
  }
  if (!WEBHOOK_SECRET_PATTERN.test(vars.WEBHOOK_SECRET)) {
    issues.push({ field: 'WEBHOOK_SECRET', message: WEBHOOK_SECRET_MESSAGE })
    return undefined
  }
  return { from: 'environment', value: vars.WEBHOOK_SECRET }
}

/** True when `value` is a usable Standard Webhooks secret. */
export function isWebhookSecret(value: unknown): value is string {
  return typeof value === 'string' && WEBHOOK_SECRET_PATTERN.test(value)
}

/**
 * Reads and validates a function's configuration, once, at cold start.
 *
 * @param needs.webhookSecret the HTTP function needs `WEBHOOK_SECRET` or `WEBHOOK_SECRET_ID`
 * @throws {ConfigError} naming every bad variable at once, never echoing a value.
 */
export function loadFunctionConfig(
  env: Readonly<Record<string, string | undefined>>,
  needs: { webhookSecret: boolean },
): FunctionConfig {
  const parsed = FunctionEnvironmentSchema.safeParse(env)
  if (!parsed.success) throw new ConfigError(toFieldIssues(parsed.error.issues))
  const vars = parsed.data
  const issues: FieldIssue[] = []
  const credentials = credentialsSource(vars, issues)
  const webhookSecret = needs.webhookSecret ? webhookSecretSource(vars, issues) : undefined
  if (issues.length > 0 || credentials === undefined) throw new ConfigError(issues)
  return {
    bcc: bccSettingsOf(vars),
    credentials,
    webhookSecret,
    failureQueueUrl: vars.FAILURE_QUEUE_URL,
    queueConcurrency: vars.QUEUE_CONCURRENCY,
    deadlineMarginMs: vars.DEADLINE_MARGIN_MS,
    secretsRefreshSeconds: vars.SECRETS_REFRESH_SECONDS,
  }
}

/** The shape of the BCE credentials secret: JSON `{ accessKeyId, secretAccessKey, sessionToken? }`. */
const credential = (error: string) =>
  z.string({ error }).check(z.minLength(1, { error }), credentialCheck)

const CredentialsSecretSchema = lazySchema(() =>
  z.object(
    {
      accessKeyId: credential('is required'),
      secretAccessKey: credential('is required'),
      sessionToken: z.optional(credential('must be a non-empty string when present')),
    },
    { error: 'must be a JSON object { accessKeyId, secretAccessKey, sessionToken? }' },
  ),
)

/**
 * Validates the value of the BCE credentials secret.
 *
 * @throws {ConfigError} with fields under `BCE_CREDENTIALS_SECRET_ID`, never the values.
 */
export function parseCredentialsSecret(value: unknown): BceCredentials {
  const parsed = CredentialsSecretSchema.safeParse(value)
  if (!parsed.success)
    throw new ConfigError(toFieldIssues(parsed.error.issues, 'BCE_CREDENTIALS_SECRET_ID'))
  const { accessKeyId, secretAccessKey, sessionToken } = parsed.data
  return credentialsOf(accessKeyId, secretAccessKey, sessionToken)
}
