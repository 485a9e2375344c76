/** A fake clock, a sleep that advances it instead of waiting, and a fixed random source. */
export function fakeTiming(start = Date.parse('2026-11-29T03:00:00Z'), randomValue = 0.5) {
  let now = start
  const sleeps: number[] = []
  return {
    clock: { now: () => now },
    sleep: async (ms: number) => {
      sleeps.push(ms)
      now += ms
    },
    random: () => randomValue,
    advance(ms: number) {
      now += ms
    },
    sleeps,
    start,
  }
}
