import { formatBanner } from './banner.js'
import { type CliConfig, parseCliEnvironment } from './cliConfig.js'
import { CLI_DEFAULTS } from './constants.js'
import { messageOf } from './errors.js'
import { type Emulator, startEmulator } from './index.js'
import { loadSeedFile } from './seed.js'

/** Where the CLI writes. */
export interface CliOutput {
  out(text: string): void
  err(text: string): void
}

/** A running emulator started from the environment, with what its callers print and use. */
export interface CliEmulator {
  emulator: Emulator
  /** The parsed environment: port, seed path, the accepted credentials. */
  config: CliConfig
  /** What `npm run emulator` prints: URL, routes, control API, seeded ids, access key. */
  banner: string
}

/**
 * Starts the emulator from `env` (`EMULATOR_*`, `BCE_*`): the seed file, on 127.0.0.1. Shared by
 * `npm run emulator`, `npm start` and `npm run offline`.
 *
 * @throws whatever makes it unable to start (a bad variable, an unreadable seed, a taken port).
 */
export async function startCliEmulator(
  env: Readonly<Record<string, string | undefined>>,
): Promise<CliEmulator> {
  const config = parseCliEnvironment(env)
  const seed = loadSeedFile(config.seedPath)
  const emulator = await startEmulator({
    host: CLI_DEFAULTS.host,
    port: config.port,
    seed,
    credentials: [config.credentials],
    duplicateBind: config.duplicateBind,
  })
  return { emulator, config, banner: formatBanner(emulator.url, config, seed) }
}

/**
 * Starts the emulator as `npm run emulator` does, then writes the banner on `out`.
 *
 * @returns the running emulator, or undefined after writing why it could not start to `err`.
 */
export async function runCli(
  env: Readonly<Record<string, string | undefined>>,
  output: CliOutput,
): Promise<Emulator | undefined> {
  try {
    const { emulator, banner } = await startCliEmulator(env)
    output.out(banner)
    return emulator
  } catch (error) {
    output.err(`BCC emulator could not start: ${messageOf(error)}\n`)
    return undefined
  }
}
