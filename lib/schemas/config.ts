import * as z from 'zod/mini'
import {
  DEFAULT_REGION,
  parseEndpointOverride,
  type Region,
  RegionSchema,
} from '../bcc/endpoints.js'
import { DEFAULT_RETRY_POLICY } from '../bcc/retry.js'
import type { Credentials } from '../bce/types.js'
import { ConfigError, type FieldIssue } from '../errors/catalogue.js'
import { lazySchema } from '../lazySchema.js'
import { toFieldIssues } from './issues.js'

/**
 * The default of every tunable setting, by the variable that sets it: the one place in code
 * that says them (the BCC ones come from the retry policy's own defaults). `serverless.yml`
 * repeats them as `params.default`, so that each can be set with `--param`;
 * test/deploy/bundles.test.ts checks that the two agree.
 */
export const SETTING_DEFAULTS = {
  BCE_REGION: DEFAULT_REGION,
  BCC_TIMEOUT_MS: DEFAULT_RETRY_POLICY.attemptTimeoutMs,
  BCC_MAX_ATTEMPTS: DEFAULT_RETRY_POLICY.maxAttempts,
  BCC_RETRY_BASE_MS: DEFAULT_RETRY_POLICY.baseDelayMs,
  BCC_RETRY_MAX_DELAY_MS: DEFAULT_RETRY_POLICY.maxDelayMs,
  QUEUE_CONCURRENCY: 10,
  DEADLINE_MARGIN_MS: 1_000,
  SECRETS_REFRESH_SECONDS: 300,
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

// ---- Variables: every value arrives as a string, or not at all ----

/** An unset variable and an empty one mean the same (deploy tools often write `''`). */
const unsetIfEmpty = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(
    z.transform((value: unknown) => (value === '' ? undefined : value)),
    schema,
  )

/** A whole number in `[min, max]`, given as a string, or `fallback` when unset. */
const integerVariable = (min: number, max: number, fallback: number) =>
  unsetIfEmpty(
    z.pipe(
      z.optional(
        z.pipe(
          z
            .string()
            .check(z.regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })),
          z.pipe(
            z.transform(Number),
            z
              .number()
              .check(
                z.minimum(min, { error: `must be at least ${min}` }),
                z.maximum(max, { error: `must be at most ${max}` }),
              ),
          ),
        ),
      ),
      z.transform((value) => value ?? fallback),
    ),
  )

/** An optional string variable. */
const optionalVariable = unsetIfEmpty(z.optional(z.string({ error: 'must be a string' })))

const endpointVariable = unsetIfEmpty(
  z.pipe(
    z.optional(z.string({ error: 'must be a string' })),
    z.transform((value, ctx) => {
      if (value === undefined) return undefined
      const parsed = parseEndpointOverride(value)
      if ('origin' in parsed) return parsed.origin
      ctx.issues.push({ code: 'custom', message: parsed.error, input: value })
      return z.NEVER
    }),
  ),
)

const httpsUrlVariable = unsetIfEmpty(
  z.optional(z.url({ protocol: /^https$/, error: 'must be an https URL (an SQS queue URL)' })),
)

/** Every variable a function reads. */
const FunctionEnvironmentSchema = z.object({
  BCE_REGION: unsetIfEmpty(z.optional(RegionSchema)),
  BCC_ENDPOINT: endpointVariable,
  BCC_TIMEOUT_MS: integerVariable(100, 60_000, SETTING_DEFAULTS.BCC_TIMEOUT_MS),
  BCC_MAX_ATTEMPTS: integerVariable(1, 10, SETTING_DEFAULTS.BCC_MAX_ATTEMPTS),
  BCC_RETRY_BASE_MS: integerVariable(1, 60_000, SETTING_DEFAULTS.BCC_RETRY_BASE_MS),
  BCC_RETRY_MAX_DELAY_MS: integerVariable(1, 300_000, SETTING_DEFAULTS.BCC_RETRY_MAX_DELAY_MS),
  BCE_ACCESS_KEY_ID: optionalVariable,
  BCE_SECRET_ACCESS_KEY: optionalVariable,
  BCE_SESSION_TOKEN: optionalVariable,
  BCE_CREDENTIALS_SECRET_ID: optionalVariable,
  WEBHOOK_SECRET: optionalVariable,
  WEBHOOK_SECRET_ID: optionalVariable,
  FAILURE_QUEUE_URL: httpsUrlVariable,
  QUEUE_CONCURRENCY: integerVariable(1, 100, SETTING_DEFAULTS.QUEUE_CONCURRENCY),
  DEADLINE_MARGIN_MS: integerVariable(
    MIN_DEADLINE_MARGIN_MS,
    60_000,
    SETTING_DEFAULTS.DEADLINE_MARGIN_MS,
  ),
  SECRETS_REFRESH_SECONDS: integerVariable(1, 86_400, SETTING_DEFAULTS.SECRETS_REFRESH_SECONDS),
})

type Vars = z.infer<typeof FunctionEnvironmentSchema>

// ---- The configuration ----

/** How to reach BCC, without the credentials. */
export interface BccSettings {
  region: Region
  /** An origin that replaces the regional endpoint (the emulator, a proxy). */
  endpointOverride: string | undefined
  timeoutMs: number
  maxAttempts: number
  retryBaseDelayMs: number
  retryMaxDelayMs: number
}

/** Where a secret comes from: the environment (local runs) or Secrets Manager (AWS). */
type SecretSource<T> =
  | { from: 'environment'; value: T }
  | { from: 'secretsManager'; secretId: string }

/** A function's validated configuration. */
export interface FunctionConfig {
  bcc: BccSettings
  credentials: SecretSource<Credentials>
  /** Only the HTTP function needs one. */
  webhookSecret: SecretSource<string> | undefined
  failureQueueUrl: string | undefined
  queueConcurrency: number
  deadlineMarginMs: number
  secretsRefreshSeconds: number
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
    bcc: {
      region: vars.BCE_REGION ?? DEFAULT_REGION,
      endpointOverride: vars.BCC_ENDPOINT,
      timeoutMs: vars.BCC_TIMEOUT_MS,
      maxAttempts: vars.BCC_MAX_ATTEMPTS,
      retryBaseDelayMs: vars.BCC_RETRY_BASE_MS,
      retryMaxDelayMs: vars.BCC_RETRY_MAX_DELAY_MS,
    },
    credentials,
    webhookSecret,
    failureQueueUrl: vars.FAILURE_QUEUE_URL,
    queueConcurrency: vars.QUEUE_CONCURRENCY,
    deadlineMarginMs: vars.DEADLINE_MARGIN_MS,
    secretsRefreshSeconds: vars.SECRETS_REFRESH_SECONDS,
  }
}

function credentialsSource(
  vars: Vars,
  issues: FieldIssue[],
): SecretSource<Credentials> | undefined {
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

// ---- Secrets ----

/**
 * The webhook secret fetched from Secrets Manager (`WEBHOOK_SECRET_ID`), checked as
 * `WEBHOOK_SECRET` is at cold start.
 *
 * @throws {ConfigError} naming `WEBHOOK_SECRET_ID`, never the value
 */
export function parseWebhookSecret(value: unknown): string {
  if (typeof value === 'string' && WEBHOOK_SECRET_PATTERN.test(value)) return value
  throw new ConfigError([
    { field: 'WEBHOOK_SECRET_ID', message: `the secret ${WEBHOOK_SECRET_MESSAGE}` },
  ])
}

/**
 * Why a credential (access key id, secret access key, session token) cannot be used, or
 * undefined. BCE issues them as visible ASCII; the key id and the token travel in HTTP headers,
 * where Node refuses a line break or a character outside Latin-1 (`ERR_INVALID_CHAR`, see
 * `validateHeaderValue` in https://nodejs.org/api/http.html), so every call would fail.
 */
function credentialProblem(value: string): string | undefined {
  if (value.trim() !== value) return 'must not have leading or trailing white space'
  if (!/^[\x21-\x7e]*$/.test(value)) {
    return 'must hold only visible ASCII characters (no spaces, line breaks or other characters)'
  }
  return undefined
}

/** A credential in the secret: a non-empty string that passes {@link credentialProblem}. */
const credential = (error: string) =>
  z.string({ error }).check(
    z.minLength(1, { error }),
    z.superRefine((value: string, ctx) => {
      const problem = credentialProblem(value)
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem })
    }),
  )

/** The shape of the BCE credentials secret: JSON `{ accessKeyId, secretAccessKey, sessionToken? }`. */
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
export function parseCredentialsSecret(value: unknown): Credentials {
  const parsed = CredentialsSecretSchema.safeParse(value)
  if (!parsed.success)
    throw new ConfigError(toFieldIssues(parsed.error.issues, 'BCE_CREDENTIALS_SECRET_ID'))
  const { accessKeyId, secretAccessKey, sessionToken } = parsed.data
  return credentialsOf(accessKeyId, secretAccessKey, sessionToken)
}

/** Builds credentials, leaving out an absent session token. */
function credentialsOf(
  accessKeyId: string,
  secretAccessKey: string,
  sessionToken: string | undefined,
): Credentials {
  return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) }
}
