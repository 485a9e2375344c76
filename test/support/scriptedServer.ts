import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { VerifyResult } from '../../lib/bce/types.js'
import { verify } from '../../lib/bce/verify.js'

/** A request as the server saw it, with the signature check done with our verify(). */
export interface SeenRequest {
  method: string
  path: string
  rawQuery: string
  query: Record<string, string>
  headers: Record<string, string>
  body: string
  connectionId: number
  verdict: VerifyResult
}

/** What the server does with one request. */
export type Reply =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { reset: 'before-response' }
  | { delayMs: number; reply: Reply }
  | { truncate: true; status: number; body: string }

/** A tiny real BCC stand-in for the client's tests (the emulator will replace it). */
export interface ScriptedServer {
  url: string
  requests: SeenRequest[]
  /** Replies in order; the last one repeats when the script runs out. */
  script(replies: Reply[] | ((request: SeenRequest) => Reply)): void
  close(): Promise<void>
}

/** Starts a scripted server on 127.0.0.1 with an OS-chosen port. */
export async function startScriptedServer(
  secrets: Record<string, string>,
): Promise<ScriptedServer> {
  const requests: SeenRequest[] = []
  let replies: Reply[] | ((request: SeenRequest) => Reply) = [{ status: 200, body: '' }]
  let served = 0
  let connections = 0
  const sockets = new Set<Socket>()
  const ids = new WeakMap<Socket, number>()

  const server = createServer(async (req, res) => {
    const body = await readBody(req)
    const url = new URL(req.url ?? '/', 'http://placeholder')
    const query = Object.fromEntries(url.searchParams)
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(',') : (value ?? ''),
      ]),
    )
    const signedAt = Date.parse(headers['x-bce-date'] ?? '')
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: decodeURIComponent(url.pathname),
      rawQuery: url.search,
      query,
      headers,
      body,
      connectionId: ids.get(req.socket) ?? -1,
      verdict: verify(
        { method: req.method ?? '', path: decodeURIComponent(url.pathname), query, headers },
        headers.authorization,
        (ak) => secrets[ak],
        new Date(Number.isNaN(signedAt) ? Date.now() : signedAt + 1000),
      ),
    }
    requests.push(seen)
    const reply =
      typeof replies === 'function' ? replies(seen) : replies[Math.min(served, replies.length - 1)]
    served++
    await respond(res, reply ?? { status: 200 })
  })
  server.on('connection', (socket) => {
    ids.set(socket, ++connections)
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(next) {
      replies = next
      served = 0
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close')
    },
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

async function respond(res: ServerResponse, reply: Reply): Promise<void> {
  if ('reset' in reply) {
    res.socket?.destroy()
    return
  }
  if ('delayMs' in reply) {
    await new Promise((resolve) => setTimeout(resolve, reply.delayMs))
    if (!res.socket?.destroyed) await respond(res, reply.reply)
    return
  }
  if ('truncate' in reply) {
    // Promise more bytes than we send, then drop the connection.
    res.writeHead(reply.status, {
      'x-bce-request-id': 'req-truncated',
      'content-type': 'application/json',
      'content-length': String(reply.body.length + 50),
    })
    res.write(reply.body)
    setTimeout(() => res.socket?.destroy(), 10)
    return
  }
  res.writeHead(reply.status, {
    'content-type': 'application/json;charset=UTF-8',
    ...reply.headers,
  })
  res.end(reply.body ?? '')
}

/** Baidu's error body. */
export function bceError(
  status: number,
  code: string,
  message = `${code} happened`,
  requestId = 'req-err-1',
): Reply {
  return {
    status,
    headers: { 'x-bce-request-id': requestId },
    body: JSON.stringify({ requestId, code, message }),
  }
}

/** A 200 with a request id, like BCC's bind. */
export function bceOk(requestId = 'req-ok-1', body = ''): Reply {
  return { status: 200, headers: { 'x-bce-request-id': requestId }, body }
}

/** The instance detail body with the given groups. */
export function instanceDetail(
  instanceId: string,
  groups: string[],
  requestId = 'req-read-1',
): Reply {
  return bceOk(
    requestId,
    JSON.stringify({
      instance: { id: instanceId, status: 'Running', nicInfo: { securityGroups: groups } },
    }),
  )
}
