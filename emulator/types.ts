import type * as z from 'zod'
import type { VerifyFailureReason } from '../lib/bce/types.js'
import type {
  BatchBodySchema,
  CredentialSchema,
  DuplicateBindSchema,
  FaultActionSchema,
  FaultMatchSchema,
  FaultRuleSchema,
  InstanceSchema,
  SecurityGroupSchema,
  SnapshotSchema,
} from './schemas.js'

/**
 * A BCC instance: `{ id, status: 'Running' | 'Expired', vpcId, securityGroupIds,
 * enterpriseSecurityGroupIds? }`.
 */
export type Instance = z.infer<typeof InstanceSchema>
/** A regular security group: `{ id, name, vpcId }`. */
export type SecurityGroup = z.infer<typeof SecurityGroupSchema>
/** The body of a batch bind or unbind: `{ instanceIds, securityGroupIds, securityGroupType }`. */
type BatchBody = z.infer<typeof BatchBodySchema>
/** `enterprise` or `normal`, as the batch calls name the two kinds of group. */
export type SecurityGroupType = BatchBody['securityGroupType']
/** The emulator's whole state. */
export type Snapshot = z.infer<typeof SnapshotSchema>

export type FaultMatch = z.infer<typeof FaultMatchSchema>
export type FaultAction = z.infer<typeof FaultActionSchema>
type FaultKind = FaultAction['kind']
/** The action of one kind (`FaultActionOf<'status'>`). */
export type FaultActionOf<K extends FaultKind> = Extract<FaultAction, { kind: K }>
export type FaultRule = z.infer<typeof FaultRuleSchema>
export type DuplicateBind = z.infer<typeof DuplicateBindSchema>
export type Credential = z.infer<typeof CredentialSchema>

/** A request as the emulator reads it: the decoded path and query, the headers as received. */
export interface EmulatorRequest {
  method: string
  /** Decoded (`/v2/instance/i-YufwpQAe`). */
  path: string
  /** Decoded; `""` for a parameter without a value (`?bind`). */
  query: Record<string, string>
  /** Lower-case names, as node:http gives them. */
  headers: Record<string, string>
  body: string
}

/**
 * An answer before it is written: its status, what the body holds, and extra headers. Every
 * answer also gets `x-bce-request-id` and the JSON content type when it is written.
 */
export interface Reply {
  status: number
  payload:
    | { kind: 'json'; value: unknown }
    | { kind: 'error'; code: string; message: string }
    | { kind: 'empty' }
    /** `{ "requestId": ... }` with the id of the request it answers (the batch calls' 200). */
    | { kind: 'requestId' }
  headers?: Record<string, string>
}

/** How authentication went: `ok`, or the code BCE would answer with. */
export type AuthVerdict =
  | { ok: true; accessKeyId: string; signedHeaders: string[] }
  | { ok: false; reason: VerifyFailureReason; message: string; signedHeaders: string[] }

/** A fault rule that fired on a request. */
export interface FiredFault {
  /** The rule's position in the list. */
  rule: number
  kind: FaultKind
}

/**
 * One entry of the request log. It never holds the `Authorization` header, a secret or a
 * session token; an `authorization` query parameter is left out as well.
 */
export interface LoggedRequest {
  /** 1, 2, 3, ... in the order the requests were answered (or dropped). */
  id: number
  /** The emulator's clock when the request arrived (ISO 8601). */
  at: string
  /** The TCP connection it came on: 1, 2, 3, ... in the order of their first requests. */
  connectionId: number
  method: string
  path: string
  query: Record<string, string>
  /** The headers the signature covers (from the Authorization header when it did not verify). */
  signedHeaders: string[]
  /**
   * `ok`, the authentication failure, `unsigned-control` for the control API, or `unchecked`
   * when the request target could not be decoded.
   */
  verdict: 'ok' | VerifyFailureReason | 'unsigned-control' | 'unchecked'
  /** The status sent, or null when the connection was reset without an answer. */
  status: number | null
  fault?: FiredFault[]
}
