import { performance } from 'node:perf_hooks'

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const upper = sorted[middle] as number
  return sorted.length % 2 === 1 ? upper : (upper + (sorted[middle - 1] as number)) / 2
}

/** Milliseconds since an arbitrary origin, monotonic. */
export const nowMs = (): number => performance.now()

/**
 * Runs `work` with everything written to stdout and stderr thrown away (the functions' log
 * lines and metrics would bury the table and make the terminal part of the measurement).
 */
export async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const stdout = process.stdout.write
  const stderr = process.stderr.write
  const discard = (() => true) as typeof process.stdout.write
  process.stdout.write = discard
  process.stderr.write = discard
  try {
    return await work()
  } finally {
    process.stdout.write = stdout
    process.stderr.write = stderr
  }
}

/** Writes one progress line to stderr, so stdout carries only the table. */
export function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`)
}
