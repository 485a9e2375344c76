import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createHttpHandler } from '../../lib/handlers/httpHandler.js'
import type { HttpResult } from '../../lib/middleware/httpEvent.js'
import { type FunctionHarness, startFunctionHarness } from '../support/functionHarness.js'
import { captureOutput, lambdaContext, signedHttpEvent } from '../support/lambda.js'

/** The headers of the webhook's error answers: `Retry-After` on a 503, `Allow` on a 405. */

const BIND = { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' }

let harness: FunctionHarness
beforeAll(async () => {
  harness = await startFunctionHarness('http')
})
afterAll(() => harness.close())
beforeEach(() => harness.fresh())

async function invoke(event: unknown): Promise<HttpResult> {
  const handler = createHttpHandler(harness.runtime)
  return (
    await captureOutput(() => handler(event as never, lambdaContext()) as Promise<HttpResult>)
  ).result
}

describe('http function: answer headers', () => {
  it.each([
    ['23 nines', '99999999999999999999999', '3600'],
    ['400 nines (Infinity as a number)', '9'.repeat(400), '3600'],
    ['3601', '3601', '3600'],
    ['a date a century ahead', 'Sun, 29 Nov 2126 03:00:00 GMT', '3600'],
    ['120', '120', '120'],
  ])(
    "answers BCC's Retry-After of %s as %j: whole seconds, at most an hour",
    async (_what, asked, ours) => {
      harness.emulator.setFaults([
        { action: { kind: 'status', status: 503, code: 'ServiceUnavailable', retryAfter: asked } },
      ])
      const response = await invoke(signedHttpEvent('http-api-v2.json', BIND))

      expect(response.statusCode).toBe(503)
      expect(response.headers['retry-after']).toBe(ours)
    },
  )

  it.each(['GET', 'PUT', 'DELETE'])('answers %s with 405 and Allow: POST', async (method) => {
    const event = signedHttpEvent('http-api-v2.json', BIND) as unknown as {
      requestContext: { http: { method: string } }
    }
    event.requestContext.http.method = method
    const response = await invoke(event)

    expect(response.statusCode).toBe(405)
    expect(response.headers.allow).toBe('POST')
  })
})
