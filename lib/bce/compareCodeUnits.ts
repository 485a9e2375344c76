/**
 * Orders two strings by UTF-16 code units, as JavaScript's default sort does.
 *
 * The canonical parts are sorted this way (the official JavaScript SDK sorts with
 * `Array#sort`); after percent-encoding they are ASCII, so this is also byte order.
 * `localeCompare` would depend on the runtime's locale.
 */
export const compareCodeUnits = (a: string, b: string): number => {
  if (a < b) return -1
  return a > b ? 1 : 0
}
