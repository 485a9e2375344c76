import autocannon from 'autocannon'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Snapshot } from '../../emulator/types.js'
import { createHttpHandler } from '../../lib/handlers/httpHandler.js'
import { createQueueHandler } from '../../lib/handlers/queueHandler.js'
import { createWorkflowHandler } from '../../lib/handlers/workflowHandler.js'
import type { HttpResult } from '../../lib/middleware/httpEvent.js'
import { createFunctionRuntime } from '../../lib/runtime/functionRuntime.js'
import { type LocalGateway, type LocalHandlers, startLocalGateway } from '../../local/gateway.js'
import {
  type FunctionHarness,
  functionEnv,
  startFunctionHarness,
} from '../support/functionHarness.js'
import { captureOutput, logLines, webhookHeaders } from '../support/lambda.js'
import { leaksIn } from './support/leaks.js'

/**
 * A few seconds of signed webhooks through the local gateway, each binding a pair no other
 * request binds: no errors, and BCC's state is exactly the seed plus the acknowledged bindings.
 */

const LOAD_SECONDS = 3
const CONNECTIONS = 4
const VPC = 'vpc-load00000001'
const DEFAULT_GROUP = 'g-default0'
/** Nine new groups and the default one: BCC's limit of 10 per instance, never passed. */
const GROUPS = Array.from({ length: 9 }, (_, index) => `g-load000${index}`)
const INSTANCES = Array.from(
  { length: 400 },
  (_, index) => `i-Load${String(index).padStart(4, '0')}`,
)
const PAIRS = INSTANCES.length * GROUPS.length

const SEED: Snapshot = {
  instances: INSTANCES.map((id) => ({
    id,
    status: 'Running',
    vpcId: VPC,
    securityGroupIds: [DEFAULT_GROUP],
  })),
  securityGroups: [DEFAULT_GROUP, ...GROUPS].map((id) => ({ id, name: id, vpcId: VPC })),
}

/** The k-th distinct (instance, group) pair. */
const pair = (k: number) => ({
  instanceId: INSTANCES[Math.floor(k / GROUPS.length)] as string,
  securityGroupId: GROUPS[k % GROUPS.length] as string,
})

let harness: FunctionHarness
let gateway: LocalGateway
/** Every answer the HTTP function gave, and how many invocations are still running. */
const answers: HttpResult[] = []
let running = 0

beforeAll(async () => {
  harness = await startFunctionHarness('http', { emulator: { seed: SEED } })
  const env = functionEnv(harness.emulator)
  const http = createHttpHandler(createFunctionRuntime('http', env))
  // The real chain, observed: its answers are what the gateway acknowledges.
  const observed = async (...args: Parameters<typeof http>) => {
    running++
    try {
      const answer = await http(...args)
      answers.push(answer)
      return answer
    } finally {
      running--
    }
  }
  gateway = await startLocalGateway({
    host: '127.0.0.1',
    port: 0,
    emulator: harness.emulator,
    report: () => undefined,
    handlers: {
      http: observed as unknown as LocalHandlers['http'],
      queue: createQueueHandler(createFunctionRuntime('queue', env)),
      workflow: createWorkflowHandler(createFunctionRuntime('workflow', env)),
    },
  })
})
afterAll(async () => {
  await gateway.close()
  await harness.close()
})

describe('load: signed webhooks through the local gateway', () => {
  it(`runs ${LOAD_SECONDS} s on ${CONNECTIONS} connections without an error, and BCC holds exactly the seed plus the acknowledged bindings`, async () => {
    let drawn = 0
    const readByClient: { status: number; body: string }[] = []
    const { result, output } = await captureOutput(async () => {
      const run = await autocannon({
        url: `${gateway.url}/bindings`,
        connections: CONNECTIONS,
        duration: LOAD_SECONDS,
        // Each request binds its own pair; stop before they run out (a few are drawn unsent).
        maxOverallRequests: PAIRS - 4 * CONNECTIONS,
        timeout: 20,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              const body = JSON.stringify(pair(drawn++))
              // A fresh webhook-id each: a repeated one is a replay (401).
              const headers = { 'content-type': 'application/json', ...webhookHeaders(body) }
              return { ...request, body, headers }
            },
            onResponse: (status, body) => {
              readByClient.push({ status, body })
            },
          },
        ],
      })
      // Requests in flight when the time was up are still answered: wait for them.
      await vi.waitFor(() => expect(running).toBe(0), { timeout: 20_000, interval: 20 })
      return run
    })

    expect(drawn).toBeLessThan(PAIRS)
    expect(result.errors).toBe(0)
    expect(result.timeouts).toBe(0)
    expect(result.non2xx).toBe(0)
    expect(result.resets).toBe(0)
    expect(result['2xx']).toBe(readByClient.length)
    expect(readByClient.length).toBeGreaterThan(0)
    expect(readByClient.every(({ status }) => status === 200)).toBe(true)

    // Every answer the function gave was a 200 `bound`, each for a pair of its own.
    expect(answers.map((answer) => answer.statusCode).filter((status) => status !== 200)).toEqual(
      [],
    )
    const acknowledged = answers.map((answer) => JSON.parse(answer.body))
    expect(acknowledged.every((outcome) => outcome.status === 'bound')).toBe(true)
    const key = (outcome: { instanceId: string; securityGroupId: string }) =>
      `${outcome.instanceId} ${outcome.securityGroupId}`
    const pairs = new Set(acknowledged.map(key))
    expect(pairs.size).toBe(acknowledged.length)
    for (const { body } of readByClient) expect(pairs).toContain(key(JSON.parse(body)))

    // BCC's state: the seed plus exactly the acknowledged bindings.
    const groupsOf = new Map(INSTANCES.map((id) => [id, [DEFAULT_GROUP]]))
    for (const outcome of acknowledged)
      groupsOf.get(outcome.instanceId)?.push(outcome.securityGroupId)
    const expected = {
      instances: SEED.instances.map((instance) => ({
        ...instance,
        securityGroupIds: [...(groupsOf.get(instance.id) ?? [])].sort(),
      })),
      securityGroups: SEED.securityGroups,
    }
    const state = harness.emulator.state()
    expect({
      ...state,
      instances: state.instances.map((instance) => ({
        ...instance,
        securityGroupIds: [...instance.securityGroupIds].sort(),
      })),
    }).toEqual(expected)
    // Every bind BCC received was signed and applied, and for an instance the function answered
    // for: at least one per acknowledged binding, and at most one per attempt the function
    // logged. Not exactly one each: an attempt that outlasts its timeout on a slow machine is
    // tried again, and BCC answers the repeated bind with success.
    const puts = harness.emulator.requests().filter((call) => call.method === 'PUT')
    expect(puts.every((call) => call.verdict === 'ok' && call.status === 200)).toBe(true)
    const countBy = (ids: string[]) => {
      const counts = new Map<string, number>()
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1)
      return counts
    }
    const putsPerInstance = countBy(puts.map((call) => call.path.split('/').at(-1) as string))
    const boundPerInstance = countBy(acknowledged.map((outcome) => outcome.instanceId))
    const attemptsPerInstance = new Map<string, number>()
    for (const line of logLines(output).filter((entry) => entry.message === 'bind outcome')) {
      const instanceId = line.instanceId as string
      attemptsPerInstance.set(
        instanceId,
        (attemptsPerInstance.get(instanceId) ?? 0) + (line.attempts as number),
      )
    }
    expect([...putsPerInstance.keys()].sort()).toEqual([...boundPerInstance.keys()].sort())
    for (const [instanceId, bound] of boundPerInstance) {
      const received = putsPerInstance.get(instanceId) ?? 0
      expect(received, instanceId).toBeGreaterThanOrEqual(bound)
      expect(received, instanceId).toBeLessThanOrEqual(attemptsPerInstance.get(instanceId) ?? 0)
    }

    expect(leaksIn(output)).toEqual([])
  }, 60_000)
})
