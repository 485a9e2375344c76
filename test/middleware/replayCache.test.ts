import { describe, expect, it } from 'vitest'
import { ReplayCache } from '../../lib/middleware/replayCache.js'

describe('ReplayCache', () => {
  it('refuses an id seen within its time to live, and accepts it again after', () => {
    const cache = new ReplayCache(1_000)
    expect(cache.remember('a', 0)).toBe(true)
    expect(cache.remember('a', 999)).toBe(false)
    expect(cache.remember('a', 1_000)).toBe(true)
  })

  it('forgets expired ids as time passes', () => {
    const cache = new ReplayCache(1_000)
    cache.remember('a', 0)
    cache.remember('b', 500)
    cache.remember('c', 1_200)
    expect(cache.size).toBe(2)
  })

  it('stays within its size bound, dropping the oldest ids first', () => {
    const cache = new ReplayCache(60_000, 3)
    for (const id of ['a', 'b', 'c', 'd']) cache.remember(id, 0)
    expect(cache.size).toBe(3)
    expect(cache.remember('a', 1)).toBe(true)
    expect(cache.remember('d', 1)).toBe(false)
  })
})
