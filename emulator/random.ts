import { createHmac } from 'node:crypto'

const TWO_TO_THE_32 = 2 ** 32

/**
 * A reproducible source of numbers in [0, 1): the n-th draw is the first 32 bits of
 * HMAC-SHA256(seed, n). Slow next to Math.random, but a fault rule draws once per request,
 * and the same seed and requests always give the same faults.
 */
export function createSeededRandom(seed: number): () => number {
  let draws = 0
  return () => {
    draws++
    const digest = createHmac('sha256', String(seed)).update(String(draws)).digest()
    return digest.readUInt32BE(0) / TWO_TO_THE_32
  }
}
