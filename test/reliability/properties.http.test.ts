import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  lambdaContext,
  loadEvent,
  OTHER_WEBHOOK_SECRET,
  webhookHeaders,
} from '../support/lambda.js'
import { anyEvent, enveloped, PROPERTY_SEED, webhookBody } from './support/arbitraries.js'
import {
  describeSettled,
  drainRejections,
  FunctionBench,
  instanceOfCall,
  isGroupListing,
  watchUnhandledRejections,
} from './support/bench.js'
import { leaksIn } from './support/leaks.js'
import { httpVerdict, type WebhookFacts } from './support/oracle.js'
import { expectHttpAnswer } from './support/wellFormed.js'

const RUNS = 10_000

const SAMPLES = {
  'http-api-v2.json': loadEvent('http-api-v2.json'),
  'rest-api-v1.json': loadEvent('rest-api-v1.json'),
  'function-url.json': loadEvent('function-url.json'),
}
type Sample = keyof typeof SAMPLES

const AUTH = [
  'signed',
  'unsigned',
  'wrong-secret',
  'stale',
  'future',
  'forged',
  'tampered',
  'replayed',
] as const
type Auth = (typeof AUTH)[number]

const WEBHOOK_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const

type Spoiler = (event: Record<string, any>) => 'headers-gone' | undefined

/** Rare changes to the event itself, after signing. */
const spoilers = fc.constantFrom<Spoiler>(
  (event) => {
    event.body = 42
    return undefined
  },
  (event) => {
    event.body = null
    return undefined
  },
  (event) => {
    delete event.body
    return undefined
  },
  (event) => {
    delete event.httpMethod
    delete event.requestContext
    return undefined
  },
  (event) => {
    event.requestContext = 'POST'
    delete event.httpMethod
    return undefined
  },
  (event) => {
    event.headers = null
    return 'headers-gone'
  },
  (event) => {
    event.headers = Object.values(event.headers ?? {})
    return 'headers-gone'
  },
  (event) => {
    event.isBase64Encoded = 'true'
    return undefined
  },
  (event) => {
    event.extra = { nested: ['x'] }
    event.multiValueHeaders = { 'webhook-id': ['a', 'b'] }
    return undefined
  },
)

const webhookRecipe = fc.record({
  sample: fc.constantFrom(...(Object.keys(SAMPLES) as Sample[])),
  body: webhookBody,
  auth: fc.oneof(
    { weight: 14, arbitrary: fc.constant<Auth>('signed') },
    { weight: 1, arbitrary: fc.constantFrom(...AUTH) },
  ),
  skewSeconds: fc.integer({ min: 310, max: 30 * 86_400 }),
  forgedBody: webhookBody,
  tamper: fc.record({
    header: fc.constantFrom(...WEBHOOK_HEADERS),
    value: fc.option(fc.string({ unit: 'binary', maxLength: 40 }), { nil: undefined }),
  }),
  base64: fc.constantFrom(undefined, true, false),
  method: fc.oneof(
    { weight: 14, arbitrary: fc.constant('POST') },
    { weight: 1, arbitrary: fc.constantFrom('post', 'PoSt', 'GET', 'PUT', 'DELETE', '', ' POST') },
  ),
  headerCase: fc.constantFrom('lower', 'upper', 'title'),
  spoil: fc.oneof(
    { weight: 20, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: spoilers },
  ),
})
type WebhookRecipe = typeof webhookRecipe extends fc.Arbitrary<infer T> ? T : never

const inCase = (name: string, headerCase: string) =>
  headerCase === 'upper'
    ? name.toUpperCase()
    : headerCase === 'title'
      ? name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())
      : name

/**
 * The webhook a recipe describes, signed now (each run gets a fresh id and time), and what its
 * signature makes of it. `accepted` holds the ids this handler has already accepted.
 */
function buildWebhook(recipe: WebhookRecipe, accepted: string[]) {
  const event = structuredClone(SAMPLES[recipe.sample]) as Record<string, any>
  for (const name of Object.keys(event.headers)) {
    if (/^webhook-/i.test(name)) delete event.headers[name]
  }
  const replay = recipe.auth === 'replayed' && accepted.length > 0
  const id = replay ? accepted[recipe.skewSeconds % accepted.length] : undefined
  const skewMs = recipe.skewSeconds * 1000
  const signed = webhookHeaders(recipe.body, {
    ...(id === undefined ? {} : { id }),
    ...(recipe.auth === 'wrong-secret' ? { secret: OTHER_WEBHOOK_SECRET } : {}),
    ...(recipe.auth === 'stale' ? { at: new Date(Date.now() - skewMs) } : {}),
    ...(recipe.auth === 'future' ? { at: new Date(Date.now() + skewMs) } : {}),
  }) as Record<string, string | undefined>
  if (recipe.auth === 'tampered') {
    const { header, value } = recipe.tamper
    signed[header] = value === signed[header] ? `${value}x` : value
  }
  if (recipe.auth !== 'unsigned') {
    for (const [name, value] of Object.entries(signed)) {
      if (value !== undefined) event.headers[inCase(name, recipe.headerCase)] = value
    }
  }
  const sent =
    recipe.auth === 'forged' && recipe.forgedBody === recipe.body
      ? `${recipe.body} `
      : recipe.auth === 'forged'
        ? recipe.forgedBody
        : recipe.body
  const base64 = recipe.base64 ?? recipe.sample === 'function-url.json'
  event.body = base64 ? Buffer.from(sent).toString('base64') : sent
  event.isBase64Encoded = base64
  if (recipe.sample === 'rest-api-v1.json') {
    event.httpMethod = recipe.method
    event.requestContext.httpMethod = recipe.method
  } else {
    event.requestContext.http.method = recipe.method
  }
  const validlySigned = ['signed', 'forged', 'replayed'].includes(recipe.auth)
  const spoiled = recipe.spoil?.(event)
  const facts: WebhookFacts = {
    signedText: validlySigned && spoiled !== 'headers-gone' ? recipe.body : undefined,
    id: signed['webhook-id'],
    replayed: replay,
  }
  return { event, facts, signature: signed['webhook-signature'] }
}

/** Events that are not HTTP events, `null` included. */
const notAnHttpEvent = fc.oneof(
  anyEvent,
  enveloped,
  fc.constantFrom(null, loadEvent('sqs-standard.json'), loadEvent('eventbridge.json')),
)

const httpCase = fc.oneof(
  { weight: 15, arbitrary: webhookRecipe.map((recipe) => ({ recipe })) },
  { weight: 1, arbitrary: notAnHttpEvent.map((event) => ({ event })) },
)

let bench: FunctionBench
beforeAll(async () => {
  bench = await new FunctionBench('http').start()
})
afterAll(() => bench.close())

describe('http function: properties', () => {
  it(`answers ${RUNS.toLocaleString('en')} random, mutated and mis-signed events with a well-formed answer, never calls BCC for invalid or unauthenticated input, never leaks a secret`, async () => {
    const watch = watchUnhandledRejections()
    const seen = { valid: 0, unauthorized: 0, tooLarge: 0, otherRefusals: 0 }
    let accepted: string[] = []
    let generation = bench.generation
    try {
      await fc.assert(
        fc.asyncProperty(httpCase, async (testCase) => {
          if (bench.generation !== generation) {
            // A fresh handler has an empty replay cache.
            accepted = []
            generation = bench.generation
          }
          const built =
            'recipe' in testCase
              ? buildWebhook(testCase.recipe, accepted)
              : {
                  event: testCase.event,
                  facts: { signedText: undefined, id: undefined, replayed: false },
                  signature: undefined,
                }
          const verdict = httpVerdict(built.event, built.facts)
          const { settled, output, calls } = await bench.invoke(built.event, lambdaContext())

          expect(settled.ok).toBe(true)
          if (!settled.ok) return
          const request = 'request' in verdict ? verdict.request : undefined
          const code = expectHttpAnswer(settled.value, request)
          if ('refusal' in verdict) {
            expect(code).toBe(verdict.refusal)
            expect(calls).toEqual([])
            if (verdict.refusal === 'Unauthorized') seen.unauthorized++
            else if (verdict.refusal === 'PayloadTooLarge') seen.tooLarge++
            else seen.otherRefusals++
          } else {
            seen.valid++
            expect([
              'ValidationError',
              'Unauthorized',
              'MethodNotAllowed',
              'PayloadTooLarge',
            ]).not.toContain(code)
            expect(calls.length).toBeGreaterThan(0)
            for (const call of calls) {
              expect(call.verdict).toBe('ok')
              if (!isGroupListing(call)) {
                expect(instanceOfCall(call)).toBe(verdict.request.instanceId)
              }
            }
          }
          if (verdict.signatureAccepted && built.facts.id !== undefined) {
            accepted.push(built.facts.id)
          }
          const extra = built.signature === undefined ? [] : [built.signature]
          expect(leaksIn(output + describeSettled(settled), extra)).toEqual([])
          await bench.recycleWhenBusy()
        }),
        { numRuns: RUNS, seed: PROPERTY_SEED },
      )
      await drainRejections()
      expect(watch.rejections).toEqual([])
      expect(seen.valid).toBeGreaterThan(RUNS / 10)
      expect(seen.unauthorized).toBeGreaterThan(RUNS / 20)
      expect(seen.tooLarge).toBeGreaterThan(0)
      expect(seen.otherRefusals).toBeGreaterThan(RUNS / 10)
    } finally {
      watch.stop()
    }
  }, 240_000)
})
