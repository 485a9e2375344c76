import type { BatchCall } from './batch.js'
import { API_PATH, API_VERSION, ERROR_CODE, HEADER, STATUS } from './constants.js'
import { errorReply } from './replies.js'
import type { Reply } from './types.js'

const BATCH_CALLS: Readonly<Record<string, BatchCall>> = {
  [API_PATH.batchBind]: 'batchBind',
  [API_PATH.batchUnbind]: 'batchUnbind',
}

/** The batch call a path names, if it names one. */
export function batchCallOf(path: string): BatchCall | undefined {
  return Object.hasOwn(BATCH_CALLS, path) ? BATCH_CALLS[path] : undefined
}

/** The calls the emulator serves. */
export type ApiRoute =
  | { kind: 'bind' | 'unbind'; instanceId: string }
  | { kind: 'describeInstance'; instanceId: string }
  | { kind: 'listSecurityGroups' }
  | { kind: BatchCall }

const methodNotAllowed = (method: string, path: string, allowed: string) =>
  errorReply(
    STATUS.methodNotAllowed,
    ERROR_CODE.methodNotAllowed,
    `${method} is not served on ${path}`,
    { [HEADER.allow]: allowed },
  )

const badRequest = (message: string) =>
  errorReply(STATUS.badRequest, ERROR_CODE.invalidHttpRequest, message)

function routeInstance(
  method: string,
  path: string,
  instanceId: string,
  query: Record<string, string>,
): { route: ApiRoute } | { reply: Reply } {
  if (method === 'GET') return { route: { kind: 'describeInstance', instanceId } }
  if (method !== 'PUT') return { reply: methodNotAllowed(method, path, 'GET, PUT') }
  const bind = 'bind' in query
  const unbind = 'unbind' in query
  if (bind && unbind) return { reply: badRequest('Give either ?bind or ?unbind, not both') }
  if (bind) return { route: { kind: 'bind', instanceId } }
  if (unbind) return { route: { kind: 'unbind', instanceId } }
  return { reply: badRequest('The emulator serves PUT /v2/instance/{id} with ?bind or ?unbind') }
}

/**
 * Maps a request to the call it makes, or to the answer for a request that makes none: another
 * API version is 404 `InvalidVersion` (published), an unknown path 404 `NoSuchObject`, a method
 * a path does not serve 405 `MethodNotAllowed` with `Allow` (both ours: BCE publishes neither),
 * a PUT on an instance without `?bind` or `?unbind` 400 `InvalidHTTPRequest`. The batch calls
 * (`/v2/securitygroup/bind`, `/v2/securitygroup/unbind`) are served on PUT only.
 */
export function routeApiRequest(
  method: string,
  path: string,
  query: Record<string, string>,
): { route: ApiRoute } | { reply: Reply } {
  const instance = API_PATH.instance.exec(path)
  if (instance?.[1] !== undefined) return routeInstance(method, path, instance[1], query)
  if (path === API_PATH.securityGroups) {
    return method === 'GET'
      ? { route: { kind: 'listSecurityGroups' } }
      : { reply: methodNotAllowed(method, path, 'GET') }
  }
  const batch = batchCallOf(path)
  if (batch !== undefined) {
    return method === 'PUT'
      ? { route: { kind: batch } }
      : { reply: methodNotAllowed(method, path, 'PUT') }
  }
  const version = API_PATH.versioned.exec(path)?.[1]
  if (version !== undefined && version !== API_VERSION) {
    return {
      reply: errorReply(
        STATUS.notFound,
        ERROR_CODE.invalidVersion,
        `The API version ${version} is not served`,
      ),
    }
  }
  return {
    reply: errorReply(STATUS.notFound, ERROR_CODE.noSuchObject, `Nothing is served at ${path}`),
  }
}

/** The instance a request is about, for fault matching: in the path, or the listing's filter. */
export function targetInstanceId(path: string, query: Record<string, string>): string | undefined {
  return API_PATH.instance.exec(path)?.[1] ?? (query.instanceId || undefined)
}
