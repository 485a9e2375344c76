import { describe, expect, it } from 'vitest'
import {
  formatAuthorization,
  formatAuthStringPrefix,
  formatTimestamp,
  parseAuthorization,
} from '../../lib/bce/authorization.js'

const SIGNATURE = 'd74a04362e6a848f5b39b15421cb449427f419c95a480fd6b8cf9fc783e2999e'
const AK = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const TIME = '2015-04-27T08:23:49Z'
const VALID = `bce-auth-v1/${AK}/${TIME}/1800/content-length;host;x-bce-date/${SIGNATURE}`

// Replaces one of the six fields of VALID.
const withField = (index: number, value: string): string => {
  const fields = VALID.split('/')
  fields[index] = value
  return fields.join('/')
}

describe('formatAuthStringPrefix', () => {
  it('joins version, AK, timestamp and expiration with /', () => {
    expect(formatAuthStringPrefix(AK, new Date('2015-04-27T08:23:49.5Z'), 1800)).toBe(
      `bce-auth-v1/${AK}/${TIME}/1800`,
    )
  })
})

describe('formatAuthorization', () => {
  it('lists the signed headers in the given order', () => {
    const parts = {
      accessKeyId: AK,
      timestamp: new Date(TIME),
      expirationSeconds: 1800,
      signedHeaders: ['content-length', 'host', 'x-bce-date'],
      signature: SIGNATURE,
    }
    expect(formatAuthorization(parts)).toBe(VALID)
  })

  it('writes an empty list as //', () => {
    const parts = {
      accessKeyId: AK,
      timestamp: new Date(TIME),
      expirationSeconds: 3600,
      signedHeaders: [],
      signature: SIGNATURE,
    }
    expect(formatAuthorization(parts)).toBe(`bce-auth-v1/${AK}/${TIME}/3600//${SIGNATURE}`)
  })
})

describe('parseAuthorization', () => {
  it('parses a header with an explicit signed-header list', () => {
    expect(parseAuthorization(VALID)).toEqual({
      accessKeyId: AK,
      timestamp: new Date(TIME),
      expirationSeconds: 1800,
      signedHeaders: ['content-length', 'host', 'x-bce-date'],
      signature: SIGNATURE,
    })
  })

  it('parses the empty // form as an empty list', () => {
    expect(parseAuthorization(withField(4, ''))?.signedHeaders).toEqual([])
  })

  it('accepts any lower-case token as a header name', () => {
    const names = "x-bce-meta_1.a~b;host;a!#$%&'*+^`|"
    expect(parseAuthorization(withField(4, names))?.signedHeaders).toEqual([
      'x-bce-meta_1.a~b',
      'host',
      "a!#$%&'*+^`|",
    ])
  })

  it('round-trips with formatAuthorization', () => {
    const parts = parseAuthorization(VALID)
    expect(parts).not.toBeNull()
    expect(formatAuthorization(parts!)).toBe(VALID)
  })

  it.each([
    ['the empty string', ''],
    ['a scheme prefix', `Bearer ${VALID}`],
    ['surrounding whitespace', ` ${VALID} `],
    ['five fields', VALID.slice(0, VALID.lastIndexOf('/'))],
    ['seven fields', `${VALID}/extra`],
  ])('refuses %s', (_case, header) => {
    expect(parseAuthorization(header)).toBeNull()
  })

  it.each(['bce-auth-v2', 'BCE-AUTH-V1', 'bce-auth-v1 ', ''])('refuses version %j', (version) => {
    expect(parseAuthorization(withField(0, version))).toBeNull()
  })

  it('refuses an empty access key ID', () => {
    expect(parseAuthorization(withField(1, ''))).toBeNull()
  })

  it.each([
    ['milliseconds', '2015-04-27T08:23:49.000Z'],
    ['a lower-case z', '2015-04-27T08:23:49z'],
    ['no zone', '2015-04-27T08:23:49'],
    ['an offset', '2015-04-27T16:23:49+08:00'],
    ['a date only', '2015-04-27'],
    ['a space instead of T', '2015-04-27 08:23:49Z'],
    ['epoch seconds', '1430122429'],
    ['30 February', '2015-02-30T00:00:00Z'],
    ['29 February of a common year', '2015-02-29T00:00:00Z'],
    ['month 13', '2015-13-01T00:00:00Z'],
    ['hour 24', '2015-04-27T24:00:00Z'],
    ['minute 60', '2015-04-27T08:60:00Z'],
    ['a leap second', '2015-06-30T23:59:60Z'],
    ['an empty field', ''],
  ])('refuses a timestamp with %s', (_case, timestamp) => {
    expect(parseAuthorization(withField(2, timestamp))).toBeNull()
  })

  it('accepts 29 February of a leap year', () => {
    expect(parseAuthorization(withField(2, '2016-02-29T00:00:00Z'))?.timestamp).toEqual(
      new Date('2016-02-29T00:00:00Z'),
    )
  })

  it.each(['0', '-1', '01', '1.5', '1e3', '0x10', ' 1800', '', '9007199254740993'])(
    'refuses expiration %j',
    (expiration) => {
      expect(parseAuthorization(withField(3, expiration))).toBeNull()
    },
  )

  it('accepts the largest safe integer as expiration', () => {
    expect(parseAuthorization(withField(3, '9007199254740991'))?.expirationSeconds).toBe(
      Number.MAX_SAFE_INTEGER,
    )
  })

  it.each([
    'Host',
    'host;',
    ';host',
    'host;;x-bce-date',
    'host x-bce-date',
    'host,x-bce-date',
    'host:x',
  ])('refuses signed headers %j', (signedHeaders) => {
    expect(parseAuthorization(withField(4, signedHeaders))).toBeNull()
  })

  it.each([
    ['63 characters', SIGNATURE.slice(1)],
    ['65 characters', `${SIGNATURE}0`],
    ['upper-case hex', SIGNATURE.toUpperCase()],
    ['a non-hex character', `g${SIGNATURE.slice(1)}`],
    ['nothing', ''],
  ])('refuses a signature of %s', (_case, signature) => {
    expect(parseAuthorization(withField(5, signature))).toBeNull()
  })
})

describe('formatTimestamp', () => {
  it('formats UTC as YYYY-MM-DDTHH:MM:SSZ', () => {
    expect(formatTimestamp(new Date(Date.UTC(2015, 3, 27, 8, 23, 49)))).toBe('2015-04-27T08:23:49Z')
  })

  it('drops milliseconds without rounding', () => {
    expect(formatTimestamp(new Date('2015-04-27T08:23:49.999Z'))).toBe('2015-04-27T08:23:49Z')
    expect(formatTimestamp(new Date('2015-04-27T08:23:49.001Z'))).toBe('2015-04-27T08:23:49Z')
  })

  it('converts other time zones to UTC', () => {
    expect(formatTimestamp(new Date('2015-04-27T16:23:49+08:00'))).toBe('2015-04-27T08:23:49Z')
  })

  it('accepts the first and last four-digit years', () => {
    expect(formatTimestamp(new Date('0000-01-01T00:00:00Z'))).toBe('0000-01-01T00:00:00Z')
    expect(formatTimestamp(new Date('9999-12-31T23:59:59.999Z'))).toBe('9999-12-31T23:59:59Z')
  })

  it('refuses an invalid date and years the format cannot hold', () => {
    expect(() => formatTimestamp(new Date(Number.NaN))).toThrow(RangeError)
    expect(() => formatTimestamp(new Date('+010000-01-01T00:00:00Z'))).toThrow(RangeError)
    expect(() => formatTimestamp(new Date('-000001-12-31T23:59:59Z'))).toThrow(RangeError)
  })

  it('formats every second of a run across minute, hour and day boundaries exactly as toISOString', () => {
    const start = Date.parse('2026-12-31T23:58:30Z')
    for (let second = 0; second < 150; second++) {
      const date = new Date(start + second * 1000 + 250)
      expect(formatTimestamp(date)).toBe(date.toISOString().replace(/\.\d{3}Z$/, 'Z'))
    }
  })

  it('formats a second again after others, and a date before 1970', () => {
    expect(formatTimestamp(new Date('2026-11-29T03:00:59Z'))).toBe('2026-11-29T03:00:59Z')
    expect(formatTimestamp(new Date('2026-11-29T03:00:01Z'))).toBe('2026-11-29T03:00:01Z')
    expect(formatTimestamp(new Date('1969-12-31T23:59:58.5Z'))).toBe('1969-12-31T23:59:58Z')
    expect(formatTimestamp(new Date('1969-12-31T23:59:01Z'))).toBe('1969-12-31T23:59:01Z')
  })
})
