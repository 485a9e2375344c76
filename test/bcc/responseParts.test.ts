import { describe, expect, it } from 'vitest'
import { findErrorCode, toNetworkError } from '../../lib/bcc/errors.js'
import { guessErrorCode, MAX_MESSAGE_LENGTH, redactSecrets } from '../../lib/bcc/responses.js'
import { parseRetryAfter } from '../../lib/bcc/retry.js'

describe('guessErrorCode', () => {
  it('follows the official SDKs for the statuses they name, and the reason phrase otherwise', () => {
    expect([400, 403, 412, 500].map(guessErrorCode)).toEqual([
      'InvalidHTTPRequest',
      'AccessDenied',
      'PreconditionFailed',
      'InternalError',
    ])
    expect([404, 429, 502, 503, 504, 413].map(guessErrorCode)).toEqual([
      'NotFound',
      'TooManyRequests',
      'BadGateway',
      'ServiceUnavailable',
      'GatewayTimeout',
      'PayloadTooLarge',
    ])
    expect(guessErrorCode(599)).toBe('Http599')
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-29T03:00:00Z')
  it.each([
    ['0', 0],
    ['7', 7_000],
    [' 12 ', 12_000],
    ['Sun, 29 Nov 2026 03:00:30 GMT', 30_000],
    ['Sun, 29 Nov 2026 02:59:00 GMT', 0],
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms)
  })

  it.each([
    ['3600', '3600'],
    ['3601', '3601'],
    ['23 nines', '99999999999999999999999'],
    ['400 nines', '9'.repeat(400)],
    ['a date a century ahead', 'Sun, 29 Nov 2126 03:00:00 GMT'],
  ])('caps %s at an hour', (_what, value) => {
    expect(parseRetryAfter(value, now)).toBe(3_600_000)
  })

  it.each([null, undefined, '', '-1', '1.5', 'soon', 'Sun, 99 Foo 2026 03:00:30 GMT'])(
    'ignores %j',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined()
    },
  )
})

describe('network errors', () => {
  it('finds a code on the error or along its cause chain', () => {
    expect(findErrorCode(Object.assign(new Error('x'), { code: 'EPIPE' }))).toBe('EPIPE')
    expect(
      findErrorCode(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('y'), { code: 'ECONNREFUSED' }),
        }),
      ),
    ).toBe('ECONNREFUSED')
    expect(findErrorCode(new Error('none'))).toBeUndefined()
    expect(findErrorCode('not an error')).toBeUndefined()
  })

  it.each([
    ['ECONNREFUSED', 'request', false],
    ['ENOTFOUND', 'request', false],
    ['CERT_HAS_EXPIRED', 'request', false],
    ['ECONNRESET', 'request', true],
    ['EPIPE', 'request', true],
    ['ECONNREFUSED', 'response body', true],
  ] as const)('%s during the %s: may have reached BCE = %s', (code, during, reached) => {
    const error = toNetworkError(Object.assign(new Error('boom'), { code }), during)
    expect(error).toMatchObject({ name: 'BccNetworkError', code, mayHaveReachedBce: reached })
    expect(error.message).toBe(`BCC ${during} failed (${code})`)
  })

  it('assumes the worst when nothing says how far the request got', () => {
    expect(toNetworkError(new RangeError('odd'), 'request')).toMatchObject({
      code: undefined,
      mayHaveReachedBce: true,
      message: 'BCC request failed (RangeError)',
    })
    expect(toNetworkError('thrown string', 'request').message).toBe(
      'BCC request failed (unknown error)',
    )
  })
})

describe('redactSecrets', () => {
  it('removes each secret, raw and percent-encoded, and any 64-hex digest', () => {
    const token = 'tok/en+value=='
    const text = `a ${token} b ${encodeURIComponent(token).replace(/%2B/g, '%2B')} c SKsecret d ${'0f'.repeat(32)}`
    expect(redactSecrets(text, [token, 'SKsecret', undefined])).toBe(
      'a [redacted] b [redacted] c [redacted] d [redacted]',
    )
  })

  it('does not treat very short values as secrets', () => {
    expect(redactSecrets('a b c', ['a'])).toBe('a b c')
  })

  it('cuts long messages', () => {
    const result = redactSecrets('x'.repeat(1_000), [])
    expect(result).toHaveLength(MAX_MESSAGE_LENGTH + 1)
    expect(result.endsWith('…')).toBe(true)
  })
})
