import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Emulator, FaultRule } from '../../emulator/index.js'
import { createBccClient } from '../../lib/bcc/client.js'
import {
  BccAttemptTimeout,
  BccErrorAnswer,
  BccNetworkError,
  BccUnexpectedAnswer,
} from '../../lib/bcc/errors.js'
import { createKeepAliveAgents, createNodeFetchTransport } from '../../lib/bcc/transport.js'
import { SEEDED, startTestEmulator } from '../support/bccEmulator.js'
import { TEST_CREDENTIALS } from '../support/credentials.js'
import { rejection } from '../support/rejection.js'

// The client of lib/bcc against the emulator on loopback, each fault kind in turn.

let emulator: Emulator
const agents = createKeepAliveAgents()
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(async () => {
  agents.http.destroy()
  await emulator.close()
})
beforeEach(() => {
  emulator.reset()
  emulator.setFaults([])
})

const client = (timeoutMs = 3_000) =>
  createBccClient({
    endpoint: emulator.url,
    credentials: TEST_CREDENTIALS,
    transport: createNodeFetchTransport(agents),
    timeoutMs,
  })

const bindOnce = (c = client()) => c.bindSecurityGroup(SEEDED.instance, SEEDED.group)
const isBound = () =>
  emulator
    .state()
    .instances.find((instance) => instance.id === SEEDED.instance)
    ?.securityGroupIds.includes(SEEDED.group)
const fault = (action: FaultRule['action'], extra: Omit<FaultRule, 'action'> = {}): FaultRule => ({
  ...extra,
  action,
})

describe('status faults', () => {
  it.each([
    [500, 'InternalError'],
    [502, 'BadGateway'],
    [503, 'ServiceUnavailable'],
    [504, 'GatewayTimeout'],
  ])('HTTP %i arrives as a BccErrorAnswer %s, and nothing is bound', async (status, code) => {
    emulator.setFaults([fault({ kind: 'status', status })])
    const error = await rejection(bindOnce())

    expect(error).toBeInstanceOf(BccErrorAnswer)
    expect(error).toMatchObject({ status, code, codeGuessed: false, requestId: expect.any(String) })
    expect(isBound()).toBe(false)
    expect(emulator.requests().at(-1)).toMatchObject({
      status,
      verdict: 'ok',
      fault: [{ rule: 0, kind: 'status' }],
    })
  })

  it('HTTP 429 with Retry-After, in seconds', async () => {
    emulator.setFaults([
      fault({ kind: 'status', status: 429, retryAfter: 3, message: 'slow down' }),
    ])
    const error = await rejection(bindOnce())

    expect(error).toMatchObject({
      status: 429,
      code: 'TooManyRequests',
      message: 'slow down',
      retryAfterMs: 3_000,
    })
  })

  it('a code of the rule’s choosing', async () => {
    emulator.setFaults([fault({ kind: 'status', status: 403, code: 'AccessDenied' })])
    expect(await rejection(bindOnce())).toMatchObject({ status: 403, code: 'AccessDenied' })
  })
})

describe('latency', () => {
  it('past the attempt timeout: BccAttemptTimeout, and the bind still happens', async () => {
    emulator.setFaults([fault({ kind: 'latency', ms: 400 }, { match: { method: 'PUT' } })])
    const error = await rejection(bindOnce(client(100)))

    expect(error).toBeInstanceOf(BccAttemptTimeout)
    // BCC would have received the request: the emulator applies it once the delay is over.
    await vi.waitFor(() => expect(isBound()).toBe(true), { timeout: 5_000 })
    expect(emulator.requests().at(-1)).toMatchObject({
      method: 'PUT',
      status: 200,
      fault: [{ rule: 0, kind: 'latency' }],
    })
  })

  it('within the timeout, and combined with a status rule', async () => {
    emulator.setFaults([
      fault({ kind: 'latency', ms: 20 }),
      fault({ kind: 'latency', ms: 30 }, { count: 1 }),
      fault({ kind: 'status', status: 503 }, { count: 1 }),
    ])

    expect(await rejection(bindOnce())).toMatchObject({ status: 503 })
    await expect(bindOnce()).resolves.toMatchObject({ status: 200 })
    expect(
      emulator
        .requests()
        .slice(-2)
        .map((entry) => entry.fault),
    ).toEqual([
      [
        { rule: 0, kind: 'latency' },
        { rule: 1, kind: 'latency' },
        { rule: 2, kind: 'status' },
      ],
      [{ rule: 0, kind: 'latency' }],
    ])
  })
})

describe('dropped connections', () => {
  it('reset before: a BccNetworkError, and nothing is bound', async () => {
    emulator.setFaults([fault({ kind: 'reset-before' })])
    const error = await rejection(bindOnce())

    expect(error).toBeInstanceOf(BccNetworkError)
    expect(error).toMatchObject({ mayHaveReachedBce: true })
    expect(isBound()).toBe(false)
    expect(emulator.requests().at(-1)).toMatchObject({ status: null, verdict: 'ok' })
  })

  it('reset after: a BccNetworkError, but the bind was applied', async () => {
    emulator.setFaults([fault({ kind: 'reset-after' })])
    const error = await rejection(bindOnce())

    expect(error).toBeInstanceOf(BccNetworkError)
    expect(isBound()).toBe(true)
    expect(emulator.requests().at(-1)).toMatchObject({
      status: null,
      fault: [{ rule: 0, kind: 'reset-after' }],
    })
  })
})

describe('bodies a client cannot parse', () => {
  it('an HTML error page: a BccErrorAnswer with the code guessed from the status', async () => {
    emulator.setFaults([fault({ kind: 'html', status: 502 })])
    const error = await rejection(bindOnce())

    expect(error).toBeInstanceOf(BccErrorAnswer)
    expect(error).toMatchObject({ status: 502, code: 'BadGateway', codeGuessed: true })
  })

  it('an HTML page answering 200 to a read: a BccUnexpectedAnswer', async () => {
    emulator.setFaults([fault({ kind: 'html', status: 200, contentType: 'text/html' })])
    const error = await rejection(client().getInstance(SEEDED.instance))
    expect(error).toBeInstanceOf(BccUnexpectedAnswer)
  })

  it('truncated JSON of a read: a BccUnexpectedAnswer', async () => {
    emulator.setFaults([fault({ kind: 'truncated-json' }, { match: { method: 'GET' } })])
    const error = await rejection(client().getInstance(SEEDED.instance))
    expect(error).toBeInstanceOf(BccUnexpectedAnswer)
  })

  it('truncated JSON of an error: a BccErrorAnswer, the code guessed', async () => {
    emulator.setFaults([fault({ kind: 'truncated-json', status: 500 })])
    const error = await rejection(bindOnce())

    expect(error).toMatchObject({ status: 500, code: 'InternalError', codeGuessed: true })
    // The real handler ran before the answer was cut: the bind was applied.
    expect(isBound()).toBe(true)
  })

  it('truncated JSON after a bind’s 200: the client takes the bind as done', async () => {
    emulator.setFaults([fault({ kind: 'truncated-json' })])
    await expect(bindOnce()).resolves.toMatchObject({ status: 200 })
    expect(isBound()).toBe(true)
  })
})

describe('matching, counts and chance', () => {
  it('matches by method, exact path, path pattern and instance id', async () => {
    emulator.setFaults([
      fault({ kind: 'status', status: 500 }, { match: { method: 'get', instanceId: SEEDED.full } }),
      fault(
        { kind: 'status', status: 502 },
        { match: { path: `/v2/instance/${SEEDED.twoGroups}` } },
      ),
      fault({ kind: 'status', status: 504 }, { match: { pathPattern: '/v2/instance/i-Vpc.*' } }),
    ])
    const c = client()

    expect(await rejection(c.getInstance(SEEDED.full))).toMatchObject({ status: 500 })
    expect(await rejection(c.getInstance(SEEDED.twoGroups))).toMatchObject({
      status: 502,
    })
    expect(await rejection(c.getInstance(SEEDED.otherVpc))).toMatchObject({
      status: 504,
    })
    await expect(c.getInstance(SEEDED.instance)).resolves.toMatchObject({
      status: 200,
    })
    await expect(c.bindSecurityGroup(SEEDED.full, SEEDED.defaultGroup)).resolves.toMatchObject({
      status: 200,
    })
  })

  it('a rule with a count is spent after that many requests', async () => {
    emulator.setFaults([fault({ kind: 'status', status: 503 }, { count: 2 })])
    const c = client()

    expect(await rejection(c.getInstance(SEEDED.instance))).toMatchObject({
      status: 503,
    })
    expect(await rejection(c.getInstance(SEEDED.instance))).toMatchObject({
      status: 503,
    })
    await expect(c.getInstance(SEEDED.instance)).resolves.toMatchObject({
      status: 200,
    })
  })

  it('a probability draws from a seeded generator: the same seed, the same faults', async () => {
    const run = async (seed: number) => {
      emulator.setFaults([fault({ kind: 'status', status: 503 }, { probability: 0.5 })], { seed })
      const c = client()
      const statuses: number[] = []
      for (let i = 0; i < 16; i++) {
        statuses.push(
          await c.getInstance(SEEDED.instance).then(
            (result) => result.status,
            (error: BccErrorAnswer) => error.status,
          ),
        )
      }
      return statuses
    }

    const first = await run(7)
    expect(await run(7)).toEqual(first)
    expect(first).toContain(200)
    expect(first).toContain(503)
    expect(await run(8)).not.toEqual(first)
  })
})

describe('close', () => {
  it('abandons a request still waiting on latency: no answer, no state change', async () => {
    const closing = await startTestEmulator({
      faults: [{ action: { kind: 'latency', ms: 300 } }],
    })
    const pending = createBccClient({
      endpoint: closing.url,
      credentials: TEST_CREDENTIALS,
    }).bindSecurityGroup(SEEDED.instance, SEEDED.group)
    await delay(100)
    await closing.close()

    expect(await rejection(pending)).toBeInstanceOf(BccNetworkError)
    // Past the latency: had the request survived the close, the bind would now be applied.
    await delay(400)
    expect(closing.requests()).toEqual([])
    expect(closing.state()).toEqual(emulator.state())
  })
})

describe('connections', () => {
  it('a run of sequential calls uses one keep-alive connection', async () => {
    const own = createKeepAliveAgents()
    const c = createBccClient({
      endpoint: emulator.url,
      credentials: TEST_CREDENTIALS,
      transport: createNodeFetchTransport(own),
    })
    const before = emulator.requests().length
    try {
      await c.getInstance(SEEDED.instance)
      await c.bindSecurityGroup(SEEDED.instance, SEEDED.group)
      await c.getInstance(SEEDED.instance)
      await rejection(c.bindSecurityGroup(SEEDED.expired, SEEDED.group))
      await c.getInstance(SEEDED.twoGroups)
    } finally {
      own.http.destroy()
    }

    const run = emulator.requests().slice(before)
    expect(run.map((entry) => entry.status)).toEqual([200, 200, 200, 403, 200])
    expect(new Set(run.map((entry) => entry.connectionId)).size).toBe(1)
  })
})
