/**
 * Remembers webhook ids for a while, to refuse a replayed webhook. In memory, so per Lambda
 * container: a replay that lands on another container is not caught (the 5-minute timestamp
 * tolerance still bounds it). Bounded in size, so a flood cannot exhaust memory.
 */
export class ReplayCache {
  readonly #seen = new Map<string, number>()
  readonly #ttlMs: number
  readonly #maxEntries: number

  constructor(ttlMs: number, maxEntries = 10_000) {
    this.#ttlMs = ttlMs
    this.#maxEntries = maxEntries
  }

  /** Records `id` at `nowMs`; false when it was already recorded and has not expired. */
  remember(id: string, nowMs: number): boolean {
    this.#evict(nowMs)
    const expiresAt = this.#seen.get(id)
    if (expiresAt !== undefined && expiresAt > nowMs) return false
    this.#seen.delete(id)
    this.#seen.set(id, nowMs + this.#ttlMs)
    return true
  }

  /** Forgets `id`, so that the same webhook may come again (its sender's retry). */
  forget(id: string): void {
    this.#seen.delete(id)
  }

  /** How many ids are remembered. */
  get size(): number {
    return this.#seen.size
  }

  #evict(nowMs: number): void {
    // Entries are in insertion order with one TTL, so the expired ones are at the front.
    for (const [id, expiresAt] of this.#seen) {
      if (expiresAt > nowMs && this.#seen.size < this.#maxEntries) break
      this.#seen.delete(id)
    }
  }
}
