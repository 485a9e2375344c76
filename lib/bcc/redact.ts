import { uriEncode } from '../bce/canonical.js'

/** The longest BCE message we pass on; error text is for humans, not a data channel. */
export const MAX_MESSAGE_LENGTH = 300
const REDACTED = '[redacted]'
// A hex signature or signing key, as a server might echo in a SignatureDoesNotMatch message.
const HEX_DIGEST = /\b[0-9a-f]{64}\b/gi

/**
 * Removes credentials from text that came from BCE (an error message may echo the string it
 * signed, which holds the session token): each secret raw and URI-encoded, any 64-hex digest,
 * and anything past {@link MAX_MESSAGE_LENGTH} characters.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue
    for (const form of new Set([secret, uriEncode(secret)])) {
      result = result.split(form).join(REDACTED)
    }
  }
  result = result.replace(HEX_DIGEST, REDACTED)
  return result.length > MAX_MESSAGE_LENGTH ? `${result.slice(0, MAX_MESSAGE_LENGTH)}…` : result
}
