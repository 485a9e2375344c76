import { parseOrThrow } from './errors.js'
import { CredentialsOptionSchema } from './schemas.js'
import type { Credential } from './types.js'

/** The key pairs the emulator accepts, by access key ID. */
export type CredentialStore = ReadonlyMap<string, Credential>

/**
 * Builds the store from either form `startEmulator` accepts: a list of
 * `{ accessKeyId, secretAccessKey, sessionToken? }`, or a record of access key ID to secret key.
 *
 * @throws EmulatorOptionsError for an empty list or record, an empty key, or an AK with `/`.
 */
export function createCredentialStore(option: unknown): CredentialStore {
  const parsed = parseOrThrow(CredentialsOptionSchema, option, 'credentials')
  const list: Credential[] = Array.isArray(parsed)
    ? parsed
    : Object.entries(parsed).map(([accessKeyId, secretAccessKey]) => ({
        accessKeyId,
        secretAccessKey,
      }))
  return new Map(list.map((credential) => [credential.accessKeyId, credential]))
}
