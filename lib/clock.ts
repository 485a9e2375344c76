import { setTimeout as delay } from 'node:timers/promises'

/** A source of the current time in epoch milliseconds; tests pass a fake one. */
export interface Clock {
  now(): number
}

/** Waits `ms` milliseconds; tests pass one that advances a fake clock instead of waiting. */
export type Sleep = (ms: number) => Promise<void>

/** A uniform random number in [0, 1); tests pass a fixed one. */
export type Random = () => number

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() }

/** The real sleep. */
export const systemSleep: Sleep = (ms) => delay(ms)
