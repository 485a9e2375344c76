import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lambdaContext, loadEvent } from '../support/lambda.js'
import {
  anyEvent,
  bindPayload,
  eventBridge,
  PROPERTY_SEED,
  sqsBatchRecipe,
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
import { isSqsEvent, validRequestInBody } from './support/oracle.js'
import { SQS_SAMPLE } from './support/triggers.js'
import { expectBatchAnswer, expectCatalogued } from './support/wellFormed.js'

const RUNS = 10_000

type BatchRecipe = typeof sqsBatchRecipe extends fc.Arbitrary<infer T> ? T : never

/** The SQS event a recipe describes, built on the sample record. */
function batchOf(recipe: BatchRecipe): unknown {
  const arn = `${SQS_SAMPLE.eventSourceARN}${recipe.fifo ? '.fifo' : ''}`
  const Records = recipe.records.map((record) => {
    const built: Record<string, unknown> = {
      ...SQS_SAMPLE,
      messageId: record.messageId,
      body: record.body,
      eventSourceARN: arn,
      attributes: {
        ...SQS_SAMPLE.attributes,
        ...(recipe.fifo && record.group !== undefined ? { MessageGroupId: record.group } : {}),
      },
    }
    return record.spoil === undefined ? built : record.spoil(built)
  })
  return recipe.spoil === undefined ? { Records } : recipe.spoil({ Records })
}

/** Events that are not SQS batches at all. */
const notABatch = fc.oneof(
  anyEvent,
  bindPayload,
  bindPayload.map(eventBridge),
  fc.constantFrom(
    loadEvent('http-api-v2.json'),
    loadEvent('eventbridge.json'),
    loadEvent('direct.json'),
  ),
)

const queueEvent = fc.oneof(
  { weight: 9, arbitrary: sqsBatchRecipe.map(batchOf) },
  { weight: 1, arbitrary: notABatch },
)

let bench: FunctionBench
beforeAll(async () => {
  // Without FAILURE_QUEUE_URL, so every failed record is reported and nothing calls AWS.
  bench = await new FunctionBench('queue').start()
})
afterAll(() => bench.close())

describe('queue function: properties', () => {
  it(`answers ${RUNS.toLocaleString('en')} random and mutated batches with well-formed batchItemFailures, never calls BCC for an invalid record, never leaks a secret`, async () => {
    const watch = watchUnhandledRejections()
    let validRecords = 0
    let invalidRecords = 0
    try {
      await fc.assert(
        fc.asyncProperty(queueEvent, async (event) => {
          const isBatch = isSqsEvent(event)
          const { settled, output, calls } = await bench.invoke(event, lambdaContext())
          expect(leaksIn(output + describeSettled(settled))).toEqual([])

          if (!isBatch) {
            // Not an SQS batch: the invocation fails, so SQS keeps the whole batch.
            expect(settled.ok).toBe(false)
            if (!settled.ok) expect(expectCatalogued(settled.error)).toBe('ValidationError')
            expect(calls).toEqual([])
            return
          }
          const { Records: records } = event as {
            Records: { messageId: string; body: string; eventSourceARN: string }[]
          }
          expect(settled.ok).toBe(true)
          if (!settled.ok) return
          const reported = expectBatchAnswer(
            settled.value,
            records.map((record) => record.messageId),
          )
          const requests = records.map((record) => validRequestInBody(record.body))
          const asked = new Set(requests.flatMap((request) => request?.instanceId ?? []))
          for (const call of calls) {
            expect(call.verdict).toBe('ok')
            if (!isGroupListing(call)) expect(asked).toContain(instanceOfCall(call))
          }
          records.forEach((record, index) => {
            if (requests[index] === undefined) {
              invalidRecords++
              expect(reported).toContain(record.messageId)
            } else {
              validRecords++
            }
          })
          // On a standard queue every valid record is tried (a FIFO group stops at a failure).
          if (!records.some((record) => record.eventSourceARN.endsWith('.fifo'))) {
            const called = new Set(
              calls.filter((call) => !isGroupListing(call)).map(instanceOfCall),
            )
            for (const instanceId of asked) expect(called).toContain(instanceId)
          }
          await bench.recycleWhenBusy()
        }),
        { numRuns: RUNS, seed: PROPERTY_SEED },
      )
      await drainRejections()
      expect(watch.rejections).toEqual([])
      expect(validRecords).toBeGreaterThan(RUNS / 10)
      expect(invalidRecords).toBeGreaterThan(RUNS / 10)
    } finally {
      watch.stop()
    }
  }, 240_000)
})
