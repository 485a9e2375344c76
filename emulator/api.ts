import type { VerifyFailureReason } from '../lib/bce/types.js'
import { type CallContext, handleBatchCall } from './batch.js'
import { parseBindBody } from './bindBody.js'
import { STATUS } from './constants.js'
import { listSecurityGroups } from './listGroups.js'
import { errorReply } from './replies.js'
import { routeApiRequest } from './routes.js'
import { bindGroup, describeInstance, type Outcome, unbindGroup } from './state.js'
import type { AuthVerdict, EmulatorRequest, Snapshot } from './types.js'

/** The statuses of BCE's published common table for the authentication failures. */
const AUTH_FAILURE_STATUS: Readonly<Record<VerifyFailureReason, number>> = {
  InvalidHTTPAuthHeader: STATUS.badRequest,
  InvalidAccessKeyId: STATUS.forbidden,
  RequestExpired: STATUS.badRequest,
  SignatureDoesNotMatch: STATUS.badRequest,
}

/**
 * Answers one signed API request against `state`, after authentication: a request that fails
 * it is refused first, whatever its path (a real gateway authenticates before routing). The new
 * state is returned, never written; only a batch call's `clientToken` is written to
 * `context.tokens`.
 */
export function handleApiRequest(
  request: EmulatorRequest,
  verdict: AuthVerdict,
  state: Snapshot,
  context: CallContext,
): Outcome {
  if (!verdict.ok) {
    return {
      state,
      reply: errorReply(AUTH_FAILURE_STATUS[verdict.reason], verdict.reason, verdict.message),
    }
  }
  const routed = routeApiRequest(request.method, request.path, request.query)
  if ('reply' in routed) return { state, reply: routed.reply }
  const { route } = routed
  switch (route.kind) {
    case 'describeInstance':
      return { state, reply: describeInstance(state, route.instanceId) }
    case 'listSecurityGroups':
      return { state, reply: listSecurityGroups(state, request.query) }
    case 'batchBind':
    case 'batchUnbind':
      return handleBatchCall(route.kind, request, state, context)
    default: {
      const body = parseBindBody(request.body)
      if ('reply' in body) return { state, reply: body.reply }
      return route.kind === 'bind'
        ? bindGroup(state, route.instanceId, body.securityGroupId, context.duplicateBind)
        : unbindGroup(state, route.instanceId, body.securityGroupId)
    }
  }
}
