import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../lib/errors/catalogue.js'
import { loadConfig } from '../../lib/schemas/config.js'

const required = { BCE_ACCESS_KEY_ID: 'AKexample', BCE_SECRET_ACCESS_KEY: 'SKexample-secret' }

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(required)).toEqual({
      credentials: { accessKeyId: 'AKexample', secretAccessKey: 'SKexample-secret' },
      region: 'bj',
      endpointOverride: undefined,
      timeoutMs: 3_000,
      maxAttempts: 4,
      retryBaseDelayMs: 100,
      retryMaxDelayMs: 5_000,
    })
  })

  it('reads every variable', () => {
    expect(
      loadConfig({
        ...required,
        BCE_SESSION_TOKEN: 'token',
        BCE_REGION: 'gz',
        BCC_ENDPOINT: 'http://127.0.0.1:8787/',
        BCC_TIMEOUT_MS: '1500',
        BCC_MAX_ATTEMPTS: '2',
        BCC_RETRY_BASE_MS: '50',
        BCC_RETRY_MAX_DELAY_MS: '800',
      }),
    ).toEqual({
      credentials: {
        accessKeyId: 'AKexample',
        secretAccessKey: 'SKexample-secret',
        sessionToken: 'token',
      },
      region: 'gz',
      endpointOverride: 'http://127.0.0.1:8787',
      timeoutMs: 1_500,
      maxAttempts: 2,
      retryBaseDelayMs: 50,
      retryMaxDelayMs: 800,
    })
  })

  it('treats empty variables as unset', () => {
    expect(
      loadConfig({
        ...required,
        BCE_SESSION_TOKEN: '',
        BCE_REGION: '',
        BCC_ENDPOINT: '',
        BCC_TIMEOUT_MS: '',
      }),
    ).toMatchObject({
      region: 'bj',
      endpointOverride: undefined,
      timeoutMs: 3_000,
      credentials: { accessKeyId: 'AKexample', secretAccessKey: 'SKexample-secret' },
    })
  })

  it('names every bad variable at once', () => {
    const error = configError({
      BCE_SECRET_ACCESS_KEY: ' padded ',
      BCE_REGION: 'us-east-1',
      BCC_ENDPOINT: 'http://bcc.bj.baidubce.com',
      BCC_TIMEOUT_MS: '99',
      BCC_MAX_ATTEMPTS: 'four',
      BCC_RETRY_BASE_MS: '1.5',
      BCC_RETRY_MAX_DELAY_MS: '300001',
    })
    expect(error.issues).toEqual([
      { field: 'BCE_ACCESS_KEY_ID', message: 'is required' },
      { field: 'BCE_SECRET_ACCESS_KEY', message: 'must not have leading or trailing white space' },
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
    expect(error.name).toBe('ConfigError')
    expect(error.message).toMatch(/^Invalid configuration: BCE_ACCESS_KEY_ID: is required; /)
  })

  it('refuses credentials that cannot travel in an HTTP header', () => {
    const error = configError({
      BCE_ACCESS_KEY_ID: 'AK\nexample',
      BCE_SECRET_ACCESS_KEY: 'SK-\u4e2d',
      BCE_SESSION_TOKEN: 'to ken',
    })
    const message =
      'must hold only visible ASCII characters (no spaces, line breaks or other characters)'
    expect(error.issues).toEqual([
      { field: 'BCE_ACCESS_KEY_ID', message },
      { field: 'BCE_SECRET_ACCESS_KEY', message },
      { field: 'BCE_SESSION_TOKEN', message },
    ])
  })

  it('never echoes a secret it refused', () => {
    const error = configError({
      BCE_ACCESS_KEY_ID: 'AKexample',
      BCE_SECRET_ACCESS_KEY: ' SK-very-secret ',
    })
    expect(error.message).not.toContain('SK-very-secret')
  })
})
