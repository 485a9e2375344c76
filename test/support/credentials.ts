/** Test credentials. Distinctive strings, so a leak shows up in any captured output. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKtest0123456789abcdef0123456789',
  secretAccessKey: 'SKsecret-do-not-leak-9f8e7d6c5b4a',
} as const

export const TEST_STS_CREDENTIALS = {
  accessKeyId: 'AKsts00123456789abcdef0123456789',
  secretAccessKey: 'SKsts-secret-do-not-leak-1a2b3c4d',
  sessionToken: 'STS/token+do-not-leak==',
} as const

/** AK → SK, as a server looks them up. */
export const TEST_SECRETS: Record<string, string> = {
  [TEST_CREDENTIALS.accessKeyId]: TEST_CREDENTIALS.secretAccessKey,
  [TEST_STS_CREDENTIALS.accessKeyId]: TEST_STS_CREDENTIALS.secretAccessKey,
}

/** Every secret string a test must never find in output. */
export const SECRET_STRINGS = [
  TEST_CREDENTIALS.secretAccessKey,
  TEST_STS_CREDENTIALS.secretAccessKey,
  TEST_STS_CREDENTIALS.sessionToken,
]
