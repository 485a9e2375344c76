import { formatBanner } from './banner.js'
import { parseCliEnvironment } from './cliConfig.js'
import { CLI_DEFAULTS } from './constants.js'
import { messageOf } from './errors.js'
import { type Emulator, startEmulator } from './index.js'
import { loadSeedFile } from './seed.js'

/** Where the CLI writes. */
export interface CliOutput {
  out(text: string): void
  err(text: string): void
}

/**
 * Starts the emulator as `npm run emulator` does: configuration from `env`, the seed file,
 * 127.0.0.1, then the banner on `out`.
 *
 * @returns the running emulator, or undefined after writing why it could not start to `err`.
 */
export async function runCli(
  env: Readonly<Record<string, string | undefined>>,
  output: CliOutput,
): Promise<Emulator | undefined> {
  try {
    const config = parseCliEnvironment(env)
    const seed = loadSeedFile(config.seedPath)
    const emulator = await startEmulator({
      host: CLI_DEFAULTS.host,
      port: config.port,
      seed,
      credentials: [config.credentials],
      duplicateBind: config.duplicateBind,
    })
    output.out(formatBanner(emulator.url, config, seed))
    return emulator
  } catch (error) {
    output.err(`BCC emulator could not start: ${messageOf(error)}\n`)
    return undefined
  }
}
