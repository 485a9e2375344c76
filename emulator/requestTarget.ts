/** The decoded path and query of a request target. */
export interface RequestTarget {
  path: string
  query: Record<string, string>
}

// RFC 3986 percent-decoding only: a '+' stays a '+' (it is form encoding, not URI encoding).
const decode = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

/**
 * Splits and decodes a request target (`/v2/instance/i-x?bind&maxKeys=10`), as a server must
 * before it can rebuild the canonical request: a parameter without `=` gets `""`, and of a
 * repeated parameter the last value wins.
 *
 * @returns the target, or `undefined` when a part is not valid percent-encoding.
 */
export function parseRequestTarget(target: string): RequestTarget | undefined {
  const queryStart = target.indexOf('?')
  const rawPath = queryStart < 0 ? target : target.slice(0, queryStart)
  const rawQuery = queryStart < 0 ? '' : target.slice(queryStart + 1)
  const path = decode(rawPath)
  if (path === undefined) return undefined

  // A Map, then fromEntries: a parameter named __proto__ becomes a plain own property.
  const query = new Map<string, string>()
  for (const item of rawQuery.split('&')) {
    if (item === '') continue
    const equals = item.indexOf('=')
    const key = decode(equals < 0 ? item : item.slice(0, equals))
    const value = equals < 0 ? '' : decode(item.slice(equals + 1))
    if (key === undefined || value === undefined) return undefined
    query.set(key, value)
  }
  return { path, query: Object.fromEntries(query) }
}
