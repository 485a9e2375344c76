import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

/** What the BCC client hands to a transport for one attempt. */
export interface HttpRequestInit {
  method: string
  headers: Record<string, string>
  body?: string
  signal: AbortSignal
}

/** The part of a fetch `Response` the BCC client reads. */
export interface HttpResponseLike {
  status: number
  headers: { get(name: string): string | null }
  text(): Promise<string>
}

/**
 * Sends one HTTP request. `node:http`/`node:https` by default; tests inject another transport
 * (or the same one with their own agents) instead of stubbing anything.
 */
export type HttpTransport = (url: string, init: HttpRequestInit) => Promise<HttpResponseLike>

/** Agents for the two schemes; keep-alive so warm invocations reuse one connection. */
export interface TransportAgents {
  http: HttpAgent
  https: HttpsAgent
}

/**
 * Keep-alive agents with a bounded pool (the queue function runs 10 binds at once). The https
 * one is made on first use, so a process that only talks plain http (the emulator, the tests)
 * never loads TLS.
 */
export function createKeepAliveAgents(): TransportAgents {
  const options = { keepAlive: true, maxSockets: 32, maxFreeSockets: 16 }
  let https: HttpsAgent | undefined
  return {
    http: new HttpAgent(options),
    get https() {
      https ??= new HttpsAgent(options)
      return https
    },
  }
}

/** The answer as the client reads it; the body is read (and decoded as UTF-8) on `text()`. */
function responseOf(response: IncomingMessage): HttpResponseLike {
  return {
    status: response.statusCode ?? 0,
    headers: {
      get(name) {
        const value = response.headers[name.toLowerCase()]
        if (value === undefined) return null
        return Array.isArray(value) ? value.join(', ') : value
      },
    },
    async text() {
      response.setEncoding('utf8')
      let text = ''
      // Rejects when the connection closes before the body is complete (`aborted`, ECONNRESET).
      for await (const chunk of response) text += chunk
      return text
    },
  }
}

/**
 * A transport on Node's own `http.request`/`https.request` over `agents`: the whole of what the
 * client needs (method, headers, a string body, an abort signal, status, headers and text of
 * the answer), without a fetch library to load at every cold start. Redirects are not
 * followed: BCC does not redirect, and following one would send a signed request somewhere we
 * did not choose. A failure rejects with Node's own error, whose `code` (`ECONNREFUSED`,
 * `ECONNRESET`, `ABORT_ERR`, ...) the client reads.
 */
export function createHttpTransport(
  agents: TransportAgents = createKeepAliveAgents(),
): HttpTransport {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url)
      const secure = target.protocol === 'https:'
      const request = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: init.method,
          headers: init.headers,
          agent: secure ? agents.https : agents.http,
          signal: init.signal,
        },
        (response) => resolve(responseOf(response)),
      )
      request.on('error', reject)
      request.end(init.body)
    })
}

let shared: HttpTransport | undefined

/** The process-wide transport: created once, so its connections outlive a single invocation. */
export function sharedTransport(): HttpTransport {
  shared ??= createHttpTransport()
  return shared
}
