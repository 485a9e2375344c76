/**
 * Real time plus every wait asked for: `sleep` returns at once and moves the clock on by the
 * wait instead. Unlike a frozen fake clock, time still passes while a request is on the wire,
 * so a retry loop reaches its deadline through its backoff waits as it would in Lambda, without
 * the test waiting for them. `random` is fixed, so the backoff waits are known in advance.
 */
export function virtualTime(randomValue = 0.5) {
  let offset = 0
  const sleeps: number[] = []
  return {
    clock: { now: () => Date.now() + offset },
    sleep: async (ms: number) => {
      sleeps.push(ms)
      offset += ms
    },
    random: () => randomValue,
    /** The waits asked for since the last reset, in milliseconds. */
    sleeps,
    /** Back to real time, with no waits recorded. */
    reset() {
      offset = 0
      sleeps.length = 0
    },
  }
}
