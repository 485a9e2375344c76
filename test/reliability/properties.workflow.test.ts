import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lambdaContext, loadEvent } from '../support/lambda.js'
import {
  anyEvent,
  bindPayload,
  enveloped,
  eventBridge,
  PROPERTY_SEED,
} from './support/arbitraries.js'
import {
  describeSettled,
  drainRejections,
  FunctionBench,
  instanceOfCall,
  isGroupListing,
  watchUnhandledRejections,
} from './support/bench.js'
import { leaksIn } from './support/leaks.js'
import { validRequestIn } from './support/oracle.js'
import { expectCatalogued, expectSuccess } from './support/wellFormed.js'

const RUNS = 10_000

/** Events of other triggers, which a misrouted rule or a hand-made invocation may send. */
const otherTriggersEvents = fc.constantFrom(
  ...['http-api-v2.json', 'rest-api-v1.json', 'sqs-standard.json', 'sqs-sns-body.json'].map(
    (name) => loadEvent(name),
  ),
)

const workflowEvent = fc.oneof(
  { weight: 12, arbitrary: enveloped },
  { weight: 1, arbitrary: bindPayload.map(eventBridge) },
  { weight: 2, arbitrary: anyEvent },
  { weight: 1, arbitrary: otherTriggersEvents },
)

let bench: FunctionBench
beforeAll(async () => {
  bench = await new FunctionBench('workflow').start()
})
afterAll(() => bench.close())

describe('workflow function: properties', () => {
  it(`answers ${RUNS.toLocaleString('en')} random and mutated events with a success or a catalogued error, never calls BCC for invalid input, never leaks a secret`, async () => {
    const watch = watchUnhandledRejections()
    let valid = 0
    try {
      await fc.assert(
        fc.asyncProperty(workflowEvent, async (event) => {
          const request = validRequestIn(event)
          const { settled, output, calls } = await bench.invoke(event, lambdaContext())

          if (request === undefined) {
            expect(calls).toEqual([])
            expect(settled.ok).toBe(false)
            if (!settled.ok) expect(expectCatalogued(settled.error)).toBe('ValidationError')
          } else {
            valid++
            expect(calls.length).toBeGreaterThan(0)
            for (const call of calls) {
              expect(call.verdict).toBe('ok')
              if (!isGroupListing(call)) expect(instanceOfCall(call)).toBe(request.instanceId)
            }
            if (settled.ok) expectSuccess(settled.value, request)
            else expect(expectCatalogued(settled.error)).not.toBe('ValidationError')
          }
          expect(leaksIn(output + describeSettled(settled))).toEqual([])
          await bench.recycleWhenBusy()
        }),
        { numRuns: RUNS, seed: PROPERTY_SEED },
      )
      await drainRejections()
      expect(watch.rejections).toEqual([])
      // The generators must reach BCC often enough to mean something, and refuse often too.
      expect(valid).toBeGreaterThan(RUNS / 10)
      expect(valid).toBeLessThan(RUNS * 0.9)
    } finally {
      watch.stop()
    }
  }, 240_000)
})
