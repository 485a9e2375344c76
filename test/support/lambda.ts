import { readFileSync } from 'node:fs'
import type { Context } from 'aws-lambda'
import { Webhook } from 'standardwebhooks'
import { lambdaContextOf } from '../../local/events.js'

/** The Standard Webhooks secret the tests sign with (base64 of "test-webhook-secret-0123456789"). */
export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from('test-webhook-secret-0123456789').toString('base64')}`
/** Another valid secret, for wrong-secret tests. */
export const OTHER_WEBHOOK_SECRET = `whsec_${Buffer.from('some-other-secret-9876543210').toString('base64')}`

let invocations = 0

/** A Lambda context with `remainingMs` left (fixed: time does not run down in tests). */
export function lambdaContext(remainingMs = 30_000): Context {
  invocations++
  return lambdaContextOf({
    functionName: 'bcc-sg-binder-test',
    remainingMs: () => remainingMs,
    awsRequestId: `req-${invocations}-7c2b9a1e`,
  })
}

/** A sample event from events/, parsed afresh (tests may change it). */
export function loadEvent<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../events/${name}`, import.meta.url), 'utf8')) as T
}

let webhookIds = 0

/** Standard Webhooks headers for `body`, signed now (or at `at`) with `secret`. */
export function webhookHeaders(
  body: string,
  options: { secret?: string; id?: string; at?: Date } = {},
): Record<string, string> {
  const id = options.id ?? `msg_test${++webhookIds}_${Date.now()}`
  const at = options.at ?? new Date()
  const signature = new Webhook(options.secret ?? TEST_WEBHOOK_SECRET).sign(id, at, body)
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  }
}

/**
 * An HTTP event from events/ with `body` (a value is JSON-encoded) and fresh webhook headers
 * under the names the sample uses (lower case for 2.0, capitalised for REST 1.0).
 */
export function signedHttpEvent(
  sample: 'http-api-v2.json' | 'rest-api-v1.json' | 'function-url.json',
  body: unknown,
  options: Parameters<typeof webhookHeaders>[1] & { base64?: boolean } = {},
) {
  const event = loadEvent<{
    headers: Record<string, string>
    body: string
    isBase64Encoded: boolean
  }>(sample)
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  const signed = webhookHeaders(text, options)
  const capitalised = sample === 'rest-api-v1.json'
  for (const [name, value] of Object.entries(signed)) {
    const key = capitalised
      ? name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())
      : name
    event.headers[key] = value
  }
  const base64 = options.base64 ?? sample === 'function-url.json'
  event.body = base64 ? Buffer.from(text).toString('base64') : text
  event.isBase64Encoded = base64
  return event
}

/** Everything written to stdout and stderr while `run` runs. */
export async function captureOutput<T>(
  run: () => Promise<T>,
): Promise<{ result: T; output: string }> {
  const chunks: string[] = []
  const stdout = process.stdout.write.bind(process.stdout)
  const stderr = process.stderr.write.bind(process.stderr)
  const capture = (chunk: unknown) => {
    chunks.push(
      typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'),
    )
    return true
  }
  process.stdout.write = capture as typeof process.stdout.write
  process.stderr.write = capture as typeof process.stderr.write
  try {
    const result = await run()
    return { result, output: chunks.join('') }
  } finally {
    process.stdout.write = stdout
    process.stderr.write = stderr
  }
}

/** The JSON log lines in captured output. */
export function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}
