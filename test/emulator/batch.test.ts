import { createRequire } from 'node:module'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Emulator, Snapshot } from '../../emulator/index.js'
import { groupBody, SEEDED, startTestEmulator } from '../support/bccEmulator.js'
import { expectBceError, expectBceHeaders } from '../support/bceExpectations.js'
import { TEST_CREDENTIALS } from '../support/credentials.js'
import { jsonOf, type RawResponse, sendRaw } from '../support/rawHttp.js'
import { rejection } from '../support/rejection.js'
import { type Call, type SignedCallOptions, signedCall } from '../support/signedCall.js'

// The batch calls PUT /v2/securitygroup/bind and /unbind (both kinds of group, clientToken),
// signed by the official @baiducloud/sdk signer unless a test says otherwise.

/** Seeded enterprise ids (emulator/seed.json). */
const ENTERPRISE = {
  /** Running, one enterprise group (`defaultGroup`). */
  instance: 'i-Ent1Demo',
  /** Running, two enterprise groups (`defaultGroup`, `webGroup`). */
  twoGroups: 'i-Ent2Demo',
  defaultGroup: 'esg-9pmkwq3rt2ab',
  webGroup: 'esg-4hx8nvd2kfe7',
  /** Bound to no instance. */
  sshGroup: 'esg-7t2vcx5lm3qa',
} as const

let emulator: Emulator
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(() => emulator.close())
beforeEach(() => {
  emulator.reset()
  emulator.setFaults([])
})

const sdk: SignedCallOptions = { credentials: TEST_CREDENTIALS }
const send = (call: Call, options: SignedCallOptions = sdk) =>
  signedCall(emulator.url, call, options)

type Action = 'bind' | 'unbind'
interface BatchBody {
  instanceIds: string[]
  securityGroupIds: string[]
  securityGroupType: 'enterprise' | 'normal'
}
const enterprise = (instanceIds: string[], securityGroupIds: string[]): BatchBody => ({
  instanceIds,
  securityGroupIds,
  securityGroupType: 'enterprise',
})
const normal = (instanceIds: string[], securityGroupIds: string[]): BatchBody => ({
  instanceIds,
  securityGroupIds,
  securityGroupType: 'normal',
})
const batch = (action: Action, body: BatchBody | string, clientToken?: string): Call => ({
  method: 'PUT',
  path: `/v2/securitygroup/${action}`,
  query: clientToken === undefined ? {} : { clientToken },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

const instanceOf = (id: string, on: Emulator = emulator) =>
  on.state().instances.find((instance) => instance.id === id)
const enterpriseGroupsOf = (id: string) => instanceOf(id)?.enterpriseSecurityGroupIds
const groupsOf = (id: string) => instanceOf(id)?.securityGroupIds

/** A 200 with the body `{ requestId }`, the same id as the header's. */
function expectRequestIdAnswer(response: RawResponse) {
  expect(response.status).toBe(200)
  expectBceHeaders(response)
  expect(jsonOf(response)).toEqual({ requestId: response.headers['x-bce-request-id'] })
}

/** Sends, asserts the BCE error, and that the state did not change. */
async function expectRefusal(call: Call, status: number, code: string, on: Emulator = emulator) {
  const before = on.state()
  const response = await signedCall(on.url, call, sdk)
  expectBceError(response, status, code)
  expect(on.state()).toEqual(before)
  return response
}

/** Ten enterprise groups on one instance, an 11th free, and a regular instance beside it. */
const FULL_ENTERPRISE: Snapshot = {
  instances: [
    {
      id: 'i-EntFull0',
      status: 'Running',
      vpcId: 'vpc-a',
      securityGroupIds: [],
      enterpriseSecurityGroupIds: Array.from({ length: 10 }, (_, i) => `esg-full0000000${i}`),
    },
    {
      id: 'i-EntNine0',
      status: 'Running',
      vpcId: 'vpc-a',
      securityGroupIds: [],
      enterpriseSecurityGroupIds: Array.from({ length: 9 }, (_, i) => `esg-full0000000${i}`),
    },
    {
      id: 'i-EntExp00',
      status: 'Expired',
      vpcId: 'vpc-a',
      securityGroupIds: [],
      enterpriseSecurityGroupIds: ['esg-full00000000'],
    },
  ],
  securityGroups: [],
  enterpriseSecurityGroups: [
    ...Array.from({ length: 10 }, (_, i) => ({ id: `esg-full0000000${i}`, name: `f${i}` })),
    { id: 'esg-eleventh0000', name: 'eleventh' },
    { id: 'esg-twelfth00000', name: 'twelfth' },
  ],
}

describe('PUT /v2/securitygroup/bind', () => {
  it('binds an enterprise group: 200 {"requestId"}, and the instance detail shows it', async () => {
    const response = await send(
      batch('bind', enterprise([ENTERPRISE.instance], [ENTERPRISE.webGroup]), 'token-1'),
    )

    expectRequestIdAnswer(response)
    expect(enterpriseGroupsOf(ENTERPRISE.instance)).toEqual([
      ENTERPRISE.defaultGroup,
      ENTERPRISE.webGroup,
    ])
    const detail = await send({ method: 'GET', path: `/v2/instance/${ENTERPRISE.instance}` })
    expect(jsonOf(detail)).toMatchObject({
      instance: {
        nicInfo: {
          securityGroups: [],
          enterpriseSecurityGroups: [ENTERPRISE.defaultGroup, ENTERPRISE.webGroup],
        },
      },
    })
  })

  it('binds several groups to several instances in one call; an id listed twice counts once', async () => {
    const body = enterprise(
      [ENTERPRISE.instance, ENTERPRISE.twoGroups, ENTERPRISE.instance],
      [ENTERPRISE.sshGroup, ENTERPRISE.webGroup, ENTERPRISE.sshGroup],
    )
    expectRequestIdAnswer(await send(batch('bind', body)))

    expect(enterpriseGroupsOf(ENTERPRISE.instance)).toEqual([
      ENTERPRISE.defaultGroup,
      ENTERPRISE.sshGroup,
      ENTERPRISE.webGroup,
    ])
    // The web group was bound already (duplicate binds are accepted by default): skipped.
    expect(enterpriseGroupsOf(ENTERPRISE.twoGroups)).toEqual([
      ENTERPRISE.defaultGroup,
      ENTERPRISE.webGroup,
      ENTERPRISE.sshGroup,
    ])
  })

  it("binds regular groups with securityGroupType 'normal'", async () => {
    expectRequestIdAnswer(await send(batch('bind', normal([SEEDED.instance], [SEEDED.group]))))
    expect(groupsOf(SEEDED.instance)).toEqual([SEEDED.defaultGroup, SEEDED.group])
    expect(enterpriseGroupsOf(SEEDED.instance)).toEqual([])
  })

  it('answers 200 and changes nothing when every group is bound already', async () => {
    const before = emulator.state()
    const response = await send(
      batch('bind', enterprise([ENTERPRISE.twoGroups], [ENTERPRISE.webGroup])),
    )
    expectRequestIdAnswer(response)
    expect(emulator.state()).toEqual(before)
  })

  it("refuses a group bound already in duplicateBind 'error' mode, as the per-instance bind", async () => {
    const strict = await startTestEmulator({ duplicateBind: { mode: 'error' } })
    try {
      await expectRefusal(
        batch(
          'bind',
          enterprise([ENTERPRISE.instance], [ENTERPRISE.webGroup, ENTERPRISE.defaultGroup]),
        ),
        400,
        'SecurityGroup.AlreadyBound',
        strict,
      )
    } finally {
      await strict.close()
    }
  })

  it('refuses an unknown instance or group: 404 NoSuchObject, naming it', async () => {
    const instance = await expectRefusal(
      batch('bind', enterprise([ENTERPRISE.instance, 'i-NotThere'], [ENTERPRISE.webGroup])),
      404,
      'NoSuchObject',
    )
    const group = await expectRefusal(
      batch('bind', enterprise([ENTERPRISE.instance], [ENTERPRISE.webGroup, 'esg-notthere0000'])),
      404,
      'NoSuchObject',
    )
    expect(jsonOf(instance)).toMatchObject({ message: expect.stringContaining('i-NotThere') })
    expect(jsonOf(group)).toMatchObject({
      message: 'The enterprise security group esg-notthere0000 does not exist',
    })
  })

  it('refuses a group of the other kind than securityGroupType says: 404 NoSuchObject', async () => {
    await expectRefusal(
      batch('bind', enterprise([ENTERPRISE.instance], [SEEDED.group])),
      404,
      'NoSuchObject',
    )
    const response = await expectRefusal(
      batch('bind', normal([SEEDED.instance], [ENTERPRISE.webGroup])),
      404,
      'NoSuchObject',
    )
    expect(jsonOf(response)).toMatchObject({
      message: `The security group ${ENTERPRISE.webGroup} does not exist`,
    })
  })

  it('refuses an expired instance: 403 SecurityGroup.ExpiredInstanceForbiddenBind', async () => {
    await expectRefusal(
      batch('bind', normal([SEEDED.expired], [SEEDED.group])),
      403,
      'SecurityGroup.ExpiredInstanceForbiddenBind',
    )
    emulator.reset(FULL_ENTERPRISE)
    await expectRefusal(
      batch('bind', enterprise(['i-EntExp00'], ['esg-eleventh0000'])),
      403,
      'SecurityGroup.ExpiredInstanceForbiddenBind',
    )
  })

  it('refuses an 11th group of either kind: 413 SecurityGroup.BindInstanceExceededLimit', async () => {
    await expectRefusal(
      batch('bind', normal([SEEDED.full], [SEEDED.otherVpcGroup])),
      413,
      'SecurityGroup.BindInstanceExceededLimit',
    )
    emulator.reset(FULL_ENTERPRISE)
    await expectRefusal(
      batch('bind', enterprise(['i-EntFull0'], ['esg-eleventh0000'])),
      413,
      'SecurityGroup.BindInstanceExceededLimit',
    )
    // Nine plus one is ten: accepted; nine plus two is not.
    const two = await expectRefusal(
      batch('bind', enterprise(['i-EntNine0'], ['esg-eleventh0000', 'esg-twelfth00000'])),
      413,
      'SecurityGroup.BindInstanceExceededLimit',
    )
    expect(jsonOf(two)).toMatchObject({
      message:
        'The instance i-EntNine0 already has 9 security groups; 2 more would pass the limit of 10',
    })
    expectRequestIdAnswer(
      await send(batch('bind', enterprise(['i-EntNine0'], ['esg-eleventh0000']))),
    )
    expect(enterpriseGroupsOf('i-EntNine0')).toHaveLength(10)
  })

  it('refuses to mix kinds on an instance: 400 SecurityGroup.TypeConflict (ours), on every bind route', async () => {
    const toRegular = await expectRefusal(
      batch('bind', enterprise([SEEDED.instance], [ENTERPRISE.webGroup])),
      400,
      'SecurityGroup.TypeConflict',
    )
    expect(jsonOf(toRegular)).toMatchObject({
      message: `The instance ${SEEDED.instance} uses regular security groups; it cannot also use enterprise ones`,
    })
    const toEnterprise = await expectRefusal(
      batch('bind', normal([ENTERPRISE.instance], [SEEDED.group])),
      400,
      'SecurityGroup.TypeConflict',
    )
    expect(jsonOf(toEnterprise)).toMatchObject({
      message: `The instance ${ENTERPRISE.instance} uses enterprise security groups; it cannot also use regular ones`,
    })
    await expectRefusal(
      {
        method: 'PUT',
        path: `/v2/instance/${ENTERPRISE.instance}`,
        query: { bind: '' },
        body: groupBody(SEEDED.group),
      },
      400,
      'SecurityGroup.TypeConflict',
    )
  })

  it('is all or nothing: one refused instance, and no listed instance changes', async () => {
    const response = await expectRefusal(
      batch('bind', enterprise([ENTERPRISE.instance, SEEDED.instance], [ENTERPRISE.sshGroup])),
      400,
      'SecurityGroup.TypeConflict',
    )
    expect(jsonOf(response)).toMatchObject({ message: expect.stringContaining(SEEDED.instance) })
    expect(enterpriseGroupsOf(ENTERPRISE.instance)).toEqual([ENTERPRISE.defaultGroup])
  })

  it('checks instances in the order listed: the first refusal is the answer', async () => {
    emulator.reset(FULL_ENTERPRISE)
    const response = await expectRefusal(
      batch('bind', enterprise(['i-EntFull0', 'i-EntExp00'], ['esg-eleventh0000'])),
      413,
      'SecurityGroup.BindInstanceExceededLimit',
    )
    expect(jsonOf(response)).toMatchObject({ message: expect.stringContaining('i-EntFull0') })
  })

  it('knows no enterprise group in a state that has none', async () => {
    emulator.reset({
      instances: [
        { id: 'i-Small001', status: 'Running', vpcId: 'vpc-a', securityGroupIds: ['g-small001'] },
      ],
      securityGroups: [{ id: 'g-small001', name: 'only', vpcId: 'vpc-a' }],
    })
    const response = await expectRefusal(
      batch('bind', enterprise(['i-Small001'], [ENTERPRISE.webGroup])),
      404,
      'NoSuchObject',
    )
    expect(jsonOf(response)).toMatchObject({
      message: `The enterprise security group ${ENTERPRISE.webGroup} does not exist`,
    })
  })
})

describe('PUT /v2/securitygroup/unbind', () => {
  it('unbinds an enterprise group: 200 {"requestId"}', async () => {
    const response = await send(
      batch('unbind', enterprise([ENTERPRISE.twoGroups], [ENTERPRISE.webGroup]), 'token-1'),
    )
    expectRequestIdAnswer(response)
    expect(enterpriseGroupsOf(ENTERPRISE.twoGroups)).toEqual([ENTERPRISE.defaultGroup])
  })

  it("unbinds regular groups with securityGroupType 'normal', from an expired instance too", async () => {
    emulator.reset({
      ...emulator.state(),
      instances: emulator
        .state()
        .instances.map((instance) =>
          instance.id === SEEDED.expired
            ? { ...instance, securityGroupIds: [SEEDED.defaultGroup, SEEDED.group] }
            : instance,
        ),
    })
    const body = normal([SEEDED.twoGroups, SEEDED.expired], [SEEDED.group])
    expectRequestIdAnswer(await send(batch('unbind', body)))
    expect(groupsOf(SEEDED.twoGroups)).toEqual([SEEDED.defaultGroup])
    expect(groupsOf(SEEDED.expired)).toEqual([SEEDED.defaultGroup])
  })

  it('answers 200 and changes nothing for groups the instances do not have, of either kind', async () => {
    const before = emulator.state()
    expectRequestIdAnswer(
      await send(batch('unbind', enterprise([ENTERPRISE.instance], [ENTERPRISE.sshGroup]))),
    )
    expectRequestIdAnswer(
      await send(batch('unbind', enterprise([SEEDED.instance], [ENTERPRISE.defaultGroup]))),
    )
    expectRequestIdAnswer(
      await send(batch('unbind', normal([ENTERPRISE.instance], [SEEDED.defaultGroup]))),
    )
    expect(emulator.state()).toEqual(before)
  })

  it('refuses to remove the last group: 403 SecurityGroup.NoSecurityGroup', async () => {
    await expectRefusal(
      batch('unbind', enterprise([ENTERPRISE.instance], [ENTERPRISE.defaultGroup])),
      403,
      'SecurityGroup.NoSecurityGroup',
    )
    await expectRefusal(
      batch(
        'unbind',
        enterprise([ENTERPRISE.twoGroups], [ENTERPRISE.defaultGroup, ENTERPRISE.webGroup]),
      ),
      403,
      'SecurityGroup.NoSecurityGroup',
    )
    // All or nothing: i-Ent2Demo could lose one, i-Ent1Demo not its only one.
    await expectRefusal(
      batch(
        'unbind',
        enterprise([ENTERPRISE.twoGroups, ENTERPRISE.instance], [ENTERPRISE.defaultGroup]),
      ),
      403,
      'SecurityGroup.NoSecurityGroup',
    )
    await expectRefusal(
      batch('unbind', normal([SEEDED.instance], [SEEDED.defaultGroup])),
      403,
      'SecurityGroup.NoSecurityGroup',
    )
  })

  it('refuses an unknown instance or group: 404 NoSuchObject', async () => {
    const instance = await expectRefusal(
      batch('unbind', enterprise(['i-NotThere'], [ENTERPRISE.webGroup])),
      404,
      'NoSuchObject',
    )
    const group = await expectRefusal(
      batch('unbind', enterprise([ENTERPRISE.twoGroups], ['esg-notthere0000'])),
      404,
      'NoSuchObject',
    )
    expect(jsonOf(instance)).toMatchObject({ message: 'The instance i-NotThere does not exist' })
    expect(jsonOf(group)).toMatchObject({
      message: 'The enterprise security group esg-notthere0000 does not exist',
    })
  })

  it('the per-instance unbind serves regular groups only: an esg- id there is 404', async () => {
    const response = await expectRefusal(
      {
        method: 'PUT',
        path: `/v2/instance/${ENTERPRISE.twoGroups}`,
        query: { unbind: '' },
        body: groupBody(ENTERPRISE.webGroup),
      },
      404,
      'NoSuchObject',
    )
    expect(jsonOf(response)).toMatchObject({
      message: `The security group ${ENTERPRISE.webGroup} does not exist`,
    })
  })
})

describe('the batch calls refuse a bad request before anything else', () => {
  const valid = enterprise([ENTERPRISE.instance], [ENTERPRISE.webGroup])

  const malformed = (what: string, body: string) => [what, 'MalformedJSON', body, ''] as const
  const inappropriate = (what: string, body: object | null, field: string) =>
    [what, 'InappropriateJSON', JSON.stringify(body), field] as const

  it.each([
    malformed('text that is not JSON', 'instanceIds=i-Ent1Demo'),
    malformed('an empty body', ''),
    inappropriate('JSON null', null, '(root)'),
    inappropriate('no instanceIds', { ...valid, instanceIds: undefined }, 'instanceIds'),
    inappropriate(
      'an empty instanceIds',
      { ...valid, instanceIds: [] },
      'instanceIds: must list at least one instance',
    ),
    inappropriate(
      'a number among securityGroupIds',
      { ...valid, securityGroupIds: [1] },
      'securityGroupIds.0',
    ),
    inappropriate(
      'an empty securityGroupIds',
      { ...valid, securityGroupIds: [] },
      'securityGroupIds: must list at least one group',
    ),
    inappropriate(
      'no securityGroupType',
      { ...valid, securityGroupType: undefined },
      "securityGroupType: must be 'enterprise' or 'normal'",
    ),
    inappropriate(
      'another securityGroupType',
      { ...valid, securityGroupType: 'Enterprise' },
      'securityGroupType',
    ),
  ])('%s: 400 %s', async (_what, code, body, field) => {
    const response = await expectRefusal(batch('bind', body), 400, code)
    expect(jsonOf(response)).toMatchObject({ message: expect.stringContaining(field) })
    await expectRefusal(batch('unbind', body), 400, code)
  })

  it('ignores other fields of the body', async () => {
    expectRequestIdAnswer(await send(batch('bind', JSON.stringify({ ...valid, dryRun: true }))))
  })

  it.each([
    ['65 characters', 'x'.repeat(65)],
    ['a character that is not ASCII', 'tökén'],
    ['a control character', 'a\tb'],
  ])('refuses a clientToken of %s: 400 InvalidHTTPRequest', async (_what, token) => {
    const response = await expectRefusal(batch('bind', valid, token), 400, 'InvalidHTTPRequest')
    expect(jsonOf(response)).toMatchObject({
      message: 'clientToken must be 1 to 64 printable ASCII characters',
    })
  })

  it('serves PUT only: 405 MethodNotAllowed with Allow: PUT', async () => {
    for (const action of ['bind', 'unbind']) {
      const response = await expectRefusal(
        { method: 'POST', path: `/v2/securitygroup/${action}`, body: JSON.stringify(valid) },
        405,
        'MethodNotAllowed',
      )
      expect(response.headers.allow).toBe('PUT')
    }
  })
})

describe('clientToken', () => {
  const bindWeb = enterprise([ENTERPRISE.instance], [ENTERPRISE.webGroup])

  it('the same token and body again: the first answer’s requestId, and no second change', async () => {
    const first = await send(batch('bind', bindWeb, 'incident-42'))
    expectRequestIdAnswer(first)
    // Undo the bind behind the token's back: a second change would bind the group again.
    expectRequestIdAnswer(await send(batch('unbind', bindWeb)))

    const again = await send(batch('bind', bindWeb, 'incident-42'))

    expect(again.status).toBe(200)
    expectBceHeaders(again)
    expect(jsonOf(again)).toEqual({ requestId: first.headers['x-bce-request-id'] })
    expect(again.headers['x-bce-request-id']).not.toBe(first.headers['x-bce-request-id'])
    expect(enterpriseGroupsOf(ENTERPRISE.instance)).toEqual([ENTERPRISE.defaultGroup])
  })

  it('the same sets in another order, or an id repeated, are the same parameters', async () => {
    const body = enterprise(
      [ENTERPRISE.instance, ENTERPRISE.twoGroups],
      [ENTERPRISE.sshGroup, ENTERPRISE.webGroup],
    )
    const first = await send(batch('bind', body, 'same-sets'))
    const reordered = enterprise(
      [ENTERPRISE.twoGroups, ENTERPRISE.instance, ENTERPRISE.twoGroups],
      [ENTERPRISE.webGroup, ENTERPRISE.sshGroup],
    )
    const again = await send(batch('bind', reordered, 'same-sets'))
    expect(jsonOf(again)).toEqual({ requestId: first.headers['x-bce-request-id'] })
  })

  it('the same token with other parameters: 403 IdempotentParameterMismatch, nothing changes', async () => {
    expectRequestIdAnswer(await send(batch('bind', bindWeb, 'reused')))
    for (const other of [
      enterprise([ENTERPRISE.instance], [ENTERPRISE.sshGroup]),
      enterprise([ENTERPRISE.twoGroups], [ENTERPRISE.webGroup]),
      normal([ENTERPRISE.instance], [ENTERPRISE.webGroup]),
    ]) {
      await expectRefusal(batch('bind', other, 'reused'), 403, 'IdempotentParameterMismatch')
    }
  })

  it('is remembered per call: bind and unbind keep their own tokens', async () => {
    expectRequestIdAnswer(await send(batch('bind', bindWeb, 'shared-token')))
    const unbind = await send(
      batch('unbind', enterprise([ENTERPRISE.twoGroups], [ENTERPRISE.webGroup]), 'shared-token'),
    )
    expectRequestIdAnswer(unbind)
    expect(enterpriseGroupsOf(ENTERPRISE.twoGroups)).toEqual([ENTERPRISE.defaultGroup])
  })

  it('a refused call is not remembered: the same token then serves other parameters', async () => {
    await expectRefusal(
      batch('bind', enterprise([ENTERPRISE.instance], ['esg-notthere0000']), 'retry-me'),
      404,
      'NoSuchObject',
    )
    expectRequestIdAnswer(await send(batch('bind', bindWeb, 'retry-me')))
    expect(enterpriseGroupsOf(ENTERPRISE.instance)).toContain(ENTERPRISE.webGroup)
  })

  it('an empty clientToken is no token; 64 printable ASCII characters are one', async () => {
    expectRequestIdAnswer(await send(batch('bind', bindWeb, '')))
    expectRequestIdAnswer(
      await send(batch('bind', enterprise([ENTERPRISE.instance], [ENTERPRISE.sshGroup]), '')),
    )
    const longest = `${'a'.repeat(30)} :/+=~${'Z'.repeat(28)}`
    expect(longest).toHaveLength(64)
    expectRequestIdAnswer(await send(batch('unbind', bindWeb, longest)))
    await expectRefusal(
      batch('unbind', enterprise([ENTERPRISE.instance], [ENTERPRISE.sshGroup]), longest),
      403,
      'IdempotentParameterMismatch',
    )
  })

  it('a reset forgets every token', async () => {
    expectRequestIdAnswer(await send(batch('bind', bindWeb, 'before-reset')))
    emulator.reset()
    const other = enterprise([ENTERPRISE.instance], [ENTERPRISE.sshGroup])
    expectRequestIdAnswer(await send(batch('bind', other, 'before-reset')))
    expect(enterpriseGroupsOf(ENTERPRISE.instance)).toEqual([
      ENTERPRISE.defaultGroup,
      ENTERPRISE.sshGroup,
    ])
  })

  it('the request log shows the clientToken of every attempt', async () => {
    const before = emulator.requests().length
    await send(batch('bind', bindWeb, 'logged-1'))
    await send(batch('bind', bindWeb, 'logged-1'))
    await send(batch('unbind', bindWeb))

    expect(
      emulator
        .requests()
        .slice(before)
        .map(({ method, path, query, verdict, status }) => ({
          method,
          path,
          query,
          verdict,
          status,
        })),
    ).toEqual([
      {
        method: 'PUT',
        path: '/v2/securitygroup/bind',
        query: { clientToken: 'logged-1' },
        verdict: 'ok',
        status: 200,
      },
      {
        method: 'PUT',
        path: '/v2/securitygroup/bind',
        query: { clientToken: 'logged-1' },
        verdict: 'ok',
        status: 200,
      },
      { method: 'PUT', path: '/v2/securitygroup/unbind', query: {}, verdict: 'ok', status: 200 },
    ])
  })
})

describe('faults on the batch calls', () => {
  const bindWeb = enterprise([ENTERPRISE.instance], [ENTERPRISE.webGroup])

  it('reset-after: applied and dropped; the retry with the same token answers 200 and changes nothing', async () => {
    emulator.setFaults([
      { match: { path: '/v2/securitygroup/bind' }, count: 1, action: { kind: 'reset-after' } },
    ])
    await rejection(send(batch('bind', bindWeb, 'dropped')))
    expect(enterpriseGroupsOf(ENTERPRISE.instance)).toEqual([
      ENTERPRISE.defaultGroup,
      ENTERPRISE.webGroup,
    ])
    // Undo the bind behind the token's back: a second change would bind the group again.
    expectRequestIdAnswer(await send(batch('unbind', bindWeb)))

    const retry = await send(batch('bind', bindWeb, 'dropped'))

    expect(retry.status).toBe(200)
    expect(jsonOf(retry)).toEqual({ requestId: expect.any(String) })
    expect(jsonOf(retry)).not.toEqual({ requestId: retry.headers['x-bce-request-id'] })
    expect(enterpriseGroupsOf(ENTERPRISE.instance)).toEqual([ENTERPRISE.defaultGroup])
    expect(
      emulator
        .requests()
        .filter((entry) => entry.query.clientToken === 'dropped')
        .map((entry) => ({ status: entry.status, fault: entry.fault })),
    ).toEqual([
      { status: null, fault: [{ rule: 0, kind: 'reset-after' }] },
      { status: 200, fault: undefined },
    ])
  })

  it('a status fault matches the instances the body lists, and changes nothing', async () => {
    emulator.setFaults([
      { match: { instanceId: ENTERPRISE.twoGroups }, action: { kind: 'status', status: 503 } },
    ])
    const listed = enterprise([ENTERPRISE.instance, ENTERPRISE.twoGroups], [ENTERPRISE.sshGroup])
    await expectRefusal(batch('bind', listed), 503, 'ServiceUnavailable')
    // The rule does not fire for a call that does not list the instance.
    expectRequestIdAnswer(await send(batch('bind', bindWeb)))
    // Nor for a body that lists no instances the emulator can read.
    await expectRefusal(batch('bind', '{"instanceIds":"i-Ent2Demo"}'), 400, 'InappropriateJSON')
    await expectRefusal(batch('bind', 'i-Ent2Demo'), 400, 'MalformedJSON')
    expect(emulator.requests().at(-1)).not.toHaveProperty('fault')
  })

  it('truncated-json cuts the {"requestId"} of an applied call', async () => {
    emulator.setFaults([{ match: { method: 'PUT' }, action: { kind: 'truncated-json' } }])
    const response = await send(
      batch('unbind', enterprise([ENTERPRISE.twoGroups], [ENTERPRISE.webGroup])),
    )
    const whole = JSON.stringify({ requestId: response.headers['x-bce-request-id'] })
    expect(response.status).toBe(200)
    expect(response.body).toBe(whole.slice(0, Math.floor(whole.length / 2)))
    expect(enterpriseGroupsOf(ENTERPRISE.twoGroups)).toEqual([ENTERPRISE.defaultGroup])
  })

  it('rules set through the control API apply too', async () => {
    await sendRaw(emulator.url, {
      method: 'POST',
      target: '/__emulator/faults',
      body: JSON.stringify({
        rules: [
          {
            match: { pathPattern: '/v2/securitygroup/.*' },
            action: { kind: 'status', status: 429, retryAfter: 2 },
          },
        ],
      }),
    })
    const response = await expectRefusal(batch('unbind', bindWeb), 429, 'TooManyRequests')
    expect(response.headers['retry-after']).toBe('2')
  })
})

describe('signatures on the batch calls', () => {
  const bindWeb = enterprise([ENTERPRISE.instance], [ENTERPRISE.webGroup])

  it('accepts a call signed by our signer (lib/bce) as well', async () => {
    expectRequestIdAnswer(await send(batch('bind', bindWeb, 'ours'), { ...sdk, signer: 'ours' }))
  })

  it("accepts the SDK's own HTTP client (BccClient.sendRequest), clientToken and all", async () => {
    const require = createRequire(import.meta.url)
    const { BccClient } = require('@baiducloud/sdk') as {
      BccClient: new (
        config: object,
      ) => {
        sendRequest(method: string, path: string, args: object): Promise<{ body: unknown }>
      }
    }
    const client = new BccClient({
      endpoint: emulator.url,
      credentials: { ak: TEST_CREDENTIALS.accessKeyId, sk: TEST_CREDENTIALS.secretAccessKey },
    })

    const answer = await client.sendRequest('PUT', '/v2/securitygroup/bind', {
      params: { clientToken: 'sdk-client/1:a=b' },
      body: JSON.stringify(bindWeb),
    })

    expect(answer.body).toEqual({ requestId: expect.any(String) })
    expect(emulator.requests().at(-1)).toMatchObject({
      query: { clientToken: 'sdk-client/1:a=b' },
      verdict: 'ok',
      status: 200,
    })
    expect(enterpriseGroupsOf(ENTERPRISE.instance)).toContain(ENTERPRISE.webGroup)
  })

  it('refuses a clientToken changed after signing: 400 SignatureDoesNotMatch', async () => {
    const before = emulator.state()
    const response = await send(batch('bind', bindWeb, 'signed'), {
      ...sdk,
      tamper: ({ call }) => {
        call.query = { clientToken: 'changed' }
      },
    })
    expectBceError(response, 400, 'SignatureDoesNotMatch')
    expect(emulator.state()).toEqual(before)
  })

  it('refuses an unsigned call: 400 InvalidHTTPAuthHeader', async () => {
    const response = await sendRaw(emulator.url, {
      method: 'PUT',
      target: '/v2/securitygroup/unbind',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(bindWeb),
    })
    expectBceError(response, 400, 'InvalidHTTPAuthHeader')
  })
})
