import type { Context } from 'aws-lambda'
import type { LoggedRequest } from '../../../emulator/types.js'
import type { Trigger } from '../../../lib/runtime/functionRuntime.js'
import { type FunctionHarness, startFunctionHarness } from '../../support/functionHarness.js'
import { captureOutput } from '../../support/lambda.js'
import { handlerFor } from './triggers.js'

/** How an invocation ended: what it returned, or what it threw. */
export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown }

/** One invocation as a property sees it: its answer, its output, and the BCC calls it made. */
export interface Observed {
  settled: Settled
  output: string
  calls: LoggedRequest[]
}

/**
 * Copying the emulator's request log costs time in proportion to its length, and a property
 * reads it after every run; past this many entries the bench starts a fresh emulator.
 */
const RECYCLE_AFTER_LOGGED = 300

/**
 * One function on one emulator for thousands of property runs: invokes the real middy chain,
 * captures everything it writes, and tells which BCC calls each invocation made. A fresh
 * emulator (and handler, with an empty replay cache) replaces a busy one between runs.
 */
export class FunctionBench {
  harness!: FunctionHarness
  handler!: ReturnType<typeof handlerFor>
  /** Incremented with each fresh emulator and handler. */
  generation = 0
  private logged = 0

  constructor(
    readonly trigger: Trigger,
    private readonly options: Parameters<typeof startFunctionHarness>[1] = {},
  ) {}

  async start(): Promise<this> {
    this.harness = await startFunctionHarness(this.trigger, this.options)
    this.handler = handlerFor(this.trigger, this.harness.runtime)
    this.logged = 0
    this.generation++
    return this
  }

  close(): Promise<void> {
    return this.harness.close()
  }

  async invoke(event: unknown, context: Context): Promise<Observed> {
    const { result: settled, output } = await captureOutput(
      (): Promise<Settled> =>
        this.handler(event, context).then(
          (value) => ({ ok: true, value }),
          (error: unknown) => ({ ok: false, error }),
        ),
    )
    const log = this.harness.emulator.requests()
    const calls = log.slice(this.logged)
    this.logged = log.length
    return { settled, output, calls }
  }

  /** Starts afresh when the emulator's log has grown long (between runs only). */
  async recycleWhenBusy(): Promise<void> {
    if (this.logged < RECYCLE_AFTER_LOGGED) return
    await this.harness.close()
    await this.start()
  }
}

/** Collects unhandled rejections until `stop()`. */
export function watchUnhandledRejections(): { rejections: unknown[]; stop(): void } {
  const rejections: unknown[] = []
  const listener = (reason: unknown) => {
    rejections.push(reason)
  }
  process.on('unhandledRejection', listener)
  return { rejections, stop: () => process.off('unhandledRejection', listener) }
}

/** Lets pending rejections surface: unhandled ones are reported after the microtask queue. */
export const drainRejections = () => new Promise((resolve) => setImmediate(resolve))

/**
 * A call whose path names no instance: a dry run's read of the VPC's groups
 * (`GET /v2/securityGroup`) or an enterprise group's batch call (`PUT /v2/securitygroup/bind`,
 * the instance in its body, which the log does not keep). {@link instanceOfCall} does not apply.
 */
export const isGroupListing = (call: LoggedRequest) =>
  call.path === '/v2/securityGroup' || call.path.startsWith('/v2/securitygroup/')

/** The instance a BCC call was about (`/v2/instance/{id}`). */
export const instanceOfCall = (call: LoggedRequest) => call.path.replace(/^\/v2\/instance\//, '')

/** Text for secret scanning: everything an answer or error carries. */
export function describeSettled(settled: Settled): string {
  if (settled.ok) return JSON.stringify(settled.value) ?? ''
  const error = settled.error as Error
  return `${error?.name} ${error?.message} ${JSON.stringify(error)} ${String(error?.stack)}`
}
