import * as z from 'zod/mini'
import { parseEndpointOverride } from '../bcc/endpoints.js'
import { DEFAULT_REGION, type Region } from '../bcc/regions.js'
import { ConfigError } from '../errors/catalogue.js'
import { lazySchema } from '../lazySchema.js'
import {
  credentialCheck,
  integerVariable,
  requiredSecretVariable,
  unsetIfEmpty,
} from './envVariables.js'
import { toFieldIssues } from './issues.js'
import { RegionSchema } from './region.js'

/** Defaults of the tunables, with their units in their names. */
export const CONFIG_DEFAULTS = {
  timeoutMs: 3_000,
  maxAttempts: 4,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 5_000,
} as const

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

/** The variables that say how to reach BCC, whoever calls it. */
export const BccSettingsShape = {
  BCE_REGION: unsetIfEmpty(z.optional(RegionSchema)),
  BCC_ENDPOINT: endpointVariable,
  BCC_TIMEOUT_MS: integerVariable(100, 60_000, CONFIG_DEFAULTS.timeoutMs),
  BCC_MAX_ATTEMPTS: integerVariable(1, 10, CONFIG_DEFAULTS.maxAttempts),
  BCC_RETRY_BASE_MS: integerVariable(1, 60_000, CONFIG_DEFAULTS.retryBaseDelayMs),
  BCC_RETRY_MAX_DELAY_MS: integerVariable(1, 300_000, CONFIG_DEFAULTS.retryMaxDelayMs),
}

/** The credentials, from the environment. */
const EnvironmentCredentialsShape = {
  BCE_ACCESS_KEY_ID: requiredSecretVariable,
  BCE_SECRET_ACCESS_KEY: requiredSecretVariable,
  BCE_SESSION_TOKEN: unsetIfEmpty(
    z.optional(z.string({ error: 'must be a string' }).check(credentialCheck)),
  ),
}

/**
 * The environment the library reads. Every value arrives as a string, or not at all. Built on
 * first use: the functions read theirs with `FunctionEnvironmentSchema`.
 */
const EnvironmentSchema = lazySchema(() =>
  z.object({ ...EnvironmentCredentialsShape, ...BccSettingsShape }),
)

/** BCE credentials: an AK/SK pair, with the session token of temporary credentials. */
export interface BceCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

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

/** Validated configuration of the BCC side of the binder. */
export interface BinderConfig extends BccSettings {
  credentials: BceCredentials
}

/** Builds credentials, leaving out an absent session token. */
export function credentialsOf(
  accessKeyId: string,
  secretAccessKey: string,
  sessionToken: string | undefined,
): BceCredentials {
  return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) }
}

/** The settings part of a parsed environment. */
export function bccSettingsOf(
  vars: z.infer<z.ZodMiniObject<typeof BccSettingsShape>>,
): BccSettings {
  return {
    region: vars.BCE_REGION ?? DEFAULT_REGION,
    endpointOverride: vars.BCC_ENDPOINT,
    timeoutMs: vars.BCC_TIMEOUT_MS,
    maxAttempts: vars.BCC_MAX_ATTEMPTS,
    retryBaseDelayMs: vars.BCC_RETRY_BASE_MS,
    retryMaxDelayMs: vars.BCC_RETRY_MAX_DELAY_MS,
  }
}

/**
 * Reads and validates the configuration from `env`.
 *
 * @throws {ConfigError} naming every bad variable at once, never echoing a value.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): BinderConfig {
  const result = EnvironmentSchema.safeParse(env)
  if (!result.success) throw new ConfigError(toFieldIssues(result.error.issues))
  const vars = result.data
  return {
    credentials: credentialsOf(
      vars.BCE_ACCESS_KEY_ID,
      vars.BCE_SECRET_ACCESS_KEY,
      vars.BCE_SESSION_TOKEN,
    ),
    ...bccSettingsOf(vars),
  }
}
