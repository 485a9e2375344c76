import { EXCLUDED_QUERY_KEY, SEPARATOR } from './constants.js'
import { uriEncode } from './uriEncode.js'

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
