import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { formatBanner } from '../../emulator/banner.js'
import { parseCliEnvironment } from '../../emulator/cliConfig.js'
import {
  type Emulator,
  EmulatorOptionsError,
  loadSeedFile,
  type Snapshot,
} from '../../emulator/index.js'
import { SEEDED, startTestEmulator } from '../support/bccEmulator.js'
import { expectBceError } from '../support/bceExpectations.js'
import { TEST_CREDENTIALS } from '../support/credentials.js'
import { jsonOf, sendRaw } from '../support/rawHttp.js'
import { signedCall } from '../support/signedCall.js'

// Enterprise security groups in the state, the seed, reset, the instance detail and the banner.

let emulator: Emulator
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(() => emulator.close())
beforeEach(() => {
  emulator.reset()
})

const control = (method: string, path: string, body?: unknown) =>
  sendRaw(emulator.url, {
    method,
    target: `/__emulator/${path}`,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })

const detail = async (instanceId: string) =>
  jsonOf(
    await signedCall(
      emulator.url,
      { method: 'GET', path: `/v2/instance/${instanceId}` },
      { credentials: TEST_CREDENTIALS },
    ),
  )

const ENTERPRISE_STATE: Snapshot = {
  instances: [
    {
      id: 'i-Ent00001',
      status: 'Running',
      vpcId: 'vpc-a',
      securityGroupIds: [],
      enterpriseSecurityGroupIds: ['esg-aaaaaaaaaaaa'],
    },
    { id: 'i-Reg00001', status: 'Running', vpcId: 'vpc-a', securityGroupIds: ['g-small001'] },
  ],
  securityGroups: [{ id: 'g-small001', name: 'only', vpcId: 'vpc-a' }],
  enterpriseSecurityGroups: [{ id: 'esg-aaaaaaaaaaaa', name: 'ent' }],
}

describe('the seed', () => {
  it('adds enterprise groups and two instances on them, and keeps every regular entry', async () => {
    const state = jsonOf(await control('GET', 'state')) as Snapshot

    expect(state.enterpriseSecurityGroups).toEqual([
      { id: 'esg-9pmkwq3rt2ab', name: 'enterprise-default' },
      { id: 'esg-4hx8nvd2kfe7', name: 'enterprise-web' },
      { id: 'esg-7t2vcx5lm3qa', name: 'enterprise-ssh-from-office' },
    ])
    expect(state.instances.slice(-2)).toEqual([
      {
        id: 'i-Ent1Demo',
        status: 'Running',
        vpcId: SEEDED.vpc,
        securityGroupIds: [],
        enterpriseSecurityGroupIds: ['esg-9pmkwq3rt2ab'],
      },
      {
        id: 'i-Ent2Demo',
        status: 'Running',
        vpcId: SEEDED.vpc,
        securityGroupIds: [],
        enterpriseSecurityGroupIds: ['esg-9pmkwq3rt2ab', 'esg-4hx8nvd2kfe7'],
      },
    ])
    // Every instance on regular groups has an empty enterprise list, its other fields as before.
    expect(state.instances[0]).toEqual({
      id: SEEDED.instance,
      status: 'Running',
      vpcId: SEEDED.vpc,
      securityGroupIds: [SEEDED.defaultGroup],
      enterpriseSecurityGroupIds: [],
    })
    expect(
      state.instances.slice(0, -2).map((instance) => instance.enterpriseSecurityGroupIds),
    ).toEqual([[], [], [], [], []])
    expect(state.securityGroups).toHaveLength(13)
  })

  it('prints them in the banner, with the batch calls', () => {
    const banner = formatBanner('http://127.0.0.1:8787', parseCliEnvironment({}), loadSeedFile())
    for (const line of [
      '  PUT  /v2/securitygroup/bind?clientToken=',
      '  PUT  /v2/securitygroup/unbind?clientToken=',
      '    i-Ent2Demo  Running  vpc-2pa2x0bjt26i  groups: esg-9pmkwq3rt2ab, esg-4hx8nvd2kfe7',
      '  enterprise security groups:\n    esg-9pmkwq3rt2ab  enterprise-default\n',
    ]) {
      expect(banner).toContain(line)
    }
  })

  it('a state without enterprise groups prints none', () => {
    const banner = formatBanner('http://127.0.0.1:8787', parseCliEnvironment({}), {
      instances: [],
      securityGroups: [],
    })
    expect(banner).not.toContain('enterprise security groups:')
  })
})

describe('GET /__emulator/state and POST /__emulator/reset with enterprise groups', () => {
  it('round-trips a state with enterprise groups, over HTTP and programmatically', async () => {
    const complete = {
      ...ENTERPRISE_STATE,
      instances: ENTERPRISE_STATE.instances.map((instance) => ({
        enterpriseSecurityGroupIds: [],
        ...instance,
      })),
    }
    expect(jsonOf(await control('POST', 'reset', ENTERPRISE_STATE))).toEqual(complete)
    expect(jsonOf(await control('GET', 'state'))).toEqual(complete)
    expect(emulator.reset(ENTERPRISE_STATE)).toEqual(complete)
  })

  it('a state that names enterprise groups anywhere gets both lists everywhere', () => {
    const onlyInstanceField = emulator.reset({
      instances: [
        {
          id: 'i-Reg00001',
          status: 'Running',
          vpcId: 'vpc-a',
          securityGroupIds: ['g-small001'],
          enterpriseSecurityGroupIds: [],
        },
        { id: 'i-Reg00002', status: 'Running', vpcId: 'vpc-a', securityGroupIds: ['g-small001'] },
      ],
      securityGroups: [{ id: 'g-small001', name: 'only', vpcId: 'vpc-a' }],
    })
    expect(onlyInstanceField.enterpriseSecurityGroups).toEqual([])
    expect(onlyInstanceField.instances[1]?.enterpriseSecurityGroupIds).toEqual([])
  })

  it('a state in the shape from before enterprise groups comes back in that shape', () => {
    const old: Snapshot = {
      instances: [
        { id: 'i-Small001', status: 'Running', vpcId: 'vpc-a', securityGroupIds: ['g-small001'] },
      ],
      securityGroups: [{ id: 'g-small001', name: 'only', vpcId: 'vpc-a' }],
    }
    const state = emulator.reset(old)
    expect(state).toStrictEqual(old)
    expect(Object.keys(state)).toEqual(['instances', 'securityGroups'])
    expect(Object.keys(state.instances[0] ?? {})).not.toContain('enterpriseSecurityGroupIds')
  })

  const entInstance = ENTERPRISE_STATE.instances[0] ?? { id: '' }
  const withInstance = (fields: object) => ({
    ...ENTERPRISE_STATE,
    instances: [{ ...entInstance, ...fields }],
  })

  it.each([
    [
      'a malformed enterprise group id',
      { ...ENTERPRISE_STATE, enterpriseSecurityGroups: [{ id: 'esg-ABC', name: 'x' }] },
      "enterpriseSecurityGroups.0.id: must be 'esg-' and 12 lower-case letters or digits",
    ],
    [
      'an enterprise group with a vpcId',
      {
        ...ENTERPRISE_STATE,
        enterpriseSecurityGroups: [{ id: 'esg-aaaaaaaaaaaa', name: 'x', vpcId: 'vpc-a' }],
      },
      'enterpriseSecurityGroups.0.vpcId: is not allowed',
    ],
    [
      'a duplicate enterprise group',
      {
        ...ENTERPRISE_STATE,
        enterpriseSecurityGroups: [
          { id: 'esg-aaaaaaaaaaaa', name: 'x' },
          { id: 'esg-aaaaaaaaaaaa', name: 'y' },
        ],
      },
      'enterpriseSecurityGroups.1.id: is a duplicate',
    ],
    [
      'an enterprise group that does not exist',
      withInstance({ enterpriseSecurityGroupIds: ['esg-bbbbbbbbbbbb'] }),
      'instances.0.enterpriseSecurityGroupIds.0: names an enterprise security group that is not in the state',
    ],
    [
      'an enterprise group bound twice',
      withInstance({ enterpriseSecurityGroupIds: ['esg-aaaaaaaaaaaa', 'esg-aaaaaaaaaaaa'] }),
      'instances.0.enterpriseSecurityGroupIds.1: is a duplicate',
    ],
    [
      'a regular group in the enterprise list',
      withInstance({ enterpriseSecurityGroupIds: ['g-small001'] }),
      'instances.0.enterpriseSecurityGroupIds.0: names an enterprise security group',
    ],
    [
      'both kinds on one instance',
      withInstance({ securityGroupIds: ['g-small001'] }),
      'instances.0.enterpriseSecurityGroupIds: must be empty when securityGroupIds is not',
    ],
    [
      'eleven enterprise groups',
      withInstance({
        enterpriseSecurityGroupIds: Array.from({ length: 11 }, () => 'esg-aaaaaaaaaaaa'),
      }),
      'instances.0.enterpriseSecurityGroupIds: must hold at most 10 enterprise groups',
    ],
  ])('refuses %s with 400 InappropriateJSON naming the field', async (_what, state, message) => {
    const before = emulator.state()
    const response = await control('POST', 'reset', state)
    expectBceError(response, 400, 'InappropriateJSON')
    expect(jsonOf(response)).toMatchObject({ message: expect.stringContaining(message) })
    expect(emulator.state()).toEqual(before)
    expect(() => emulator.reset(state as Snapshot)).toThrow(EmulatorOptionsError)
  })
})

describe('GET /v2/instance/{id} with enterprise groups', () => {
  it('lists them in instance.nicInfo.enterpriseSecurityGroups, the regular list empty', async () => {
    expect(await detail('i-Ent2Demo')).toEqual({
      instance: {
        id: 'i-Ent2Demo',
        status: 'Running',
        vpcId: SEEDED.vpc,
        nicInfo: {
          vpcId: SEEDED.vpc,
          securityGroups: [],
          enterpriseSecurityGroups: ['esg-9pmkwq3rt2ab', 'esg-4hx8nvd2kfe7'],
        },
      },
    })
  })

  it('leaves the field out for an instance without enterprise groups', async () => {
    const answer = (await detail(SEEDED.instance)) as { instance: { nicInfo: object } }
    expect(answer.instance.nicInfo).toEqual({
      vpcId: SEEDED.vpc,
      securityGroups: [SEEDED.defaultGroup],
    })
  })
})
