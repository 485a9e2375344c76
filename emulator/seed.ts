import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseOrThrow } from './errors.js'
import { SnapshotSchema } from './schemas.js'
import type { Snapshot } from './types.js'

/** `emulator/seed.json`: the demo state `startEmulator` and `npm run emulator` start from. */
export const DEFAULT_SEED_PATH = fileURLToPath(new URL('./seed.json', import.meta.url))

/**
 * Reads and validates a seed file (the shape of `GET /__emulator/state`).
 *
 * @throws Error when the file cannot be read or is not JSON; EmulatorOptionsError naming every
 * bad field when it is not a valid state.
 */
export function loadSeedFile(path: string = DEFAULT_SEED_PATH): Snapshot {
  const text = readFileSync(path, 'utf8')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new Error(`The seed file ${path} is not JSON`, { cause: error })
  }
  return parseOrThrow(SnapshotSchema, json, 'seed')
}
