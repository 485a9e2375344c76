import { SECRET_STRINGS, TEST_CREDENTIALS } from '../../support/credentials.js'
import { OTHER_WEBHOOK_SECRET, TEST_WEBHOOK_SECRET } from '../../support/lambda.js'

const withoutPrefix = (secret: string) => secret.slice('whsec_'.length)

/**
 * Everything that must never appear in a function's output or answer: the BCE keys and token,
 * the webhook secrets (whole, their base64 key, and the key itself), and any `bce-auth-v1`
 * authorization string.
 */
const FORBIDDEN_STRINGS: readonly string[] = [
  ...SECRET_STRINGS,
  TEST_CREDENTIALS.accessKeyId,
  TEST_CREDENTIALS.secretAccessKey,
  TEST_WEBHOOK_SECRET,
  withoutPrefix(TEST_WEBHOOK_SECRET),
  Buffer.from(withoutPrefix(TEST_WEBHOOK_SECRET), 'base64').toString('utf8'),
  OTHER_WEBHOOK_SECRET,
  withoutPrefix(OTHER_WEBHOOK_SECRET),
  'bce-auth-v1/',
]

/** The forbidden strings (and `extra` ones, such as a request's webhook signature) in `text`. */
export function leaksIn(text: string, extra: readonly string[] = []): string[] {
  return [...FORBIDDEN_STRINGS, ...extra].filter((secret) => secret !== '' && text.includes(secret))
}
