import { ERROR_CODE, GROUP_CREATED_TIME, MAX_KEYS, STATUS } from './constants.js'
import { errorReply, jsonReply } from './replies.js'
import type { Reply, SecurityGroup, Snapshot } from './types.js'

const badRequest = (message: string) =>
  errorReply(STATUS.badRequest, ERROR_CODE.invalidHttpRequest, message)

// '' counts as absent, as an empty parameter does for BCE's list calls.
const given = (value: string | undefined) => (value === '' ? undefined : value)

function parseMaxKeys(text: string | undefined): number | Reply {
  if (text === undefined) return MAX_KEYS.default
  const value = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN
  if (!(value >= MAX_KEYS.min && value <= MAX_KEYS.max)) {
    return badRequest(`maxKeys must be a whole number from ${MAX_KEYS.min} to ${MAX_KEYS.max}`)
  }
  return value
}

// The documented item shape; the state keeps no description, tags or rules.
const listed = (group: SecurityGroup) => ({
  id: group.id,
  name: group.name,
  desc: '',
  vpcId: group.vpcId,
  createdTime: GROUP_CREATED_TIME,
  tags: [],
  rules: [],
})

/**
 * `GET /v2/securityGroup?instanceId=&vpcId=&marker=&maxKeys=`.
 *
 * Groups come in the state's order. `instanceId` keeps the instance's groups (404
 * `NoSuchObject` for an unknown instance), `vpcId` those of that VPC (an unknown VPC lists
 * nothing); both may be given. `marker` is the id of the first group of the page (from
 * `nextMarker`); one that is not in the listing is a 400 `InvalidHTTPRequest`, as is a `maxKeys`
 * outside 1..1000. `nextMarker` is present only when `isTruncated`.
 */
export function listSecurityGroups(state: Snapshot, query: Record<string, string>): Reply {
  const instanceId = given(query.instanceId)
  const vpcId = given(query.vpcId)
  const marker = given(query.marker)
  const maxKeys = parseMaxKeys(given(query.maxKeys))
  if (typeof maxKeys !== 'number') return maxKeys

  let groups = state.securityGroups
  if (instanceId !== undefined) {
    const instance = state.instances.find((each) => each.id === instanceId)
    if (instance === undefined) {
      return errorReply(
        STATUS.notFound,
        ERROR_CODE.noSuchObject,
        `The instance ${instanceId} does not exist`,
      )
    }
    groups = groups.filter((group) => instance.securityGroupIds.includes(group.id))
  }
  if (vpcId !== undefined) groups = groups.filter((group) => group.vpcId === vpcId)

  const start = marker === undefined ? 0 : groups.findIndex((group) => group.id === marker)
  if (start < 0) return badRequest('marker does not name a group of this listing')
  const page = groups.slice(start, start + maxKeys)
  const next = groups[start + maxKeys]
  return jsonReply({
    securityGroups: page.map(listed),
    marker: marker ?? '',
    isTruncated: next !== undefined,
    ...(next === undefined ? {} : { nextMarker: next.id }),
    maxKeys,
  })
}
