import * as z from 'zod'
import { toFieldIssues } from '../lib/schemas/issues.js'
import { CLI_DEFAULTS, DEMO_CREDENTIALS } from './constants.js'
import { EmulatorOptionsError } from './errors.js'
import { DEFAULT_SEED_PATH } from './seed.js'
import type { Credential, DuplicateBind } from './types.js'

/** What `npm run emulator` runs with. */
export interface CliConfig {
  port: number
  credentials: Credential
  /** True when the environment named no keys and the demo keys are used. */
  demoCredentials: boolean
  duplicateBind: DuplicateBind
  seedPath: string
}

// An empty variable counts as unset, as in the binder's own configuration.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional())

const CliEnvironmentSchema = z
  .object({
    EMULATOR_PORT: optional(
      z
        .string()
        .regex(/^\d{1,5}$/, { error: 'must be a port number from 0 to 65535' })
        .transform(Number)
        .pipe(z.number().max(65_535, { error: 'must be a port number from 0 to 65535' })),
    ),
    EMULATOR_SEED: optional(z.string()),
    EMULATOR_DUPLICATE_BIND: optional(
      z.enum(['ok', 'error'], { error: "must be 'ok' or 'error'" }),
    ),
    BCE_ACCESS_KEY_ID: optional(
      z.string().refine((value) => !value.includes('/'), { error: "must not contain '/'" }),
    ),
    BCE_SECRET_ACCESS_KEY: optional(z.string()),
    BCE_SESSION_TOKEN: optional(z.string()),
  })
  .check((ctx) => {
    // One key without the other is a mistake, not a reason to fall back to the demo keys.
    const { BCE_ACCESS_KEY_ID: ak, BCE_SECRET_ACCESS_KEY: sk } = ctx.value
    if ((ak === undefined) === (sk === undefined)) return
    const missing = ak === undefined ? 'BCE_ACCESS_KEY_ID' : 'BCE_SECRET_ACCESS_KEY'
    ctx.issues.push({
      code: 'custom',
      message: 'is required when the other key is set',
      input: undefined,
      path: [missing],
    })
  })

/**
 * Reads the emulator's environment: `EMULATOR_PORT`, `EMULATOR_SEED`,
 * `EMULATOR_DUPLICATE_BIND`, `BCE_ACCESS_KEY_ID`, `BCE_SECRET_ACCESS_KEY`, `BCE_SESSION_TOKEN`.
 *
 * @throws EmulatorOptionsError naming every bad variable, never its value.
 */
export function parseCliEnvironment(env: Readonly<Record<string, string | undefined>>): CliConfig {
  const result = CliEnvironmentSchema.safeParse(env)
  if (!result.success) {
    throw new EmulatorOptionsError('environment', toFieldIssues(result.error.issues))
  }
  const vars = result.data
  const given =
    vars.BCE_ACCESS_KEY_ID !== undefined && vars.BCE_SECRET_ACCESS_KEY !== undefined
      ? {
          accessKeyId: vars.BCE_ACCESS_KEY_ID,
          secretAccessKey: vars.BCE_SECRET_ACCESS_KEY,
          ...(vars.BCE_SESSION_TOKEN === undefined ? {} : { sessionToken: vars.BCE_SESSION_TOKEN }),
        }
      : undefined
  return {
    port: vars.EMULATOR_PORT ?? CLI_DEFAULTS.port,
    credentials: given ?? { ...DEMO_CREDENTIALS },
    demoCredentials: given === undefined,
    duplicateBind: { mode: vars.EMULATOR_DUPLICATE_BIND ?? 'ok' },
    seedPath: vars.EMULATOR_SEED ?? DEFAULT_SEED_PATH,
  }
}
