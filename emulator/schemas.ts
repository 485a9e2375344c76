import * as z from 'zod'
import { INSTANCE_ID_PATTERN, SECURITY_GROUP_ID_PATTERN } from '../lib/schemas/ids.js'
import { MAX_GROUPS_PER_INSTANCE } from './constants.js'

/**
 * A BCC instance as the emulator keeps it.
 *
 * @example { "id": "i-YufwpQAe", "status": "Running", "vpcId": "vpc-2pa2x0bjt26i",
 *   "securityGroupIds": ["g-4NxWoxeq"] }
 */
export const InstanceSchema = z.strictObject({
  id: z.string().regex(INSTANCE_ID_PATTERN, { error: "must be 'i-' and 8 letters or digits" }),
  status: z.enum(['Running', 'Expired']),
  vpcId: z.string().min(1),
  securityGroupIds: z.array(z.string()).max(MAX_GROUPS_PER_INSTANCE, {
    error: `must hold at most ${MAX_GROUPS_PER_INSTANCE} groups (BCC's limit)`,
  }),
})

/**
 * A regular security group.
 *
 * @example { "id": "g-nky7qeom", "name": "web", "vpcId": "vpc-2pa2x0bjt26i" }
 */
export const SecurityGroupSchema = z.strictObject({
  id: z.string().regex(SECURITY_GROUP_ID_PATTERN, {
    error: "must be 'g-' and 8 letters or digits, or 12 lower-case letters or digits",
  }),
  name: z.string(),
  vpcId: z.string().min(1),
})

type SnapshotShape = {
  instances: z.infer<typeof InstanceSchema>[]
  securityGroups: z.infer<typeof SecurityGroupSchema>[]
}

// The state must be one BCC could be in: unique ids, and only existing groups, each once.
const checkIntegrity = (ctx: z.core.ParsePayload<SnapshotShape>) => {
  const { instances, securityGroups } = ctx.value
  const fail = (path: (string | number)[], message: string) =>
    ctx.issues.push({ code: 'custom', message, input: ctx.value, path })
  const groupIds = new Set<string>()
  securityGroups.forEach((group, index) => {
    if (groupIds.has(group.id)) fail(['securityGroups', index, 'id'], 'is a duplicate')
    groupIds.add(group.id)
  })
  const instanceIds = new Set<string>()
  instances.forEach((instance, index) => {
    if (instanceIds.has(instance.id)) fail(['instances', index, 'id'], 'is a duplicate')
    instanceIds.add(instance.id)
    const bound = new Set<string>()
    instance.securityGroupIds.forEach((groupId, position) => {
      const path = ['instances', index, 'securityGroupIds', position]
      if (!groupIds.has(groupId)) fail(path, 'names a security group that is not in the state')
      if (bound.has(groupId)) fail(path, 'is a duplicate')
      bound.add(groupId)
    })
  })
}

/**
 * The whole state: what `POST /__emulator/reset` takes, `GET /__emulator/state` returns and
 * `emulator/seed.json` holds.
 */
export const SnapshotSchema = z
  .strictObject({
    instances: z.array(InstanceSchema),
    securityGroups: z.array(SecurityGroupSchema),
  })
  .check(checkIntegrity)

const httpStatus = (min: number, max: number) =>
  z
    .int()
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` })

// Written into a response header: printable ASCII only, so it cannot split the header.
const headerValue = z
  .string()
  .regex(/^[\x20-\x7e]+$/, { error: 'must be printable ASCII (it becomes a header)' })

const compilesAsRegExp = (ctx: z.core.ParsePayload<string>) => {
  try {
    new RegExp(ctx.value)
  } catch {
    ctx.issues.push({ code: 'custom', message: 'is not a valid regular expression', input: '' })
  }
}

/** Which requests a fault rule applies to; every given field must match. */
export const FaultMatchSchema = z.strictObject({
  /** Compared case-insensitively. */
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, { error: 'must be an HTTP method' })
    .optional(),
  /** The decoded path, compared exactly. */
  path: z.string().startsWith('/', { error: "must start with '/'" }).optional(),
  /** A regular expression (source text) the whole decoded path must match. */
  pathPattern: z.string().check(compilesAsRegExp).optional(),
  /** The instance in the path, or the `instanceId` query parameter of a group listing. */
  instanceId: z.string().min(1).optional(),
})

/** What a fault does. */
export const FaultActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('status'),
    status: httpStatus(400, 599),
    code: z.string().min(1).optional(),
    message: z.string().optional(),
    /** Seconds (`120`) or an HTTP date, sent as `Retry-After`. */
    retryAfter: z.union([z.int().min(0), headerValue]).optional(),
  }),
  z.strictObject({ kind: z.literal('latency'), ms: z.int().min(0).max(120_000) }),
  z.strictObject({ kind: z.literal('reset-before') }),
  z.strictObject({ kind: z.literal('reset-after') }),
  z.strictObject({
    kind: z.literal('html'),
    status: httpStatus(200, 599),
    /** Defaults to the JSON content type every emulator response carries. */
    contentType: headerValue.optional(),
  }),
  z.strictObject({
    kind: z.literal('truncated-json'),
    /** Overrides the status of the real answer. */
    status: httpStatus(200, 599).optional(),
  }),
])

/**
 * One fault rule.
 *
 * @example { "match": { "method": "PUT", "instanceId": "i-YufwpQAe" }, "count": 2,
 *   "action": { "kind": "status", "status": 503, "retryAfter": 1 } }
 */
export const FaultRuleSchema = z.strictObject({
  match: FaultMatchSchema.optional(),
  /** How many times the rule fires before it is spent; forever when absent. */
  count: z.int().min(1).optional(),
  /** The chance that a matching request fires the rule, drawn from a seeded generator. */
  probability: z.number().min(0).max(1).optional(),
  action: FaultActionSchema,
})

/** The body of `POST /__emulator/faults`: the new rule list and, optionally, a new seed. */
export const FaultsBodySchema = z.strictObject({
  rules: z.array(FaultRuleSchema).max(100),
  seed: z.int().optional(),
})

/** What BCC answers to a bind of a group the instance already has. */
export const DuplicateBindSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('ok') }),
  z.strictObject({
    mode: z.literal('error'),
    status: httpStatus(400, 499).optional(),
    code: z.string().min(1).optional(),
  }),
])

const accessKeyId = z
  .string()
  .min(1)
  .refine((value) => !value.includes('/'), { error: "must not contain '/'" })

/** One key pair the emulator accepts; with a session token, requests must carry it. */
export const CredentialSchema = z.strictObject({
  accessKeyId,
  secretAccessKey: z.string().min(1),
  sessionToken: z.string().min(1).optional(),
})

/** Key pairs, as a list or as a record of access key ID to secret key. */
export const CredentialsOptionSchema = z.union([
  z.array(CredentialSchema).min(1, { error: 'must hold at least one key pair' }),
  z.record(accessKeyId, z.string().min(1)).refine((record) => Object.keys(record).length > 0, {
    error: 'must hold at least one key pair',
  }),
])
