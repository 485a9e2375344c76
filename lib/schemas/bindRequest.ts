import * as z from 'zod/mini'
import { INSTANCE_ID_PATTERN, isSecurityGroupId } from '../bcc/client.js'
import { RegionSchema } from '../bcc/endpoints.js'
import { ValidationError } from '../errors/catalogue.js'
import { toFieldIssues } from './issues.js'

const requiredString = (what: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? 'is required' : `must be a string (${what})`),
  })

/** A BCC instance id. */
const InstanceIdSchema = requiredString("'i-' and 8 letters or digits").check(
  z.regex(INSTANCE_ID_PATTERN, {
    error: "must be 'i-' followed by 8 letters or digits, such as i-YufwpQAe",
  }),
)

const SECURITY_GROUP_RULE =
  "must be 'g-' followed by 8 letters or digits, or by 12 lower-case letters or digits (g-nky7qeom), or 'esg-' followed by 12 lower-case letters or digits (esg-9pmkwq3rt2ab)"

/** A regular (`g-`) or an enterprise (`esg-`) BCC security group id. */
const SecurityGroupIdSchema = requiredString("'g-' or 'esg-' and letters or digits").check(
  z.refine(isSecurityGroupId, { error: SECURITY_GROUP_RULE }),
)

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
