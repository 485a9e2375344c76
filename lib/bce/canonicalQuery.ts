import { compareCodeUnits } from './compareCodeUnits.js'
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
export const canonicalQuery = (query: Readonly<Record<string, string>>): string =>
  Object.entries(query)
    .filter(([key]) => key.toLowerCase() !== EXCLUDED_QUERY_KEY)
    .map(([key, value]) => uriEncode(key) + SEPARATOR.queryKeyValue + uriEncode(value))
    .sort(compareCodeUnits)
    .join(SEPARATOR.queryItem)
