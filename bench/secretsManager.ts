import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The Lambda role's (made-up) AWS credentials, as Lambda puts them in the environment. */
export const BENCH_AWS_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIABENCHROLEKEY0000',
  AWS_SECRET_ACCESS_KEY: 'bench-role-secret-not-a-secret',
  AWS_SESSION_TOKEN: 'bench-role-session-token',
} as const

/** A Secrets Manager stand-in on loopback: what it serves, and what it was asked. */
export interface SecretsManagerStandIn {
  /** `http://127.0.0.1:<port>`, the value for `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
  url: string
  /** Secret ids served so far, in order. */
  served(): string[]
  close(): Promise<void>
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  let body = ''
  for await (const chunk of request) body += chunk
  return body
}

const answer = (response: ServerResponse, status: number, body: object) => {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
  response.end(JSON.stringify(body))
}

/**
 * Starts a stand-in for Secrets Manager's `GetSecretValue` (the AWS JSON 1.1 protocol:
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html).
 * It serves `secrets` (id → `SecretString`) to requests signed with SigV4 by the role's key
 * and session token; it does not check the signature itself, only that one was made with them.
 */
export async function startSecretsManager(
  secrets: Readonly<Record<string, string>>,
): Promise<SecretsManagerStandIn> {
  const served: string[] = []
  const server = createServer(async (request, response) => {
    const body = await readBody(request)
    const authorization = request.headers.authorization ?? ''
    if (
      !authorization.startsWith(
        `AWS4-HMAC-SHA256 Credential=${BENCH_AWS_CREDENTIALS.AWS_ACCESS_KEY_ID}/`,
      ) ||
      request.headers['x-amz-security-token'] !== BENCH_AWS_CREDENTIALS.AWS_SESSION_TOKEN
    ) {
      answer(response, 403, { __type: 'UnrecognizedClientException', message: 'not signed' })
      return
    }
    if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
      answer(response, 400, { __type: 'UnknownOperationException' })
      return
    }
    const { SecretId } = JSON.parse(body) as { SecretId: string }
    const value = secrets[SecretId]
    if (value === undefined) {
      answer(response, 400, { __type: 'ResourceNotFoundException', message: 'no such secret' })
      return
    }
    served.push(SecretId)
    answer(response, 200, {
      ARN: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${SecretId}-AbCdEf`,
      Name: SecretId,
      SecretString: value,
      VersionId: '00000000-0000-4000-8000-000000000000',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_764_374_400,
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    served: () => [...served],
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
