import type { Emulator } from '../emulator/index.js'
import { createHttpTransport, createKeepAliveAgents } from '../lib/bcc/transport.js'
import { createQueueHandler } from '../lib/handlers/queueHandler.js'
import { createFunctionRuntime } from '../lib/runtime/functionRuntime.js'
import { localContext, sqsBatch } from '../local/events.js'
import { BATCH_BINDS, BENCH_BIND, functionEnv } from './fixtures.js'
import { type Figure, figure } from './report.js'
import { median, nowMs, quietly } from './stats.js'

const ROUNDS = 15
/** What the emulator adds to every call. */
const LATENCY_MS = 50

/**
 * Batch: a 10-record SQS batch through the queue function against an emulator that adds 50 ms
 * to every call, against one call (a 1-record batch through the same function), interleaved.
 */
export async function benchBatch(emulator: Emulator): Promise<Figure[]> {
  emulator.reset()
  emulator.setFaults([{ action: { kind: 'latency', ms: LATENCY_MS } }])
  try {
    return await quietly(async () => {
      const runtime = createFunctionRuntime('queue', functionEnv(emulator.url), {
        transport: createHttpTransport(createKeepAliveAgents()),
      })
      const handler = createQueueHandler(runtime)
      const kinds = { batch: BATCH_BINDS, one: [BENCH_BIND] } as const
      const timed = async (kind: keyof typeof kinds): Promise<number> => {
        const binds = kinds[kind]
        const event = sqsBatch(binds)
        const before = emulator.requests().at(-1)?.id ?? 0
        const start = nowMs()
        const result = await handler(event, localContext('bcc-sg-binder-bench', 60_000))
        const elapsed = nowMs() - start
        const calls = emulator.requests().filter((entry) => entry.id > before)
        if (result.batchItemFailures.length > 0 || calls.length !== binds.length) {
          throw new Error(`${kind}: ${JSON.stringify(result)} after ${calls.length} calls`)
        }
        return elapsed
      }
      // Warm up: the batch opens its ten connections here, not in a timed round.
      await timed('batch')
      await timed('one')
      const samples: Record<keyof typeof kinds, number[]> = { batch: [], one: [] }
      for (let round = 0; round < ROUNDS; round++) {
        const order: (keyof typeof kinds)[] = round % 2 === 0 ? ['batch', 'one'] : ['one', 'batch']
        for (const kind of order) samples[kind].push(await timed(kind))
      }
      return [
        figure({
          section: 'batch',
          name: `${BATCH_BINDS.length} records, +${LATENCY_MS} ms a call`,
          unit: 'ms',
          value: median(samples.batch),
          baseline: { name: 'one call', value: median(samples.one) },
          goal: { text: '<= 2x', on: 'ratio', bound: 'max', limit: 2 },
          samples: ROUNDS,
          note: `median of ${ROUNDS} interleaved rounds; one call is a 1-record batch`,
        }),
      ]
    })
  } finally {
    emulator.setFaults([])
  }
}
