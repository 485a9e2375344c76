import { connect } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/index.js'
import { groupBody, SEEDED, startTestEmulator } from '../support/bccEmulator.js'
import { expectBceError, expectBceHeaders } from '../support/bceExpectations.js'
import { TEST_CREDENTIALS } from '../support/credentials.js'
import { jsonOf, type RawResponse, sendRaw } from '../support/rawHttp.js'
import { type Call, signedCall } from '../support/signedCall.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(() => emulator.close())
beforeEach(() => {
  emulator.reset()
})

const send = (call: Call, on: Emulator = emulator) =>
  signedCall(on.url, call, { credentials: TEST_CREDENTIALS, signer: 'ours' })

const put = (instanceId: string, action: 'bind' | 'unbind', body: string): Call => ({
  method: 'PUT',
  path: `/v2/instance/${instanceId}`,
  query: { [action]: '' },
  body,
})
const bind = (instanceId: string, group: string) => put(instanceId, 'bind', groupBody(group))
const unbind = (instanceId: string, group: string) => put(instanceId, 'unbind', groupBody(group))
const list = (query: Record<string, string>): Call => ({
  method: 'GET',
  path: '/v2/securityGroup',
  query,
})

const groupsOf = (instanceId: string, on: Emulator = emulator) =>
  on.state().instances.find((instance) => instance.id === instanceId)?.securityGroupIds

/** Sends, asserts the BCE error, and that the state did not change. */
async function expectRefusal(call: Call, status: number, code: string, on: Emulator = emulator) {
  const before = on.state()
  const response = await send(call, on)
  expectBceError(response, status, code)
  expect(on.state()).toEqual(before)
  return response
}

describe('bind', () => {
  it('binds a group of another VPC: BCC publishes no rule against it', async () => {
    const response = await send(bind(SEEDED.instance, SEEDED.otherVpcGroup))
    expect(response.status).toBe(200)
    expect(groupsOf(SEEDED.instance)).toEqual([SEEDED.defaultGroup, SEEDED.otherVpcGroup])
  })

  it('binds a tenth group', async () => {
    await send(bind(SEEDED.twoGroups, SEEDED.otherVpcGroup))
    expect(groupsOf(SEEDED.twoGroups)).toHaveLength(3)
  })

  it.each([
    ['text that is not JSON', 'securityGroupId=g-nky7qeom', 'MalformedJSON'],
    ['an empty body', '', 'MalformedJSON'],
    ['a number for securityGroupId', '{"securityGroupId":5}', 'InappropriateJSON'],
    ['no securityGroupId', '{"groupId":"g-nky7qeom"}', 'InappropriateJSON'],
    ['a JSON array', '["g-nky7qeom"]', 'InappropriateJSON'],
    ['JSON null', 'null', 'InappropriateJSON'],
  ])('refuses %s: 400 %s', async (_what, body, code) => {
    await expectRefusal(put(SEEDED.instance, 'bind', body), 400, code)
  })

  it('refuses an expired instance: 403 SecurityGroup.ExpiredInstanceForbiddenBind', async () => {
    await expectRefusal(
      bind(SEEDED.expired, SEEDED.group),
      403,
      'SecurityGroup.ExpiredInstanceForbiddenBind',
    )
  })

  it('refuses an 11th group: 413 SecurityGroup.BindInstanceExceededLimit', async () => {
    await expectRefusal(
      bind(SEEDED.full, SEEDED.group),
      413,
      'SecurityGroup.BindInstanceExceededLimit',
    )
  })

  it('refuses an unknown instance or group: 404 NoSuchObject', async () => {
    const instance = await expectRefusal(bind('i-NotThere', SEEDED.group), 404, 'NoSuchObject')
    const group = await expectRefusal(bind(SEEDED.instance, 'g-notthere'), 404, 'NoSuchObject')
    expect(jsonOf(instance)).toMatchObject({ message: expect.stringContaining('i-NotThere') })
    expect(jsonOf(group)).toMatchObject({ message: expect.stringContaining('g-notthere') })
  })
})

describe('duplicate bind', () => {
  it("mode 'ok' (the default): 200 and nothing changes", async () => {
    const before = emulator.state()
    const response = await send(bind(SEEDED.twoGroups, SEEDED.group))
    expect(response.status).toBe(200)
    expect(emulator.state()).toEqual(before)
  })

  it("mode 'error': 400 SecurityGroup.AlreadyBound by default", async () => {
    const strict = await startTestEmulator({ duplicateBind: { mode: 'error' } })
    try {
      await expectRefusal(
        bind(SEEDED.twoGroups, SEEDED.group),
        400,
        'SecurityGroup.AlreadyBound',
        strict,
      )
    } finally {
      await strict.close()
    }
  })

  it("mode 'error' with the status and code the caller chose", async () => {
    const strict = await startTestEmulator({
      duplicateBind: { mode: 'error', status: 409, code: 'SecurityGroup.Duplicated' },
    })
    try {
      await expectRefusal(
        bind(SEEDED.twoGroups, SEEDED.group),
        409,
        'SecurityGroup.Duplicated',
        strict,
      )
    } finally {
      await strict.close()
    }
  })
})

describe('unbind', () => {
  it('unbinds', async () => {
    expect((await send(unbind(SEEDED.twoGroups, SEEDED.defaultGroup))).status).toBe(200)
    expect(groupsOf(SEEDED.twoGroups)).toEqual([SEEDED.group])
  })

  it('unbinds from an expired instance: only bind is refused in BCC docs', async () => {
    await send(bind(SEEDED.twoGroups, SEEDED.otherVpcGroup))
    const state = emulator.state()
    const expired = state.instances.find((each) => each.id === SEEDED.expired)
    if (expired) expired.securityGroupIds.push(SEEDED.group)
    emulator.reset(state)

    expect((await send(unbind(SEEDED.expired, SEEDED.group))).status).toBe(200)
    expect(groupsOf(SEEDED.expired)).toEqual([SEEDED.defaultGroup])
  })

  it('answers 200 and changes nothing for a group that is not bound', async () => {
    const before = emulator.state()
    expect((await send(unbind(SEEDED.instance, SEEDED.group))).status).toBe(200)
    expect(emulator.state()).toEqual(before)
  })

  it('refuses to remove the last group: 403 SecurityGroup.NoSecurityGroup', async () => {
    await expectRefusal(
      unbind(SEEDED.instance, SEEDED.defaultGroup),
      403,
      'SecurityGroup.NoSecurityGroup',
    )
  })

  it('refuses an unknown instance or group: 404 NoSuchObject', async () => {
    await expectRefusal(unbind('i-NotThere', SEEDED.group), 404, 'NoSuchObject')
    await expectRefusal(unbind(SEEDED.instance, 'g-notthere'), 404, 'NoSuchObject')
  })

  it('refuses a body without securityGroupId: 400 InappropriateJSON', async () => {
    await expectRefusal(put(SEEDED.instance, 'unbind', '{}'), 400, 'InappropriateJSON')
  })
})

describe('instance detail', () => {
  it('refuses an unknown instance: 404 NoSuchObject', async () => {
    await expectRefusal({ method: 'GET', path: '/v2/instance/i-NotThere' }, 404, 'NoSuchObject')
  })

  it('shows an expired instance', async () => {
    const response = await send({ method: 'GET', path: `/v2/instance/${SEEDED.expired}` })
    expect(jsonOf(response)).toMatchObject({ instance: { status: 'Expired' } })
  })
})

describe('GET /v2/securityGroup', () => {
  const walk = async (query: Record<string, string>) => {
    const pages: unknown[] = []
    let marker: string | undefined
    do {
      const response = await send(list({ ...query, ...(marker ? { marker } : {}) }))
      expect(response.status).toBe(200)
      const page = jsonOf(response) as { nextMarker?: string }
      pages.push(page)
      marker = page.nextMarker
    } while (marker !== undefined)
    return pages
  }

  it('pages through an instance’s groups with marker, maxKeys, isTruncated and nextMarker', async () => {
    const pages = await walk({ instanceId: SEEDED.full, maxKeys: '4' })

    expect(pages).toHaveLength(3)
    expect(pages[0]).toMatchObject({
      marker: '',
      isTruncated: true,
      nextMarker: 'g-full0003',
      maxKeys: 4,
    })
    expect(pages[1]).toMatchObject({
      marker: 'g-full0003',
      isTruncated: true,
      nextMarker: 'g-full0007',
    })
    expect(pages[2]).toMatchObject({ marker: 'g-full0007', isTruncated: false, maxKeys: 4 })
    expect(pages[2]).not.toHaveProperty('nextMarker')
    const ids = pages.flatMap((page) =>
      (page as { securityGroups: { id: string }[] }).securityGroups.map((group) => group.id),
    )
    expect(ids.sort()).toEqual([...(groupsOf(SEEDED.full) ?? [])].sort())
  })

  it('lists the groups of a VPC, every documented field present', async () => {
    const [page] = await walk({ vpcId: SEEDED.otherVpcId })
    expect(page).toEqual({
      securityGroups: [
        {
          id: 'g-vpc2dflt',
          name: 'default',
          desc: '',
          vpcId: SEEDED.otherVpcId,
          createdTime: '2026-01-01T00:00:00Z',
          tags: [],
          rules: [],
        },
        expect.objectContaining({ id: SEEDED.otherVpcGroup }),
      ],
      marker: '',
      isTruncated: false,
      maxKeys: 1000,
    })
  })

  it('combines instanceId and vpcId', async () => {
    await send(bind(SEEDED.instance, SEEDED.otherVpcGroup))
    const [page] = await walk({ instanceId: SEEDED.instance, vpcId: SEEDED.otherVpcId })
    expect(page).toMatchObject({ securityGroups: [{ id: SEEDED.otherVpcGroup }] })
  })

  it.each([['0'], ['1001'], ['ten'], ['-1']])(
    'refuses maxKeys=%s: 400 InvalidHTTPRequest',
    async (maxKeys) => {
      await expectRefusal(list({ maxKeys }), 400, 'InvalidHTTPRequest')
    },
  )

  it('refuses a marker that is not in the listing: 400 InvalidHTTPRequest', async () => {
    await expectRefusal(
      list({ vpcId: SEEDED.otherVpcId, marker: SEEDED.group }),
      400,
      'InvalidHTTPRequest',
    )
  })

  it('refuses an unknown instanceId: 404 NoSuchObject', async () => {
    await expectRefusal(list({ instanceId: 'i-NotThere' }), 404, 'NoSuchObject')
  })
})

describe('requests the emulator does not serve', () => {
  it('an unknown path: 404 NoSuchObject', async () => {
    await expectRefusal({ method: 'GET', path: '/v2/instances' }, 404, 'NoSuchObject')
  })

  it('another API version: 404 InvalidVersion', async () => {
    await expectRefusal(
      { method: 'GET', path: `/v1/instance/${SEEDED.instance}` },
      404,
      'InvalidVersion',
    )
  })

  it('a method a path does not serve: 405 MethodNotAllowed with Allow', async () => {
    const instance = await expectRefusal(
      { method: 'DELETE', path: `/v2/instance/${SEEDED.instance}` },
      405,
      'MethodNotAllowed',
    )
    const listing = await expectRefusal(
      { method: 'POST', path: '/v2/securityGroup', body: '{}' },
      405,
      'MethodNotAllowed',
    )
    expect(instance.headers.allow).toBe('GET, PUT')
    expect(listing.headers.allow).toBe('GET')
  })

  it('a PUT on an instance without ?bind or ?unbind, or with both: 400 InvalidHTTPRequest', async () => {
    const body = groupBody(SEEDED.group)
    const path = `/v2/instance/${SEEDED.instance}`
    await expectRefusal(
      { method: 'PUT', path, query: { resize: '' }, body },
      400,
      'InvalidHTTPRequest',
    )
    await expectRefusal(
      { method: 'PUT', path, query: { bind: '', unbind: '' }, body },
      400,
      'InvalidHTTPRequest',
    )
  })

  it('a target that is not valid percent-encoding: 400 InvalidURI, logged unchecked', async () => {
    const response = await sendRaw(emulator.url, { method: 'GET', target: '/v2/instance/%E0%A4%A' })
    expectBceError(response, 400, 'InvalidURI')
    expect(emulator.requests().at(-1)).toMatchObject({
      path: '/v2/instance/%E0%A4%A',
      verdict: 'unchecked',
      status: 400,
    })
  })
})

describe('robustness', () => {
  it('answers 500 InternalError, and keeps serving, when its own code fails', async () => {
    const broken = await startTestEmulator({ clock: () => new Date(Number.NaN) })
    try {
      const response: RawResponse = await sendRaw(broken.url, {
        method: 'GET',
        target: '/v2/securityGroup',
      })
      expectBceError(response, 500, 'InternalError')
      expectBceError(
        await sendRaw(broken.url, { method: 'GET', target: '/' }),
        500,
        'InternalError',
      )
    } finally {
      await broken.close()
    }
  })

  it('answers 500 InternalError when something that is not an Error is thrown', async () => {
    const broken = await startTestEmulator({
      clock: () => {
        throw 'not an Error'
      },
    })
    try {
      const response = await sendRaw(broken.url, { method: 'GET', target: '/' })
      expectBceError(response, 500, 'InternalError')
      expect(jsonOf(response)).toMatchObject({ message: 'Emulator error: not an Error' })
    } finally {
      await broken.close()
    }
  })

  /** Writes raw bytes on a fresh connection and reads until the server hangs up. */
  const rawExchange = async (bytes: string) => {
    const socket = connect(Number(new URL(emulator.url).port), '127.0.0.1')
    socket.write(bytes)
    socket.end()
    let text = ''
    for await (const chunk of socket) text += String(chunk)
    return text
  }

  it('answers bytes that are not HTTP with a BCE error, not a bare 400', async () => {
    const text = await rawExchange('HELLO?\r\n\r\n')
    const [head = '', body = ''] = text.split('\r\n\r\n')

    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request')
    expect(head).toMatch(/\r\nx-bce-request-id: [0-9a-f-]{36}\r\n/)
    expect(head).toContain('\r\ncontent-type: application/json;charset=UTF-8\r\n')
    expect(JSON.parse(body)).toMatchObject({ code: 'InvalidHTTPRequest' })
  })

  it('refuses a request without a host header through authentication', async () => {
    const text = await rawExchange(
      `GET /v2/instance/${SEEDED.instance} HTTP/1.1\r\nconnection: close\r\n\r\n`,
    )
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request')
    expect(text).toContain('"code":"InvalidHTTPAuthHeader"')
  })

  it('ignores a client that leaves in the middle of its body', async () => {
    const before = emulator.requests().length
    const { port } = new URL(emulator.url)
    const socket = connect(Number(port), '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.write(
      `PUT /v2/instance/${SEEDED.instance}?bind HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"secu`,
    )
    await new Promise((resolve) => setImmediate(resolve))
    socket.destroy()

    const response = await send({ method: 'GET', path: `/v2/instance/${SEEDED.instance}` })
    expect(response.status).toBe(200)
    expectBceHeaders(response)
    expect(
      emulator
        .requests()
        .slice(before)
        .map((entry) => entry.method),
    ).toEqual(['GET'])
  })
})
