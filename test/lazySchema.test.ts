import { describe, expect, it } from 'vitest'
import * as z from 'zod/mini'
import { lazySchema } from '../lib/lazySchema.js'

describe('lazySchema', () => {
  it('builds the schema on its first safeParse, once, and parses as the schema does', () => {
    let built = 0
    const schema = lazySchema(() => {
      built++
      return z.object({ a: z.string() })
    })
    expect(built).toBe(0)
    expect(schema.safeParse({ a: 'x' })).toMatchObject({ success: true, data: { a: 'x' } })
    expect(schema.safeParse({ a: 1 }).success).toBe(false)
    expect(built).toBe(1)
  })
})
