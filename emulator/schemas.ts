import * as z from 'zod'
import {
  ENTERPRISE_SECURITY_GROUP_ID_PATTERN,
  INSTANCE_ID_PATTERN,
  SECURITY_GROUP_ID_PATTERN,
} from '../lib/bcc/client.js'
import { MAX_GROUPS_PER_INSTANCE } from './constants.js'

const groupList = (kind: string) =>
  z.array(z.string()).max(MAX_GROUPS_PER_INSTANCE, {
    error: `must hold at most ${MAX_GROUPS_PER_INSTANCE} ${kind} (BCC's limit)`,
  })

/**
 * A BCC instance as the emulator keeps it: regular groups in `securityGroupIds`, enterprise
 * groups in `enterpriseSecurityGroupIds` (optional, so that states written before enterprise
 * groups existed stay valid); an instance uses one kind or the other.
 *
 * @example { "id": "i-YufwpQAe", "status": "Running", "vpcId": "vpc-2pa2x0bjt26i",
 *   "securityGroupIds": ["g-4NxWoxeq"], "enterpriseSecurityGroupIds": [] }
 */
export const InstanceSchema = z.strictObject({
  id: z.string().regex(INSTANCE_ID_PATTERN, { error: "must be 'i-' and 8 letters or digits" }),
  status: z.enum(['Running', 'Expired']),
  vpcId: z.string().min(1),
  securityGroupIds: groupList('groups'),
  enterpriseSecurityGroupIds: groupList('enterprise groups').optional(),
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

/**
 * An enterprise security group. It belongs to no VPC (Baidu's enterprise groups are
 * account-wide), so it has no `vpcId`.
 *
 * @example { "id": "esg-9pmkwq3rt2ab", "name": "enterprise-default" }
 */
const EnterpriseSecurityGroupSchema = z.strictObject({
  id: z.string().regex(ENTERPRISE_SECURITY_GROUP_ID_PATTERN, {
    error: "must be 'esg-' and 12 lower-case letters or digits",
  }),
  name: z.string(),
})

type SnapshotShape = {
  instances: z.infer<typeof InstanceSchema>[]
  securityGroups: z.infer<typeof SecurityGroupSchema>[]
  enterpriseSecurityGroups?: z.infer<typeof EnterpriseSecurityGroupSchema>[] | undefined
}

type Fail = (path: (string | number)[], message: string) => void

/** Each id once; returns the set of them. */
function uniqueIds(groups: readonly { id: string }[], field: string, fail: Fail): Set<string> {
  const ids = new Set<string>()
  groups.forEach((group, index) => {
    if (ids.has(group.id)) fail([field, index, 'id'], 'is a duplicate')
    ids.add(group.id)
  })
  return ids
}

/** Every bound group exists in `known`, each once. */
function checkBound(
  bound: readonly string[],
  known: Set<string>,
  path: (string | number)[],
  what: string,
  fail: Fail,
) {
  const seen = new Set<string>()
  bound.forEach((groupId, position) => {
    if (!known.has(groupId)) fail([...path, position], `names ${what} that is not in the state`)
    if (seen.has(groupId)) fail([...path, position], 'is a duplicate')
    seen.add(groupId)
  })
}

// The state must be one BCC could be in: unique ids, only existing groups, each once, and one
// kind of group per instance.
const checkIntegrity = (ctx: z.core.ParsePayload<SnapshotShape>) => {
  const { instances, securityGroups, enterpriseSecurityGroups = [] } = ctx.value
  const fail: Fail = (path, message) =>
    ctx.issues.push({ code: 'custom', message, input: ctx.value, path })
  const groupIds = uniqueIds(securityGroups, 'securityGroups', fail)
  const enterpriseIds = uniqueIds(enterpriseSecurityGroups, 'enterpriseSecurityGroups', fail)
  const instanceIds = new Set<string>()
  instances.forEach((instance, index) => {
    if (instanceIds.has(instance.id)) fail(['instances', index, 'id'], 'is a duplicate')
    instanceIds.add(instance.id)
    const { securityGroupIds, enterpriseSecurityGroupIds = [] } = instance
    checkBound(
      securityGroupIds,
      groupIds,
      ['instances', index, 'securityGroupIds'],
      'a security group',
      fail,
    )
    checkBound(
      enterpriseSecurityGroupIds,
      enterpriseIds,
      ['instances', index, 'enterpriseSecurityGroupIds'],
      'an enterprise security group',
      fail,
    )
    if (securityGroupIds.length > 0 && enterpriseSecurityGroupIds.length > 0) {
      fail(
        ['instances', index, 'enterpriseSecurityGroupIds'],
        'must be empty when securityGroupIds is not: an instance uses regular or enterprise groups, not both',
      )
    }
  })
}

/**
 * A state that names enterprise groups anywhere gets them everywhere: the top-level list and
 * every instance's list, empty where not given. A state that names none keeps the shape it was
 * written in, so that states written before enterprise groups existed come back unchanged.
 */
const completeShape = (snapshot: SnapshotShape): SnapshotShape => {
  const { instances, securityGroups, enterpriseSecurityGroups } = snapshot
  const usesEnterprise =
    enterpriseSecurityGroups !== undefined ||
    instances.some((instance) => instance.enterpriseSecurityGroupIds !== undefined)
  if (!usesEnterprise) return { instances, securityGroups }
  return {
    instances: instances.map((instance) => ({
      ...instance,
      enterpriseSecurityGroupIds: instance.enterpriseSecurityGroupIds ?? [],
    })),
    securityGroups,
    enterpriseSecurityGroups: enterpriseSecurityGroups ?? [],
  }
}

/**
 * The whole state: what `POST /__emulator/reset` takes, `GET /__emulator/state` returns and
 * `emulator/seed.json` holds.
 */
export const SnapshotSchema = z
  .strictObject({
    instances: z.array(InstanceSchema),
    securityGroups: z.array(SecurityGroupSchema),
    enterpriseSecurityGroups: z.array(EnterpriseSecurityGroupSchema).optional(),
  })
  .check(checkIntegrity)
  .transform(completeShape)

/**
 * The body of the batch calls `PUT /v2/securitygroup/bind|unbind` (all three fields are
 * required in Baidu's docs). Other fields are ignored, as the per-instance calls ignore theirs.
 *
 * @example { "instanceIds": ["i-Ent1Demo"], "securityGroupIds": ["esg-4hx8nvd2kfe7"],
 *   "securityGroupType": "enterprise" }
 */
export const BatchBodySchema = z.object({
  instanceIds: z.array(z.string()).min(1, { error: 'must list at least one instance' }),
  securityGroupIds: z.array(z.string()).min(1, { error: 'must list at least one group' }),
  securityGroupType: z.enum(['enterprise', 'normal'], {
    error: "must be 'enterprise' or 'normal'",
  }),
})

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
