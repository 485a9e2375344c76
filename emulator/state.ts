import { EMULATOR_DEFAULTS, ERROR_CODE, MAX_GROUPS_PER_INSTANCE, STATUS } from './constants.js'
import { emptyReply, errorReply, jsonReply } from './replies.js'
import type { DuplicateBind, Instance, Reply, Snapshot } from './types.js'

/** The state after a request, and the answer. A refused request leaves `state` as it was. */
export interface Outcome {
  state: Snapshot
  reply: Reply
}

const unchanged = (state: Snapshot, reply: Reply): Outcome => ({ state, reply })

// BCC's not-found code is not published; NoSuchObject is BCE's published one for other APIs.
const noSuchInstance = (id: string) =>
  errorReply(STATUS.notFound, ERROR_CODE.noSuchObject, `The instance ${id} does not exist`)
const noSuchGroup = (id: string) =>
  errorReply(STATUS.notFound, ERROR_CODE.noSuchObject, `The security group ${id} does not exist`)

const withGroups = (state: Snapshot, instance: Instance, groupIds: string[]): Snapshot => ({
  ...state,
  instances: state.instances.map((each) =>
    each.id === instance.id ? { ...each, securityGroupIds: groupIds } : each,
  ),
})

/** Finds the instance and the group a bind or unbind names, or the 404 for the missing one. */
function lookUp(state: Snapshot, instanceId: string, groupId: string) {
  const instance = state.instances.find((each) => each.id === instanceId)
  if (instance === undefined) return { reply: noSuchInstance(instanceId) }
  if (!state.securityGroups.some((group) => group.id === groupId)) {
    return { reply: noSuchGroup(groupId) }
  }
  return { instance }
}

/**
 * `PUT /v2/instance/{id}?bind`. Checked in this order: the instance and the group exist, the
 * instance is not expired (403, published), the group is not bound yet (`duplicateBind`
 * decides), the instance has fewer than 10 groups (413, published). A group of another VPC
 * is bound like any other: BCC publishes no rule about it.
 */
export function bindGroup(
  state: Snapshot,
  instanceId: string,
  groupId: string,
  duplicateBind: DuplicateBind,
): Outcome {
  const found = lookUp(state, instanceId, groupId)
  if (found.instance === undefined) return unchanged(state, found.reply)
  const { instance } = found
  if (instance.status === 'Expired') {
    return unchanged(
      state,
      errorReply(
        STATUS.forbidden,
        ERROR_CODE.expiredInstanceForbiddenBind,
        `The instance ${instanceId} is expired; security groups cannot be bound to it`,
      ),
    )
  }
  if (instance.securityGroupIds.includes(groupId)) {
    if (duplicateBind.mode === 'ok') return unchanged(state, emptyReply())
    return unchanged(
      state,
      errorReply(
        duplicateBind.status ?? EMULATOR_DEFAULTS.duplicateBindStatus,
        duplicateBind.code ?? ERROR_CODE.alreadyBound,
        `The security group ${groupId} is already bound to the instance ${instanceId}`,
      ),
    )
  }
  if (instance.securityGroupIds.length >= MAX_GROUPS_PER_INSTANCE) {
    return unchanged(
      state,
      errorReply(
        STATUS.payloadTooLarge,
        ERROR_CODE.bindExceededLimit,
        `The instance ${instanceId} already has ${MAX_GROUPS_PER_INSTANCE} security groups`,
      ),
    )
  }
  return {
    state: withGroups(state, instance, [...instance.securityGroupIds, groupId]),
    reply: emptyReply(),
  }
}

/**
 * `PUT /v2/instance/{id}?unbind`. Unbinding a group that is not bound changes nothing and
 * answers 200 (BCC publishes nothing about it); unbinding the last group is refused with 403
 * `SecurityGroup.NoSecurityGroup` (the status bcc-api.md reports from the docs for unbind; the
 * bind spec's table lists the same code with 400).
 */
export function unbindGroup(state: Snapshot, instanceId: string, groupId: string): Outcome {
  const found = lookUp(state, instanceId, groupId)
  if (found.instance === undefined) return unchanged(state, found.reply)
  const { instance } = found
  if (!instance.securityGroupIds.includes(groupId)) return unchanged(state, emptyReply())
  if (instance.securityGroupIds.length === 1) {
    return unchanged(
      state,
      errorReply(
        STATUS.forbidden,
        ERROR_CODE.noSecurityGroup,
        `The instance ${instanceId} must keep at least one security group`,
      ),
    )
  }
  return {
    state: withGroups(
      state,
      instance,
      instance.securityGroupIds.filter((id) => id !== groupId),
    ),
    reply: emptyReply(),
  }
}

/** `GET /v2/instance/{id}`: `{ instance }` with the groups in `instance.nicInfo.securityGroups`. */
export function describeInstance(state: Snapshot, instanceId: string): Reply {
  const instance = state.instances.find((each) => each.id === instanceId)
  if (instance === undefined) return noSuchInstance(instanceId)
  return jsonReply({
    instance: {
      id: instance.id,
      status: instance.status,
      vpcId: instance.vpcId,
      nicInfo: { vpcId: instance.vpcId, securityGroups: [...instance.securityGroupIds] },
    },
  })
}
