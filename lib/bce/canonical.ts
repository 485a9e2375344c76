// The canonical request of bce-auth-v1, steps 1 and 3 of
// https://intl.cloud.baidu.com/doc/Reference/s/njwvz1yfu-en: percent-encoding, the canonical URI,
// query string and headers, and the four lines they make. Pure; memoised for the hot path.
import {
  BCE_HEADER_PREFIX,
  ENCODED_SLASH,
  EXCLUDED_QUERY_KEY,
  KEPT_BY_ENCODE_URI_COMPONENT,
  PATH_SEPARATOR,
  ROOT_PATH,
  SEPARATOR,
  UNRESERVED_ONLY,
  UNRESERVED_OR_SLASH_ONLY,
} from './constants.js'
import type { CanonicalHeaders } from './types.js'

/** Options of `uriEncode()`. */
export interface UriEncodeOptions {
  /** Leave `/` as is (for paths); by default it becomes `%2F`. */
  keepSlash?: boolean
}

const percentEncode = (char: string): string => `%${char.charCodeAt(0).toString(16).toUpperCase()}`

// Signing encodes the same few strings again and again (content type, user agent, host): a
// small memo of recent results. Bounded in entries and in the length of what it keeps.
const MEMO_MAX_ENTRIES = 512
const MEMO_MAX_LENGTH = 256
const memo = { plain: new Map<string, string>(), path: new Map<string, string>() }

const encode = (value: string, keepSlash: boolean): string => {
  // toWellFormed() turns lone surrogates into U+FFFD, on which encodeURIComponent would throw.
  const encoded = encodeURIComponent(value.toWellFormed()).replace(
    KEPT_BY_ENCODE_URI_COMPONENT,
    percentEncode,
  )
  return keepSlash ? encoded.replace(ENCODED_SLASH, PATH_SEPARATOR) : encoded
}

/**
 * Percent-encodes a string the way bce-auth-v1 requires (RFC 3986 over UTF-8 bytes).
 *
 * `A-Za-z0-9-_.~` stay; every other byte becomes `%XX` with upper-case hex. Unlike
 * `encodeURIComponent`, `!'()*` are encoded too. A lone surrogate (not valid UTF-16) is
 * encoded as U+FFFD, `%EF%BF%BD`, rather than throwing.
 *
 * Signing is on the hot path: strings of unreserved characters (ids, names, most values) are
 * returned as they are, and the rest go through the engine's own `encodeURIComponent`.
 *
 * @example uriEncode('a b/ü') // 'a%20b%2F%C3%BC'
 * @example uriEncode('/v2/a b', { keepSlash: true }) // '/v2/a%20b'
 */
export const uriEncode = (value: string, options: UriEncodeOptions = {}): string => {
  const keepSlash = options.keepSlash === true
  const cache = keepSlash ? memo.path : memo.plain
  const known = cache.get(value)
  if (known !== undefined) return known
  const encoded = (keepSlash ? UNRESERVED_OR_SLASH_ONLY : UNRESERVED_ONLY).test(value)
    ? value
    : encode(value, keepSlash)
  if (value.length <= MEMO_MAX_LENGTH) {
    if (cache.size >= MEMO_MAX_ENTRIES) cache.clear()
    cache.set(value, encoded)
  }
  return encoded
}

/**
 * Builds the canonical URI: the decoded path, percent-encoded with `/` kept.
 *
 * An empty path is `/`. The path must not be percent-encoded already: `%` itself is
 * encoded, so `/a%20b` becomes `/a%2520b`.
 *
 * @example canonicalUri('/v2/instance/i-abc') // '/v2/instance/i-abc'
 */
export const canonicalUri = (path: string): string =>
  path === '' ? ROOT_PATH : uriEncode(path, { keepSlash: true })

/**
 * Builds the canonical query string.
 *
 * Every parameter except `authorization` (any case) becomes `encode(key)=encode(value)`;
 * a parameter without a value is `""` and becomes `key=`. The items are sorted as whole
 * strings, not by key: `a-b=1` sorts before `a=1` because `-` < `=`.
 *
 * @example canonicalQuery({ maxKeys: '100', bind: '' }) // 'bind=&maxKeys=100'
 */
export const canonicalQuery = (query: Readonly<Record<string, string>>): string => {
  const items: string[] = []
  for (const key of Object.keys(query)) {
    if (key.toLowerCase() === EXCLUDED_QUERY_KEY) continue
    items.push(uriEncode(key) + SEPARATOR.queryKeyValue + uriEncode(query[key] as string))
  }
  // Array#sort without a comparator orders strings by UTF-16 code units, as the SDKs do.
  return items.sort().join(SEPARATOR.queryItem)
}

const normaliseName = (name: string): string => name.trim().toLowerCase()

/**
 * Which headers of a request get signed, in canonical order. Lines sort by their encoded name
 * alone (two different names differ before either reaches its `:`), so the order depends on
 * the names and the list to sign, never on the values: it is worked out once per set of names.
 */
interface SigningPlan {
  /** The header as the request names it, and its canonical `name:` prefix, in line order. */
  entries: readonly { rawName: string; prefix: string }[]
  signedHeaders: readonly string[]
}

// Plans by the values of the list to sign and of the header names, never by array identity:
// a caller may change its array after a call. Bounded, so odd callers cannot grow it.
const plans = new Map<string, SigningPlan>()
const MAX_PLANS = 256

// The last plan used, with copies of the lists it was made for: a client signs request after
// request with the same names, and comparing a few short strings is cheaper than a lookup key.
let last:
  | { headersToSign: readonly string[]; rawNames: readonly string[]; plan: SigningPlan }
  | undefined

const sameNames = (a: readonly string[], b: readonly string[]): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

const planFor = (rawNames: readonly string[], headersToSign: readonly string[]): SigningPlan => {
  if (
    last !== undefined &&
    sameNames(last.rawNames, rawNames) &&
    sameNames(last.headersToSign, headersToSign)
  ) {
    return last.plan
  }
  // JSON keeps the two lists apart whatever characters the names hold.
  const key = JSON.stringify([headersToSign, rawNames])
  let plan = plans.get(key)
  if (plan === undefined) {
    plan = makePlan(rawNames, new Set(headersToSign.map(normaliseName)))
    if (plans.size >= MAX_PLANS) plans.clear()
    plans.set(key, plan)
  }
  last = { headersToSign: [...headersToSign], rawNames: [...rawNames], plan }
  return plan
}

const makePlan = (rawNames: readonly string[], wanted: ReadonlySet<string>): SigningPlan => {
  const entries = rawNames
    .map((rawName) => ({ rawName, name: normaliseName(rawName) }))
    .filter(({ name }) => wanted.has(name) || name.startsWith(BCE_HEADER_PREFIX))
    .map(({ rawName, name }) => ({
      rawName,
      name,
      prefix: uriEncode(name) + SEPARATOR.headerNameValue,
    }))
    // Code unit order, as the SDKs sort whole lines.
    .sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0))
  return { entries, signedHeaders: Object.freeze(entries.map(({ name }) => name)) }
}

/**
 * Builds the canonical headers and the list of signed header names.
 *
 * A header is signed when its name is in `headersToSign` (any case) or starts with
 * `x-bce-`. Names are trimmed and lower-cased, values trimmed (JavaScript whitespace);
 * a header whose value is then empty is left out. Each line is `encode(name):encode(value)`.
 * Whole lines are sorted (UTF-16 code units), and the names come out in line order, which can
 * differ from name order (`x-bce-a-b:…` sorts before `x-bce-a:…`); the official SDK does the
 * same. The list holds the names themselves, not their encoded form. A name given twice in
 * different letter cases (which Node's parsed headers never are) keeps the request's order.
 *
 * @example canonicalHeaders({ Host: 'h', Date: 'd' }, ['host'])
 * // { canonical: 'host:h', signedHeaders: ['host'] }
 */
export const canonicalHeaders = (
  headers: Readonly<Record<string, string>>,
  headersToSign: readonly string[],
): CanonicalHeaders => {
  const plan = planFor(Object.keys(headers), headersToSign)
  let canonical = ''
  let signedHeaders: string[] | undefined
  for (let i = 0; i < plan.entries.length; i++) {
    const { rawName, prefix } = plan.entries[i] as SigningPlan['entries'][number]
    const value = (headers[rawName] as string).trim()
    if (value === '') {
      // Left out: from here on the list differs from the plan's.
      signedHeaders ??= plan.signedHeaders.slice(0, i)
      continue
    }
    signedHeaders?.push(plan.signedHeaders[i] as string)
    canonical += (canonical === '' ? '' : SEPARATOR.line) + prefix + uriEncode(value)
  }
  // The plan's own list when nothing was left out: shared, so it is frozen.
  return { canonical, signedHeaders: signedHeaders ?? plan.signedHeaders }
}

/**
 * Joins the four canonical parts, one per line, as step 3 of bce-auth-v1 lists them.
 *
 * Only the method is normalised here (upper-cased); the other parts must already be
 * canonical (see `canonicalUri`, `canonicalQuery`, `canonicalHeaders`).
 *
 * @example canonicalRequest('get', '/v2/x', 'a=1', 'host:h') // 'GET\n/v2/x\na=1\nhost:h'
 */
export const canonicalRequest = (
  method: string,
  uri: string,
  query: string,
  headers: string,
): string => `${method.toUpperCase()}
${uri}
${query}
${headers}`
