import { randomUUID } from 'node:crypto'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { Webhook } from 'standardwebhooks'
import { httpApiEvent } from '../local/events.js'

/** The key pair the emulator accepts and every function signs with in the bench. */
export const BENCH_CREDENTIALS = {
  accessKeyId: 'bench-access-key-0123456789abcdef',
  secretAccessKey: 'bench-secret-key-not-a-secret-0123',
} as const

/** The Standard Webhooks secret of the HTTP function in the bench. */
const BENCH_WEBHOOK_SECRET = `whsec_${Buffer.from('bench-webhook-secret-0123456789').toString('base64')}`

/** The bind every single-call measurement makes: the README's example pair. */
export const BENCH_BIND = { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' } as const

/**
 * Ten binds the seed accepts (200 each: a new group, or one the instance already has), so a
 * batch makes exactly ten calls and no failure read.
 */
export const BATCH_BINDS = [
  { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' },
  { instanceId: 'i-YufwpQAe', securityGroupId: 'g-4NxWoxeq' },
  { instanceId: 'i-Web2Demo', securityGroupId: 'g-4NxWoxeq' },
  { instanceId: 'i-Web2Demo', securityGroupId: 'g-nky7qeom' },
  { instanceId: 'i-Web2Demo', securityGroupId: 'g-7dyv27r6pnse' },
  { instanceId: 'i-Fu11Ten0', securityGroupId: 'g-full0001' },
  { instanceId: 'i-Fu11Ten0', securityGroupId: 'g-full0002' },
  { instanceId: 'i-Fu11Ten0', securityGroupId: 'g-7dyv27r6pnse' },
  { instanceId: 'i-Vpc2Demo', securityGroupId: 'g-vpc2dflt' },
  { instanceId: 'i-Vpc2Demo', securityGroupId: 'g-vpc2web0' },
] as const

/** The environment of a function pointed at an emulator on `endpoint`. */
export function functionEnv(endpoint: string): Record<string, string> {
  return {
    BCE_ACCESS_KEY_ID: BENCH_CREDENTIALS.accessKeyId,
    BCE_SECRET_ACCESS_KEY: BENCH_CREDENTIALS.secretAccessKey,
    BCC_ENDPOINT: endpoint,
    WEBHOOK_SECRET: BENCH_WEBHOOK_SECRET,
  }
}

let webhookCount = 0

/** An HTTP API 2.0 `POST /bindings` event carrying `bind`, signed now with a fresh webhook id. */
export function signedBindEvent(bind: object = BENCH_BIND): APIGatewayProxyEventV2 {
  const body = JSON.stringify(bind)
  const id = `msg_bench${++webhookCount}_${randomUUID()}`
  const now = new Date()
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    host: 'bench.execute-api.eu-west-1.amazonaws.com',
    'user-agent': 'bcc-sg-binder-bench',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(BENCH_WEBHOOK_SECRET).sign(id, now, body),
  }
  return httpApiEvent({ method: 'POST', path: '/bindings', headers, body }, now)
}

/** The Secrets Manager ids of the bench's deployed-like functions, as `serverless.yml` names them. */
export const BENCH_SECRET_IDS = {
  bceCredentials: 'bcc-sg-binder/bce-credentials',
  webhookSecret: 'bcc-sg-binder/webhook-secret',
} as const

/** What the stand-in Secrets Manager serves under {@link BENCH_SECRET_IDS}. */
export const BENCH_SECRETS: Readonly<Record<string, string>> = {
  [BENCH_SECRET_IDS.bceCredentials]: JSON.stringify(BENCH_CREDENTIALS),
  [BENCH_SECRET_IDS.webhookSecret]: BENCH_WEBHOOK_SECRET,
}
