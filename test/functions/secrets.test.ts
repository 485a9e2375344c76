import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createHttpHandler } from '../../lib/handlers/httpHandler.js'
import { createWorkflowHandler } from '../../lib/handlers/workflowHandler.js'
import type { BinderContext } from '../../lib/middleware/chain.js'
import { secretsLoader } from '../../lib/middleware/secrets.js'
import { createSecretsFetcher } from '../../lib/runtime/secretsFetcher.js'
import { TEST_CREDENTIALS, TEST_SECRETS, TEST_STS_CREDENTIALS } from '../support/credentials.js'
import { fakeTiming } from '../support/fakeTiming.js'
import { type FunctionHarness, startFunctionHarness } from '../support/functionHarness.js'
import {
  captureOutput,
  lambdaContext,
  loadEvent,
  OTHER_WEBHOOK_SECRET,
  signedHttpEvent,
  TEST_WEBHOOK_SECRET,
} from '../support/lambda.js'
import {
  SERVED_SECRETS,
  type SecretsManagerStandIn,
  secretsFromStandIn,
  startSecretsManager,
} from '../support/secretsManager.js'
import { virtualTime } from '../support/virtualTime.js'

const BIND = { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' }

let secretsManager: SecretsManagerStandIn
beforeAll(async () => {
  secretsManager = await startSecretsManager()
})
afterAll(() => secretsManager.close())

/** Secrets Manager as the stand-in serves it from now on: secret id → SecretString. */
const serve = (values: Record<string, string>) => secretsManager.serve(values)

let harness: FunctionHarness | undefined
let askedBefore = 0
afterEach(async () => {
  serve({})
  askedBefore = secretsManager.asked().length
  await harness?.close()
  harness = undefined
})

/** The secret ids asked for since the test began, sorted. */
const calls = () => secretsManager.asked().slice(askedBefore).sort()

describe('secrets from Secrets Manager', () => {
  it('loads the BCE credentials and the webhook secret, and caches them between invocations', async () => {
    serve(SERVED_SECRETS)
    // A clock that stands still: however slow this machine, no refresh falls due.
    harness = await startFunctionHarness('http', {
      replaceEnv: secretsFromStandIn(secretsManager),
      runtime: { clock: fakeTiming(Date.now()).clock },
    })
    const handler = createHttpHandler(harness.runtime)

    for (let i = 0; i < 3; i++) {
      const { result } = await captureOutput(() =>
        handler(signedHttpEvent('http-api-v2.json', BIND) as never, lambdaContext()),
      )
      expect(result.statusCode).toBe(200)
    }
    expect(calls()).toEqual(['bcc-sg-binder/bce', 'bcc-sg-binder/webhook'])
  })

  it('takes rotated credentials and webhook secret after the refresh interval, without a redeploy', async () => {
    serve(SERVED_SECRETS)
    // BCC knows only the new (temporary) key, as after a rotation on Baidu's side.
    const time = virtualTime()
    harness = await startFunctionHarness('http', {
      replaceEnv: secretsFromStandIn(secretsManager),
      emulator: { credentials: [TEST_STS_CREDENTIALS] },
      runtime: { clock: time.clock },
    })
    const handler = createHttpHandler(harness.runtime)
    const before = await captureOutput(() =>
      handler(signedHttpEvent('http-api-v2.json', BIND) as never, lambdaContext()),
    )
    expect(before.result.statusCode).toBe(502)

    serve({
      'bcc-sg-binder/bce': JSON.stringify(TEST_STS_CREDENTIALS),
      'bcc-sg-binder/webhook': OTHER_WEBHOOK_SECRET,
    })
    // The refresh interval passes on the function's clock, not on this machine's.
    await time.sleep(60_000)
    const after = await captureOutput(() =>
      handler(
        signedHttpEvent('http-api-v2.json', BIND, { secret: OTHER_WEBHOOK_SECRET }) as never,
        lambdaContext(),
      ),
    )
    expect(after.result.statusCode).toBe(200)
    const oldSecret = await captureOutput(() =>
      handler(signedHttpEvent('http-api-v2.json', BIND) as never, lambdaContext()),
    )
    expect(oldSecret.result.statusCode).toBe(401)
  })

  it('validates the credentials once per fetch, and keeps their clients until a rotation changes them', async () => {
    serve(SERVED_SECRETS)
    const time = virtualTime()
    harness = await startFunctionHarness('http', {
      replaceEnv: secretsFromStandIn(secretsManager),
      runtime: { clock: time.clock },
    })
    const { runtime } = harness
    if (runtime.configError !== undefined) throw runtime.configError
    const [loader] = secretsLoader(runtime)
    /** The credentials one invocation gets from the loader. */
    const load = async () => {
      const context: BinderContext = lambdaContext()
      await loader?.before?.({
        event: {},
        context,
        response: undefined,
        error: null,
        internal: {},
      })
      const credentials = context.bceCredentials
      if (credentials === undefined || credentials instanceof Error)
        throw new Error('no credentials')
      return credentials
    }

    const first = await load()
    expect(first).toEqual(TEST_CREDENTIALS)
    expect(await load()).toBe(first)
    expect(runtime.clientsFor(await load())).toBe(runtime.clientsFor(first))

    // A refresh that brings the same values keeps the object, so the clients stay.
    await time.sleep(60_000)
    expect(await load()).toBe(first)
    expect(calls()).toEqual([
      'bcc-sg-binder/bce',
      'bcc-sg-binder/bce',
      'bcc-sg-binder/webhook',
      'bcc-sg-binder/webhook',
    ])

    serve({ ...SERVED_SECRETS, 'bcc-sg-binder/bce': JSON.stringify(TEST_STS_CREDENTIALS) })
    await time.sleep(60_000)
    const rotated = await load()
    expect(rotated).toEqual(TEST_STS_CREDENTIALS)
    expect(runtime.clientsFor(rotated)).not.toBe(runtime.clientsFor(first))
  })

  it('fails with ConfigError, naming the secret, when the credentials secret has the wrong shape', async () => {
    serve({
      'bcc-sg-binder/bce': JSON.stringify({
        accessKey: 'x',
        secret: TEST_CREDENTIALS.secretAccessKey,
      }),
    })
    harness = await startFunctionHarness('workflow', {
      replaceEnv: secretsFromStandIn(secretsManager),
    })
    const { output } = await captureOutput(() =>
      createWorkflowHandler((harness as FunctionHarness).runtime)(
        loadEvent('direct.json'),
        lambdaContext(),
      ).then(
        () => expect.unreachable(),
        (error: Error) => {
          expect(error.name).toBe('ConfigError')
          expect(error.message).toBe(
            'Invalid configuration: BCE_CREDENTIALS_SECRET_ID.accessKeyId: is required; BCE_CREDENTIALS_SECRET_ID.secretAccessKey: is required',
          )
        },
      ),
    )
    expect(output).not.toContain(TEST_CREDENTIALS.secretAccessKey)
  })

  it('fails with ConfigError when the webhook secret is not a Standard Webhooks secret', async () => {
    serve({ ...SERVED_SECRETS, 'bcc-sg-binder/webhook': 'plain-password' })
    harness = await startFunctionHarness('http', { replaceEnv: secretsFromStandIn(secretsManager) })
    const { result } = await captureOutput(() =>
      createHttpHandler((harness as FunctionHarness).runtime)(
        signedHttpEvent('http-api-v2.json', BIND) as never,
        lambdaContext(),
      ),
    )
    expect(result.statusCode).toBe(500)
    expect(JSON.parse(result.body).error.code).toBe('ConfigError')
  })

  it('accepts the emulator for any of its keys (sanity of the fixture)', () => {
    expect(Object.keys(TEST_SECRETS)).toContain(TEST_STS_CREDENTIALS.accessKeyId)
  })
})

describe('a secret Secrets Manager will not give', () => {
  it('fails with ConfigError naming the AWS error, and tries again on the next invocation', async () => {
    serve({ 'bcc-sg-binder/webhook': TEST_WEBHOOK_SECRET })
    harness = await startFunctionHarness('http', { replaceEnv: secretsFromStandIn(secretsManager) })
    const handler = createHttpHandler(harness.runtime)
    const first = await captureOutput(() =>
      handler(signedHttpEvent('http-api-v2.json', BIND) as never, lambdaContext()),
    )
    expect(first.result.statusCode).toBe(500)
    expect(first.output).toContain(
      'secrets: could not be loaded from Secrets Manager (ResourceNotFoundException)',
    )

    serve(SERVED_SECRETS)
    const second = await captureOutput(() =>
      handler(signedHttpEvent('http-api-v2.json', BIND) as never, lambdaContext()),
    )
    expect(second.result.statusCode).toBe(200)
  })
})

describe('secret values', () => {
  it('parses JSON secrets and keeps plain ones as text, as @middy/secrets-manager does', async () => {
    serve({ a: '{"x":1}', b: '[1]', c: 'whsec_abc', d: '{not json' })
    const values = await createSecretsFetcher(
      { a: 'a', b: 'b', c: 'c', d: 'd' },
      { env: secretsManager.env() },
    )()
    expect(values).toEqual({ a: { x: 1 }, b: [1], c: 'whsec_abc', d: '{not json' })
  })

  it('names every AWS error when secrets cannot be had', async () => {
    serve({})
    await expect(
      createSecretsFetcher({ a: 'a', b: 'b' }, { env: secretsManager.env() })(),
    ).rejects.toThrow(
      'Invalid configuration: secrets: could not be loaded from Secrets Manager (ResourceNotFoundException, ResourceNotFoundException)',
    )
  })
})
