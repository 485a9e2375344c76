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
