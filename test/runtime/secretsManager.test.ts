import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSecretsFetcher } from '../../lib/runtime/secretsFetcher.js'
import { SecretsManagerFailure, secretsManagerEndpoint } from '../../lib/runtime/secretsManager.js'
import {
  ROLE_CREDENTIALS,
  ROLE_REGION,
  type SecretsManagerStandIn,
  startSecretsManager,
} from '../support/secretsManager.js'

let secretsManager: SecretsManagerStandIn
beforeAll(async () => {
  secretsManager = await startSecretsManager({ 'app/key': 'value-1', 'app/json': '{"a":1}' })
})
afterAll(() => secretsManager.close())

/** What the fetcher says when the named calls fail, in order. */
const failureOf = async (env: Record<string, string>, ids = { key: 'app/key' }) => {
  const error = await createSecretsFetcher(ids, { env })().then(
    () => expect.unreachable(),
    (thrown: Error) => thrown,
  )
  expect(error.name).toBe('ConfigError')
  for (const secret of Object.values(ROLE_CREDENTIALS)) expect(error.message).not.toContain(secret)
  return error.message
}

/** A loopback server answering every request with `listener`. */
async function withServer<T>(listener: RequestListener, run: (url: string) => Promise<T>) {
  const server = createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}

describe('GetSecretValue without the AWS SDK', () => {
  it("signs with the role's credentials from the environment (SigV4, checked by the stand-in)", async () => {
    const values = await createSecretsFetcher(
      { key: 'app/key', json: 'app/json' },
      { env: secretsManager.env() },
    )()
    expect(values).toEqual({ key: 'value-1', json: { a: 1 } })
  })

  it('is refused by a server that checks the signature when the secret key is wrong', async () => {
    const env = { ...secretsManager.env(), AWS_SECRET_ACCESS_KEY: 'not-the-role-secret' }
    expect(await failureOf(env)).toBe(
      'Invalid configuration: secrets: could not be loaded from Secrets Manager (InvalidSignatureException)',
    )
  })

  it('names a missing region, missing credentials and a refused endpoint without calling anything', async () => {
    const { AWS_REGION: _, ...noRegion } = secretsManager.env()
    const { AWS_ACCESS_KEY_ID: __, ...noKey } = secretsManager.env()
    const plainHttp = {
      ...secretsManager.env(),
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://10.1.2.3',
    }
    const before = secretsManager.asked().length
    expect(await failureOf(noRegion)).toContain('(MissingRegion)')
    expect(await failureOf(noKey)).toContain('(MissingCredentials)')
    expect(await failureOf(plainHttp)).toContain('(InvalidEndpoint)')
    expect(secretsManager.asked().length).toBe(before)
  })

  it('takes AWS_DEFAULT_REGION and AWS_ENDPOINT_URL when the specific variables are unset', async () => {
    const { AWS_REGION: _, AWS_ENDPOINT_URL_SECRETS_MANAGER: url, ...rest } = secretsManager.env()
    const env = { ...rest, AWS_DEFAULT_REGION: ROLE_REGION, AWS_ENDPOINT_URL: url as string }
    expect(await createSecretsFetcher({ key: 'app/key' }, { env })()).toEqual({ key: 'value-1' })
  })

  it('names the error of an AWS answer from its __type or x-amzn-ErrorType, else the status', async () => {
    const cases: [RequestListener, string][] = [
      [
        (_, res) => {
          res.writeHead(400).end('{"__type":"com.amazonaws.secretsmanager#AccessDeniedException"}')
        },
        'AccessDeniedException',
      ],
      [
        (_, res) => {
          res.writeHead(400, { 'x-amzn-ErrorType': 'ThrottlingException:http://internal' }).end('')
        },
        'ThrottlingException',
      ],
      [(_, res) => res.writeHead(503).end('<html>busy</html>'), 'HTTP 503'],
      [(_, res) => res.writeHead(200).end('not json'), 'InvalidResponse'],
    ]
    for (const [listener, name] of cases) {
      await withServer(listener, async (url) => {
        const env = { ...secretsManager.env(), AWS_ENDPOINT_URL_SECRETS_MANAGER: url }
        expect(await failureOf(env)).toContain(`(${name})`)
      })
    }
  })

  it("names a network failure by Node's code, and gives no text for a binary secret", async () => {
    const closed = await withServer(
      () => undefined,
      async (url) => url,
    )
    const env = { ...secretsManager.env(), AWS_ENDPOINT_URL_SECRETS_MANAGER: closed }
    expect(await failureOf(env)).toContain('(ECONNREFUSED)')

    await withServer(
      (_, res) => res.writeHead(200).end('{"Name":"bin","SecretBinary":"AAEC"}'),
      async (url) => {
        const binary = { ...secretsManager.env(), AWS_ENDPOINT_URL_SECRETS_MANAGER: url }
        expect(await createSecretsFetcher({ bin: 'bin' }, { env: binary })()).toEqual({
          bin: undefined,
        })
      },
    )
  })
})

describe('secretsManagerEndpoint', () => {
  it("is the region's public endpoint, in the China partition's domain for cn- regions", () => {
    expect(secretsManagerEndpoint({ AWS_REGION: 'eu-west-1' })).toEqual({
      origin: 'https://secretsmanager.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
    })
    expect(secretsManagerEndpoint({ AWS_REGION: 'cn-north-1' }).origin).toBe(
      'https://secretsmanager.cn-north-1.amazonaws.com.cn',
    )
  })

  it('refuses a region that is not one, so it never becomes a host name', () => {
    for (const region of ['', 'eu-west-1.evil.com', 'EU-WEST-1', 'eu west 1']) {
      expect(() => secretsManagerEndpoint({ AWS_REGION: region })).toThrow(SecretsManagerFailure)
    }
  })
})
