import { isLoopbackHost } from '../lib/bcc/endpoints.js'
import { CONTROL_PATH, CONTROL_PREFIX, ERROR_CODE, HEADER, STATUS } from './constants.js'
import { parseJsonBody } from './jsonBody.js'
import { errorReply, jsonReply } from './replies.js'
import { FaultsBodySchema, SnapshotSchema } from './schemas.js'
import type { FaultRule, LoggedRequest, Reply, Snapshot } from './types.js'

/** What the control API can do to a running emulator. */
export interface ControlOperations {
  state(): Snapshot
  /** Replaces the state; `undefined` goes back to the seed the emulator started with. */
  reset(snapshot: Snapshot | undefined): Snapshot
  setFaults(rules: FaultRule[], seed: number | undefined): void
  requests(): LoggedRequest[]
}

/** True for `/__emulator` and everything below it. */
export function isControlPath(path: string): boolean {
  return path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)
}

/**
 * The control API is unsigned, so it is served only when nobody but this machine can reach it:
 * the server listens on a loopback address, and the request came from one.
 */
export function controlAllowed(
  boundAddress: string | undefined,
  remoteAddress: string | undefined,
): boolean {
  return isLoopbackHost(boundAddress) && isLoopbackHost(remoteAddress)
}

/** The answer for a control path that is not served, or not to this caller: BCE's 404. */
export function controlNotFound(path: string): Reply {
  return errorReply(STATUS.notFound, ERROR_CODE.noSuchObject, `Nothing is served at ${path}`)
}

type Handler = (body: string, ops: ControlOperations) => Reply

const ROUTES: Readonly<Record<string, { method: string; handle: Handler }>> = {
  [CONTROL_PATH.reset]: {
    method: 'POST',
    // An empty body means "back to the seed".
    handle: (body, ops) => {
      if (body.trim() === '') return jsonReply(ops.reset(undefined))
      const parsed = parseJsonBody(body, SnapshotSchema)
      return 'value' in parsed ? jsonReply(ops.reset(parsed.value)) : parsed
    },
  },
  [CONTROL_PATH.state]: { method: 'GET', handle: (_body, ops) => jsonReply(ops.state()) },
  [CONTROL_PATH.faults]: {
    method: 'POST',
    handle: (body, ops) => {
      const parsed = parseJsonBody(body, FaultsBodySchema)
      if (!('value' in parsed)) return parsed
      ops.setFaults(parsed.value.rules, parsed.value.seed)
      return jsonReply(parsed.value)
    },
  },
  [CONTROL_PATH.requests]: {
    method: 'GET',
    handle: (_body, ops) => jsonReply({ requests: ops.requests() }),
  },
}

/**
 * Serves the unsigned control API (the caller has checked that the request may use it):
 * `POST /__emulator/reset`, `GET /__emulator/state`, `POST /__emulator/faults` (replaces the
 * rules) and `GET /__emulator/requests`.
 */
export function handleControlRequest(
  method: string,
  path: string,
  body: string,
  ops: ControlOperations,
): Reply {
  const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined
  if (route === undefined) return controlNotFound(path)
  if (method !== route.method) {
    return errorReply(
      STATUS.methodNotAllowed,
      ERROR_CODE.methodNotAllowed,
      `${method} is not served on ${path}`,
      { [HEADER.allow]: route.method },
    )
  }
  return route.handle(body, ops)
}
