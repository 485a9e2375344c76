import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import fetch from 'node-fetch'

/** What the BCC client hands to a transport for one attempt. */
interface HttpRequestInit {
  method: string
  headers: Record<string, string>
  body?: string
  signal: AbortSignal
}

/**
 * The part of a fetch `Response` the BCC client reads. The body is read as a stream (node-fetch
 * gives a Node stream, the global fetch a web stream; both iterate), so the client can stop at
 * its size limit instead of taking in whatever is sent.
 */
export interface HttpResponseLike {
  status: number
  headers: { get(name: string): string | null }
  body: AsyncIterable<Uint8Array | string> | null
}

/**
 * Sends one HTTP request. node-fetch by default; tests inject another transport (or the same one
 * with their own agent) instead of stubbing anything.
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

/**
 * A node-fetch transport over `agents`. Redirects are not followed: BCC does not redirect, and
 * following one would send a signed request somewhere we did not choose.
 */
export function createNodeFetchTransport(
  agents: TransportAgents = createKeepAliveAgents(),
): HttpTransport {
  const agentFor = (url: URL) => (url.protocol === 'http:' ? agents.http : agents.https)
  return (url, init) => fetch(url, { ...init, agent: agentFor, redirect: 'manual' })
}

let shared: HttpTransport | undefined

/** The process-wide transport: created once, so its connections outlive a single invocation. */
export function sharedTransport(): HttpTransport {
  shared ??= createNodeFetchTransport()
  return shared
}
