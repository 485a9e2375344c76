import { compareCodeUnits } from './compareCodeUnits.js'
import { BCE_HEADER_PREFIX, SEPARATOR } from './constants.js'
import type { CanonicalHeaders } from './types.js'
import { uriEncode } from './uriEncode.js'

interface HeaderLine {
  name: string
  line: string
}

const normaliseName = (name: string): string => name.trim().toLowerCase()

/**
 * Builds the canonical headers and the list of signed header names.
 *
 * A header is signed when its name is in `headersToSign` (any case) or starts with
 * `x-bce-`. Names are trimmed and lower-cased, values trimmed (JavaScript whitespace);
 * a header whose value is then empty is left out. Each line is `encode(name):encode(value)`.
 * Whole lines are sorted, and the names come out in line order, which can differ from name
 * order (`x-bce-a-b:…` sorts before `x-bce-a:…`); the official SDK does the same.
 *
 * @example canonicalHeaders({ Host: 'h', Date: 'd' }, ['host'])
 * // { canonical: 'host:h', signedHeaders: ['host'] }
 */
export const canonicalHeaders = (
  headers: Readonly<Record<string, string>>,
  headersToSign: readonly string[],
): CanonicalHeaders => {
  const wanted = new Set(headersToSign.map(normaliseName))
  const lines: HeaderLine[] = []
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = normaliseName(rawName)
    const value = rawValue.trim()
    const signed = wanted.has(name) || name.startsWith(BCE_HEADER_PREFIX)
    if (value !== '' && signed) {
      lines.push({ name, line: uriEncode(name) + SEPARATOR.headerNameValue + uriEncode(value) })
    }
  }
  lines.sort((a, b) => compareCodeUnits(a.line, b.line))
  return {
    canonical: lines.map(({ line }) => line).join(SEPARATOR.line),
    signedHeaders: lines.map(({ name }) => name),
  }
}
