import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FaultRule } from '../../emulator/types.js'
import { DEFAULT_RETRY_POLICY } from '../../lib/bcc/retry.js'
import type { Trigger } from '../../lib/runtime/functionRuntime.js'
import { fakeTiming } from '../support/fakeTiming.js'
import { type FunctionHarness, startFunctionHarness } from '../support/functionHarness.js'
import { captureOutput, lambdaContext, logLines } from '../support/lambda.js'
import { virtualTime } from '../support/virtualTime.js'
import {
  type Expected,
  expectTableAnswer,
  FAILURE_QUEUE_URL,
  handlerFor,
  SQS_SAMPLE,
  sendThrough,
  TRIGGERS,
} from './support/triggers.js'

/**
 * Every fault the emulator injects, on every trigger: the outcome is the one the mapping table
 * gives, retries stop at the deadline, and a bind that was applied but whose answer was lost
 * ends `already-bound`.
 */

const BIND = { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' }
const ON_THE_BIND = { method: 'PUT' }
const MAX_ATTEMPTS = 4 // BCC_MAX_ATTEMPTS' default
/** The slow harness's attempt timeout, and a latency well past it. */
const SLOW_TIMEOUT_MS = 100
const SLOW_LATENCY_MS = 400
/**
 * When the latency passes, the answer after it must come within the attempt timeout, and a
 * loaded machine can stall a loopback call for 100 ms: the patient harness gives attempts 500 ms,
 * and its latency is still past that. Slowness only makes the late attempts later.
 */
const PATIENT_TIMEOUT_MS = 500
const PATIENT_LATENCY_MS = 700

const sqs = mockClient(SQSClient)
const sentToFailureQueue = () =>
  sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input)

/** The faults, each as a rule that fires on every matching call (`count` limits it later). */
const FAULTS = {
  '500': { action: { kind: 'status', status: 500 } },
  '502': { action: { kind: 'status', status: 502 } },
  '503': { action: { kind: 'status', status: 503 } },
  '504': { action: { kind: 'status', status: 504 } },
  '429 with Retry-After: 1': { action: { kind: 'status', status: 429, retryAfter: 1 } },
  RequestExpired: { action: { kind: 'status', status: 400, code: 'RequestExpired' } },
  'a reset before the state change': { action: { kind: 'reset-before' } },
  'a reset after the state change': { action: { kind: 'reset-after' } },
  'latency past the timeout': { action: { kind: 'latency', ms: SLOW_LATENCY_MS } },
  'an HTML 502 page': { action: { kind: 'html', status: 502 } },
  'truncated JSON under 503': { action: { kind: 'truncated-json', status: 503 } },
} as const satisfies Record<string, FaultRule>
type FaultName = keyof typeof FAULTS

const rule = (name: FaultName, extra: Omit<FaultRule, 'action'> = {}): FaultRule => ({
  ...extra,
  action: FAULTS[name].action,
})

type HarnessKind = 'standard' | 'slow' | 'patient' | 'deadline' | 'strictDuplicates'

interface Row {
  what: string
  rules: FaultRule[]
  harness?: HarnessKind
  expected: Expected
  /** Bind attempts (PUT) and reads (GET) BCC received. */
  puts: number
  gets: number
  /** Whether the group is bound afterwards (a latency or a reset-after does not stop BCC). */
  bound: boolean
  /** Exact backoff waits, when they are known (a Retry-After is waited exactly). */
  sleeps?: number[]
}

/** `BceUnavailable (BadGateway)`, `already-bound`: what a row expects, for test names. */
const label = (expected: Expected) =>
  'status' in expected
    ? expected.status
    : `${expected.error}${expected.bceCode === undefined ? '' : ` (${expected.bceCode})`}`

const unavailable = (bceCode?: string, retryAfter?: string): Expected => ({
  error: 'BceUnavailable',
  ...(bceCode === undefined ? {} : { bceCode }),
  ...(retryAfter === undefined ? {} : { retryAfter }),
})

/** Faults on every call until the attempts run out (then the read after the bind fails too). */
const PERSISTENT: Row[] = [
  {
    what: '500',
    rules: [rule('500')],
    expected: unavailable('InternalError'),
    puts: 4,
    gets: 1,
    bound: false,
  },
  {
    what: '502',
    rules: [rule('502')],
    expected: unavailable('BadGateway'),
    puts: 4,
    gets: 1,
    bound: false,
  },
  {
    what: '503',
    rules: [rule('503')],
    expected: unavailable('ServiceUnavailable'),
    puts: 4,
    gets: 1,
    bound: false,
  },
  {
    what: '504',
    rules: [rule('504')],
    expected: unavailable('GatewayTimeout'),
    puts: 4,
    gets: 1,
    bound: false,
  },
  {
    what: '429 with Retry-After: 1 (waited exactly, then given to the caller)',
    rules: [rule('429 with Retry-After: 1')],
    expected: unavailable('TooManyRequests', '1'),
    puts: 4,
    gets: 1,
    bound: false,
    sleeps: [1000, 1000, 1000],
  },
  {
    what: '429 with a Retry-After past the deadline (no wait, no retry)',
    rules: [{ action: { kind: 'status', status: 429, retryAfter: 120 } }],
    expected: unavailable('TooManyRequests', '120'),
    puts: 1,
    gets: 1,
    bound: false,
    sleeps: [],
  },
  {
    what: 'RequestExpired on every freshly signed attempt',
    rules: [rule('RequestExpired')],
    expected: { error: 'BceAuthFailed', bceCode: 'RequestExpired' },
    puts: 4,
    gets: 1,
    bound: false,
  },
  {
    what: 'a reset before the state change',
    rules: [rule('a reset before the state change')],
    expected: unavailable(),
    puts: 4,
    gets: 1,
    bound: false,
  },
  {
    what: 'a reset after the state change on the bind (applied, answer lost)',
    rules: [rule('a reset after the state change', { match: ON_THE_BIND })],
    expected: { status: 'already-bound' },
    puts: 4,
    gets: 1,
    bound: true,
  },
  {
    what: 'a reset after the state change on every call (applied, nothing readable)',
    rules: [rule('a reset after the state change')],
    expected: unavailable(),
    puts: 4,
    gets: 1,
    bound: true,
  },
  {
    what: 'latency past the timeout (BCC applies the bind late)',
    rules: [rule('latency past the timeout')],
    harness: 'slow',
    expected: { error: 'BceTimeout' },
    puts: 4,
    gets: 1,
    bound: true,
  },
  {
    what: 'an HTML 502 page (code guessed from the status)',
    rules: [rule('an HTML 502 page')],
    expected: unavailable('BadGateway'),
    puts: 4,
    gets: 1,
    bound: false,
  },
  {
    what: 'an HTML 503 page served as text/html',
    rules: [{ action: { kind: 'html', status: 503, contentType: 'text/html; charset=utf-8' } }],
    expected: unavailable('ServiceUnavailable'),
    puts: 4,
    gets: 1,
    bound: false,
  },
  {
    what: 'truncated JSON on a 2xx bind (applied)',
    rules: [{ match: ON_THE_BIND, action: { kind: 'truncated-json' } }],
    expected: { status: 'bound' },
    puts: 1,
    gets: 0,
    bound: true,
  },
  {
    what: 'truncated JSON under 500 on every call',
    rules: [{ action: { kind: 'truncated-json', status: 500 } }],
    expected: unavailable('InternalError'),
    puts: 4,
    gets: 1,
    bound: true,
  },
  {
    what: 'truncated JSON under 503 on the bind (applied, answer unreadable)',
    rules: [rule('truncated JSON under 503', { match: ON_THE_BIND })],
    expected: { status: 'already-bound' },
    puts: 4,
    gets: 1,
    bound: true,
  },
]

/** Three failed binds, then BCC answers: the fourth and last attempt binds. */
const TRANSIENT: Row[] = (Object.keys(FAULTS) as FaultName[]).map((name) => ({
  what: name,
  rules: [
    name === 'latency past the timeout'
      ? {
          match: ON_THE_BIND,
          count: MAX_ATTEMPTS - 1,
          action: { kind: 'latency', ms: PATIENT_LATENCY_MS },
        }
      : rule(name, { match: ON_THE_BIND, count: MAX_ATTEMPTS - 1 }),
  ],
  ...(name === 'latency past the timeout' ? { harness: 'patient' as const } : {}),
  expected: { status: 'bound' },
  puts: MAX_ATTEMPTS,
  gets: 0,
  bound: true,
  ...(name === '429 with Retry-After: 1' ? { sleeps: [1000, 1000, 1000] } : {}),
}))

/**
 * The deadline harness: 10 attempts allowed, backoff windows of 1 s doubling, a fixed random
 * of 0.5 (waits 500, 1000, 2000 ms, then cut to what is left), and 5 s remaining less the
 * default 1 s margin. Waits move a virtual clock, so the deadline comes through the backoff
 * without the test waiting for it.
 */
const DEADLINE = {
  env: { BCC_MAX_ATTEMPTS: '10', BCC_RETRY_BASE_MS: '1000', BCC_TIMEOUT_MS: '200' },
  remainingMs: 5_000,
  budgetMs: 4_000, // remaining less DEADLINE_MARGIN_MS (1000 by default)
  maxAttempts: 10,
  latencyMs: 600, // past the 200 ms attempt timeout
}
// Every call takes a little real time, as it does in Lambda, so the clock moves during attempts.
const ON_THE_WIRE: FaultRule = { action: { kind: 'latency', ms: 5 } }

const DEADLINE_FAULTS = (Object.keys(FAULTS) as FaultName[]).filter(
  (name) => name !== '429 with Retry-After: 1',
)

describe.each(TRIGGERS)('fault matrix: the %s function', (trigger: Trigger) => {
  const time = virtualTime(0.5)
  const harnesses = {} as Record<HarnessKind, FunctionHarness>
  const handlers = {} as Record<HarnessKind, ReturnType<typeof handlerFor>>
  const queueEnv: Record<string, string> = trigger === 'queue' ? { FAILURE_QUEUE_URL } : {}

  beforeAll(async () => {
    const options: Record<HarnessKind, Parameters<typeof startFunctionHarness>[1]> = {
      standard: { env: queueEnv },
      slow: { env: { ...queueEnv, BCC_TIMEOUT_MS: String(SLOW_TIMEOUT_MS) } },
      patient: { env: { ...queueEnv, BCC_TIMEOUT_MS: String(PATIENT_TIMEOUT_MS) } },
      deadline: {
        env: { ...queueEnv, ...DEADLINE.env },
        runtime: { clock: time.clock, sleep: time.sleep, random: time.random },
      },
      strictDuplicates: { env: queueEnv, emulator: { duplicateBind: { mode: 'error' } } },
    }
    for (const kind of Object.keys(options) as HarnessKind[]) {
      harnesses[kind] = await startFunctionHarness(trigger, options[kind])
      handlers[kind] = handlerFor(trigger, harnesses[kind].runtime)
    }
  })
  afterAll(async () => {
    for (const harness of Object.values(harnesses)) await harness.close()
  })
  beforeEach(() => {
    for (const harness of Object.values(harnesses)) harness.fresh()
    time.reset()
    sqs.reset()
    sqs.on(SendMessageCommand).resolves({ MessageId: 'failure-1' })
  })

  const calls = (harness: FunctionHarness, method: string) =>
    harness
      .bceCalls()
      .filter((call) => call.method === method && call.path === '/v2/instance/i-YufwpQAe')

  /** Waits until BCC has received (and, for late ones, handled) every call the function made. */
  const settled = (harness: FunctionHarness, puts: number, gets: number) =>
    vi.waitFor(
      () => {
        expect(calls(harness, 'PUT')).toHaveLength(puts)
        expect(calls(harness, 'GET')).toHaveLength(gets)
      },
      { timeout: 10_000, interval: 20 },
    )

  async function run(row: Row) {
    const kind = row.harness ?? 'standard'
    const harness = harnesses[kind]
    harness.emulator.setFaults(row.rules)
    const answered = await sendThrough(
      trigger,
      handlers[kind],
      BIND,
      lambdaContext(),
      sentToFailureQueue,
    )
    await settled(harness, row.puts, row.gets)
    expectTableAnswer(answered, row.expected)
    expect(answered.outcomeLine.attempts).toBe(row.puts)
    expect(harness.groupsOf('i-YufwpQAe').includes('g-nky7qeom')).toBe(row.bound)
    if (row.sleeps !== undefined) expect(harness.sleeps).toEqual(row.sleeps)
  }

  describe('a fault that lasts: attempts run out, and the outcome is the table’s', () => {
    it.each(PERSISTENT.map((row) => [row.what, label(row.expected), row] as const))(
      '%s ends %s',
      async (_what, _outcome, row) => {
        await run(row)
      },
    )
  })

  describe('a fault that passes: the retries bind', () => {
    it.each(TRANSIENT.map((row) => [row.what, row] as const))(
      '%s three times, then an answer',
      async (_what, row) => {
        await run(row)
      },
    )
  })

  describe('an answer lost after BCC applied the bind ends already-bound', () => {
    it('when the retry is refused as a duplicate bind (SecurityGroup.AlreadyBound)', async () => {
      await run({
        what: 'reset after, then a duplicate refused',
        rules: [rule('a reset after the state change', { match: ON_THE_BIND, count: 1 })],
        harness: 'strictDuplicates',
        expected: { status: 'already-bound' },
        puts: 2,
        gets: 1,
        bound: true,
      })
      const [, duplicate] = calls(harnesses.strictDuplicates, 'PUT')
      expect(duplicate?.status).toBe(400)
    })
  })

  describe('retries stop at the deadline', () => {
    const harness = () => harnesses.deadline
    const invoke = () =>
      sendThrough(
        trigger,
        handlers.deadline,
        BIND,
        lambdaContext(DEADLINE.remainingMs),
        sentToFailureQueue,
      )

    it.each(DEADLINE_FAULTS)(
      '%s: fewer attempts than allowed, no wait past the deadline, and BceTimeout',
      async (name) => {
        const latency = name === 'latency past the timeout'
        harness().emulator.setFaults(
          latency ? [rule(name)] : [ON_THE_WIRE, rule(name, { match: ON_THE_BIND })],
        )
        const answered = await invoke()
        const attempts = answered.outcomeLine.attempts as number
        await settled(harness(), attempts, 0)

        expectTableAnswer(answered, { error: 'BceTimeout' })
        expect(answered.outcomeLine.errorMessage).toMatch(/^The deadline ran out after \d+ attempt/)
        expect(attempts).toBeGreaterThanOrEqual(2)
        expect(attempts).toBeLessThan(DEADLINE.maxAttempts)
        expect(calls(harness(), 'GET')).toEqual([]) // no time was left to read the groups
        // The backoff waited, and never into the time the last attempt needed.
        const waited = time.sleeps.reduce((sum, ms) => sum + ms, 0)
        expect(time.sleeps.length).toBeGreaterThanOrEqual(1)
        expect(waited).toBeLessThanOrEqual(DEADLINE.budgetMs - DEFAULT_RETRY_POLICY.minAttemptMs)
      },
    )

    it('429 with a Retry-After that no longer fits: stops at once with BceUnavailable and the delay', async () => {
      // Only the waits move this clock, and attempts have the default 3 s: which waits fit and
      // whether the read does depends on the waits alone, not on how long a call takes here.
      const frozen = fakeTiming(Date.now(), 0.5)
      const own = await startFunctionHarness(trigger, {
        env: { ...queueEnv, BCC_MAX_ATTEMPTS: '10', BCC_RETRY_BASE_MS: '1000' },
        runtime: { clock: frozen.clock, sleep: frozen.sleep, random: frozen.random },
      })
      try {
        own.emulator.setFaults([ON_THE_WIRE, rule('429 with Retry-After: 1')])
        const answered = await sendThrough(
          trigger,
          handlerFor(trigger, own.runtime),
          BIND,
          lambdaContext(DEADLINE.remainingMs),
          sentToFailureQueue,
        )

        expectTableAnswer(answered, unavailable('TooManyRequests', '1'))
        // Waits of exactly 1 s at 0, 1 and 2 s; at 3 s the next one would not leave an attempt.
        expect(frozen.sleeps).toEqual([1000, 1000, 1000])
        expect(calls(own, 'PUT')).toHaveLength(4)
        expect(calls(own, 'GET')).toHaveLength(1) // 1 s was left to read: the group is not there
        expect(answered.outcomeLine.attempts).toBe(4)
      } finally {
        await own.close()
      }
    })
  })
})

describe('fault matrix: one SQS batch mixing every fault', () => {
  let harness: FunctionHarness
  // Latency has its own rows above: a batch waits for its slowest record.
  const names = (Object.keys(FAULTS) as FaultName[]).filter(
    (name) => name !== 'latency past the timeout',
  )
  const instanceIds = names.map((_, index) => `i-Fault${String(index).padStart(3, '0')}`)

  beforeAll(async () => {
    harness = await startFunctionHarness('queue', {
      env: { FAILURE_QUEUE_URL },
    })
  })
  afterAll(() => harness.close())

  it('settles each record as the table says, alone, and reports only the redeliveries', async () => {
    sqs.reset()
    sqs.on(SendMessageCommand).resolves({ MessageId: 'failure-1' })
    const seed = harness.emulator.state()
    harness.emulator.reset({
      ...seed,
      instances: [
        ...seed.instances,
        ...instanceIds.map((id) => ({
          id,
          status: 'Running' as const,
          vpcId: 'vpc-test00000001',
          securityGroupIds: ['g-4NxWoxeq'],
        })),
      ],
    })
    harness.emulator.setFaults(
      names.map((name, index) => ({
        match: { instanceId: instanceIds[index] },
        action: FAULTS[name].action,
      })),
    )
    const records = [
      ...instanceIds.map((instanceId) => ({ instanceId, securityGroupId: 'g-nky7qeom' })),
      BIND,
    ].map((body, index) => ({
      ...structuredClone(SQS_SAMPLE),
      messageId: `mixed-${index}`,
      body: JSON.stringify(body),
    }))
    const { result: response, output } = await captureOutput(() =>
      handlerFor('queue', harness.runtime)({ Records: records }, lambdaContext()),
    )

    const byMessage = Object.fromEntries(
      logLines(output)
        .filter((line) => line.message === 'bind outcome')
        .map((line) => [line.messageId, [line.outcome, line.disposition]]),
    )
    const expectedOutcome: Record<Exclude<FaultName, 'latency past the timeout'>, string> = {
      '500': 'BceUnavailable',
      '502': 'BceUnavailable',
      '503': 'BceUnavailable',
      '504': 'BceUnavailable',
      '429 with Retry-After: 1': 'BceUnavailable',
      RequestExpired: 'BceAuthFailed',
      'a reset before the state change': 'BceUnavailable',
      'a reset after the state change': 'BceUnavailable',
      'an HTML 502 page': 'BceUnavailable',
      'truncated JSON under 503': 'BceUnavailable',
    }
    const expected: Record<string, [string, string]> = Object.fromEntries([
      ...names.map((name, index) => {
        const outcome = expectedOutcome[name as keyof typeof expectedOutcome]
        const disposition = outcome === 'BceAuthFailed' ? 'failure-queue' : 'redeliver'
        return [`mixed-${index}`, [outcome, disposition]]
      }),
      [`mixed-${names.length}`, ['bound', 'done']],
    ])
    expect(byMessage).toEqual(expected)
    expect(
      response.batchItemFailures.map((f: { itemIdentifier: string }) => f.itemIdentifier).sort(),
    ).toEqual(
      Object.entries(expected)
        .filter(([, [, disposition]]) => disposition === 'redeliver')
        .map(([id]) => id)
        .sort(),
    )
    expect(
      sentToFailureQueue().map((input) => input.MessageAttributes?.errorName?.StringValue),
    ).toEqual(['BceAuthFailed'])
    expect(harness.groupsOf('i-YufwpQAe')).toContain('g-nky7qeom')
  })
})
