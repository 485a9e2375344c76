import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Emulator, FaultRule } from '../../emulator/index.js'
import { createKeepAliveAgents, createNodeFetchTransport } from '../../lib/bcc/transport.js'
import {
  BceUnavailable,
  BinderError,
  InstanceExpired,
  InstanceNotFound,
  SecurityGroupLimitExceeded,
  SecurityGroupNotFound,
} from '../../lib/errors/catalogue.js'
import { loadFunctionConfig } from '../../lib/schemas/config.js'
import {
  type BindDependencies,
  bind,
  createClientResolver,
  retryPolicyFrom,
} from '../../lib/usecases/bind.js'
import { SEEDED, startTestEmulator } from '../support/bccEmulator.js'
import { TEST_CREDENTIALS } from '../support/credentials.js'
import { fakeTiming } from '../support/fakeTiming.js'

// The whole bind (client, retry loop, read-after-failure) against the emulator. The runtime is
// fake, so backoffs take no time; the emulator reads the same fake clock, so signatures verify.

let runtime = fakeTiming()
let emulator: Emulator
let strictEmulator: Emulator
const agents = createKeepAliveAgents()
const emulatorClock = () => new Date(runtime.clock.now())

beforeAll(async () => {
  emulator = await startTestEmulator({ clock: emulatorClock })
  strictEmulator = await startTestEmulator({
    clock: emulatorClock,
    duplicateBind: { mode: 'error' },
  })
})
afterAll(async () => {
  agents.http.destroy()
  await emulator.close()
  await strictEmulator.close()
})
beforeEach(() => {
  runtime = fakeTiming()
  for (const each of [emulator, strictEmulator]) {
    each.reset()
    each.setFaults([])
  }
})

function deps(on: Emulator = emulator): BindDependencies {
  const { bcc: config } = loadFunctionConfig(
    {
      BCE_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      BCE_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      BCC_ENDPOINT: on.url,
    },
    { webhookSecret: false },
  )
  return {
    clientFor: createClientResolver(
      { ...config, credentials: TEST_CREDENTIALS },
      {
        clock: runtime.clock,
        transport: createNodeFetchTransport(agents),
      },
    ),
    defaultRegion: config.region,
    retryPolicy: retryPolicyFrom(config),
    deadline: runtime.start + 30_000,
    timing: runtime,
  }
}

const REQUEST = { instanceId: SEEDED.instance, securityGroupId: SEEDED.group }
const methods = (on: Emulator, from: number) =>
  on
    .requests()
    .slice(from)
    .map((entry) => entry.method)

async function failure(input: object, dependencies: BindDependencies): Promise<BinderError> {
  try {
    await bind(input, dependencies)
  } catch (error) {
    if (error instanceof BinderError) return error
    throw error
  }
  throw new Error('expected the bind to fail')
}

const statusRule = (status: number, extra: Omit<FaultRule, 'action'> = {}): FaultRule => ({
  ...extra,
  action: { kind: 'status', status },
})

describe('bind use case against the emulator', () => {
  it('binds', async () => {
    await expect(bind(REQUEST, deps())).resolves.toMatchObject({ status: 'bound', attempts: 1 })
  })

  it('retries 500, 502, 503 and 504 with fresh signatures and binds', async () => {
    emulator.setFaults([
      statusRule(500, { count: 1 }),
      statusRule(502, { count: 1 }),
      statusRule(503, { count: 1 }),
    ])
    await expect(bind(REQUEST, deps())).resolves.toMatchObject({ status: 'bound', attempts: 4 })
    expect(runtime.sleeps).toHaveLength(3)
  })

  it('waits exactly the Retry-After of a 429', async () => {
    emulator.setFaults([{ count: 1, action: { kind: 'status', status: 429, retryAfter: 2 } }])
    await expect(bind(REQUEST, deps())).resolves.toMatchObject({ status: 'bound', attempts: 2 })
    expect(runtime.sleeps).toEqual([2_000])
  })

  it('gives up as BceUnavailable when every attempt gets 504', async () => {
    emulator.setFaults([statusRule(504, { match: { method: 'PUT' } })])
    const error = await failure(REQUEST, deps())
    expect(error).toBeInstanceOf(BceUnavailable)
    expect(error).toMatchObject({ attempts: 4 })
  })

  it('reset after every attempt: the read after the failure finds the group, already-bound', async () => {
    const from = emulator.requests().length
    emulator.setFaults([{ match: { method: 'PUT' }, action: { kind: 'reset-after' } }])

    await expect(bind(REQUEST, deps())).resolves.toMatchObject({
      status: 'already-bound',
      attempts: 4,
    })
    expect(methods(emulator, from)).toEqual(['PUT', 'PUT', 'PUT', 'PUT', 'GET'])
  })

  it('reset after once, duplicates refused: the retry is refused, the read says already-bound', async () => {
    const from = strictEmulator.requests().length
    strictEmulator.setFaults([{ count: 1, action: { kind: 'reset-after' } }])

    await expect(bind(REQUEST, deps(strictEmulator))).resolves.toMatchObject({
      status: 'already-bound',
      attempts: 2,
    })
    expect(
      strictEmulator
        .requests()
        .slice(from)
        .map((entry) => entry.status),
    ).toEqual([null, 400, 200])
  })

  it('reset after once, duplicates accepted: the retry answers 200, bound', async () => {
    emulator.setFaults([{ count: 1, action: { kind: 'reset-after' } }])
    await expect(bind(REQUEST, deps())).resolves.toMatchObject({ status: 'bound', attempts: 2 })
  })

  it('reset before once: retried, bound', async () => {
    emulator.setFaults([{ count: 1, action: { kind: 'reset-before' } }])
    await expect(bind(REQUEST, deps())).resolves.toMatchObject({ status: 'bound', attempts: 2 })
  })

  it('HTML and truncated JSON error pages are retried like their status', async () => {
    emulator.setFaults([
      { count: 1, action: { kind: 'html', status: 502 } },
      { count: 1, match: { method: 'PUT' }, action: { kind: 'truncated-json', status: 503 } },
    ])
    // The truncated answer came after the real bind: the third attempt is a duplicate, 200.
    await expect(bind(REQUEST, deps())).resolves.toMatchObject({ status: 'bound', attempts: 3 })
  })

  it.each([
    ['an expired instance', { instanceId: SEEDED.expired }, InstanceExpired],
    ['an 11th group', { instanceId: SEEDED.full }, SecurityGroupLimitExceeded],
    ['an unknown group', { securityGroupId: 'g-notthere' }, SecurityGroupNotFound],
    ['an unknown instance', { instanceId: 'i-NotThere' }, InstanceNotFound],
  ])('maps %s to its catalogued error', async (_what, change, type) => {
    const error = await failure({ ...REQUEST, ...change }, deps())
    expect(error).toBeInstanceOf(type)
  })
})
