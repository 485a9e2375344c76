import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../lib/errors/catalogue.js'
import { loadFunctionConfig, parseCredentialsSecret } from '../../lib/schemas/config.js'

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
          DEADLINE_MARGIN_MS: '100',
          SECRETS_REFRESH_SECONDS: '60',
        },
        { webhookSecret: true },
      ),
    ).toMatchObject({
      credentials: { from: 'secretsManager', secretId: 'bcc/creds' },
      webhookSecret: { from: 'secretsManager', secretId: 'bcc/webhook' },
      failureQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/failures',
      queueConcurrency: 3,
      deadlineMarginMs: 100,
      secretsRefreshSeconds: 60,
    })
  })

  it('reads every BCC setting and the session token', () => {
    expect(
      loadFunctionConfig(
        {
          ...keys,
          BCE_SESSION_TOKEN: 'token',
          BCE_REGION: 'gz',
          BCC_ENDPOINT: 'http://127.0.0.1:8787/',
          BCC_TIMEOUT_MS: '1500',
          BCC_MAX_ATTEMPTS: '2',
          BCC_RETRY_BASE_MS: '50',
          BCC_RETRY_MAX_DELAY_MS: '800',
        },
        { webhookSecret: false },
      ),
    ).toMatchObject({
      bcc: {
        region: 'gz',
        endpointOverride: 'http://127.0.0.1:8787',
        timeoutMs: 1_500,
        maxAttempts: 2,
        retryBaseDelayMs: 50,
        retryMaxDelayMs: 800,
      },
      credentials: {
        from: 'environment',
        value: { accessKeyId: 'AKexample', secretAccessKey: 'SKexample', sessionToken: 'token' },
      },
    })
  })

  it('treats empty variables as unset', () => {
    const config = loadFunctionConfig(
      {
        ...keys,
        BCE_SESSION_TOKEN: '',
        BCE_REGION: '',
        BCC_ENDPOINT: '',
        BCC_TIMEOUT_MS: '',
        BCE_CREDENTIALS_SECRET_ID: '',
        FAILURE_QUEUE_URL: '',
        DEADLINE_MARGIN_MS: '',
      },
      { webhookSecret: false },
    )
    expect(config).toMatchObject({
      bcc: { region: 'bj', endpointOverride: undefined, timeoutMs: 3_000 },
      credentials: {
        from: 'environment',
        value: { accessKeyId: 'AKexample', secretAccessKey: 'SKexample' },
      },
      failureQueueUrl: undefined,
      deadlineMarginMs: 1_000,
    })
    expect(config.credentials).not.toHaveProperty('value.sessionToken')
  })

  it('names every bad BCC setting at once', () => {
    expect(
      issues(
        {
          ...keys,
          BCE_REGION: 'us-east-1',
          BCC_ENDPOINT: 'http://bcc.bj.baidubce.com',
          BCC_TIMEOUT_MS: '99',
          BCC_MAX_ATTEMPTS: 'four',
          BCC_RETRY_BASE_MS: '1.5',
          BCC_RETRY_MAX_DELAY_MS: '300001',
        },
        false,
      ),
    ).toEqual([
      { field: 'BCE_REGION', message: 'must be one of bj, gz, su, hkg, fwh, bd, fsh, sin' },
      {
        field: 'BCC_ENDPOINT',
        message: 'may use plain http only on a loopback address (127.0.0.0/8, ::1, localhost)',
      },
      { field: 'BCC_TIMEOUT_MS', message: 'must be at least 100' },
      { field: 'BCC_MAX_ATTEMPTS', message: 'must be a whole number from 1 to 10' },
      { field: 'BCC_RETRY_BASE_MS', message: 'must be a whole number from 1 to 60000' },
      { field: 'BCC_RETRY_MAX_DELAY_MS', message: 'must be at most 300000' },
    ])
  })

  it('needs no webhook secret outside the HTTP function', () => {
    expect(loadFunctionConfig(keys, { webhookSecret: false }).webhookSecret).toBeUndefined()
  })

  it('names every problem at once', () => {
    const refused = issues({
      BCE_SECRET_ACCESS_KEY: ' SK-very-secret ',
      WEBHOOK_SECRET: 'password',
    })
    expect(JSON.stringify(refused)).not.toContain('SK-very-secret')
    expect(refused).toEqual([
      { field: 'BCE_ACCESS_KEY_ID', message: 'is required (or set BCE_CREDENTIALS_SECRET_ID)' },
      { field: 'BCE_SECRET_ACCESS_KEY', message: 'must not have leading or trailing white space' },
      {
        field: 'WEBHOOK_SECRET',
        message: "must be a Standard Webhooks secret: 'whsec_' and padded base64",
      },
    ])
    expect(issues({ BCE_ACCESS_KEY_ID: 'AK' })).toEqual([
      { field: 'BCE_SECRET_ACCESS_KEY', message: 'is required (or set BCE_CREDENTIALS_SECRET_ID)' },
      { field: 'WEBHOOK_SECRET', message: 'is required (or set WEBHOOK_SECRET_ID)' },
    ])
  })

  it('refuses credentials that cannot travel in an HTTP header, naming each and echoing none', () => {
    const env = {
      BCE_ACCESS_KEY_ID: 'AKline\nbreak',
      BCE_SECRET_ACCESS_KEY: 'SK\u20acnot-latin-1',
      BCE_SESSION_TOKEN: 'token\twith-a-tab',
    }
    const message =
      'must hold only visible ASCII characters (no spaces, line breaks or other characters)'
    expect(issues(env, false)).toEqual([
      { field: 'BCE_ACCESS_KEY_ID', message },
      { field: 'BCE_SECRET_ACCESS_KEY', message },
      { field: 'BCE_SESSION_TOKEN', message },
    ])
    const error = (() => {
      try {
        loadFunctionConfig(env, { webhookSecret: false })
      } catch (caught) {
        return caught as ConfigError
      }
    })()
    for (const value of Object.values(env)) {
      expect(JSON.stringify(error?.issues)).not.toContain(value)
      expect(error?.message).not.toContain(value)
    }
  })

  it.each(['whsec_ABC', 'whsec_ABCDE', 'whsec_A===', 'whsec_', 'whsec_AB==\n'])(
    'refuses the webhook secret %j, which is not padded base64, naming the variable',
    (secret) => {
      expect(issues({ ...keys, WEBHOOK_SECRET: secret })).toEqual([
        {
          field: 'WEBHOOK_SECRET',
          message: "must be a Standard Webhooks secret: 'whsec_' and padded base64",
        },
      ])
    },
  )

  it.each(['whsec_AA==', 'whsec_AAA=', 'whsec_AAAA', WEBHOOK])(
    'accepts the webhook secret %j',
    (secret) => {
      expect(
        loadFunctionConfig({ ...keys, WEBHOOK_SECRET: secret }, { webhookSecret: true })
          .webhookSecret,
      ).toEqual({ from: 'environment', value: secret })
    },
  )

  it.each(['0', '4', '5', '99'])(
    "refuses a DEADLINE_MARGIN_MS of %s, which loses to middy's own 5 ms early timeout",
    (margin) => {
      expect(issues({ ...keys, DEADLINE_MARGIN_MS: margin }, false)).toEqual([
        { field: 'DEADLINE_MARGIN_MS', message: 'must be at least 100' },
      ])
    },
  )

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

  it('refuses credentials that cannot travel in an HTTP header, naming the field only', () => {
    const secret = {
      accessKeyId: 'AK\r\nX-Injected: 1',
      secretAccessKey: 'SK\u00e9',
      sessionToken: 't\u2028x',
    }
    let error: unknown
    try {
      parseCredentialsSecret(secret)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const message =
      'must hold only visible ASCII characters (no spaces, line breaks or other characters)'
    expect((error as ConfigError).issues).toEqual([
      { field: 'BCE_CREDENTIALS_SECRET_ID.accessKeyId', message },
      { field: 'BCE_CREDENTIALS_SECRET_ID.secretAccessKey', message },
      { field: 'BCE_CREDENTIALS_SECRET_ID.sessionToken', message },
    ])
    expect((error as ConfigError).message).not.toContain('X-Injected')
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
