import { createRequire } from 'node:module'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/index.js'
import { createBccClient } from '../../lib/bcc/client.js'
import { groupBody, SEEDED, startTestEmulator } from '../support/bccEmulator.js'
import { expectBceError, expectBceHeaders } from '../support/bceExpectations.js'
import { TEST_CREDENTIALS, TEST_STS_CREDENTIALS } from '../support/credentials.js'
import { jsonOf, sendRaw } from '../support/rawHttp.js'
import {
  baseHeaders,
  type Call,
  ourAuthorization,
  queryString,
  type SignedCallOptions,
  signedCall,
} from '../support/signedCall.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(() => emulator.close())
beforeEach(() => {
  emulator.reset()
  emulator.setFaults([])
})

const bindCall = (instanceId: string = SEEDED.instance, group: string = SEEDED.group): Call => ({
  method: 'PUT',
  path: `/v2/instance/${instanceId}`,
  query: { bind: '' },
  body: groupBody(group),
})
const unbindCall = (instanceId: string, group: string): Call => ({
  method: 'PUT',
  path: `/v2/instance/${instanceId}`,
  query: { unbind: '' },
  body: groupBody(group),
})
const getCall = (instanceId: string = SEEDED.instance): Call => ({
  method: 'GET',
  path: `/v2/instance/${instanceId}`,
})
const listCall = (query: Record<string, string>): Call => ({
  method: 'GET',
  path: '/v2/securityGroup',
  query,
})

const sdk: SignedCallOptions = { credentials: TEST_CREDENTIALS }
const groupsOf = (instanceId: string) =>
  emulator.state().instances.find((instance) => instance.id === instanceId)?.securityGroupIds

describe('requests signed by the official @baiducloud/sdk signer', () => {
  it('bind: 200 without a body, and the group is bound', async () => {
    const response = await signedCall(emulator.url, bindCall(), sdk)

    expect(response.status).toBe(200)
    expect(response.body).toBe('')
    expectBceHeaders(response)
    expect(groupsOf(SEEDED.instance)).toEqual([SEEDED.defaultGroup, SEEDED.group])
  })

  it('unbind: 200, and the group is gone', async () => {
    const response = await signedCall(emulator.url, unbindCall(SEEDED.twoGroups, SEEDED.group), sdk)

    expect(response.status).toBe(200)
    expect(groupsOf(SEEDED.twoGroups)).toEqual([SEEDED.defaultGroup])
  })

  it('instance detail: the groups in instance.nicInfo.securityGroups', async () => {
    const response = await signedCall(emulator.url, getCall(SEEDED.twoGroups), sdk)

    expect(response.status).toBe(200)
    expectBceHeaders(response)
    expect(jsonOf(response)).toEqual({
      instance: {
        id: SEEDED.twoGroups,
        status: 'Running',
        vpcId: SEEDED.vpc,
        nicInfo: { vpcId: SEEDED.vpc, securityGroups: [SEEDED.defaultGroup, SEEDED.group] },
      },
    })
  })

  it('group listing, with its query signed', async () => {
    const response = await signedCall(
      emulator.url,
      listCall({ instanceId: SEEDED.twoGroups, maxKeys: '1' }),
      sdk,
    )

    expect(response.status).toBe(200)
    expect(jsonOf(response)).toMatchObject({
      securityGroups: [{ id: SEEDED.defaultGroup }],
      isTruncated: true,
      nextMarker: SEEDED.group,
      maxKeys: 1,
    })
  })

  it('temporary credentials: the session token in x-bce-security-token, signed', async () => {
    const response = await signedCall(emulator.url, bindCall(), {
      credentials: TEST_STS_CREDENTIALS,
    })

    expect(response.status).toBe(200)
    expect(emulator.requests().at(-1)?.signedHeaders).toContain('x-bce-security-token')
  })

  it('an explicit list of headers to sign', async () => {
    const response = await signedCall(emulator.url, bindCall(), {
      ...sdk,
      headersToSign: ['host', 'x-bce-date', 'content-type'],
    })

    expect(response.status).toBe(200)
    expect(emulator.requests().at(-1)?.signedHeaders).toEqual([
      'content-type',
      'host',
      'x-bce-date',
    ])
  })

  it("the SDK's own HTTP client (BccClient.sendRequest) is accepted too", async () => {
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

    await client.sendRequest('PUT', `/v2/instance/${SEEDED.instance}`, {
      params: { bind: '' },
      body: groupBody(SEEDED.group),
    })
    const detail = await client.sendRequest('GET', `/v2/instance/${SEEDED.instance}`, {})
    const listing = await client.sendRequest('GET', '/v2/securityGroup', {
      params: { vpcId: SEEDED.otherVpcId },
    })

    expect(detail.body).toMatchObject({
      instance: { nicInfo: { securityGroups: [SEEDED.defaultGroup, SEEDED.group] } },
    })
    expect(listing.body).toMatchObject({
      securityGroups: [{ id: 'g-vpc2dflt' }, { id: SEEDED.otherVpcGroup }],
    })
    expect(
      emulator
        .requests()
        .slice(-3)
        .map((entry) => entry.verdict),
    ).toEqual(['ok', 'ok', 'ok'])
  })
})

describe('requests signed by our client (lib/bcc)', () => {
  it('binds and reads the groups', async () => {
    const client = createBccClient({ endpoint: emulator.url, credentials: TEST_CREDENTIALS })

    await expect(client.bindSecurityGroup(SEEDED.instance, SEEDED.group)).resolves.toMatchObject({
      status: 200,
      requestId: expect.any(String),
    })
    await expect(client.getInstance(SEEDED.instance)).resolves.toMatchObject({
      value: expect.objectContaining({ securityGroups: [SEEDED.defaultGroup, SEEDED.group] }),
    })
  })

  it('with temporary credentials', async () => {
    const client = createBccClient({ endpoint: emulator.url, credentials: TEST_STS_CREDENTIALS })

    await expect(client.getInstance(SEEDED.instance)).resolves.toMatchObject({
      value: expect.objectContaining({ securityGroups: [SEEDED.defaultGroup] }),
    })
  })

  it('the empty // signed-header form (the default set) is accepted', async () => {
    const call = getCall()
    const signedAt = new Date()
    const headers = baseHeaders(emulator.url, call, signedAt, TEST_CREDENTIALS)
    const explicit = ourAuthorization(TEST_CREDENTIALS, call, headers, signedAt)
    const fields = explicit.split('/')
    fields[4] = ''
    const response = await sendRaw(emulator.url, {
      method: 'GET',
      target: call.path,
      headers: { ...headers, authorization: fields.join('/') },
    })

    expect(fields.join('/')).toMatch(/\/1800\/\/[0-9a-f]{64}$/)
    expect(response.status).toBe(200)
    expect(emulator.requests().at(-1)).toMatchObject({
      verdict: 'ok',
      signedHeaders: ['content-type', 'host', 'x-bce-date'],
    })
  })
})

describe('refused requests', () => {
  // Each refusal must leave the state alone and be logged with its reason.
  const expectRefused = async (
    response: Promise<Awaited<ReturnType<typeof signedCall>>>,
    status: number,
    code: string,
  ) => {
    const before = emulator.state()
    expectBceError(await response, status, code)
    expect(emulator.state()).toEqual(before)
    expect(emulator.requests().at(-1)).toMatchObject({ verdict: code, status })
  }

  it.each([
    [
      'path',
      (sent: { call: Call }) => {
        sent.call.path = '/v2/instance/i-YufwpQAf'
      },
    ],
    [
      'query key',
      (sent: { call: Call }) => {
        sent.call.query = { bine: '' }
      },
    ],
    [
      'query value',
      (sent: { call: Call }) => {
        sent.call.query = { bind: '', clientToken: 'b' }
      },
    ],
  ])('one changed byte in the %s: 400 SignatureDoesNotMatch', async (_what, tamper) => {
    const call = { ...bindCall(), query: { bind: '', clientToken: 'a' } }
    await expectRefused(
      signedCall(emulator.url, call, { ...sdk, tamper }),
      400,
      'SignatureDoesNotMatch',
    )
  })

  it('one changed byte in a signed header: 400 SignatureDoesNotMatch', async () => {
    await expectRefused(
      signedCall(emulator.url, bindCall(), {
        ...sdk,
        tamper: ({ headers }) => {
          headers['content-type'] = 'application/json; charset=utf-9'
        },
      }),
      400,
      'SignatureDoesNotMatch',
    )
  })

  it('one changed byte in the signature: 400 SignatureDoesNotMatch', async () => {
    await expectRefused(
      signedCall(emulator.url, bindCall(), {
        ...sdk,
        tamper: ({ headers }) => {
          const value = headers.authorization ?? ''
          const last = value.at(-1) === '0' ? '1' : '0'
          headers.authorization = value.slice(0, -1) + last
        },
      }),
      400,
      'SignatureDoesNotMatch',
    )
  })

  it('an x-bce- header added after signing: 400 SignatureDoesNotMatch', async () => {
    await expectRefused(
      signedCall(emulator.url, bindCall(), {
        ...sdk,
        tamper: ({ headers }) => {
          headers['x-bce-extra'] = 'sneaked in'
        },
      }),
      400,
      'SignatureDoesNotMatch',
    )
  })

  it('an unknown access key: 403 InvalidAccessKeyId', async () => {
    await expectRefused(
      signedCall(emulator.url, bindCall(), {
        credentials: {
          accessKeyId: 'AKunknown',
          secretAccessKey: TEST_CREDENTIALS.secretAccessKey,
        },
      }),
      403,
      'InvalidAccessKeyId',
    )
  })

  it('no Authorization header: 400 InvalidHTTPAuthHeader', async () => {
    await expectRefused(
      signedCall(emulator.url, bindCall(), {
        ...sdk,
        tamper: ({ headers }) => {
          delete headers.authorization
        },
      }),
      400,
      'InvalidHTTPAuthHeader',
    )
  })

  it('a garbled Authorization header: 400 InvalidHTTPAuthHeader', async () => {
    await expectRefused(
      signedCall(emulator.url, bindCall(), {
        ...sdk,
        tamper: ({ headers }) => {
          headers.authorization = `bce-auth-v2${(headers.authorization ?? '').slice(11)}`
        },
      }),
      400,
      'InvalidHTTPAuthHeader',
    )
  })

  it('host left out of the signed headers: 400 InvalidHTTPAuthHeader', async () => {
    await expectRefused(
      signedCall(emulator.url, bindCall(), { ...sdk, headersToSign: ['content-type'] }),
      400,
      'InvalidHTTPAuthHeader',
    )
    expect(emulator.requests().at(-1)?.signedHeaders).toEqual(['content-type', 'x-bce-date'])
  })

  it('temporary credentials without their session token: 403 InvalidAccessKeyId', async () => {
    const { sessionToken: _left, ...withoutToken } = TEST_STS_CREDENTIALS
    await expectRefused(
      signedCall(emulator.url, bindCall(), { credentials: withoutToken }),
      403,
      'InvalidAccessKeyId',
    )
  })

  it('temporary credentials with another session token: 403 InvalidAccessKeyId', async () => {
    await expectRefused(
      signedCall(emulator.url, bindCall(), {
        credentials: { ...TEST_STS_CREDENTIALS, sessionToken: 'another-token' },
      }),
      403,
      'InvalidAccessKeyId',
    )
  })

  it('authentication comes before routing: an unsigned request to an unknown path', async () => {
    const response = await sendRaw(emulator.url, { method: 'GET', target: '/nowhere' })
    expectBceError(response, 400, 'InvalidHTTPAuthHeader')
  })
})

describe('signature time, on the emulator clock', () => {
  const NOW = new Date('2026-11-29T03:00:00Z')
  const SECOND = 1000
  let clocked: Emulator
  beforeAll(async () => {
    clocked = await startTestEmulator({ clock: () => NOW })
  })
  afterAll(() => clocked.close())

  const at = (offsetSeconds: number) =>
    signedCall(clocked.url, getCall(), {
      ...sdk,
      signedAt: new Date(NOW.getTime() + offsetSeconds * SECOND),
    })

  it('accepts a signature up to its 1800 s expiration, and refuses it after', async () => {
    expect((await at(-1800)).status).toBe(200)
    expectBceError(await at(-1801), 400, 'RequestExpired')
  })

  it('accepts a signing time up to 900 s ahead of the clock, and refuses one further ahead', async () => {
    expect((await at(900)).status).toBe(200)
    expectBceError(await at(901), 400, 'RequestExpired')
  })

  it('logs the emulator clock', () => {
    expect(clocked.requests().every((entry) => entry.at === NOW.toISOString())).toBe(true)
  })

  it('maxFutureSkewSeconds changes the tolerance', async () => {
    const strict = await startTestEmulator({ clock: () => NOW, maxFutureSkewSeconds: 0 })
    try {
      const response = await signedCall(strict.url, getCall(), {
        ...sdk,
        signedAt: new Date(NOW.getTime() + SECOND),
      })
      expectBceError(response, 400, 'RequestExpired')
    } finally {
      await strict.close()
    }
  })
})

describe('query encoding', () => {
  it('decodes percent-encoded query values before checking the signature', async () => {
    const call = listCall({ vpcId: SEEDED.otherVpcId, marker: '' })
    const response = await signedCall(emulator.url, call, sdk)

    expect(queryString(call.query)).toBe(`?vpcId=${SEEDED.otherVpcId}&marker`)
    expect(response.status).toBe(200)
  })
})
