import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../../emulator/index.js'
import { groupBody, SEEDED, startTestEmulator } from '../support/bccEmulator.js'
import { SECRET_STRINGS, TEST_CREDENTIALS, TEST_STS_CREDENTIALS } from '../support/credentials.js'
import { type RawResponse, sendRaw } from '../support/rawHttp.js'
import { type Call, type KeyPair, signedCall } from '../support/signedCall.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startTestEmulator()
})
afterAll(() => emulator.close())

describe('secrets never leave the emulator', () => {
  it('not in the request log nor in any answer, whatever the outcome', async () => {
    const authorizations: string[] = []
    const responses: RawResponse[] = []
    const send = async (
      call: Call,
      credentials: KeyPair,
      change?: (h: Record<string, string>) => void,
    ) => {
      responses.push(
        await signedCall(emulator.url, call, {
          credentials,
          tamper: ({ headers }) => {
            change?.(headers)
            if (headers.authorization) authorizations.push(headers.authorization)
          },
        }),
      )
    }
    const bind: Call = {
      method: 'PUT',
      path: `/v2/instance/${SEEDED.instance}`,
      query: { bind: '', authorization: 'query-signature-must-not-be-logged' },
      body: groupBody(SEEDED.group),
    }
    const read: Call = { method: 'GET', path: `/v2/instance/${SEEDED.instance}` }

    await send(bind, TEST_STS_CREDENTIALS)
    await send(read, TEST_CREDENTIALS)
    await send(read, {
      ...TEST_STS_CREDENTIALS,
      sessionToken: `${TEST_STS_CREDENTIALS.sessionToken}x`,
    })
    await send(read, { ...TEST_CREDENTIALS, secretAccessKey: TEST_STS_CREDENTIALS.secretAccessKey })
    await send(read, TEST_CREDENTIALS, (headers) => {
      headers.authorization = `${headers.authorization}/${TEST_CREDENTIALS.secretAccessKey}`
    })
    await send({ method: 'GET', path: '/v2/nothing' }, TEST_STS_CREDENTIALS)
    emulator.setFaults([{ count: 1, action: { kind: 'status', status: 503 } }])
    await send(read, TEST_STS_CREDENTIALS)
    responses.push(await sendRaw(emulator.url, { method: 'GET', target: '/__emulator/requests' }))

    const statuses = responses.map((response) => response.status)
    expect(statuses).toEqual([200, 200, 403, 400, 400, 404, 503, 200])
    const everything = [
      JSON.stringify(emulator.requests()),
      ...responses.map((response) => response.body + JSON.stringify(response.headers)),
    ].join('\n')
    for (const secret of [
      ...SECRET_STRINGS,
      ...authorizations,
      'query-signature-must-not-be-logged',
    ]) {
      expect(everything).not.toContain(secret)
    }
  })
})
