import { BlockList, isIP } from 'node:net'
import * as z from 'zod/mini'

/**
 * BCC regions this project may call. The first six have a published BCC endpoint; `fsh` and
 * `sin` are used by Baidu's own client code (docs/baidu.md, "Endpoints and regions"). Nothing outside this list is
 * ever turned into a host name, so a region can never steer requests to another domain.
 */
export const REGIONS = ['bj', 'gz', 'su', 'hkg', 'fwh', 'bd', 'fsh', 'sin'] as const

/** A BCC region from the allow-list. */
export type Region = (typeof REGIONS)[number]

/** The region used when neither the request nor `BCE_REGION` names one. */
export const DEFAULT_REGION: Region = 'bj'

/** True when `value` is one of {@link REGIONS}. */
export function isRegion(value: string): value is Region {
  return REGIONS.some((region) => region === value)
}

/** A region from the allow-list; anything else is refused before it can become a host name. */
export const RegionSchema = z.enum(REGIONS, {
  error: (issue) =>
    issue.input === undefined ? 'is required' : `must be one of ${REGIONS.join(', ')}`,
})

/**
 * 127.0.0.0/8 and `::1`. A `BlockList` also matches their IPv4-mapped IPv6 forms, dotted or not
 * (`::ffff:127.0.0.1`, `::ffff:7f00:1`): https://nodejs.org/api/net.html#class-netblocklist
 * Built on the first check, not at load: a deployed function, with no endpoint override, never
 * asks.
 */
let loopbackAddresses: BlockList | undefined
function loopbackList(): BlockList {
  if (loopbackAddresses === undefined) {
    loopbackAddresses = new BlockList()
    loopbackAddresses.addSubnet('127.0.0.0', 8, 'ipv4')
    loopbackAddresses.addAddress('::1', 'ipv6')
  }
  return loopbackAddresses
}

/** An IPv6 address as `URL.hostname` gives it: https://url.spec.whatwg.org/#host-serializing */
const BRACKETED = /^\[(.*)\]$/s

/** The BCC endpoint of a region: always `https`, on Baidu's published host pattern. */
export function regionEndpoint(region: Region): string {
  return `https://bcc.${region}.baidubce.com`
}

/**
 * True when `host` is this machine, where plain `http` is allowed (the emulator, tests) and the
 * emulator's unsigned control API is served: `localhost`, an address in 127.0.0.0/8, or `::1`, in
 * any case and spelling (`0:0:0:0:0:0:0:1`, IPv4-mapped `::ffff:127.0.0.1`). Takes a URL's
 * `hostname` (IPv6 in brackets, IPv4 already normalised: `127.1` is `127.0.0.1`) or a socket's
 * address (IPv6 bare; `undefined` once the socket has closed, which is not loopback). A name that
 * merely resolves to loopback (`127.0.0.1.nip.io`, `localhost.example.com`) is not.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false
  const lower = host.toLowerCase()
  if (lower === 'localhost') return true
  const bracketed = BRACKETED.exec(lower)
  const address = bracketed?.[1] ?? lower
  const family = isIP(address)
  if (family === 0 || (bracketed !== null && family !== 6)) return false
  return loopbackList().check(address, family === 4 ? 'ipv4' : 'ipv6')
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
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
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
