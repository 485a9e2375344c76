import { createClientTokenMemory } from './clientTokens.js'
import { createDispatcher } from './dispatch.js'
import { createFaultEngine } from './faults.js'
import {
  type EmulatorOptions,
  parseFaultRules,
  parseFaultSeed,
  parseSnapshot,
  resolveOptions,
} from './options.js'
import { createRequestLog } from './requestLog.js'
import { startHttpServer } from './server.js'
import type { FaultRule, LoggedRequest, Snapshot } from './types.js'

export { DEMO_CREDENTIALS } from './constants.js'
export { controlAllowed } from './control.js'
export { EmulatorOptionsError } from './errors.js'
export type { EmulatorOptions } from './options.js'
export { DEFAULT_SEED_PATH, loadSeedFile } from './seed.js'
export type * from './types.js'

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:<port>`, the value for `BCC_ENDPOINT`. */
  url: string
  /** A copy of the state. */
  state(): Snapshot
  /**
   * Replaces the state (validated), or goes back to the starting seed, and forgets the batch
   * calls' `clientToken`s; returns the new state.
   */
  reset(snapshot?: Snapshot): Snapshot
  /** Replaces the fault rules (validated) and restarts their random draws. */
  setFaults(rules: FaultRule[], options?: { seed?: number }): void
  /** A copy of the request log. */
  requests(): LoggedRequest[]
  /** Stops listening and drops every connection. */
  close(): Promise<void>
}

/** `http://127.0.0.1:8787`, or `http://[::1]:8787` for an IPv6 address. */
export function originOf({ address, port }: { address: string; port: number }): string {
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`
}

/**
 * Starts a BCC emulator on loopback: signed `PUT /v2/instance/{id}?bind|unbind`,
 * `PUT /v2/securitygroup/bind|unbind` (the batch calls, regular and enterprise groups),
 * `GET /v2/instance/{id}` and `GET /v2/securityGroup`, with state, fault injection, a request
 * log and the unsigned `/__emulator/` control API.
 *
 * @throws EmulatorOptionsError when an option is invalid (naming every bad field);
 * the listen error (such as `EADDRINUSE`) when the port cannot be had.
 * @example const emulator = await startEmulator({ credentials: [credentials] })
 *   const client = createBccClient({ endpoint: emulator.url, credentials })
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options)
  const { host, port, seed, faultSeed } = resolved
  const faults = createFaultEngine(resolved.faults, faultSeed)
  const log = createRequestLog()
  const tokens = createClientTokenMemory()
  let state = seed

  const control = {
    state: () => structuredClone(state),
    reset(snapshot: Snapshot | undefined) {
      state = structuredClone(snapshot ?? seed)
      tokens.clear()
      return structuredClone(state)
    },
    setFaults(rules: FaultRule[], seedOfDraws: number | undefined) {
      faults.replace(rules, seedOfDraws ?? faultSeed)
    },
    requests: () => log.entries(),
  }

  const server = await startHttpServer(
    host,
    port,
    createDispatcher({
      clock: resolved.clock,
      credentials: resolved.credentials,
      maxFutureSkewSeconds: resolved.maxFutureSkewSeconds,
      duplicateBind: resolved.duplicateBind,
      tokens,
      faults,
      log,
      control,
      getState: () => state,
      setState: (next) => {
        state = next
      },
    }),
  )

  return {
    url: originOf(server.address),
    state: control.state,
    reset: (snapshot) =>
      control.reset(snapshot === undefined ? undefined : parseSnapshot(snapshot)),
    setFaults: (rules, setOptions = {}) =>
      control.setFaults(
        parseFaultRules(rules, 'rules'),
        setOptions.seed === undefined ? undefined : parseFaultSeed(setOptions.seed, 'seed'),
      ),
    requests: control.requests,
    close: () => server.close(),
  }
}
