import { createHash, createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { TEST_CREDENTIALS } from './credentials.js'
import { TEST_WEBHOOK_SECRET } from './lambda.js'

/** The function role's (made-up) AWS credentials, as Lambda puts them in the environment. */
export const ROLE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAROLEKEYFORTESTS0',
  AWS_SECRET_ACCESS_KEY: 'role-secret-do-not-leak-5e6f7a8b9c',
  AWS_SESSION_TOKEN: 'role-session-token-do-not-leak',
} as const

/** The region the stand-in answers for. */
export const ROLE_REGION = 'eu-west-1'

/** A Secrets Manager stand-in on loopback. */
export interface SecretsManagerStandIn {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** What Lambda gives a function that should call this stand-in: role, region, endpoint. */
  env(): Record<string, string>
  /** Replaces what it serves: secret id → `SecretString`. */
  serve(secrets: Readonly<Record<string, string>>): void
  /**
   * From now on, takes every request in and never answers, as a service does that the function
   * has no route to; {@link serve} makes it answer again.
   */
  silence(): void
  /** Secret ids asked for so far, in order, whether served or not. */
  asked(): string[]
  /** The `x-amz-target` of every request received, signed or not, answered or not. */
  targets(): string[]
  /** Resolves once the client has closed `count` requests that had no answer: it gave up. */
  abandoned(count: number): Promise<void>
  close(): Promise<void>
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest()

/**
 * Checks a Signature Version 4 `Authorization` header as AWS does
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html), for a POST to
 * `/` without a query: the role's key, the region and service in the scope, the session token,
 * and the signature over the signed headers and the body.
 */
function signatureProblem(headers: IncomingHttpHeaders, body: string): string | undefined {
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      headers.authorization ?? '',
    )
  if (match === null) return 'no SigV4 authorization'
  const [, keyId, day = '', region = '', service = '', signedHeaders = '', signature] = match
  if (keyId !== ROLE_CREDENTIALS.AWS_ACCESS_KEY_ID) return 'unknown key'
  if (region !== ROLE_REGION || service !== 'secretsmanager') return 'wrong scope'
  if (headers['x-amz-security-token'] !== ROLE_CREDENTIALS.AWS_SESSION_TOKEN) return 'bad token'
  const names = signedHeaders.split(';')
  for (const needed of ['host', 'x-amz-date', 'x-amz-security-token', 'x-amz-target']) {
    if (!names.includes(needed)) return `${needed} not signed`
  }
  const amzDate = String(headers['x-amz-date'])
  const canonical = [
    'POST',
    '/',
    '',
    ...names.map((name) => `${name}:${String(headers[name] ?? '').trim()}`),
    '',
    signedHeaders,
    sha256Hex(body),
  ].join('\n')
  const scope = `${day}/${region}/${service}/aws4_request`
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n')
  let key = hmac(`AWS4${ROLE_CREDENTIALS.AWS_SECRET_ACCESS_KEY}`, day)
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part)
  return createHmac('sha256', key).update(toSign).digest('hex') === signature
    ? undefined
    : 'signature does not match'
}

const answer = (response: ServerResponse, status: number, body: object) => {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
  response.end(JSON.stringify(body))
}

/**
 * Starts a stand-in for Secrets Manager's `GetSecretValue` (AWS JSON 1.1:
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html) on
 * 127.0.0.1. It checks each request's signature with the role's secret key, and answers
 * `ResourceNotFoundException` for an id it does not serve (an empty map makes every fetch
 * fail), or nothing at all once silenced.
 */
export async function startSecretsManager(
  secrets: Readonly<Record<string, string>> = {},
): Promise<SecretsManagerStandIn> {
  let served = { ...secrets }
  let silent = false
  const asked: string[] = []
  const targets: string[] = []
  let abandoned = 0
  const waiting: { count: number; resolve: () => void }[] = []
  const server = createServer(async (request, response) => {
    response.on('close', () => {
      if (response.writableEnded) return
      abandoned++
      for (const wait of waiting.filter((w) => abandoned >= w.count)) wait.resolve()
    })
    targets.push(String(request.headers['x-amz-target'] ?? ''))
    let body = ''
    try {
      for await (const chunk of request) body += chunk
    } catch {
      return // the client went away while sending
    }
    if (silent || response.destroyed) return
    const problem = signatureProblem(request.headers, body)
    if (problem !== undefined) {
      answer(response, 400, { __type: 'InvalidSignatureException', message: problem })
      return
    }
    if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
      answer(response, 400, { __type: 'UnknownOperationException' })
      return
    }
    const { SecretId } = JSON.parse(body) as { SecretId: string }
    asked.push(SecretId)
    const value = served[SecretId]
    if (value === undefined) {
      answer(response, 400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      })
      return
    }
    answer(response, 200, {
      ARN: `arn:aws:secretsmanager:${ROLE_REGION}:123456789012:secret:${SecretId}-AbCdEf`,
      Name: SecretId,
      SecretString: value,
      VersionId: '00000000-0000-4000-8000-000000000000',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_764_374_400,
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    env: () => ({
      ...ROLE_CREDENTIALS,
      AWS_REGION: ROLE_REGION,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
    }),
    serve(next) {
      served = { ...next }
      silent = false
    },
    silence() {
      silent = true
    },
    asked: () => [...asked],
    targets: () => [...targets],
    abandoned: (count) =>
      abandoned >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiting.push({ count, resolve })),
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/** The secret ids the BCE credentials and the webhook secret are stored under. */
interface SecretIds {
  bce: string
  webhook: string
}

const SECRET_IDS: SecretIds = { bce: 'bcc-sg-binder/bce', webhook: 'bcc-sg-binder/webhook' }

/** Both secrets, right, under the ids {@link secretsFromStandIn} names by default. */
export const SERVED_SECRETS: Readonly<Record<string, string>> = {
  [SECRET_IDS.bce]: JSON.stringify(TEST_CREDENTIALS),
  [SECRET_IDS.webhook]: TEST_WEBHOOK_SECRET,
}

/**
 * Turns a function's environment with secret values into one with secret ids, and adds what
 * Lambda gives the function (the role's credentials and region) and the stand-in's endpoint.
 */
export const secretsFromStandIn =
  (standIn: Pick<SecretsManagerStandIn, 'env'>, ids: SecretIds = SECRET_IDS) =>
  (env: Record<string, string>): Record<string, string> => {
    const { BCE_ACCESS_KEY_ID: _ak, BCE_SECRET_ACCESS_KEY: _sk, WEBHOOK_SECRET: _wh, ...rest } = env
    return {
      ...rest,
      ...standIn.env(),
      BCE_CREDENTIALS_SECRET_ID: ids.bce,
      WEBHOOK_SECRET_ID: ids.webhook,
      SECRETS_REFRESH_SECONDS: '60',
    }
  }
