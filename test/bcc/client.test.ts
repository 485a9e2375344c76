import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createBccClient, USER_AGENT } from '../../lib/bcc/client.js'
import {
  BccAttemptTimeout,
  BccErrorAnswer,
  BccNetworkError,
  BccUnexpectedAnswer,
} from '../../lib/bcc/errors.js'
import { MAX_RESPONSE_BYTES } from '../../lib/bcc/responses.js'
import { isRetryable } from '../../lib/bcc/retry.js'
import { createKeepAliveAgents, createNodeFetchTransport } from '../../lib/bcc/transport.js'
import { ValidationError } from '../../lib/errors/catalogue.js'
import { TEST_CREDENTIALS, TEST_SECRETS, TEST_STS_CREDENTIALS } from '../support/credentials.js'
import { rejection } from '../support/rejection.js'
import {
  bceError,
  bceOk,
  instanceDetail,
  type ScriptedServer,
  startScriptedServer,
} from '../support/scriptedServer.js'

const INSTANCE = 'i-YufwpQAe'
const GROUP = 'g-nky7qeom'

let server: ScriptedServer
beforeAll(async () => {
  server = await startScriptedServer(TEST_SECRETS)
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
})

const client = (overrides: Partial<Parameters<typeof createBccClient>[0]> = {}) =>
  createBccClient({ endpoint: server.url, credentials: TEST_CREDENTIALS, ...overrides })

describe('bindSecurityGroup', () => {
  it('sends a signed PUT ?bind with exactly the securityGroupId body and returns the request id', async () => {
    server.script([bceOk('req-bind-1')])
    const result = await client().bindSecurityGroup(INSTANCE, GROUP)

    expect(result).toEqual({ value: undefined, status: 200, requestId: 'req-bind-1' })
    const [seen] = server.requests
    expect(seen?.method).toBe('PUT')
    expect(seen?.path).toBe(`/v2/instance/${INSTANCE}`)
    expect(seen?.rawQuery).toBe('?bind')
    expect(seen?.body).toBe('{"securityGroupId":"g-nky7qeom"}')
    expect(seen?.headers).toMatchObject({
      host: new URL(server.url).host,
      'content-type': 'application/json; charset=utf-8',
      'content-length': '32',
      'user-agent': USER_AGENT,
    })
    expect(seen?.headers['x-bce-date']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(seen?.verdict).toMatchObject({
      ok: true,
      accessKeyId: TEST_CREDENTIALS.accessKeyId,
      signedHeaders: ['content-length', 'content-type', 'host', 'user-agent', 'x-bce-date'],
    })
  })

  it('names this project and its version in the user-agent', () => {
    expect(USER_AGENT).toMatch(/^bcc-sg-binder\/0\.1\.0 \(node\/\d+\.\d+\.\d+; \w+-\w+\)$/)
  })

  it('sends and signs x-bce-security-token with temporary credentials', async () => {
    server.script([bceOk()])
    await client({ credentials: TEST_STS_CREDENTIALS }).bindSecurityGroup(INSTANCE, GROUP)

    const [seen] = server.requests
    expect(seen?.headers['x-bce-security-token']).toBe(TEST_STS_CREDENTIALS.sessionToken)
    expect(seen?.verdict).toMatchObject({ ok: true })
    expect(seen?.verdict.ok && seen.verdict.signedHeaders).toContain('x-bce-security-token')
  })

  it('signs each call afresh with the clock it is given', async () => {
    server.script([bceOk()])
    let now = Date.parse('2026-11-29T03:00:00Z')
    const c = client({ clock: { now: () => now } })
    await c.bindSecurityGroup(INSTANCE, GROUP)
    now += 61_000
    await c.bindSecurityGroup(INSTANCE, GROUP)

    const [first, second] = server.requests
    expect(first?.headers['x-bce-date']).toBe('2026-11-29T03:00:00Z')
    expect(second?.headers['x-bce-date']).toBe('2026-11-29T03:01:01Z')
    expect(first?.headers.authorization).not.toBe(second?.headers.authorization)
    expect(second?.verdict.ok).toBe(true)
  })

  it('treats a 2xx whose body is cut short as applied', async () => {
    server.script([{ truncate: true, status: 200, body: '{"x":' }])
    await expect(client().bindSecurityGroup(INSTANCE, GROUP)).resolves.toMatchObject({
      status: 200,
    })
  })

  it('does not take a 2xx with a markup page (a captive portal, a proxy) as a bind', async () => {
    server.script([bceOk('req-portal', '<!DOCTYPE html><html>Sign in to the wifi</html>')])
    const error = await rejection(client().bindSecurityGroup(INSTANCE, GROUP))
    expect(error).toBeInstanceOf(BccUnexpectedAnswer)
    expect(error).toMatchObject({ status: 200, requestId: 'req-portal' })
  })

  it('does not take a 2xx without x-bce-request-id (not from BCC) as a bind', async () => {
    server.script([{ status: 200, body: '<html>Welcome to the hotel wifi</html>' }])
    const error = await rejection(client().bindSecurityGroup(INSTANCE, GROUP))
    expect(error).toBeInstanceOf(BccUnexpectedAnswer)
    expect(error).toMatchObject({ status: 200, requestId: undefined })
  })

  it.each([
    [413, 'SecurityGroup.BindInstanceExceededLimit'],
    [403, 'SecurityGroup.ExpiredInstanceForbiddenBind'],
    [400, 'SecurityGroup.NoSecurityGroup'],
    [404, 'NoSuchObject'],
    [400, 'SignatureDoesNotMatch'],
    [503, 'ServiceUnavailable'],
  ])(
    'turns HTTP %i %s into a BccErrorAnswer with status, code, message and request id',
    async (status, code) => {
      server.script([bceError(status, code, 'what BCC said', 'req-e-42')])
      const error = await rejection(client().bindSecurityGroup(INSTANCE, GROUP))

      expect(error).toBeInstanceOf(BccErrorAnswer)
      expect(error).toMatchObject({
        name: 'BccErrorAnswer',
        status,
        code,
        message: 'what BCC said',
        requestId: 'req-e-42',
        codeGuessed: false,
      })
    },
  )

  it.each([
    ['an HTML page', 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'BadGateway'],
    ['an empty body', 403, '', 'AccessDenied'],
    ['an empty body', 400, '', 'InvalidHTTPRequest'],
    ['an empty body', 500, '', 'InternalError'],
    ['an empty body', 429, '', 'TooManyRequests'],
    ['JSON without a code', 404, '{"message":"gone"}', 'NotFound'],
    ['a JSON array', 412, '[1,2]', 'PreconditionFailed'],
  ])(
    'guesses the code from the status when the error body is %s (HTTP %i)',
    async (_what, status, body, code) => {
      server.script([{ status, body, headers: { 'content-type': 'text/html' } }])
      const error = await rejection(client().bindSecurityGroup(INSTANCE, GROUP))

      expect(error).toBeInstanceOf(BccErrorAnswer)
      expect(error).toMatchObject({ status, code, codeGuessed: true })
    },
  )

  it('guesses the code when an error body is cut short', async () => {
    server.script([{ truncate: true, status: 500, body: '{"code":"Inter' }])
    const error = await rejection(client().bindSecurityGroup(INSTANCE, GROUP))
    expect(error).toMatchObject({
      name: 'BccErrorAnswer',
      status: 500,
      code: 'InternalError',
      codeGuessed: true,
    })
  })

  it('reads Retry-After in seconds and as an HTTP date', async () => {
    const now = Date.parse('2026-11-29T03:00:00Z')
    server.script([
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 503, headers: { 'retry-after': 'Sun, 29 Nov 2026 03:00:07 GMT' } },
    ])
    const c = client({ clock: { now: () => now } })
    expect(await rejection(c.bindSecurityGroup(INSTANCE, GROUP))).toMatchObject({
      retryAfterMs: 3000,
    })
    expect(await rejection(c.bindSecurityGroup(INSTANCE, GROUP))).toMatchObject({
      retryAfterMs: 7000,
    })
  })

  it('removes credentials and digests that BCE echoes in an error message', async () => {
    const echoed = `string to sign had x-bce-security-token:${encodeURIComponent(TEST_STS_CREDENTIALS.sessionToken)} and ${TEST_STS_CREDENTIALS.sessionToken}, expected ${'ab'.repeat(32)}`
    server.script([bceError(400, 'SignatureDoesNotMatch', echoed)])
    const error = (await rejection(
      client({ credentials: TEST_STS_CREDENTIALS }).bindSecurityGroup(INSTANCE, GROUP),
    )) as Error

    expect(error.message).not.toContain(TEST_STS_CREDENTIALS.sessionToken)
    expect(error.message).not.toContain(encodeURIComponent(TEST_STS_CREDENTIALS.sessionToken))
    expect(error.message).not.toContain('ab'.repeat(32))
    expect(error.message).toContain('[redacted]')
  })

  it('reports a connection reset as a network error that may have reached BCE', async () => {
    server.script([{ reset: 'before-response' }])
    const error = await rejection(client().bindSecurityGroup(INSTANCE, GROUP))

    expect(error).toBeInstanceOf(BccNetworkError)
    expect(error).toMatchObject({ code: 'ECONNRESET', mayHaveReachedBce: true })
    expect((error as Error).cause).toBeInstanceOf(Error)
  })

  it('reports a refused connection as a network error that cannot have reached BCE', async () => {
    const closed = await startScriptedServer(TEST_SECRETS)
    const url = closed.url
    await closed.close()
    const error = await rejection(client({ endpoint: url }).bindSecurityGroup(INSTANCE, GROUP))

    expect(error).toBeInstanceOf(BccNetworkError)
    expect(error).toMatchObject({ code: 'ECONNREFUSED', mayHaveReachedBce: false })
  })

  it('gives up on an answer slower than the attempt timeout', async () => {
    server.script([{ delayMs: 1_000, reply: bceOk() }])
    const error = await rejection(client().bindSecurityGroup(INSTANCE, GROUP, { timeoutMs: 100 }))

    expect(error).toBeInstanceOf(BccAttemptTimeout)
    expect(error).toMatchObject({ timeoutMs: 100, mayHaveReachedBce: true })
  })

  it('refuses ids that are not BCC ids before anything is sent', async () => {
    const error = await rejection(client().bindSecurityGroup('i-../../x?y', 'g-nky7qeom&a=b'))

    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((issue) => issue.field)).toEqual([
      'instanceId',
      'securityGroupId',
    ])
    expect(server.requests).toHaveLength(0)
  })
})

describe('getInstance', () => {
  it('sends a signed GET and reads instance.nicInfo.securityGroups', async () => {
    server.script([instanceDetail(INSTANCE, ['g-aaaaaaaa', GROUP], 'req-read-7')])
    const result = await client().getInstance(INSTANCE)

    expect(result).toEqual({
      value: expect.objectContaining({ securityGroups: ['g-aaaaaaaa', GROUP] }),
      status: 200,
      requestId: 'req-read-7',
    })
    const [seen] = server.requests
    expect(seen).toMatchObject({
      method: 'GET',
      path: `/v2/instance/${INSTANCE}`,
      rawQuery: '',
      body: '',
    })
    expect(seen?.verdict.ok).toBe(true)
  })

  it.each([
    ['an empty body', ''],
    ['an HTML body', '<html>ok</html>'],
    ['no nicInfo', '{"instance":{"id":"i-YufwpQAe"}}'],
    ['groups that are not strings', '{"instance":{"nicInfo":{"securityGroups":[1]}}}'],
  ])('refuses a 2xx with %s as a BccUnexpectedAnswer', async (_what, body) => {
    server.script([bceOk('req-odd', body)])
    const error = await rejection(client().getInstance(INSTANCE))

    expect(error).toBeInstanceOf(BccUnexpectedAnswer)
    expect(error).toMatchObject({ status: 200, requestId: 'req-odd' })
  })

  it('reports a 2xx body cut short as a network error after BCE answered', async () => {
    server.script([{ truncate: true, status: 200, body: '{"instance":{"nicInfo":' }])
    const error = await rejection(client().getInstance(INSTANCE))

    expect(error).toBeInstanceOf(BccNetworkError)
    expect(error).toMatchObject({ mayHaveReachedBce: true })
  })

  it('refuses an instance id that is not a BCC id before anything is sent', async () => {
    await expect(client().getInstance('i-YufwpQAe/../x')).rejects.toBeInstanceOf(ValidationError)
    expect(server.requests).toHaveLength(0)
  })
})

describe('transport', () => {
  it('reuses one keep-alive connection for a run of sequential calls', async () => {
    server.script([bceOk()])
    const c = client({ transport: createNodeFetchTransport(createKeepAliveAgents()) })
    for (let i = 0; i < 10; i++) await c.bindSecurityGroup(INSTANCE, GROUP)

    const connections = new Set(server.requests.map((request) => request.connectionId))
    expect(server.requests).toHaveLength(10)
    expect(connections.size).toBe(1)
  })

  it('works with any fetch-shaped transport, such as the global fetch', async () => {
    server.script([bceOk('req-undici')])
    const result = await client({ transport: (url, init) => fetch(url, init) }).bindSecurityGroup(
      INSTANCE,
      GROUP,
    )
    expect(result.requestId).toBe('req-undici')
  })

  it.each([301, 302, 303, 307, 308])(
    'does not follow a redirect (HTTP %i), and takes it as an answer that is not from BCC, worth another attempt',
    async (status) => {
      server.script([
        {
          status,
          headers: { location: `${server.url}/elsewhere`, 'x-bce-request-id': 'req-proxy' },
        },
      ])
      const error = await rejection(client().bindSecurityGroup(INSTANCE, GROUP))

      expect(error).toBeInstanceOf(BccUnexpectedAnswer)
      expect(error).toMatchObject({ status, requestId: 'req-proxy' })
      expect((error as Error).message).toBe(
        `BCC answered HTTP ${status}, a redirect, which BCC never sends`,
      )
      expect(isRetryable(error)).toBe(true)
      expect(server.requests.map((request) => request.path)).toEqual([`/v2/instance/${INSTANCE}`])
    },
  )
})

/**
 * A server whose every answer is a 200 of `totalBytes` bytes of JSON-ish padding, written as
 * fast as the connection takes it. It counts what the connection took, and whether it all went.
 */
async function startHugeAnswerServer(totalBytes: number) {
  const seen: { written: number; finished: boolean; closed: Promise<void> }[] = []
  const chunk = Buffer.alloc(64 * 1024, 'a')
  const huge = createServer((req, res) => {
    req.resume()
    let resolveClosed = () => {}
    const answer = {
      written: 0,
      finished: false,
      closed: new Promise<void>((resolve) => {
        resolveClosed = resolve
      }),
    }
    seen.push(answer)
    res.on('finish', () => {
      answer.finished = true
    })
    res.on('close', resolveClosed)
    res.writeHead(200, {
      'content-type': 'application/json;charset=UTF-8',
      'content-length': String(totalBytes),
      'x-bce-request-id': 'req-huge',
    })
    const writeMore = () => {
      while (answer.written < totalBytes && !res.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, totalBytes - answer.written))
        answer.written += piece.length
        if (!res.write(piece)) return void res.once('drain', writeMore)
      }
      if (answer.written >= totalBytes) res.end()
    }
    writeMore()
  })
  huge.listen(0, '127.0.0.1')
  await once(huge, 'listening')
  const { port } = huge.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: async () => {
      huge.closeAllConnections()
      huge.close()
      await once(huge, 'close')
    },
  }
}

describe('answers of any size', () => {
  const FIFTY_MB = 50 * 1024 * 1024

  it.each([
    ['an instance detail', (c: ReturnType<typeof client>) => c.getInstance(INSTANCE)],
    ['a bind', (c: ReturnType<typeof client>) => c.bindSecurityGroup(INSTANCE, GROUP)],
  ])(
    'stops reading %s answer at the size limit, closes the connection, and takes it as an answer not from BCC',
    async (_what, call) => {
      const huge = await startHugeAnswerServer(FIFTY_MB)
      try {
        const c = client({
          endpoint: huge.url,
          transport: createNodeFetchTransport(createKeepAliveAgents()),
        })
        const error = await rejection(call(c))

        expect(error).toBeInstanceOf(BccUnexpectedAnswer)
        expect(error).toMatchObject({ status: 200, requestId: 'req-huge' })
        expect((error as Error).message).toBe(
          `BCC answered HTTP 200 with a body over ${MAX_RESPONSE_BYTES} bytes, larger than any BCC answer`,
        )
        expect(isRetryable(error)).toBe(true)
        // The client hung up: the server could not send it all (what it did send sat in the
        // sockets' buffers, a few megabytes at most on loopback).
        const [answer] = huge.seen
        await answer?.closed
        expect(answer?.finished).toBe(false)
        expect(answer?.written).toBeLessThan(FIFTY_MB / 2)
      } finally {
        await huge.close()
      }
    },
  )

  it('reads an answer of exactly the size limit', async () => {
    const detail = JSON.stringify({ instance: { nicInfo: { securityGroups: [GROUP] } } })
    const padded = `${detail.slice(0, -1)}${' '.repeat(MAX_RESPONSE_BYTES - detail.length)}}`
    expect(Buffer.byteLength(padded)).toBe(MAX_RESPONSE_BYTES)
    server.script([bceOk('req-big', padded)])
    await expect(client().getInstance(INSTANCE)).resolves.toMatchObject({
      value: expect.objectContaining({ securityGroups: [GROUP] }),
    })

    server.script([bceOk('req-big', `${padded} `)])
    await expect(client().getInstance(INSTANCE)).rejects.toThrow(
      `with a body over ${MAX_RESPONSE_BYTES} bytes`,
    )
  })

  it('takes an answer without a body (a 204 through the global fetch) as empty', async () => {
    server.script([{ status: 204, headers: { 'x-bce-request-id': 'req-204' } }])
    await expect(
      client({ transport: (url, init) => fetch(url, init) }).bindSecurityGroup(INSTANCE, GROUP),
    ).resolves.toEqual({ value: undefined, status: 204, requestId: 'req-204' })
  })

  it('applies the limit to error answers too', async () => {
    server.script([
      {
        status: 400,
        headers: { 'x-bce-request-id': 'req-big-error' },
        body: JSON.stringify({
          code: 'InvalidHTTPRequest',
          message: 'x'.repeat(MAX_RESPONSE_BYTES),
        }),
      },
    ])
    const error = await rejection(client().bindSecurityGroup(INSTANCE, GROUP))
    expect(error).toBeInstanceOf(BccUnexpectedAnswer)
    expect(error).toMatchObject({ status: 400, requestId: 'req-big-error' })
  })

  it('reads the body of any fetch-shaped transport within the limit, such as the global fetch', async () => {
    const huge = await startHugeAnswerServer(FIFTY_MB)
    try {
      const error = await rejection(
        client({
          endpoint: huge.url,
          transport: (url, init) => fetch(url, init),
        }).getInstance(INSTANCE),
      )
      expect(error).toBeInstanceOf(BccUnexpectedAnswer)
      const [answer] = huge.seen
      await answer?.closed
      expect(answer?.finished).toBe(false)
    } finally {
      await huge.close()
    }
  })
})
