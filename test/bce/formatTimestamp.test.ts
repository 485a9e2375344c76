import { describe, expect, it } from 'vitest'
import { formatTimestamp } from '../../lib/bce/formatTimestamp.js'

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
