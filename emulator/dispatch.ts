import { randomUUID } from 'node:crypto'
import { handleApiRequest } from './api.js'
import { authenticate } from './authenticate.js'
import { listedInstanceIds } from './batch.js'
import type { ClientTokenMemory } from './clientTokens.js'
import { ERROR_CODE, STATUS } from './constants.js'
import {
  type ControlOperations,
  controlAllowed,
  controlNotFound,
  handleControlRequest,
  isControlPath,
} from './control.js'
import type { CredentialStore } from './credentials.js'
import { htmlFaultReply, statusFaultReply, truncateReply } from './faultReplies.js'
import type { FaultEngine } from './faults.js'
import { errorReply, type RenderedReply, renderReply } from './replies.js'
import { loggableQuery, type RequestLog } from './requestLog.js'
import { parseRequestTarget } from './requestTarget.js'
import { batchCallOf, targetInstanceId } from './routes.js'
import type { Exchange } from './server.js'
import type { DuplicateBind, EmulatorRequest, LoggedRequest, Snapshot } from './types.js'

/** Everything a request may read or change. */
export interface DispatchContext {
  clock: () => Date
  credentials: CredentialStore
  maxFutureSkewSeconds: number
  duplicateBind: DuplicateBind
  /** The batch calls' `clientToken`s. */
  tokens: ClientTokenMemory
  faults: FaultEngine
  log: RequestLog
  control: ControlOperations
  getState(): Snapshot
  setState(state: Snapshot): void
}

type LogFields = Omit<LoggedRequest, 'id' | 'status'>

/**
 * Creates the request flow:
 *
 * 1. a target that is not valid percent-encoding: 400 `InvalidURI`;
 * 2. `/__emulator/...`: the control API, unsigned, or 404 unless loopback on both ends;
 * 3. authentication is checked (and logged) for every API request, then the fault rules are
 *    consulted, before the verdict is acted on: a gateway's 503 or a dropped connection comes
 *    before authentication in reality. Latency is waited first; `status`, `html` and
 *    `reset-before` then answer without touching the state;
 * 4. the request is handled (refused when authentication failed), its state change applied;
 *    `reset-after` then drops the connection unanswered, `truncated-json` cuts the answer.
 */
export function createDispatcher(context: DispatchContext): (exchange: Exchange) => Promise<void> {
  return async (exchange) => {
    const now = context.clock()
    const requestId = randomUUID()
    const base = {
      at: now.toISOString(),
      connectionId: exchange.connectionId,
      method: exchange.method,
    }
    const finish = (fields: LogFields, reply: RenderedReply | null) => {
      if (reply === null) exchange.reset()
      else exchange.respond(reply)
      context.log.add({ ...fields, status: reply?.status ?? null })
    }

    const target = parseRequestTarget(exchange.target)
    if (target === undefined) {
      const reply = errorReply(
        STATUS.badRequest,
        ERROR_CODE.invalidUri,
        'The request target is not valid percent-encoding',
      )
      const path = exchange.target.replace(/\?.*$/s, '')
      finish(
        { ...base, path, query: {}, signedHeaders: [], verdict: 'unchecked' },
        renderReply(reply, requestId),
      )
      return
    }
    const { path, query } = target

    if (isControlPath(path)) {
      const reply = controlAllowed(exchange.boundAddress, exchange.remoteAddress)
        ? handleControlRequest(exchange.method, path, exchange.body, context.control)
        : controlNotFound(path)
      finish(
        {
          ...base,
          path,
          query: loggableQuery(query),
          signedHeaders: [],
          verdict: 'unsigned-control',
        },
        renderReply(reply, requestId),
      )
      return
    }

    const request: EmulatorRequest = {
      method: exchange.method,
      path,
      query,
      headers: exchange.headers,
      body: exchange.body,
    }
    const verdict = authenticate(request, context.credentials, now, context.maxFutureSkewSeconds)
    const decision = context.faults.decide({
      method: exchange.method,
      path,
      instanceId: targetInstanceId(path, query),
      ...(batchCallOf(path) === undefined
        ? {}
        : { listedInstanceIds: listedInstanceIds(exchange.body) }),
    })
    const fields: LogFields = {
      ...base,
      path,
      query: loggableQuery(query),
      signedHeaders: verdict.signedHeaders,
      verdict: verdict.ok ? 'ok' : verdict.reason,
      ...(decision.fired.length > 0 ? { fault: decision.fired } : {}),
    }
    if (decision.latencyMs > 0 && !(await exchange.wait(decision.latencyMs))) return

    const fault = decision.action
    if (fault?.kind === 'reset-before') return finish(fields, null)
    if (fault?.kind === 'status') {
      return finish(fields, renderReply(statusFaultReply(fault), requestId))
    }
    if (fault?.kind === 'html') return finish(fields, htmlFaultReply(fault, requestId))

    const outcome = handleApiRequest(request, verdict, context.getState(), {
      duplicateBind: context.duplicateBind,
      tokens: context.tokens,
      requestId,
    })
    context.setState(outcome.state)
    const rendered = renderReply(outcome.reply, requestId)
    if (fault?.kind === 'reset-after') return finish(fields, null)
    finish(
      fields,
      fault?.kind === 'truncated-json' ? truncateReply(rendered, fault.status) : rendered,
    )
  }
}
