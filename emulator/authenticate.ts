import { timingSafeEqual } from 'node:crypto'
import { parseAuthorization } from '../lib/bce/authorization.js'
import { verify } from '../lib/bce/verify.js'
import { HEADER } from './constants.js'
import type { CredentialStore } from './credentials.js'
import type { AuthVerdict, EmulatorRequest } from './types.js'

const sameSecret = (expected: string, given: string | undefined): boolean => {
  if (given === undefined) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Authenticates a request as BCE does, with `verify()` over its real method, decoded path,
 * decoded query and the headers as received.
 *
 * A key pair configured with a session token also needs that token in `x-bce-security-token`
 * (where the signature covers it); without it, or with another, the answer is 403
 * `InvalidAccessKeyId`. That code is our choice: BCE publishes none for a bad session token.
 */
export function authenticate(
  request: EmulatorRequest,
  credentials: CredentialStore,
  now: Date,
  maxFutureSkewSeconds: number,
): AuthVerdict {
  const authorization = request.headers.authorization
  const result = verify(
    { method: request.method, path: request.path, query: request.query, headers: request.headers },
    authorization,
    (accessKeyId) => credentials.get(accessKeyId)?.secretAccessKey,
    now,
    { maxFutureSkewSeconds },
  )
  if (!result.ok) {
    const claimed = authorization === undefined ? null : parseAuthorization(authorization)
    return {
      ok: false,
      reason: result.reason,
      message: result.message,
      signedHeaders: [...(claimed?.signedHeaders ?? [])],
    }
  }
  const expectedToken = credentials.get(result.accessKeyId)?.sessionToken
  if (
    expectedToken !== undefined &&
    !sameSecret(expectedToken, request.headers[HEADER.securityToken])
  ) {
    return {
      ok: false,
      reason: 'InvalidAccessKeyId',
      message: 'The session token of this access key is missing or wrong',
      signedHeaders: result.signedHeaders,
    }
  }
  return { ok: true, accessKeyId: result.accessKeyId, signedHeaders: result.signedHeaders }
}
