import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  ConfigError,
  MethodNotAllowed,
  PayloadTooLarge,
  Unauthorized,
  ValidationError,
} from '../../lib/errors/catalogue.js'
import { httpMethodOf } from '../../lib/middleware/httpEvent.js'
import { webhookVerification } from '../../lib/middleware/webhookVerification.js'
import { createFunctionRuntime } from '../../lib/runtime/functionRuntime.js'
import { parseWebhookSecret } from '../../lib/schemas/config.js'
import { lambdaContext, TEST_WEBHOOK_SECRET, webhookHeaders } from '../support/lambda.js'

const runtime = createFunctionRuntime('http', {
  BCE_ACCESS_KEY_ID: 'AK',
  BCE_SECRET_ACCESS_KEY: 'SK',
  WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
})

/** Runs a middleware's `before` on an event, as middy would. */
function runBefore(
  middleware: ReturnType<typeof webhookVerification>,
  event: Record<string, unknown>,
) {
  const request = {
    event,
    context: lambdaContext(),
    response: undefined,
    error: null,
    internal: {},
  }
  return (middleware.before as (r: typeof request) => void)(request)
}

/** Runs a fresh middleware's `before` on an event. */
function verify(
  event: Record<string, unknown>,
  options: Parameters<typeof webhookVerification>[1] = {},
) {
  return runBefore(webhookVerification(runtime, options), event)
}

const post = (body: unknown, headers: unknown) => ({ httpMethod: 'POST', body, headers })

describe('httpMethodOf', () => {
  it('reads payload 1.0 and 2.0 events, and nothing else', () => {
    expect(httpMethodOf({ httpMethod: 'POST' })).toBe('POST')
    expect(httpMethodOf({ requestContext: { http: { method: 'PUT' } } })).toBe('PUT')
    expect(httpMethodOf({ requestContext: {} })).toBeUndefined()
    expect(httpMethodOf(null)).toBeUndefined()
    expect(httpMethodOf('POST')).toBeUndefined()
  })
})

describe('webhookVerification', () => {
  it('accepts a signed body and leaves it as a string for the parser', () => {
    const event = post('{"a":1}', webhookHeaders('{"a":1}'))
    verify(event)
    expect(event.body).toBe('{"a":1}')
  })

  it('treats a missing body as empty, which must be signed as such', () => {
    expect(() => verify(post(null, webhookHeaders('')))).not.toThrow()
  })

  it('refuses an event that is not an HTTP event', () => {
    expect(() => verify({ body: '{}' })).toThrow(ValidationError)
  })

  it('refuses another method before anything else', () => {
    expect(() => verify({ httpMethod: 'DELETE', body: 'x'.repeat(100_000) })).toThrow(
      MethodNotAllowed,
    )
  })

  it('refuses a body that is not a string', () => {
    expect(() => verify(post({ a: 1 }, {}))).toThrow(ValidationError)
  })

  it('measures the size after base64 decoding', () => {
    const body = Buffer.from('x'.repeat(900)).toString('base64')
    expect(() =>
      verify({ ...post(body, {}), isBase64Encoded: true }, { maxBodyBytes: 1_000 }),
    ).toThrow(Unauthorized)
    expect(() =>
      verify({ ...post(body, {}), isBase64Encoded: true }, { maxBodyBytes: 800 }),
    ).toThrow(PayloadTooLarge)
  })

  it('refuses a fetched webhook secret that is not padded base64 with ConfigError naming its id', () => {
    const fromSecretsManager = createFunctionRuntime('http', {
      BCE_ACCESS_KEY_ID: 'AK',
      BCE_SECRET_ACCESS_KEY: 'SK',
      WEBHOOK_SECRET_ID: 'bcc/webhook',
    })
    const middleware = webhookVerification(fromSecretsManager)
    // What secretsLoader keeps on the context for a fetched secret it refused.
    let refused: ConfigError | undefined
    try {
      parseWebhookSecret('whsec_ABC')
    } catch (error) {
      if (error instanceof ConfigError) refused = error
    }
    const request = {
      event: post('{}', webhookHeaders('{}')),
      context: { ...lambdaContext(), webhookSecret: refused },
      response: undefined,
      error: null,
      internal: {},
    }
    let error: unknown
    try {
      ;(middleware.before as (r: typeof request) => void)(request)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues).toEqual([
      {
        field: 'WEBHOOK_SECRET_ID',
        message: "the secret must be a Standard Webhooks secret: 'whsec_' and padded base64",
      },
    ])
    expect((error as ConfigError).message).not.toContain('whsec_ABC')
  })

  it('treats headers that are not an object, or not strings, as missing', () => {
    expect(() => verify(post('{}', 'headers'))).toThrow(
      'Webhook signature refused: Missing required headers',
    )
    expect(() =>
      verify(post('{}', { 'webhook-id': 1, 'webhook-timestamp': 2, 'webhook-signature': 3 })),
    ).toThrow('Webhook signature refused: Missing required headers')
  })
})

describe('webhookVerification: replay window', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('refuses a replay for as long as the library accepts its timestamp: 601 s after a whole second', () => {
    // First accepted on a whole second, stamped as far ahead as the library allows (300 s): the
    // library, counting whole seconds, accepts it again until 601 s later, less 1 ms.
    const acceptedAt = Date.parse('2026-11-29T03:00:00.000Z')
    vi.useFakeTimers({ toFake: ['Date'], now: acceptedAt })
    const middleware = webhookVerification(runtime)
    const headers = webhookHeaders('{}', { at: new Date(acceptedAt + 300_000) })
    const send = () => runBefore(middleware, post('{}', { ...headers }))

    expect(send).not.toThrow()
    vi.setSystemTime(acceptedAt + 600_999)
    expect(send).toThrow('Webhook signature refused: this webhook-id was already received')
    vi.setSystemTime(acceptedAt + 601_000)
    expect(send).toThrow('Webhook signature refused: Message timestamp too old')
  })
})
