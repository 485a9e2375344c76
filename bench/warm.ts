import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import type { Emulator } from '../emulator/index.js'
import {
  createHttpTransport,
  createKeepAliveAgents,
  type TransportAgents,
} from '../lib/bcc/transport.js'
import { createHttpHandler } from '../lib/handlers/httpHandler.js'
import { createFunctionRuntime } from '../lib/runtime/functionRuntime.js'
import { localContext } from '../local/events.js'
import { functionEnv, signedBindEvent } from './fixtures.js'
import { type Figure, figure } from './report.js'
import { median, nowMs, quietly } from './stats.js'

const ROUNDS = 10
const BINDS_PER_ROUND = 200
const WARM_UP_BINDS = 30
/** The sequential binds whose connections are counted. */
const COUNTED_BINDS = 100

type Mode = 'keep-alive' | 'new connection'
const MODES: readonly Mode[] = ['keep-alive', 'new connection']

const agentsFor = (mode: Mode): TransportAgents =>
  mode === 'keep-alive'
    ? createKeepAliveAgents()
    : { http: new HttpAgent({ keepAlive: false }), https: new HttpsAgent({ keepAlive: false }) }

/** The HTTP function as Lambda would hold it warm, over the given agents. */
function warmHandler(emulator: Emulator, agents: TransportAgents) {
  const runtime = createFunctionRuntime('http', functionEnv(emulator.url), {
    transport: createHttpTransport(agents),
  })
  const handler = createHttpHandler(runtime)
  return async (event: APIGatewayProxyEventV2): Promise<void> => {
    const result = await handler(event, localContext('bcc-sg-binder-bench', 30_000))
    if (result.statusCode !== 200) {
      throw new Error(`warm bind answered ${result.statusCode}: ${result.body}`)
    }
  }
}

/** Runs `count` sequential binds; each webhook is signed beforehand, outside the timing. */
async function sequentialBinds(
  call: (event: APIGatewayProxyEventV2) => Promise<void>,
  count: number,
): Promise<number> {
  const events = Array.from({ length: count }, () => signedBindEvent())
  const start = nowMs()
  for (const event of events) await call(event)
  return nowMs() - start
}

/** How many TCP connections the emulator saw for `count` sequential binds. */
async function connectionsFor(emulator: Emulator, mode: Mode): Promise<number> {
  const call = warmHandler(emulator, agentsFor(mode))
  const before = emulator.requests().at(-1)?.id ?? 0
  await sequentialBinds(call, COUNTED_BINDS)
  const calls = emulator.requests().filter((entry) => entry.id > before)
  if (calls.length !== COUNTED_BINDS) {
    throw new Error(`${COUNTED_BINDS} binds made ${calls.length} calls`)
  }
  return new Set(calls.map((entry) => entry.connectionId)).size
}

/**
 * Warm throughput of the HTTP function in this process against the emulator on loopback: binds
 * per second with the keep-alive agents against a new connection per call, in interleaved
 * rounds; and the connections opened by 100 sequential binds from a cold agent.
 */
export async function benchWarm(emulator: Emulator): Promise<Figure[]> {
  emulator.reset()
  return quietly(async () => {
    const connections = {
      keepAlive: await connectionsFor(emulator, 'keep-alive'),
      perCall: await connectionsFor(emulator, 'new connection'),
    }
    const calls = Object.fromEntries(
      MODES.map((mode) => [mode, warmHandler(emulator, agentsFor(mode))]),
    ) as Record<Mode, (event: APIGatewayProxyEventV2) => Promise<void>>
    for (const mode of MODES) await sequentialBinds(calls[mode], WARM_UP_BINDS)
    const rates: Record<Mode, number[]> = { 'keep-alive': [], 'new connection': [] }
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < MODES.length; k++) {
        const mode = MODES[(round + k) % MODES.length] as Mode
        const elapsedMs = await sequentialBinds(calls[mode], BINDS_PER_ROUND)
        rates[mode].push((BINDS_PER_ROUND * 1000) / elapsedMs)
      }
    }
    return [
      figure({
        section: 'warm throughput',
        name: 'sequential binds, keep-alive',
        unit: 'binds/s',
        value: median(rates['keep-alive']),
        baseline: { name: 'new connection per call', value: median(rates['new connection']) },
        samples: ROUNDS,
        note: `median of ${ROUNDS} interleaved rounds of ${BINDS_PER_ROUND} binds each`,
      }),
      figure({
        section: 'warm throughput',
        name: `connections for ${COUNTED_BINDS} binds`,
        unit: 'conn',
        value: connections.keepAlive,
        baseline: { name: 'new connection per call', value: connections.perCall },
        goal: { text: '1 connection', on: 'value', bound: 'max', limit: 1 },
        samples: 1,
        note: 'distinct connection ids in the emulator log, from a cold agent',
      }),
    ]
  })
}
