/**
 * The parts of an HTTP request that go into a bce-auth-v1 signature.
 *
 * `path` is the decoded path (`/v2/instance/i-abc`); the signer percent-encodes it.
 * A query parameter without a value (`?bind`) is given as `""`.
 */
export interface SignableRequest {
  method: string
  path: string
  query?: Record<string, string>
  headers: Record<string, string>
}

/** An AK/SK pair, optionally with the session token of temporary (STS) credentials. */
export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
  /**
   * Carried for the caller's convenience only: `sign()` does not read it. The caller puts it
   * into the `x-bce-security-token` header, where it is signed like any `x-bce-` header.
   */
  sessionToken?: string
}

/** Options of `sign()`. */
export interface SignOptions {
  /** Signing time; defaults to the current time. Milliseconds are dropped. */
  timestamp?: Date
  /** How long the signature stays valid after `timestamp`; defaults to 1800. */
  expirationSeconds?: number
  /**
   * Headers to sign besides every `x-bce-` header (which is always signed). Absent or empty
   * means the default set: host, content-length, content-type, content-md5.
   */
  headersToSign?: readonly string[]
}

/** Options of `verify()`. */
export interface VerifyOptions {
  /** How far the signing time may lie ahead of the verifier's clock; defaults to 900. */
  maxFutureSkewSeconds?: number
}

/** The error codes BCE returns for authentication failures. */
export type VerifyFailureReason =
  | 'InvalidHTTPAuthHeader'
  | 'InvalidAccessKeyId'
  | 'RequestExpired'
  | 'SignatureDoesNotMatch'

/** The outcome of `verify()`. */
export type VerifyResult =
  | {
      ok: true
      accessKeyId: string
      /** The headers the signature actually covers, in canonical order. */
      signedHeaders: string[]
      timestamp: Date
      expiresAt: Date
    }
  | { ok: false; reason: VerifyFailureReason; message: string }

/** The six fields of a bce-auth-v1 Authorization header. */
export interface AuthorizationParts {
  accessKeyId: string
  timestamp: Date
  expirationSeconds: number
  /** Empty means the server assumes the default set (the `…/1800//…` form). */
  signedHeaders: readonly string[]
  signature: string
}

/** Canonical header lines and the names they cover, both in canonical order. */
export interface CanonicalHeaders {
  canonical: string
  signedHeaders: readonly string[]
}
