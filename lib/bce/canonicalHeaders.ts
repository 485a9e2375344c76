import { BCE_HEADER_PREFIX, SEPARATOR } from './constants.js'
import type { CanonicalHeaders } from './types.js'
import { uriEncode } from './uriEncode.js'

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

// Plans per list of headers to sign (callers reuse one array), then per header names.
const plans = new WeakMap<readonly string[], Map<string, SigningPlan>>()
const MAX_PLANS_PER_LIST = 64

// The last plan used: a client signs request after request with the same header names.
let last:
  | { headersToSign: readonly string[]; rawNames: readonly string[]; plan: SigningPlan }
  | undefined

const sameNames = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((name, i) => name === b[i])

const planFor = (rawNames: readonly string[], headersToSign: readonly string[]): SigningPlan => {
  if (last?.headersToSign === headersToSign && sameNames(last.rawNames, rawNames)) return last.plan
  let byNames = plans.get(headersToSign)
  if (byNames === undefined) {
    byNames = new Map()
    plans.set(headersToSign, byNames)
  }
  const key = rawNames.join(SEPARATOR.line)
  let plan = byNames.get(key)
  if (plan === undefined) {
    plan = makePlan(rawNames, new Set(headersToSign.map(normaliseName)))
    if (byNames.size >= MAX_PLANS_PER_LIST) byNames.clear()
    byNames.set(key, plan)
  }
  last = { headersToSign, rawNames, plan }
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
