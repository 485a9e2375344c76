import { type Emulator, type EmulatorOptions, startEmulator } from '../../emulator/index.js'
import type { Snapshot } from '../../emulator/types.js'
import {
  createFunctionRuntime,
  type FunctionRuntime,
  type RuntimeOptions,
  type Trigger,
} from '../../lib/runtime/functionRuntime.js'
import { TEST_CREDENTIALS, TEST_SECRETS } from './credentials.js'
import { TEST_WEBHOOK_SECRET } from './lambda.js'

const VPC = 'vpc-test00000001'
/** The harness's random source: backoff waits are half their window, as in virtualTime(). */
const FIXED_RANDOM = 0.5
const fillers = Array.from({ length: 9 }, (_, i) => `g-fill000${i}`)

/** The state the function tests start from. */
export const TEST_SEED: Snapshot = {
  instances: [
    { id: 'i-YufwpQAe', status: 'Running', vpcId: VPC, securityGroupIds: ['g-4NxWoxeq'] },
    { id: 'i-7Gx2kQpZ', status: 'Running', vpcId: VPC, securityGroupIds: ['g-4NxWoxeq'] },
    {
      id: 'i-Web2Demo',
      status: 'Running',
      vpcId: VPC,
      securityGroupIds: ['g-4NxWoxeq', 'g-nky7qeom'],
    },
    { id: 'i-ExpIred1', status: 'Expired', vpcId: VPC, securityGroupIds: ['g-4NxWoxeq'] },
    {
      id: 'i-Fu11Ten0',
      status: 'Running',
      vpcId: VPC,
      securityGroupIds: ['g-4NxWoxeq', ...fillers],
    },
  ],
  securityGroups: [
    { id: 'g-4NxWoxeq', name: 'default', vpcId: VPC },
    { id: 'g-nky7qeom', name: 'web', vpcId: VPC },
    ...fillers.map((id) => ({ id, name: id, vpcId: VPC })),
  ],
}

/** The environment a function gets: the emulator's endpoint and the test keys. */
export function functionEnv(
  emulator: Emulator,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    BCE_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    BCE_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    BCC_ENDPOINT: emulator.url,
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    ...extra,
  }
}

/**
 * An emulator on loopback and a function runtime pointed at it; backoff sleeps are instant and
 * the jitter's random source is fixed (0.5), so no test depends on `Math.random`.
 */
export interface FunctionHarness {
  emulator: Emulator
  runtime: FunctionRuntime
  /** Backoff waits asked for, in milliseconds. */
  sleeps: number[]
  /** The groups an instance has now. */
  groupsOf(instanceId: string): string[]
  /** Resets state and faults, and starts counting calls afresh (the emulator's log runs on). */
  fresh(): void
  /** The signed BCC calls since the last `fresh()`. */
  bceCalls(): ReturnType<Emulator['requests']>
  close(): Promise<void>
}

/** Starts a harness for one trigger. */
export async function startFunctionHarness(
  trigger: Trigger,
  options: {
    env?: Record<string, string>
    replaceEnv?: (env: Record<string, string>) => Record<string, string>
    emulator?: EmulatorOptions
    runtime?: RuntimeOptions
  } = {},
): Promise<FunctionHarness> {
  const emulator = await startEmulator({
    seed: TEST_SEED,
    credentials: TEST_SECRETS,
    ...options.emulator,
  })
  const sleeps: number[] = []
  let env = functionEnv(emulator, options.env)
  if (options.replaceEnv !== undefined) env = options.replaceEnv(env)
  const runtime = createFunctionRuntime(trigger, env, {
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    random: () => FIXED_RANDOM,
    ...options.runtime,
  })
  let mark = 0
  return {
    emulator,
    runtime,
    sleeps,
    fresh() {
      emulator.reset()
      emulator.setFaults([])
      sleeps.length = 0
      mark = emulator.requests().length
    },
    bceCalls: () =>
      emulator
        .requests()
        .slice(mark)
        .filter((request) => request.verdict !== 'unsigned-control'),
    groupsOf: (instanceId) =>
      emulator.state().instances.find((instance) => instance.id === instanceId)?.securityGroupIds ??
      [],
    close: () => emulator.close(),
  }
}
