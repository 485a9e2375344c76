import type { Region } from './regions.js'

/** Host names that count as loopback, where plain `http` is allowed (the emulator, tests). */
const LOOPBACK_HOSTNAMES = new Set(['localhost', '[::1]'])
const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/

/** The BCC endpoint of a region: always `https`, on Baidu's published host pattern. */
export function regionEndpoint(region: Region): string {
  return `https://bcc.${region}.baidubce.com`
}

/** True when `hostname` (as `URL.hostname` gives it) is a loopback address. */
export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname) || IPV4_LOOPBACK.test(hostname)
}

/**
 * Checks a `BCC_ENDPOINT` override and returns its origin (`scheme://host[:port]`), or the reason
 * it is refused. Plain `http` is only for loopback, so a signed request never crosses a network
 * in clear text; a path, query, fragment or user info would change what gets signed, so none is
 * allowed.
 */
export function parseEndpointOverride(value: string): { origin: string } | { error: string } {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return { error: 'must be an absolute URL, such as https://bcc.bj.baidubce.com' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { error: 'must use https (or http on a loopback address)' }
  }
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    return { error: 'may use plain http only on a loopback address (127.0.0.0/8, ::1, localhost)' }
  }
  if (url.username !== '' || url.password !== '') {
    return { error: 'must not contain user info' }
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return { error: 'must be an origin only, without path, query or fragment' }
  }
  return { origin: url.origin }
}
