import * as z from 'zod'
import { DEMO_CREDENTIALS, EMULATOR_DEFAULTS } from './constants.js'
import { type CredentialStore, createCredentialStore } from './credentials.js'
import { parseOrThrow } from './errors.js'
import { DuplicateBindSchema, FaultRuleSchema, SnapshotSchema } from './schemas.js'
import { loadSeedFile } from './seed.js'
import type { Credential, DuplicateBind, FaultRule, Snapshot } from './types.js'

/** Options of `startEmulator`; every one has a default. */
export interface EmulatorOptions {
  /** 0 (the default) lets the OS choose; read the chosen one from `url`. */
  port?: number
  /** Defaults to 127.0.0.1. The control API is served only on a loopback address. */
  host?: string
  /** The state to start from; defaults to `emulator/seed.json`. */
  seed?: Snapshot
  /** Accepted key pairs: a list, or a record of AK to SK. Defaults to the demo keys. */
  credentials?: Credential[] | Record<string, string>
  /** What a duplicate bind answers: `{ mode: 'ok' }` (the default) or an error. */
  duplicateBind?: DuplicateBind
  /** The emulator's clock, for signature times and the log; defaults to the real one. */
  clock?: () => Date
  /** How far a signing time may lie ahead of the clock; 900 s (ours) by default. */
  maxFutureSkewSeconds?: number
  /** Fault rules in force from the start. */
  faults?: FaultRule[]
  /** Seed of the rules' random draws; 1 by default. */
  faultSeed?: number
}

/** The options with their defaults, validated. */
export interface ResolvedOptions {
  host: string
  port: number
  seed: Snapshot
  credentials: CredentialStore
  duplicateBind: DuplicateBind
  clock: () => Date
  maxFutureSkewSeconds: number
  faults: FaultRule[]
  faultSeed: number
}

const PortSchema = z.int().min(0).max(65_535)
const SkewSchema = z.number().min(0).max(Number.MAX_SAFE_INTEGER)
const RulesSchema = z.array(FaultRuleSchema)
const FaultSeedSchema = z.int()

/**
 * Fills in the defaults and validates every option.
 *
 * @throws EmulatorOptionsError naming every bad field of the first bad option.
 */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  return {
    host: options.host ?? EMULATOR_DEFAULTS.host,
    port: parseOrThrow(PortSchema, options.port ?? EMULATOR_DEFAULTS.port, 'port'),
    seed: parseOrThrow(SnapshotSchema, options.seed ?? loadSeedFile(), 'seed'),
    credentials: createCredentialStore(options.credentials ?? [DEMO_CREDENTIALS]),
    duplicateBind: parseOrThrow(
      DuplicateBindSchema,
      options.duplicateBind ?? { mode: 'ok' },
      'duplicateBind',
    ),
    clock: options.clock ?? (() => new Date()),
    maxFutureSkewSeconds: parseOrThrow(
      SkewSchema,
      options.maxFutureSkewSeconds ?? EMULATOR_DEFAULTS.maxFutureSkewSeconds,
      'maxFutureSkewSeconds',
    ),
    faults: parseFaultRules(options.faults ?? [], 'faults'),
    faultSeed: parseFaultSeed(options.faultSeed ?? EMULATOR_DEFAULTS.faultSeed, 'faultSeed'),
  }
}

/** Validates fault rules, naming bad fields after `what`. */
export function parseFaultRules(rules: unknown, what: string): FaultRule[] {
  return parseOrThrow(RulesSchema, rules, what)
}

/** Validates the seed of the fault rules' random draws. */
export function parseFaultSeed(seed: unknown, what: string): number {
  return parseOrThrow(FaultSeedSchema, seed, what)
}

/** Validates a state. */
export function parseSnapshot(snapshot: unknown): Snapshot {
  return parseOrThrow(SnapshotSchema, snapshot, 'snapshot')
}
