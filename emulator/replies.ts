import { CONTENT_TYPE_JSON, HEADER, STATUS } from './constants.js'
import type { Reply } from './types.js'

/** A reply whose body is `value` as JSON. */
export function jsonReply(value: unknown, status: number = STATUS.ok): Reply {
  return { status, payload: { kind: 'json', value } }
}

/** A 200 without a body, as BCC answers a bind (its docs show no response body). */
export function emptyReply(): Reply {
  return { status: STATUS.ok, payload: { kind: 'empty' } }
}

/** A 200 with the body `{"requestId": ...}`, as BCC answers its batch calls. */
export function requestIdReply(): Reply {
  return { status: STATUS.ok, payload: { kind: 'requestId' } }
}

/** A BCE error: the body `{ requestId, code, message }` is completed when it is written. */
export function errorReply(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): Reply {
  return { status, payload: { kind: 'error', code, message }, ...(headers ? { headers } : {}) }
}

/** A reply as it goes on the wire. */
export interface RenderedReply {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * Serialises a reply. Every answer carries `x-bce-request-id` and the JSON content type, and an
 * error body repeats the request id, as BCE's do.
 */
export function renderReply(reply: Reply, requestId: string): RenderedReply {
  const { payload } = reply
  let body = ''
  if (payload.kind === 'json') body = JSON.stringify(payload.value)
  if (payload.kind === 'requestId') body = JSON.stringify({ requestId })
  if (payload.kind === 'error') {
    body = JSON.stringify({ requestId, code: payload.code, message: payload.message })
  }
  return {
    status: reply.status,
    headers: {
      [HEADER.requestId]: requestId,
      [HEADER.contentType]: CONTENT_TYPE_JSON,
      ...reply.headers,
    },
    body,
  }
}
