import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import { ERROR_CODE, HEADER, STATUS } from './constants.js'
import { messageOf } from './errors.js'
import { errorReply, type RenderedReply, renderReply } from './replies.js'

/** One request and the means to answer it, with the sockets kept out of sight. */
export interface Exchange {
  method: string
  /** The raw request target (`/v2/instance/i-x?bind`). */
  target: string
  /** Lower-case names; repeated headers joined with `, `, as node:http does. */
  headers: Record<string, string>
  body: string
  /** 1, 2, 3, ... per TCP connection, in the order of their first requests. */
  connectionId: number
  remoteAddress: string | undefined
  /** The address the server listens on (`127.0.0.1`, `::`, ...). */
  boundAddress: string
  respond(reply: RenderedReply): void
  /** Drops the connection without (further) answer. */
  reset(): void
  /** Waits; false when the server closed meanwhile (then nothing more should happen). */
  wait(ms: number): Promise<boolean>
}

/** A listening server. */
export interface HttpServer {
  /** The address and port it listens on (the port the OS chose for port 0). */
  address: AddressInfo
  /** Stops listening, drops every connection and abandons requests still waiting. */
  close(): Promise<void>
}

const flattenHeaders = (headers: IncomingMessage['headers']): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, [value].flat().join(', ')]),
  )

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** An answer written straight to a socket, for requests node:http could not parse. */
export function formatRawResponse(reply: RenderedReply): string {
  const headers = {
    ...reply.headers,
    [HEADER.contentLength]: String(Buffer.byteLength(reply.body)),
    connection: 'close',
  }
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`)
  const reason = STATUS_CODES[reply.status] ?? 'Error'
  return `HTTP/1.1 ${reply.status} ${reason}\r\n${lines.join('\r\n')}\r\n\r\n${reply.body}`
}

function write(response: ServerResponse, reply: RenderedReply): void {
  // The client may have given up (a timeout) while a fault delayed the answer; and an answer
  // already under way cannot be replaced.
  if (response.destroyed || response.headersSent) return
  response.writeHead(reply.status, {
    ...reply.headers,
    [HEADER.contentLength]: String(Buffer.byteLength(reply.body)),
  })
  response.end(reply.body)
}

/**
 * Starts a node:http server that hands each request, body read, to `onExchange`. This is the
 * only part of the emulator that touches sockets.
 */
export async function startHttpServer(
  host: string,
  port: number,
  onExchange: (exchange: Exchange) => Promise<void>,
): Promise<HttpServer> {
  const closing = new AbortController()
  const sockets = new Set<Socket>()
  const connectionIds = new WeakMap<Socket, number>()
  let connections = 0
  // Numbered at their first request, so an id always exists when a request needs one.
  const connectionIdOf = (socket: Socket) => {
    let id = connectionIds.get(socket)
    if (id === undefined) {
      id = ++connections
      connectionIds.set(socket, id)
    }
    return id
  }

  // Without a host header the signature cannot cover one: verify() refuses it, as BCE would,
  // instead of node answering a bare 400.
  const server = createServer({ requireHostHeader: false }, async (request, response) => {
    let body: string
    try {
      body = await readBody(request)
    } catch {
      return // The client went away before sending its whole body: nothing to answer.
    }
    const exchange: Exchange = {
      method: request.method ?? '',
      target: request.url ?? '/',
      headers: flattenHeaders(request.headers),
      body,
      connectionId: connectionIdOf(request.socket),
      remoteAddress: request.socket.remoteAddress,
      boundAddress: (server.address() as AddressInfo).address,
      respond: (reply) => write(response, reply),
      reset: () => request.socket.destroy(),
      wait: (ms) => delay(ms, true, { signal: closing.signal }).catch(() => false),
    }
    try {
      await onExchange(exchange)
    } catch (error) {
      // A bug of ours must not take the emulator down; the client sees BCE's 500.
      write(
        response,
        renderReply(
          errorReply(
            STATUS.internalError,
            ERROR_CODE.internalError,
            `Emulator error: ${messageOf(error)}`,
          ),
          randomUUID(),
        ),
      )
    }
  })
  // Bytes that are not HTTP never reach a handler; node would answer a bare 400. Answer it as
  // BCE would, with a request id and an error body, then hang up.
  server.on('clientError', (_error, socket: Socket) => {
    if (!socket.writable) return
    const reply = errorReply(
      STATUS.badRequest,
      ERROR_CODE.invalidHttpRequest,
      'The request is not valid HTTP/1.1',
    )
    socket.end(formatRawResponse(renderReply(reply, randomUUID())))
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  server.listen(port, host)
  await once(server, 'listening')
  return {
    address: server.address() as AddressInfo,
    async close() {
      closing.abort()
      const closed = once(server, 'close')
      server.close()
      for (const socket of sockets) socket.destroy()
      await closed
    },
  }
}
