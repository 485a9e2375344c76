import { STATUS_CODES } from 'node:http'
import { ERROR_CODE, HEADER, STATUS } from './constants.js'
import { errorReply, type RenderedReply, renderReply } from './replies.js'
import type { FaultActionOf, Reply } from './types.js'

/** BCE's published code for 500, else the reason phrase without spaces (`ServiceUnavailable`). */
export function defaultErrorCode(status: number): string {
  if (status === STATUS.internalError) return ERROR_CODE.internalError
  const phrase = STATUS_CODES[status]
  return phrase === undefined ? `Http${status}` : phrase.replace(/[^A-Za-z0-9]/g, '')
}

/** The BCE error a `status` fault answers with, with `Retry-After` when the rule gives one. */
export function statusFaultReply(action: FaultActionOf<'status'>): Reply {
  const phrase = STATUS_CODES[action.status] ?? 'Error'
  return errorReply(
    action.status,
    action.code ?? defaultErrorCode(action.status),
    action.message ?? `${phrase} (injected by the emulator)`,
    action.retryAfter === undefined
      ? undefined
      : { [HEADER.retryAfter]: String(action.retryAfter) },
  )
}

/** An error page such as a load balancer in front of an API serves. */
export function htmlFaultReply(action: FaultActionOf<'html'>, requestId: string): RenderedReply {
  const title = `${action.status} ${STATUS_CODES[action.status] ?? 'Error'}`
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>emulated gateway</center>\r\n</body>\r\n</html>\r\n`
  const contentType =
    action.contentType === undefined ? {} : { [HEADER.contentType]: action.contentType }
  const reply: Reply = { status: action.status, payload: { kind: 'empty' }, headers: contentType }
  return { ...renderReply(reply, requestId), body }
}

/**
 * Cuts an answer's JSON in half (a 200 without a body gets `{"requestId": ...}` first, so there
 * is something to cut). The message stays complete on the wire, with a matching
 * `content-length`: the client gets an answer, just not JSON it can parse.
 */
export function truncateReply(rendered: RenderedReply, status: number | undefined): RenderedReply {
  const requestId = rendered.headers[HEADER.requestId]
  const whole = rendered.body === '' ? JSON.stringify({ requestId }) : rendered.body
  return {
    status: status ?? rendered.status,
    headers: rendered.headers,
    body: whole.slice(0, Math.floor(whole.length / 2)),
  }
}
