import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readBodyUpTo } from '../../lib/bcc/responses.js'
import { createKeepAliveAgents, createNodeFetchTransport } from '../../lib/bcc/transport.js'

let server: Server
let origin: string
beforeAll(async () => {
  server = createServer((request, response) => {
    response.setHeader('set-cookie', ['a=1', 'b=2'])
    response.writeHead(201, { 'x-echo-method': request.method ?? '' })
    request.pipe(response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(resolve))
})

describe('the node-fetch transport', () => {
  it('sends method, headers and body, and gives status, headers (repeated ones joined) and the body as a stream', async () => {
    const transport = createNodeFetchTransport(createKeepAliveAgents())
    const response = await transport(`http://${origin}/path?x=1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"é":1}',
      signal: new AbortController().signal,
    })
    expect(response.status).toBe(201)
    expect(response.headers.get('X-Echo-Method')).toBe('PUT')
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2')
    expect(response.headers.get('x-absent')).toBeNull()
    expect(await readBodyUpTo(response.body, 1024)).toBe('{"é":1}')
  })

  it('speaks TLS to an https URL (here a plain-http server, so the handshake fails)', async () => {
    const transport = createNodeFetchTransport(createKeepAliveAgents())
    const failure = await transport(`https://${origin}/`, {
      method: 'GET',
      headers: {},
      signal: new AbortController().signal,
    }).then(
      () => expect.unreachable(),
      (error: NodeJS.ErrnoException) => error,
    )
    expect(failure.code).toMatch(/^(EPROTO|ERR_SSL_\w+)$/)
  })

  it('makes the https agent on first use only', () => {
    const agents = createKeepAliveAgents()
    expect(Object.getOwnPropertyDescriptor(agents, 'https')?.get).toBeTypeOf('function')
    expect(agents.https).toBe(agents.https)
  })
})
