import * as z from 'zod'
import type { ClientTokenMemory } from './clientTokens.js'
import { CLIENT_TOKEN, ERROR_CODE, STATUS } from './constants.js'
import { parseJsonBody } from './jsonBody.js'
import { errorReply, jsonReply, requestIdReply } from './replies.js'
import { BatchBodySchema } from './schemas.js'
import { bindGroups, type GroupChange, type Outcome, unbindGroups } from './state.js'
import type { DuplicateBind, EmulatorRequest, Reply, Snapshot } from './types.js'

/** The two batch calls: `PUT /v2/securitygroup/bind` and `PUT /v2/securitygroup/unbind`. */
export type BatchCall = 'batchBind' | 'batchUnbind'

/** What a call reads besides the state: the duplicate-bind mode, the token memory, its request id. */
export interface CallContext {
  duplicateBind: DuplicateBind
  tokens: ClientTokenMemory
  /** The id of this request's answer, which a remembered token repeats to its retries. */
  requestId: string
}

/** The `clientToken` parameter: absent (or empty), or printable ASCII of at most 64 characters. */
function readClientToken(query: Record<string, string>): { token: string | undefined } | Reply {
  const token = query.clientToken
  if (token === undefined || token === '') return { token: undefined }
  if (CLIENT_TOKEN.pattern.test(token)) return { token }
  return errorReply(
    STATUS.badRequest,
    ERROR_CODE.invalidHttpRequest,
    'clientToken must be 1 to 64 printable ASCII characters',
  )
}

const once = (ids: readonly string[]) => [...new Set(ids)]

/**
 * The parameters of a batch call in one comparable form: the type and both lists, each id once
 * and sorted, so that the same sets in another order count as the same parameters.
 */
function canonicalParameters(change: GroupChange): string {
  return JSON.stringify({
    securityGroupType: change.type,
    instanceIds: [...change.instanceIds].sort(),
    securityGroupIds: [...change.groupIds].sort(),
  })
}

/**
 * Answers a batch bind or unbind, all or nothing (see `bindGroups` and `unbindGroups`): 200
 * `{"requestId": ...}` when accepted. A list names a set: an id given twice counts once.
 *
 * With a `clientToken`, an accepted call is remembered for its route with its parameters: the
 * same token and parameters again answer 200 with the first answer's `requestId` in the body
 * (the `x-bce-request-id` header is new) and change nothing; the same token with other
 * parameters is 403 `IdempotentParameterMismatch` (published). A refused call is not
 * remembered: it changed nothing, so its retry is judged afresh.
 */
export function handleBatchCall(
  call: BatchCall,
  request: EmulatorRequest,
  state: Snapshot,
  context: CallContext,
): Outcome {
  const read = readClientToken(request.query)
  if (!('token' in read)) return { state, reply: read }
  const { token } = read
  const body = parseJsonBody(request.body, BatchBodySchema)
  if (!('value' in body)) return { state, reply: body }
  const change: GroupChange = {
    type: body.value.securityGroupType,
    instanceIds: once(body.value.instanceIds),
    groupIds: once(body.value.securityGroupIds),
  }
  const parameters = canonicalParameters(change)
  if (token !== undefined) {
    const earlier = context.tokens.recall(call, token)
    if (earlier !== undefined) {
      const reply =
        earlier.parameters === parameters
          ? jsonReply({ requestId: earlier.requestId })
          : errorReply(
              STATUS.forbidden,
              ERROR_CODE.idempotentParameterMismatch,
              'This clientToken was used with other parameters',
            )
      return { state, reply }
    }
  }
  const result =
    call === 'batchBind'
      ? bindGroups(state, change, context.duplicateBind)
      : unbindGroups(state, change)
  if (result.refusal !== undefined) return { state, reply: result.refusal }
  if (token !== undefined) {
    context.tokens.remember(call, token, { parameters, requestId: context.requestId })
  }
  return { state: result.state, reply: requestIdReply() }
}

const ListedInstancesSchema = z.object({ instanceIds: z.array(z.unknown()) })

/**
 * The instances a batch call's body lists (the strings among `instanceIds`), for fault
 * matching, which happens before the body is validated; none when the body cannot tell.
 */
export function listedInstanceIds(body: string): string[] {
  const parsed = parseJsonBody(body, ListedInstancesSchema)
  return 'value' in parsed
    ? parsed.value.instanceIds.filter((id): id is string => typeof id === 'string')
    : []
}
