import * as z from 'zod'
import { parseEndpointOverride } from '../bcc/endpoints.js'
import { DEFAULT_REGION, type Region } from '../bcc/regions.js'
import { ConfigError } from '../errors/catalogue.js'
import { toFieldIssues } from './issues.js'
import { RegionSchema } from './region.js'

/** Defaults of the tunables, with their units in their names. */
export const CONFIG_DEFAULTS = {
  timeoutMs: 3_000,
  maxAttempts: 4,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 5_000,
} as const

/** An unset variable and an empty one mean the same (deploy tools often write `''`). */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value)

const integerVariable = (min: number, max: number, fallback: number) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(min, { error: `must be at least ${min}` })
          .max(max, { error: `must be at most ${max}` }),
      )
      .optional()
      .transform((value) => value ?? fallback),
  )

const requiredSecret = z.preprocess(
  unsetIfEmpty,
  z.string({ error: 'is required' }).refine((value) => value.trim() === value, {
    error: 'must not have leading or trailing white space',
  }),
)

const endpointVariable = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined
      const parsed = parseEndpointOverride(value)
      if ('origin' in parsed) return parsed.origin
      ctx.issues.push({ code: 'custom', message: parsed.error, input: value })
      return z.NEVER
    }),
)

/** The environment this project reads. Every value arrives as a string, or not at all. */
export const EnvironmentSchema = z.object({
  BCE_ACCESS_KEY_ID: requiredSecret,
  BCE_SECRET_ACCESS_KEY: requiredSecret,
  BCE_SESSION_TOKEN: z.preprocess(unsetIfEmpty, z.string().optional()),
  BCE_REGION: z.preprocess(unsetIfEmpty, RegionSchema.optional()),
  BCC_ENDPOINT: endpointVariable,
  BCC_TIMEOUT_MS: integerVariable(100, 60_000, CONFIG_DEFAULTS.timeoutMs),
  BCC_MAX_ATTEMPTS: integerVariable(1, 10, CONFIG_DEFAULTS.maxAttempts),
  BCC_RETRY_BASE_MS: integerVariable(1, 60_000, CONFIG_DEFAULTS.retryBaseDelayMs),
  BCC_RETRY_MAX_DELAY_MS: integerVariable(1, 300_000, CONFIG_DEFAULTS.retryMaxDelayMs),
})

/** Validated configuration of the BCC side of the binder. */
export interface BinderConfig {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  region: Region
  /** An origin that replaces the regional endpoint (the emulator, a proxy). */
  endpointOverride: string | undefined
  timeoutMs: number
  maxAttempts: number
  retryBaseDelayMs: number
  retryMaxDelayMs: number
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
    credentials: {
      accessKeyId: vars.BCE_ACCESS_KEY_ID,
      secretAccessKey: vars.BCE_SECRET_ACCESS_KEY,
      ...(vars.BCE_SESSION_TOKEN === undefined ? {} : { sessionToken: vars.BCE_SESSION_TOKEN }),
    },
    region: vars.BCE_REGION ?? DEFAULT_REGION,
    endpointOverride: vars.BCC_ENDPOINT,
    timeoutMs: vars.BCC_TIMEOUT_MS,
    maxAttempts: vars.BCC_MAX_ATTEMPTS,
    retryBaseDelayMs: vars.BCC_RETRY_BASE_MS,
    retryMaxDelayMs: vars.BCC_RETRY_MAX_DELAY_MS,
  }
}
