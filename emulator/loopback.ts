import { isIPv4 } from 'node:net'

const IPV4_MAPPED_PREFIX = '::ffff:'

/** True for 127.0.0.0/8, `::1` and their IPv4-mapped forms (`::ffff:127.0.0.1`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false
  const lower = address.toLowerCase()
  const v4 = lower.startsWith(IPV4_MAPPED_PREFIX) ? lower.slice(IPV4_MAPPED_PREFIX.length) : lower
  if (isIPv4(v4)) return v4.startsWith('127.')
  return lower === '::1' || lower === '0:0:0:0:0:0:0:1'
}

/**
 * The control API is unsigned, so it is served only when nobody but this machine can reach it:
 * the server listens on a loopback address, and the request came from one.
 */
export function controlAllowed(
  boundAddress: string | undefined,
  remoteAddress: string | undefined,
): boolean {
  return isLoopbackAddress(boundAddress) && isLoopbackAddress(remoteAddress)
}
