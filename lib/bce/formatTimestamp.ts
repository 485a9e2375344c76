import { MAX_TIMESTAMP_YEAR, UTC_DESIGNATOR } from './constants.js'

/**
 * Formats a time as bce-auth-v1 wants it: UTC `YYYY-MM-DDTHH:MM:SSZ`, milliseconds dropped
 * (truncated, not rounded). Also the value of the `x-bce-date` header.
 *
 * @throws RangeError for an invalid date or a year outside 0000–9999, which the four-digit
 * form cannot hold.
 * @example formatTimestamp(new Date('2015-04-27T08:23:49.999Z')) // '2015-04-27T08:23:49Z'
 */
const pad = (value: number, width: number): string => String(value).padStart(width, '0')

// Every request of one second has the same timestamp, and of one minute the same text up to
// the seconds: remember the last of each.
const lastSecond = { second: Number.NaN, text: '' }
const lastMinute = { minute: Number.NaN, text: '' }

const SECONDS_PER_MINUTE = 60

export const formatTimestamp = (date: Date): string => {
  const second = Math.floor(date.getTime() / 1000)
  if (second === lastSecond.second) return lastSecond.text
  const minute = Math.floor(second / SECONDS_PER_MINUTE)
  let text: string
  if (minute === lastMinute.minute) {
    text = lastMinute.text + pad(second - minute * SECONDS_PER_MINUTE, 2) + UTC_DESIGNATOR
  } else {
    const year = date.getUTCFullYear()
    // NaN fails both comparisons, so an invalid date needs its own test.
    if (Number.isNaN(year) || year < 0 || year > MAX_TIMESTAMP_YEAR) {
      throw new RangeError('The timestamp must be a valid date between years 0000 and 9999')
    }
    // By hand: toISOString() and a replace cost more than the HMACs they feed.
    const upToSeconds = `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:`
    lastMinute.minute = minute
    lastMinute.text = upToSeconds
    text = upToSeconds + pad(date.getUTCSeconds(), 2) + UTC_DESIGNATOR
  }
  lastSecond.second = second
  lastSecond.text = text
  return text
}
