import * as z from 'zod/mini'
import { RegionSchema } from '../bcc/endpoints.js'
import { ValidationError } from '../errors/catalogue.js'
import { InstanceIdSchema, SecurityGroupIdSchema } from './ids.js'
import { toFieldIssues } from './issues.js'

// 512 leaves room for a Step Functions execution ARN (about 250 characters at most) and an id.
const REQUEST_ID_RULE = 'must be 1 to 512 printable ASCII characters'

/** A caller's name for the request: short, printable ASCII, so it is safe in logs and headers. */
const RequestIdSchema = z
  .string({ error: REQUEST_ID_RULE })
  .check(z.regex(/^[\x20-\x7E]{1,512}$/, { error: REQUEST_ID_RULE }))

/**
 * A request to bind one instance to one security group (regular `g-` or enterprise `esg-`), or,
 * with `"action": "unbind"`, to unbind it. Strict: unknown fields are refused.
 *
 * @example
 * { "instanceId": "i-YufwpQAe", "securityGroupId": "g-nky7qeom", "region": "bj" }
 *
 * With `"dryRun": true` nothing changes: the answer is what the real call would answer.
 * `requestId` names the request for idempotency (the fleet state machine sends its execution
 * id and the instance): an enterprise group's `clientToken` is derived from it.
 */
export const BindRequestSchema = z.strictObject(
  {
    instanceId: InstanceIdSchema,
    securityGroupId: SecurityGroupIdSchema,
    action: z.optional(z.enum(['bind', 'unbind'], { error: "must be 'bind' or 'unbind'" })),
    region: z.optional(RegionSchema),
    dryRun: z.optional(z.boolean({ error: 'must be true or false' })),
    requestId: z.optional(RequestIdSchema),
  },
  { error: 'must be a JSON object' },
)

/** A validated bind request. */
export type BindRequest = z.infer<typeof BindRequestSchema>

/**
 * Validates `input` as a {@link BindRequest}.
 *
 * @throws {ValidationError} listing every bad field, with `fieldPrefix` before each path.
 */
export function parseBindRequest(input: unknown, fieldPrefix = ''): BindRequest {
  const result = BindRequestSchema.safeParse(input)
  if (result.success) return result.data
  throw new ValidationError('Invalid bind request', toFieldIssues(result.error.issues, fieldPrefix))
}
