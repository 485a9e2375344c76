import { EMULATOR_DEFAULTS, ERROR_CODE, MAX_GROUPS_PER_INSTANCE, STATUS } from './constants.js'
import { emptyReply, errorReply, jsonReply } from './replies.js'
import type { DuplicateBind, Instance, Reply, SecurityGroupType, Snapshot } from './types.js'

/** The state after a request, and the answer. A refused request leaves `state` as it was. */
export interface Outcome {
  state: Snapshot
  reply: Reply
}

/**
 * One bind or unbind of the groups of one kind to or from instances: each id once, in the
 * order given. The per-instance calls make one of one regular group; the batch calls, any.
 */
export interface GroupChange {
  type: SecurityGroupType
  instanceIds: readonly string[]
  groupIds: readonly string[]
}

/** The state after a change that was accepted, or the refusal (and the state unchanged). */
export type ChangeResult = { state: Snapshot; refusal?: undefined } | { refusal: Reply }

// BCC's not-found code is not published; NoSuchObject is BCE's published one for other APIs.
const noSuchInstance = (id: string) =>
  errorReply(STATUS.notFound, ERROR_CODE.noSuchObject, `The instance ${id} does not exist`)
const noSuchGroup = (id: string, type: SecurityGroupType) =>
  errorReply(
    STATUS.notFound,
    ERROR_CODE.noSuchObject,
    `The ${type === 'enterprise' ? 'enterprise ' : ''}security group ${id} does not exist`,
  )

const groupsOfKind = (instance: Instance, type: SecurityGroupType): readonly string[] =>
  type === 'normal' ? instance.securityGroupIds : (instance.enterpriseSecurityGroupIds ?? [])

const otherKind = (type: SecurityGroupType): SecurityGroupType =>
  type === 'normal' ? 'enterprise' : 'normal'

const withGroupsOfKind = (instance: Instance, type: SecurityGroupType, ids: string[]): Instance =>
  type === 'normal'
    ? { ...instance, securityGroupIds: ids }
    : { ...instance, enterpriseSecurityGroupIds: ids }

/** Every instance and group a change names, or the 404 for the first that is missing. */
function lookUp(
  state: Snapshot,
  change: GroupChange,
): { instances: Instance[] } | { reply: Reply } {
  const instances: Instance[] = []
  for (const id of change.instanceIds) {
    const instance = state.instances.find((each) => each.id === id)
    if (instance === undefined) return { reply: noSuchInstance(id) }
    instances.push(instance)
  }
  const pool =
    change.type === 'normal' ? state.securityGroups : (state.enterpriseSecurityGroups ?? [])
  const missing = change.groupIds.find((id) => !pool.some((group) => group.id === id))
  if (missing !== undefined) return { reply: noSuchGroup(missing, change.type) }
  return { instances }
}

/**
 * Applies `next` to the groups of the change's kind of each instance it names. The state object
 * itself comes back when nothing changed (the change only adds or only removes, so an
 * unchanged length means unchanged groups).
 */
function apply(
  state: Snapshot,
  change: GroupChange,
  next: (current: readonly string[]) => string[],
): Snapshot {
  let changed = false
  const instances = state.instances.map((instance) => {
    if (!change.instanceIds.includes(instance.id)) return instance
    const current = groupsOfKind(instance, change.type)
    const groups = next(current)
    if (groups.length === current.length) return instance
    changed = true
    return withGroupsOfKind(instance, change.type, groups)
  })
  return changed ? { ...state, instances } : state
}

/** Why binding the change's groups to `instance` is refused, if it is. */
function bindRefusal(
  instance: Instance,
  change: GroupChange,
  duplicateBind: DuplicateBind,
): Reply | undefined {
  const { id } = instance
  if (instance.status === 'Expired') {
    return errorReply(
      STATUS.forbidden,
      ERROR_CODE.expiredInstanceForbiddenBind,
      `The instance ${id} is expired; security groups cannot be bound to it`,
    )
  }
  if (groupsOfKind(instance, otherKind(change.type)).length > 0) {
    return errorReply(
      STATUS.badRequest,
      ERROR_CODE.typeConflict,
      `The instance ${id} uses ${change.type === 'normal' ? 'enterprise' : 'regular'} security groups; it cannot also use ${change.type === 'normal' ? 'regular' : 'enterprise'} ones`,
    )
  }
  const current = groupsOfKind(instance, change.type)
  const bound = change.groupIds.find((groupId) => current.includes(groupId))
  if (bound !== undefined && duplicateBind.mode === 'error') {
    return errorReply(
      duplicateBind.status ?? EMULATOR_DEFAULTS.duplicateBindStatus,
      duplicateBind.code ?? ERROR_CODE.alreadyBound,
      `The security group ${bound} is already bound to the instance ${id}`,
    )
  }
  const added = change.groupIds.filter((groupId) => !current.includes(groupId)).length
  if (current.length + added > MAX_GROUPS_PER_INSTANCE) {
    return errorReply(
      STATUS.payloadTooLarge,
      ERROR_CODE.bindExceededLimit,
      `The instance ${id} already has ${current.length} security groups${added > 1 ? `; ${added} more would pass the limit of ${MAX_GROUPS_PER_INSTANCE}` : ''}`,
    )
  }
  return undefined
}

/**
 * Binds groups of one kind to instances, all or nothing. Checked before anything changes: every
 * instance exists, then every group (404); then each instance in the order given: not expired
 * (403, published), not using groups of the other kind (400 `SecurityGroup.TypeConflict`,
 * ours), no group bound yet (`duplicateBind` decides; in `ok` mode a bound group is skipped),
 * at most 10 groups of the kind afterwards (413, published). The first refusal is the answer.
 * A group of another VPC is bound like any other: BCC publishes no rule about it.
 */
export function bindGroups(
  state: Snapshot,
  change: GroupChange,
  duplicateBind: DuplicateBind,
): ChangeResult {
  const found = lookUp(state, change)
  if ('reply' in found) return { refusal: found.reply }
  for (const instance of found.instances) {
    const refusal = bindRefusal(instance, change, duplicateBind)
    if (refusal !== undefined) return { refusal }
  }
  return {
    state: apply(state, change, (current) => [
      ...current,
      ...change.groupIds.filter((groupId) => !current.includes(groupId)),
    ]),
  }
}

/**
 * Unbinds groups of one kind from instances, all or nothing. Checked before anything changes:
 * every instance exists, then every group (404); then no instance may lose its last group (403
 * `SecurityGroup.NoSecurityGroup`). A group the instance does not have is skipped (200 when
 * nothing is left to do; BCC publishes nothing about it), and so is an expired instance's
 * state: only bind is documented as refused for it.
 */
export function unbindGroups(state: Snapshot, change: GroupChange): ChangeResult {
  const found = lookUp(state, change)
  if ('reply' in found) return { refusal: found.reply }
  for (const instance of found.instances) {
    const current = groupsOfKind(instance, change.type)
    const removed = current.filter((groupId) => change.groupIds.includes(groupId))
    if (removed.length > 0 && removed.length === current.length) {
      return {
        refusal: errorReply(
          STATUS.forbidden,
          ERROR_CODE.noSecurityGroup,
          `The instance ${instance.id} must keep at least one security group`,
        ),
      }
    }
  }
  return {
    state: apply(state, change, (current) =>
      current.filter((groupId) => !change.groupIds.includes(groupId)),
    ),
  }
}

const oneRegularGroup = (instanceId: string, groupId: string): GroupChange => ({
  type: 'normal',
  instanceIds: [instanceId],
  groupIds: [groupId],
})

const settle = (state: Snapshot, result: ChangeResult): Outcome =>
  result.refusal === undefined
    ? { state: result.state, reply: emptyReply() }
    : { state, reply: result.refusal }

/**
 * `PUT /v2/instance/{id}?bind`: {@link bindGroups} with one regular group (an `esg-` id is
 * not one, so it is 404 here), answered with a 200 without a body.
 */
export function bindGroup(
  state: Snapshot,
  instanceId: string,
  groupId: string,
  duplicateBind: DuplicateBind,
): Outcome {
  return settle(state, bindGroups(state, oneRegularGroup(instanceId, groupId), duplicateBind))
}

/**
 * `PUT /v2/instance/{id}?unbind`: {@link unbindGroups} with one regular group. Unbinding the
 * last group is 403 `SecurityGroup.NoSecurityGroup`, as Baidu documents for unbind
 * (https://cloud.baidu.com/doc/BCC/s/7jwvyocyw-en); the bind call's table
 * (https://intl.cloud.baidu.com/doc/BCC/s/Ojwvyoecx-en) lists the same code with 400.
 */
export function unbindGroup(state: Snapshot, instanceId: string, groupId: string): Outcome {
  return settle(state, unbindGroups(state, oneRegularGroup(instanceId, groupId)))
}

/**
 * `GET /v2/instance/{id}`: `{ instance }` with the regular groups in
 * `instance.nicInfo.securityGroups` (always) and the enterprise ones in
 * `instance.nicInfo.enterpriseSecurityGroups` (only when it has some: whether BCC sends an
 * empty list is not published, so a client must not count on it).
 */
export function describeInstance(state: Snapshot, instanceId: string): Reply {
  const instance = state.instances.find((each) => each.id === instanceId)
  if (instance === undefined) return noSuchInstance(instanceId)
  const enterprise = instance.enterpriseSecurityGroupIds ?? []
  return jsonReply({
    instance: {
      id: instance.id,
      status: instance.status,
      vpcId: instance.vpcId,
      nicInfo: {
        vpcId: instance.vpcId,
        securityGroups: [...instance.securityGroupIds],
        ...(enterprise.length > 0 ? { enterpriseSecurityGroups: [...enterprise] } : {}),
      },
    },
  })
}
