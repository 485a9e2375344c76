import { readFileSync } from 'node:fs'
import validateAsl from 'asl-validator'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FaultRule, Snapshot } from '../../emulator/types.js'
import { ERROR_NAMES } from '../../lib/errors/catalogue.js'
import { createWorkflowHandler } from '../../lib/handlers/workflowHandler.js'
import type { BindOutcome } from '../../lib/usecases/bind.js'
import {
  BIND_MANY_DEFINITION,
  handlerInvoker,
  type JsonValue,
  loadBindManyDefinition,
  localExecutionArn,
  runBindMany,
  type WorkflowInvoker,
} from '../../local/bindMany.js'
import { type FunctionHarness, startFunctionHarness } from '../support/functionHarness.js'
import { captureOutput, lambdaContext } from '../support/lambda.js'

const VPC = 'vpc-fleet0000001'
const DEFAULT = 'g-dflt0001'
const TARGET = 'g-web00001'
const fillers = Array.from({ length: 9 }, (_, i) => `g-fill000${i}`)
const running = (id: string, securityGroupIds = [DEFAULT]) => ({
  id,
  status: 'Running' as const,
  vpcId: VPC,
  securityGroupIds,
})

/** A fleet with one instance for each outcome. */
const FLEET_SEED: Snapshot = {
  instances: [
    running('i-Bind0001'),
    running('i-Bind0002'),
    running('i-Bind0003'),
    running('i-Flaky001'),
    running('i-Have0001', [DEFAULT, TARGET]),
    running('i-Full0001', [DEFAULT, ...fillers]),
    { id: 'i-Expd0001', status: 'Expired', vpcId: VPC, securityGroupIds: [DEFAULT] },
    running('i-Down0001'),
  ],
  securityGroups: [DEFAULT, TARGET, ...fillers].map((id) => ({ id, name: id, vpcId: VPC })),
}

const FLEET = [
  'i-Bind0001',
  'i-Bind0002',
  'i-Bind0003',
  'i-Flaky001',
  'i-Have0001',
  'i-Full0001',
  'i-Expd0001',
  'i-Down0001',
  'i-Gone0001',
  'i-bad',
]

/** i-Flaky001's first two binds get 503; every bind of i-Down0001 does. */
const FAULTS: FaultRule[] = [
  {
    match: { method: 'PUT', instanceId: 'i-Flaky001' },
    count: 2,
    action: { kind: 'status', status: 503 },
  },
  { match: { method: 'PUT', instanceId: 'i-Down0001' }, action: { kind: 'status', status: 503 } },
]

// Every status a bind can end in; the Record makes the compiler ask for a new one here.
const STATUSES = Object.keys({
  bound: true,
  'already-bound': true,
  'would-bind': true,
  unbound: true,
  'already-unbound': true,
  'would-unbind': true,
} satisfies Record<BindOutcome['status'], true>)
const OUTCOME_KEYS = [...STATUSES, ...ERROR_NAMES, 'other']

/** The output's `outcomes`: every key, zero unless given. */
const outcomes = (counts: Record<string, number>) =>
  Object.fromEntries(OUTCOME_KEYS.map((key) => [key, counts[key] ?? 0]))

let harness: FunctionHarness
let payloads: Record<string, unknown>[]
let invoke: WorkflowInvoker
let runs = 0

beforeAll(async () => {
  // One bind attempt per invocation, so each 503 fails the Task and the state machine retries.
  harness = await startFunctionHarness('workflow', {
    env: { BCC_MAX_ATTEMPTS: '1' },
    // A duplicate bind is refused, as some BCC versions do; the function then reads the groups.
    emulator: { seed: FLEET_SEED, duplicateBind: { mode: 'error' } },
  })
  const workflow = handlerInvoker(createWorkflowHandler(harness.runtime), () => lambdaContext())
  invoke = async (payload) => {
    payloads.push(payload as Record<string, unknown>)
    return workflow(payload)
  }
})
afterAll(() => harness.close())
beforeEach(() => {
  harness.fresh()
  harness.emulator.setFaults(FAULTS)
  payloads = []
})

/** Runs bind-many on `input` against the emulator; retries wait 0 ms instead of seconds. */
async function run(
  input: JsonValue,
  options: { invoke?: WorkflowInvoker; maxConcurrency?: number } = {},
) {
  const executionName = `run-${++runs}`
  const { result } = await captureOutput(() =>
    runBindMany({
      input,
      invoke: options.invoke ?? invoke,
      executionName,
      maxConcurrency: options.maxConcurrency ?? 10,
      retryWaitMs: 0,
    }),
  )
  return { output: result, executionId: localExecutionArn(executionName) }
}

async function failedRun(input: JsonValue): Promise<Error> {
  try {
    await run(input)
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the execution to fail')
}

const putsFor = (instanceId: string) =>
  harness.bceCalls().filter((call) => call.method === 'PUT' && call.path.includes(`/${instanceId}`))
    .length

describe('bind-many state machine', () => {
  it('binds a fleet with mixed outcomes: exact counts and failures, and the state they claim', async () => {
    const { output, executionId } = await run({ securityGroupId: TARGET, instanceIds: FLEET })

    expect(output).toEqual({
      total: 10,
      succeeded: 5,
      failed: 5,
      outcomes: outcomes({
        bound: 4,
        'already-bound': 1,
        SecurityGroupLimitExceeded: 1,
        InstanceExpired: 1,
        BceUnavailable: 1,
        InstanceNotFound: 1,
        ValidationError: 1,
      }),
      failures: [
        {
          instanceId: 'i-Full0001',
          error: 'SecurityGroupLimitExceeded',
          message:
            'BCC refused the bind: SecurityGroup.BindInstanceExceededLimit (HTTP 413): The instance i-Full0001 already has 10 security groups',
        },
        {
          instanceId: 'i-Expd0001',
          error: 'InstanceExpired',
          message:
            'BCC refused the bind: SecurityGroup.ExpiredInstanceForbiddenBind (HTTP 403): The instance i-Expd0001 is expired; security groups cannot be bound to it',
        },
        {
          instanceId: 'i-Down0001',
          error: 'BceUnavailable',
          message:
            'BCC kept failing (1 attempt(s)): ServiceUnavailable (HTTP 503): Service Unavailable (injected by the emulator)',
        },
        {
          instanceId: 'i-Gone0001',
          error: 'InstanceNotFound',
          message:
            'BCC says the instance does not exist: NoSuchObject (HTTP 404): The instance i-Gone0001 does not exist',
        },
        {
          instanceId: 'i-bad',
          error: 'ValidationError',
          message:
            "Invalid bind request: instanceId: must be 'i-' followed by 8 letters or digits, such as i-YufwpQAe",
        },
      ],
    })
    const expected = structuredClone(FLEET_SEED)
    for (const instance of expected.instances) {
      if (['i-Bind0001', 'i-Bind0002', 'i-Bind0003', 'i-Flaky001'].includes(instance.id)) {
        instance.securityGroupIds.push(TARGET)
      }
    }
    expect(harness.emulator.state()).toEqual(expected)
    // Twice 503, then bound; always 503: the first try and three retries, then reported.
    expect(putsFor('i-Flaky001')).toBe(3)
    expect(putsFor('i-Down0001')).toBe(4)
    expect(putsFor('i-Bind0001')).toBe(1)
    // Each request carries the execution and the instance as its identity, and nothing else.
    for (const payload of payloads) {
      expect(payload).toEqual({
        securityGroupId: TARGET,
        instanceId: payload.instanceId,
        requestId: `${executionId}/${payload.instanceId}`,
      })
    }
    expect(payloads).toHaveLength(10 + 2 + 3)
  })

  it('unbinds the same fleet after binding it: each instance back to its groups', async () => {
    await run({ securityGroupId: TARGET, instanceIds: FLEET })
    payloads = []
    const { output, executionId } = await run({
      securityGroupId: TARGET,
      instanceIds: FLEET,
      action: 'unbind',
    })

    // i-Have0001 had the group before the bind run; i-Full0001, i-Expd0001 and i-Down0001 never
    // got it, so their unbind is already done (no PUT).
    expect(output).toEqual({
      total: 10,
      succeeded: 8,
      failed: 2,
      outcomes: outcomes({
        unbound: 5,
        'already-unbound': 3,
        InstanceNotFound: 1,
        ValidationError: 1,
      }),
      failures: [
        {
          instanceId: 'i-Gone0001',
          error: 'InstanceNotFound',
          message:
            'BCC says the instance does not exist: NoSuchObject (HTTP 404): The instance i-Gone0001 does not exist',
        },
        {
          instanceId: 'i-bad',
          error: 'ValidationError',
          message:
            "Invalid bind request: instanceId: must be 'i-' followed by 8 letters or digits, such as i-YufwpQAe",
        },
      ],
    })
    const expected = structuredClone(FLEET_SEED)
    for (const instance of expected.instances) {
      if (instance.id === 'i-Have0001') instance.securityGroupIds = [DEFAULT]
    }
    expect(harness.emulator.state()).toEqual(expected)
    for (const payload of payloads) {
      expect(payload).toEqual({
        securityGroupId: TARGET,
        instanceId: payload.instanceId,
        action: 'unbind',
        requestId: `${executionId}/${payload.instanceId}`,
      })
    }
  })

  it('answers a dry run for the fleet without binding anything', async () => {
    const { output } = await run({ securityGroupId: TARGET, instanceIds: FLEET, dryRun: true })

    // A dry run reads each instance (and the VPC's groups): it answers what the bind would,
    // the limit and the expiry included, marked predicted.
    expect(output).toEqual({
      total: 10,
      succeeded: 6,
      failed: 4,
      outcomes: outcomes({
        'would-bind': 5,
        'already-bound': 1,
        SecurityGroupLimitExceeded: 1,
        InstanceExpired: 1,
        InstanceNotFound: 1,
        ValidationError: 1,
      }),
      failures: [
        {
          instanceId: 'i-Full0001',
          error: 'SecurityGroupLimitExceeded',
          message:
            'Dry run, predicted: The instance already has 10 security groups, the most BCC allows',
        },
        {
          instanceId: 'i-Expd0001',
          error: 'InstanceExpired',
          message: 'Dry run, predicted: The instance is expired; BCC refuses to bind it',
        },
        {
          instanceId: 'i-Gone0001',
          error: 'InstanceNotFound',
          message:
            'Dry run, predicted: BCC says the instance does not exist: NoSuchObject (HTTP 404): The instance i-Gone0001 does not exist',
        },
        {
          instanceId: 'i-bad',
          error: 'ValidationError',
          message:
            "Invalid bind request: instanceId: must be 'i-' followed by 8 letters or digits, such as i-YufwpQAe",
        },
      ],
    })
    expect(harness.emulator.state()).toEqual(FLEET_SEED)
    expect(harness.bceCalls().filter((call) => call.method === 'PUT')).toEqual([])
    expect(payloads.every((payload) => payload.dryRun === true)).toBe(true)
  })

  it.each([
    [
      'without securityGroupId',
      { instanceIds: ['i-Bind0001'] },
      'The input needs securityGroupId and instanceIds (an array of instance ids)',
    ],
    [
      'without instanceIds',
      { securityGroupId: TARGET },
      'The input needs securityGroupId and instanceIds (an array of instance ids)',
    ],
    [
      'with a field the request does not have (a misspelt dryRun)',
      { securityGroupId: TARGET, instanceIds: ['i-Bind0001'], dryrun: true },
      'The input may only have securityGroupId, instanceIds, action, region and dryRun',
    ],
  ])('fails an execution %s with ValidationError, calling nothing', async (_what, input, cause) => {
    const error = await failedRun(input)

    expect(error.cause).toMatchObject({ name: 'ValidationError', message: cause })
    expect(payloads).toEqual([])
    expect(harness.bceCalls()).toEqual([])
    expect(harness.emulator.state()).toEqual(FLEET_SEED)
  })

  it('passes region, dryRun and action through as given', async () => {
    const { executionId } = await run({
      securityGroupId: TARGET,
      instanceIds: ['i-Bind0001'],
      region: 'gz',
      dryRun: false,
      action: 'bind',
    })
    expect(payloads).toEqual([
      {
        securityGroupId: TARGET,
        region: 'gz',
        dryRun: false,
        action: 'bind',
        instanceId: 'i-Bind0001',
        requestId: `${executionId}/i-Bind0001`,
      },
    ])
  })

  it("counts a status it does not list under other, and reports errors that are not the function's", async () => {
    // A stand-in for Lambda, for what the real function cannot answer today: a status a later
    // action brings, and Lambda's own failures (text causes, retried, then reported).
    const calls: string[] = []
    const standIn: WorkflowInvoker = async (payload) => {
      const { instanceId } = payload as { instanceId: string }
      calls.push(instanceId)
      if (instanceId === 'i-Lmbd0001') {
        const error = new Error('Rate exceeded')
        error.name = 'Lambda.TooManyRequestsException'
        throw error
      }
      return { status: 'replaced', instanceId }
    }
    const { output } = await run(
      { securityGroupId: TARGET, instanceIds: ['i-Unbd0001', 'i-Lmbd0001'], action: 'unbind' },
      { invoke: standIn },
    )

    expect(output).toEqual({
      total: 2,
      succeeded: 1,
      failed: 1,
      outcomes: outcomes({ other: 2 }),
      failures: [
        {
          instanceId: 'i-Lmbd0001',
          error: 'Lambda.TooManyRequestsException',
          message: 'Rate exceeded',
        },
      ],
    })
    expect(calls.filter((id) => id === 'i-Lmbd0001')).toHaveLength(4)
  })

  it('runs at most maxConcurrency instances at once', async () => {
    let inFlight = 0
    let most = 0
    const counting: WorkflowInvoker = async (payload) => {
      inFlight++
      most = Math.max(most, inFlight)
      try {
        return await invoke(payload)
      } finally {
        inFlight--
      }
    }
    await run(
      { securityGroupId: TARGET, instanceIds: FLEET },
      { invoke: counting, maxConcurrency: 3 },
    )

    expect(most).toBe(3)
  })
})

describe('bind-many definition', () => {
  const definition = loadBindManyDefinition({
    WorkflowFunctionArn:
      'arn:aws:lambda:eu-west-1:123456789012:function:bcc-sg-binder-dev-workflow',
    MapMaxConcurrency: 10,
  })
  const states = definition.States as Record<string, any>
  const item = states.BindEach.ItemProcessor.States as Record<string, any>
  const names = (intrinsic: string) => [...intrinsic.matchAll(/'([^']+)'/g)].map((m) => m[1])

  it('is valid Amazon States Language, paths and ARNs included (asl-validator)', () => {
    const { isValid, errorsText } = validateAsl(definition)
    expect(errorsText()).toBe('')
    expect(isValid).toBe(true)
  })

  it('has a placeholder for each value serverless.yml substitutes, and no other', () => {
    const text = readFileSync(BIND_MANY_DEFINITION, 'utf8')
    const placeholders = [...text.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1])
    expect([...new Set(placeholders)].sort()).toEqual(['MapMaxConcurrency', 'WorkflowFunctionArn'])
  })

  it('retries BceUnavailable and BceTimeout with full jitter, a bounded number of times, and catches the rest', () => {
    expect(item.Bind.Retry[0]).toMatchObject({
      ErrorEquals: ['BceUnavailable', 'BceTimeout'],
      JitterStrategy: 'FULL',
      MaxAttempts: 3,
    })
    expect(item.Bind.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'HasCause' },
    ])
    expect(states.BindEach.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'INLINE' })
  })

  it('counts every status and every catalogue name, and knows the same lists everywhere', () => {
    expect(
      Object.keys(states.Count.Parameters.outcomes).map((key) => key.replace(/\.\$$/, '')),
    ).toEqual(OUTCOME_KEYS)
    expect(names(item.Bind.ResultSelector['known.$'])).toEqual(STATUSES)
    expect(names(item.FunctionFailure.Parameters['known.$'])).toEqual([...ERROR_NAMES])
    expect(
      states.BindEach.ResultSelector.sentinels
        .filter((entry: { outcome?: string }) => entry.outcome !== undefined)
        .map((entry: { outcome: string }) => entry.outcome),
    ).toEqual([...STATUSES, ...ERROR_NAMES])
  })
})
