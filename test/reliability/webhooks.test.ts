import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createHttpHandler } from '../../lib/handlers/httpHandler.js'
import { createQueueHandler } from '../../lib/handlers/queueHandler.js'
import { createWorkflowHandler } from '../../lib/handlers/workflowHandler.js'
import type { HttpResult } from '../../lib/middleware/httpEvent.js'
import { createFunctionRuntime } from '../../lib/runtime/functionRuntime.js'
import { type LocalGateway, startLocalGateway } from '../../local/gateway.js'
import {
  type FunctionHarness,
  functionEnv,
  startFunctionHarness,
  TEST_SEED,
} from '../support/functionHarness.js'
import {
  captureOutput,
  lambdaContext,
  logLines,
  OTHER_WEBHOOK_SECRET,
  signedHttpEvent,
  TEST_WEBHOOK_SECRET,
  webhookHeaders,
} from '../support/lambda.js'
import { PROPERTY_SEED } from './support/arbitraries.js'
import { leaksIn } from './support/leaks.js'

/**
 * Forged, unsigned, stale, future, replayed and wrong-secret webhooks are all 401, and nothing is
 * bound: on the three event shapes, through the local gateway over HTTP, and for any one
 * character changed in a signed request.
 */

const BIND = { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' }
const BODY = JSON.stringify(BIND)
const SAMPLES = ['http-api-v2.json', 'rest-api-v1.json', 'function-url.json'] as const
type Sample = (typeof SAMPLES)[number]
/** Just past the library's 5-minute tolerance, and far past it. */
const PAST_TOLERANCE_MS = 5 * 60_000 + 10_000
const A_DAY_MS = 86_400_000

type WebhookEvent = ReturnType<typeof signedHttpEvent>

/** The header of `event` named `name` in any letter case. */
function headerKey(event: WebhookEvent, name: string): string {
  return Object.keys(event.headers).find((key) => key.toLowerCase() === name) as string
}

/** Cases built on a sample; each returns the events to send in order (the last must be 401). */
const REFUSED: [string, (sample: Sample) => WebhookEvent[]][] = [
  [
    'unsigned',
    (sample) => {
      const event = signedHttpEvent(sample, BIND)
      for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
        delete event.headers[headerKey(event, name)]
      }
      return [event]
    },
  ],
  [
    'without its signature only',
    (sample) => {
      const event = signedHttpEvent(sample, BIND)
      delete event.headers[headerKey(event, 'webhook-signature')]
      return [event]
    },
  ],
  [
    'forged: another body under a valid signature',
    (sample) => {
      const event = signedHttpEvent(sample, BIND)
      const forged = signedHttpEvent(sample, { ...BIND, instanceId: 'i-7Gx2kQpZ' })
      event.body = forged.body
      return [event]
    },
  ],
  [
    'forged: another webhook-id under a valid signature',
    (sample) => {
      const event = signedHttpEvent(sample, BIND)
      event.headers[headerKey(event, 'webhook-id')] = 'msg_forged'
      return [event]
    },
  ],
  [
    'forged: a timestamp moved by one second',
    (sample) => {
      const event = signedHttpEvent(sample, BIND)
      const key = headerKey(event, 'webhook-timestamp')
      event.headers[key] = String(Number(event.headers[key]) - 1)
      return [event]
    },
  ],
  [
    'forged: a signature made up',
    (sample) => {
      const event = signedHttpEvent(sample, BIND)
      event.headers[headerKey(event, 'webhook-signature')] =
        `v1,${Buffer.alloc(32, 7).toString('base64')}`
      return [event]
    },
  ],
  [
    'signed with the wrong secret',
    (sample) => [signedHttpEvent(sample, BIND, { secret: OTHER_WEBHOOK_SECRET })],
  ],
  [
    'stale (just past the 5-minute tolerance)',
    (sample) => [signedHttpEvent(sample, BIND, { at: new Date(Date.now() - PAST_TOLERANCE_MS) })],
  ],
  [
    'stale (a day old)',
    (sample) => [signedHttpEvent(sample, BIND, { at: new Date(Date.now() - A_DAY_MS) })],
  ],
  [
    'from the future (just past the tolerance)',
    (sample) => [signedHttpEvent(sample, BIND, { at: new Date(Date.now() + PAST_TOLERANCE_MS) })],
  ],
  [
    'from the future (a day ahead)',
    (sample) => [signedHttpEvent(sample, BIND, { at: new Date(Date.now() + A_DAY_MS) })],
  ],
]

/** Replays: the first event is accepted and binds, the replay is refused and binds nothing more. */
const REPLAYED: [string, (sample: Sample) => WebhookEvent[]][] = [
  [
    'replayed as it was',
    (sample) => {
      const event = signedHttpEvent(sample, BIND)
      return [structuredClone(event), event]
    },
  ],
  [
    'replayed with the same webhook-id, signed afresh',
    (sample) => {
      const id = `msg_replay_${sample}_${Date.now()}`
      return [signedHttpEvent(sample, BIND, { id }), signedHttpEvent(sample, BIND, { id })]
    },
  ],
  [
    'replayed with its headers in upper case and its body re-encoded',
    (sample) => {
      const event = signedHttpEvent(sample, BIND)
      const replay = structuredClone(event)
      for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
        const key = headerKey(replay, name)
        const value = replay.headers[key] as string
        delete replay.headers[key]
        replay.headers[name.toUpperCase()] = value
      }
      replay.isBase64Encoded = !event.isBase64Encoded
      replay.body = replay.isBase64Encoded ? Buffer.from(BODY).toString('base64') : BODY
      return [event, replay]
    },
  ],
]

describe.each(SAMPLES)('webhook authentication on %s', (sample) => {
  let harness: FunctionHarness
  let handler: ReturnType<typeof createHttpHandler>
  beforeAll(async () => {
    harness = await startFunctionHarness('http')
    handler = createHttpHandler(harness.runtime)
  })
  afterAll(() => harness.close())
  beforeEach(() => harness.fresh())

  const send = async (event: WebhookEvent) => {
    const { result, output } = await captureOutput(
      () => handler(event as never, lambdaContext()) as Promise<HttpResult>,
    )
    return { response: result, body: JSON.parse(result.body), output }
  }

  const expectRefused = (answer: Awaited<ReturnType<typeof send>>) => {
    expect(answer.response.statusCode).toBe(401)
    expect(answer.body).toEqual({
      error: {
        code: 'Unauthorized',
        message: expect.stringMatching(/^Webhook signature refused: /),
      },
    })
    const [line] = logLines(answer.output).filter((entry) => entry.message === 'bind outcome')
    expect(line).toMatchObject({ level: 'WARN', outcome: 'Unauthorized' })
    expect(leaksIn(answer.output + answer.response.body)).toEqual([])
  }

  it.each(REFUSED)(
    'refuses a webhook %s with 401, calls nothing and binds nothing',
    async (_what, build) => {
      const [event] = build(sample) as [WebhookEvent]
      expectRefused(await send(event))
      expect(harness.bceCalls()).toEqual([])
      expect(harness.emulator.state()).toEqual(TEST_SEED)
    },
  )

  it.each(REPLAYED)(
    'refuses a webhook %s with 401 and binds nothing more',
    async (_what, build) => {
      const [first, replay] = build(sample) as [WebhookEvent, WebhookEvent]
      expect((await send(first)).response.statusCode).toBe(200)
      const bound = harness.emulator.state()
      const callsBefore = harness.bceCalls().length

      const answer = await send(replay)
      expectRefused(answer)
      expect(answer.body.error.message).toBe(
        'Webhook signature refused: this webhook-id was already received',
      )
      expect(harness.bceCalls()).toHaveLength(callsBefore)
      expect(harness.emulator.state()).toEqual(bound)
    },
  )

  it('refuses any one character changed in a signed webhook (id, timestamp, signature or body): 500 runs', async () => {
    const part = fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature', 'body')
    const replacement = fc.oneof(
      fc.string({ minLength: 1, maxLength: 1 }),
      fc.constantFrom(' ', '\t', ',', '=', '0', '9', 'é', '😀', '\u0000'),
    )
    await fc.assert(
      fc.asyncProperty(part, fc.nat(), replacement, async (where, position, character) => {
        const event = signedHttpEvent(sample, BIND)
        const replace = (text: string) => {
          const at = position % text.length
          const changed = text.slice(0, at) + character + text.slice(at + 1)
          return changed === text ? `${text}${character}x` : changed
        }
        if (where === 'body') {
          const text = replace(BODY)
          event.body = event.isBase64Encoded ? Buffer.from(text).toString('base64') : text
        } else {
          const key = headerKey(event, where)
          event.headers[key] = replace(event.headers[key] as string)
        }
        const answer = await send(event)
        expect(answer.response.statusCode).toBe(401)
        expect(answer.body.error.code).toBe('Unauthorized')
      }),
      { numRuns: 500, seed: PROPERTY_SEED },
    )
    expect(harness.bceCalls()).toEqual([])
    expect(harness.emulator.state()).toEqual(TEST_SEED)
  })
})

describe('webhook authentication through the local gateway, over HTTP', () => {
  let harness: FunctionHarness
  let gateway: LocalGateway
  beforeAll(async () => {
    harness = await startFunctionHarness('http')
    const env = functionEnv(harness.emulator)
    gateway = await startLocalGateway({
      host: '127.0.0.1',
      port: 0,
      emulator: harness.emulator,
      report: () => undefined,
      handlers: {
        http: createHttpHandler(createFunctionRuntime('http', env)),
        queue: createQueueHandler(createFunctionRuntime('queue', env)),
        workflow: createWorkflowHandler(createFunctionRuntime('workflow', env)),
      },
    })
  })
  afterAll(async () => {
    await gateway.close()
    await harness.close()
  })
  beforeEach(() => harness.fresh())

  const post = (headers: Record<string, string>, body = BODY) =>
    captureOutput(async () => {
      const response = await fetch(`${gateway.url}/bindings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      })
      return { status: response.status, body: (await response.json()) as any }
    }).then(({ result }) => result)

  it.each([
    ['unsigned', () => ({})],
    [
      'forged (another body)',
      () => webhookHeaders(JSON.stringify({ ...BIND, instanceId: 'i-7Gx2kQpZ' })),
    ],
    ['signed with the wrong secret', () => webhookHeaders(BODY, { secret: OTHER_WEBHOOK_SECRET })],
    ['stale', () => webhookHeaders(BODY, { at: new Date(Date.now() - PAST_TOLERANCE_MS) })],
    [
      'from the future',
      () => webhookHeaders(BODY, { at: new Date(Date.now() + PAST_TOLERANCE_MS) }),
    ],
  ])('answers 401 to a %s request and binds nothing', async (_what, headers) => {
    const answer = await post(headers())
    expect(answer).toEqual({
      status: 401,
      body: { error: { code: 'Unauthorized', message: expect.any(String) } },
    })
    expect(harness.bceCalls()).toEqual([])
    expect(harness.emulator.state()).toEqual(TEST_SEED)
  })

  it('answers 401 to a replayed request and binds only once', async () => {
    const headers = webhookHeaders(BODY, { secret: TEST_WEBHOOK_SECRET })
    expect((await post(headers)).status).toBe(200)
    expect((await post(headers)).status).toBe(401)
    expect(harness.bceCalls().filter((call) => call.method === 'PUT')).toHaveLength(1)
    expect(harness.groupsOf('i-YufwpQAe')).toEqual(['g-4NxWoxeq', 'g-nky7qeom'])
  })
})
