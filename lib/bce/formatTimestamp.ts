import { ISO_MILLISECONDS_PATTERN, MAX_TIMESTAMP_YEAR, UTC_DESIGNATOR } from './constants.js'

/**
 * Formats a time as bce-auth-v1 wants it: UTC `YYYY-MM-DDTHH:MM:SSZ`, milliseconds dropped
 * (truncated, not rounded). Also the value of the `x-bce-date` header.
 *
 * @throws RangeError for an invalid date or a year outside 0000–9999, which the four-digit
 * form cannot hold.
 * @example formatTimestamp(new Date('2015-04-27T08:23:49.999Z')) // '2015-04-27T08:23:49Z'
 */
export const formatTimestamp = (date: Date): string => {
  const year = date.getUTCFullYear()
  // NaN fails both comparisons, so an invalid date needs its own test.
  if (Number.isNaN(year) || year < 0 || year > MAX_TIMESTAMP_YEAR) {
    throw new RangeError('The timestamp must be a valid date between years 0000 and 9999')
  }
  return date.toISOString().replace(ISO_MILLISECONDS_PATTERN, UTC_DESIGNATOR)
}
