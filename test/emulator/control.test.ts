import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  controlAllowed,
  type Emulator,
  EmulatorOptionsError,
  loadSeedFile,
  originOf,
  type Snapshot,
  startEmulator,
} from '../../emulator/index.js'
import { SEEDED, startTestEmulator } from '../support/bccEmulator.js'
import { expectBceError, expectBceHeaders } from '../support/bceExpectations.js'
import { TEST_CREDENTIALS } from '../support/credentials.js'
import { jsonOf, sendRaw } from '../support/rawHttp.js'
import { signedCall } from '../support/signedCall.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(() => emulator.close())
beforeEach(() => {
  emulator.reset()
  emulator.setFaults([])
})

const control = (method: string, path: string, body?: unknown) =>
  sendRaw(emulator.url, {
    method,
    target: `/__emulator/${path}`,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })

const getInstance = (instanceId: string = SEEDED.instance) =>
  signedCall(
    emulator.url,
    { method: 'GET', path: `/v2/instance/${instanceId}` },
    { credentials: TEST_CREDENTIALS },
  )

const SMALL_STATE: Snapshot = {
  instances: [
    { id: 'i-Small001', status: 'Running', vpcId: 'vpc-a', securityGroupIds: ['g-small001'] },
  ],
  securityGroups: [{ id: 'g-small001', name: 'only', vpcId: 'vpc-a' }],
}

describe('GET /__emulator/state and POST /__emulator/reset', () => {
  it('returns the seed, in the shape of emulator/seed.json', async () => {
    const response = await control('GET', 'state')
    expect(response.status).toBe(200)
    expectBceHeaders(response)
    expect(jsonOf(response)).toEqual(loadSeedFile())
  })

  it('replaces the state, which the API then serves; an empty body goes back to the seed', async () => {
    const reset = await control('POST', 'reset', SMALL_STATE)
    expect(jsonOf(reset)).toEqual(SMALL_STATE)
    expect(jsonOf(await control('GET', 'state'))).toEqual(SMALL_STATE)
    expect((await getInstance('i-Small001')).status).toBe(200)
    expectBceError(await getInstance(), 404, 'NoSuchObject')

    await control('POST', 'reset', '')
    expect(emulator.state()).toEqual(loadSeedFile())
  })

  it('round-trips through the programmatic API', () => {
    expect(emulator.reset(SMALL_STATE)).toEqual(SMALL_STATE)
    expect(emulator.state()).toEqual(SMALL_STATE)
    expect(emulator.reset()).toEqual(loadSeedFile())
  })

  it('hands out copies: changing one changes nothing inside', () => {
    const copy = emulator.state()
    copy.instances.length = 0
    expect(emulator.state().instances).not.toHaveLength(0)
  })

  it.each([
    [
      'a group that does not exist',
      { ...SMALL_STATE, securityGroups: [] },
      'instances.0.securityGroupIds.0: names a security group that is not in the state',
    ],
    [
      'a duplicate instance',
      { ...SMALL_STATE, instances: [SMALL_STATE.instances[0], SMALL_STATE.instances[0]] },
      'instances.1.id: is a duplicate',
    ],
    [
      'a duplicate group',
      {
        ...SMALL_STATE,
        securityGroups: [SMALL_STATE.securityGroups[0], SMALL_STATE.securityGroups[0]],
      },
      'securityGroups.1.id: is a duplicate',
    ],
    [
      'a group bound twice',
      {
        ...SMALL_STATE,
        instances: [
          { ...SMALL_STATE.instances[0], securityGroupIds: ['g-small001', 'g-small001'] },
        ],
      },
      'instances.0.securityGroupIds.1: is a duplicate',
    ],
    [
      'an unknown status',
      {
        ...SMALL_STATE,
        instances: [{ ...SMALL_STATE.instances[0], status: 'Stopped' }],
      },
      'instances.0.status',
    ],
    ['an unknown field', { ...SMALL_STATE, vpcs: [] }, 'vpcs: is not allowed'],
    [
      'a badly formed instance id',
      { ...SMALL_STATE, instances: [{ ...SMALL_STATE.instances[0], id: 'i-x' }] },
      'instances.0.id',
    ],
    [
      'eleven groups',
      {
        ...SMALL_STATE,
        instances: [
          {
            ...SMALL_STATE.instances[0],
            securityGroupIds: Array.from({ length: 11 }, () => 'g-small001'),
          },
        ],
      },
      'instances.0.securityGroupIds: must hold at most 10 groups',
    ],
  ])('refuses %s with 400 InappropriateJSON naming the field', async (_what, state, field) => {
    const before = emulator.state()
    const response = await control('POST', 'reset', state)
    expectBceError(response, 400, 'InappropriateJSON')
    expect(jsonOf(response)).toMatchObject({ message: expect.stringContaining(field) })
    expect(emulator.state()).toEqual(before)
    expect(() => emulator.reset(state as Snapshot)).toThrow(EmulatorOptionsError)
  })

  it('refuses a body that is not JSON: 400 MalformedJSON', async () => {
    expectBceError(await control('POST', 'reset', '{'), 400, 'MalformedJSON')
  })
})

describe('POST /__emulator/faults', () => {
  it('replaces the rule list', async () => {
    const first = await control('POST', 'faults', {
      rules: [{ action: { kind: 'status', status: 503 } }],
    })
    expect(jsonOf(first)).toEqual({ rules: [{ action: { kind: 'status', status: 503 } }] })
    expectBceError(await getInstance(), 503, 'ServiceUnavailable')

    await control('POST', 'faults', {
      rules: [{ match: { instanceId: SEEDED.twoGroups }, action: { kind: 'status', status: 500 } }],
    })
    expect((await getInstance()).status).toBe(200)
    expectBceError(await getInstance(SEEDED.twoGroups), 500, 'InternalError')

    await control('POST', 'faults', { rules: [] })
    expect((await getInstance(SEEDED.twoGroups)).status).toBe(200)
  })

  it.each([
    [{ rules: [{ action: { kind: 'status', status: 200 } }] }, 'rules.0.action.status'],
    [{ rules: [{ action: { kind: 'explode' } }] }, 'rules.0.action.kind'],
    [{ rules: [{ action: { kind: 'latency' } }] }, 'rules.0.action.ms'],
    [{ rules: [{ probability: 2, action: { kind: 'reset-before' } }] }, 'rules.0.probability'],
    [{ rules: [{ count: 0, action: { kind: 'reset-after' } }] }, 'rules.0.count'],
    [
      { rules: [{ match: { pathPattern: '(' }, action: { kind: 'reset-after' } }] },
      'rules.0.match.pathPattern: is not a valid regular expression',
    ],
    [{ rules: [{ match: { path: 'v2' }, action: { kind: 'reset-after' } }] }, 'rules.0.match.path'],
    [
      { rules: [{ action: { kind: 'status', status: 429, retryAfter: 'a\nb' } }] },
      'rules.0.action.retryAfter',
    ],
    [{ rules: [], seed: 1.5 }, 'seed'],
    [{}, 'rules'],
  ])('refuses %j with 400 InappropriateJSON naming %s', async (body, field) => {
    const response = await control('POST', 'faults', body)
    expectBceError(response, 400, 'InappropriateJSON')
    expect(jsonOf(response)).toMatchObject({ message: expect.stringContaining(field) })
  })

  it('refuses a body that is not JSON: 400 MalformedJSON', async () => {
    expectBceError(await control('POST', 'faults', 'rules'), 400, 'MalformedJSON')
  })

  it('setFaults validates as well', () => {
    expect(() => emulator.setFaults([{ action: { kind: 'status', status: 99 } }] as never)).toThrow(
      /rules\.0\.action\.status/,
    )
    expect(() => emulator.setFaults([], { seed: 0.5 })).toThrow(EmulatorOptionsError)
  })
})

describe('GET /__emulator/requests', () => {
  it('logs method, path, query, signed headers, verdict, status and connection', async () => {
    const before = emulator.requests().length
    await signedCall(
      emulator.url,
      { method: 'GET', path: '/v2/securityGroup', query: { vpcId: SEEDED.vpc, maxKeys: '2' } },
      { credentials: TEST_CREDENTIALS },
    )
    await sendRaw(emulator.url, { method: 'GET', target: '/v2/securityGroup' })
    const response = await control('GET', 'requests')
    const { requests } = jsonOf(response) as { requests: unknown[] }
    const mine = requests.slice(before)

    expect(mine).toEqual([
      {
        id: before + 1,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        connectionId: expect.any(Number),
        method: 'GET',
        path: '/v2/securityGroup',
        query: { vpcId: SEEDED.vpc, maxKeys: '2' },
        signedHeaders: ['content-type', 'host', 'x-bce-date'],
        verdict: 'ok',
        status: 200,
      },
      expect.objectContaining({ verdict: 'InvalidHTTPAuthHeader', signedHeaders: [], status: 400 }),
    ])
    // The log a control request returns ends before that request; it is logged next.
    const all = emulator.requests().slice(before)
    expect(all[2]).toMatchObject({
      path: '/__emulator/requests',
      verdict: 'unsigned-control',
      signedHeaders: [],
      status: 200,
    })
    // Each raw request opened its own connection.
    expect(new Set(all.map((entry) => entry.connectionId)).size).toBe(3)
  })

  it('leaves out an authorization query parameter', async () => {
    await sendRaw(emulator.url, {
      method: 'GET',
      target: '/v2/securityGroup?authorization=abc&maxKeys=1',
    })
    expect(emulator.requests().at(-1)?.query).toEqual({ maxKeys: '1' })
  })
})

describe('the control API is its own', () => {
  it('answers 404 NoSuchObject for an unknown control path', async () => {
    expectBceError(await control('GET', 'nothing'), 404, 'NoSuchObject')
    expectBceError(
      await sendRaw(emulator.url, { method: 'GET', target: '/__emulator' }),
      404,
      'NoSuchObject',
    )
  })

  it('answers 405 MethodNotAllowed with Allow for a wrong method', async () => {
    const response = await control('DELETE', 'state')
    expectBceError(response, 405, 'MethodNotAllowed')
    expect(response.headers.allow).toBe('GET')
  })

  it('needs no signature, and ignores one', async () => {
    const response = await sendRaw(emulator.url, {
      method: 'GET',
      target: '/__emulator/state',
      headers: { authorization: 'garbage' },
    })
    expect(response.status).toBe(200)
  })
})

describe('loopback only', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1', true],
    ['::1', '::ffff:127.0.0.1', true],
    ['0.0.0.0', '127.0.0.1', false],
    ['::', '::1', false],
    ['192.168.1.10', '192.168.1.20', false],
    ['127.0.0.1', '192.168.1.20', false],
    ['127.0.0.1', undefined, false],
  ])('bound to %s, from %s: control served is %s', (bound, remote, expected) => {
    expect(controlAllowed(bound, remote)).toBe(expected)
  })
})

describe('an emulator listening beyond loopback', () => {
  it('serves no control API, even to a request that comes over loopback', async () => {
    // Listening on every interface; the test still talks to 127.0.0.1 only.
    const everywhere = await startTestEmulator({ host: '0.0.0.0' })
    try {
      const { port } = new URL(everywhere.url)
      const local = `http://127.0.0.1:${port}`
      for (const path of ['state', 'requests']) {
        const response = await sendRaw(local, { method: 'GET', target: `/__emulator/${path}` })
        expectBceError(response, 404, 'NoSuchObject')
      }
      expectBceError(
        await sendRaw(local, { method: 'POST', target: '/__emulator/reset', body: '' }),
        404,
        'NoSuchObject',
      )
      const signed = await signedCall(
        local,
        { method: 'GET', path: `/v2/instance/${SEEDED.instance}` },
        { credentials: TEST_CREDENTIALS },
      )
      expect(signed.status).toBe(200)
    } finally {
      await everywhere.close()
    }
  })
})

describe('startEmulator options', () => {
  it.each([
    ['port', { port: 70_000 }],
    ['seed', { seed: { instances: [] } as unknown as Snapshot }],
    ['credentials', { credentials: [] }],
    ['credentials', { credentials: {} }],
    ['credentials', { credentials: { 'a/b': 'sk' } }],
    ['duplicateBind', { duplicateBind: { mode: 'error', status: 500 } as never }],
    ['maxFutureSkewSeconds', { maxFutureSkewSeconds: -1 }],
    ['faults', { faults: [{ action: { kind: 'nope' } }] as never }],
    ['faultSeed', { faultSeed: 0.5 }],
  ])('refuses a bad %s with EmulatorOptionsError', async (field, options) => {
    const error = await startEmulator(options).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(EmulatorOptionsError)
    expect((error as EmulatorOptionsError).message).toContain(field)
  })

  it('uses the demo keys, the seed file and 127.0.0.1 by default', async () => {
    const defaults = await startEmulator()
    try {
      expect(defaults.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(defaults.state()).toEqual(loadSeedFile())
      const response = await signedCall(
        defaults.url,
        { method: 'GET', path: `/v2/instance/${SEEDED.instance}` },
        {
          credentials: {
            accessKeyId: 'emulator-demo-access-key',
            secretAccessKey: 'emulator-demo-secret-key-not-a-secret',
          },
        },
      )
      expect(response.status).toBe(200)
    } finally {
      await defaults.close()
    }
  })

  it('takes credentials as a record of AK to SK', async () => {
    const recordKeys = await startEmulator({
      credentials: { [TEST_CREDENTIALS.accessKeyId]: TEST_CREDENTIALS.secretAccessKey },
    })
    try {
      const response = await signedCall(
        recordKeys.url,
        { method: 'GET', path: `/v2/instance/${SEEDED.instance}` },
        { credentials: TEST_CREDENTIALS },
      )
      expect(response.status).toBe(200)
    } finally {
      await recordKeys.close()
    }
  })

  it.each([
    [{ address: '127.0.0.1', port: 8787 }, 'http://127.0.0.1:8787'],
    [{ address: '::1', port: 8787 }, 'http://[::1]:8787'],
  ])('builds the URL of %j', (address, url) => {
    expect(originOf(address)).toBe(url)
  })

  it('reports a port already in use', async () => {
    const port = Number(new URL(emulator.url).port)
    await expect(startEmulator({ port })).rejects.toThrow(/EADDRINUSE/)
  })
})
