import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../lib/errors/catalogue.js'
import { loadFunctionConfig, parseCredentialsSecret } from '../../lib/schemas/functionConfig.js'

const WEBHOOK = `whsec_${Buffer.from('0123456789abcdef').toString('base64')}`
const keys = { BCE_ACCESS_KEY_ID: 'AKexample', BCE_SECRET_ACCESS_KEY: 'SKexample' }

function issues(env: Record<string, string>, webhookSecret = true) {
  try {
    loadFunctionConfig(env, { webhookSecret })
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).issues
  }
  throw new Error('expected a ConfigError')
}

describe('loadFunctionConfig', () => {
  it('reads credentials and the webhook secret from the environment, with defaults', () => {
    expect(
      loadFunctionConfig({ ...keys, WEBHOOK_SECRET: WEBHOOK }, { webhookSecret: true }),
    ).toEqual({
      bcc: {
        region: 'bj',
        endpointOverride: undefined,
        timeoutMs: 3_000,
        maxAttempts: 4,
        retryBaseDelayMs: 100,
        retryMaxDelayMs: 5_000,
      },
      credentials: {
        from: 'environment',
        value: { accessKeyId: 'AKexample', secretAccessKey: 'SKexample' },
      },
      webhookSecret: { from: 'environment', value: WEBHOOK },
      failureQueueUrl: undefined,
      queueConcurrency: 10,
      deadlineMarginMs: 1_000,
      secretsRefreshSeconds: 300,
    })
  })

  it('reads secret ids, the failure queue and the tunables', () => {
    expect(
      loadFunctionConfig(
        {
          BCE_CREDENTIALS_SECRET_ID: 'bcc/creds',
          WEBHOOK_SECRET_ID: 'bcc/webhook',
          FAILURE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/failures',
          QUEUE_CONCURRENCY: '3',
          DEADLINE_MARGIN_MS: '0',
          SECRETS_REFRESH_SECONDS: '60',
        },
        { webhookSecret: true },
      ),
    ).toMatchObject({
      credentials: { from: 'secretsManager', secretId: 'bcc/creds' },
      webhookSecret: { from: 'secretsManager', secretId: 'bcc/webhook' },
      failureQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/failures',
      queueConcurrency: 3,
      deadlineMarginMs: 0,
      secretsRefreshSeconds: 60,
    })
  })

  it('needs no webhook secret outside the HTTP function', () => {
    expect(loadFunctionConfig(keys, { webhookSecret: false }).webhookSecret).toBeUndefined()
  })

  it('names every problem at once', () => {
    expect(issues({ BCE_SECRET_ACCESS_KEY: ' padded ', WEBHOOK_SECRET: 'password' })).toEqual([
      { field: 'BCE_ACCESS_KEY_ID', message: 'is required (or set BCE_CREDENTIALS_SECRET_ID)' },
      { field: 'BCE_SECRET_ACCESS_KEY', message: 'must not have leading or trailing white space' },
      {
        field: 'WEBHOOK_SECRET',
        message: "must be a Standard Webhooks secret: 'whsec_' and base64",
      },
    ])
    expect(issues({ BCE_ACCESS_KEY_ID: 'AK' })).toEqual([
      { field: 'BCE_SECRET_ACCESS_KEY', message: 'is required (or set BCE_CREDENTIALS_SECRET_ID)' },
      { field: 'WEBHOOK_SECRET', message: 'is required (or set WEBHOOK_SECRET_ID)' },
    ])
  })

  it('refuses two sources for one secret', () => {
    expect(
      issues({
        ...keys,
        BCE_CREDENTIALS_SECRET_ID: 'x',
        WEBHOOK_SECRET: WEBHOOK,
        WEBHOOK_SECRET_ID: 'y',
      }),
    ).toEqual([
      {
        field: 'BCE_CREDENTIALS_SECRET_ID',
        message:
          'is set together with BCE_ACCESS_KEY_ID/BCE_SECRET_ACCESS_KEY; set one or the other',
      },
      {
        field: 'WEBHOOK_SECRET_ID',
        message: 'is set together with WEBHOOK_SECRET; set one or the other',
      },
    ])
  })

  it('refuses a failure queue URL that is not https, and bad tunables', () => {
    expect(
      issues(
        {
          ...keys,
          FAILURE_QUEUE_URL: 'http://sqs.local/q',
          QUEUE_CONCURRENCY: '0',
          SECRETS_REFRESH_SECONDS: '0',
        },
        false,
      ),
    ).toEqual([
      { field: 'FAILURE_QUEUE_URL', message: 'must be an https URL (an SQS queue URL)' },
      { field: 'QUEUE_CONCURRENCY', message: 'must be at least 1' },
      { field: 'SECRETS_REFRESH_SECONDS', message: 'must be at least 1' },
    ])
  })
})

describe('parseCredentialsSecret', () => {
  it('reads the JSON secret, with an optional session token', () => {
    expect(
      parseCredentialsSecret({ accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 't' }),
    ).toEqual({
      accessKeyId: 'a',
      secretAccessKey: 'b',
      sessionToken: 't',
    })
    expect(parseCredentialsSecret({ accessKeyId: 'a', secretAccessKey: 'b' })).toEqual({
      accessKeyId: 'a',
      secretAccessKey: 'b',
    })
  })

  it.each([undefined, 'plain string', ['a']])(
    'refuses %j, naming the secret and not its value',
    (value) => {
      expect(() => parseCredentialsSecret(value)).toThrow(
        'Invalid configuration: BCE_CREDENTIALS_SECRET_ID: must be a JSON object { accessKeyId, secretAccessKey, sessionToken? }',
      )
    },
  )
})
