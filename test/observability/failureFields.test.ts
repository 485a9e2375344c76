import { describe, expect, it } from 'vitest'
import { InstanceExpired, UnexpectedError } from '../../lib/errors/catalogue.js'
import { failureFields } from '../../lib/observability/recordOutcome.js'

describe('failureFields', () => {
  it("gives a bug its cause's stack frames as generated, without the message line", () => {
    const bug = new TypeError('secret internals')
    const { errorStack } = failureFields(new UnexpectedError(bug))
    expect(errorStack?.length).toBeGreaterThan(0)
    for (const frame of errorStack ?? []) expect(frame).toMatch(/^at /)
    expect(errorStack?.[0]).toContain('failureFields.test.ts')
    expect(JSON.stringify(errorStack)).not.toContain('secret internals')
  })

  it('gives no stack for a cause that has none, nor for a catalogued error', () => {
    const frameless = Object.assign(new Error('x'), { stack: 'Error: x' })
    expect(failureFields(new UnexpectedError(frameless)).errorStack).toBeUndefined()
    expect(failureFields(new UnexpectedError('a thrown string')).errorStack).toBeUndefined()
    expect(failureFields(new InstanceExpired('expired')).errorStack).toBeUndefined()
  })
})
