import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../lib/errors/catalogue.js'
import { bindDependenciesFor } from '../../lib/handlers/bindDependencies.js'
import { createFunctionRuntime } from '../../lib/runtime/functionRuntime.js'
import { lambdaContext } from '../support/lambda.js'

describe('bindDependenciesFor', () => {
  it("fails with the runtime's ConfigError when the function is misconfigured", () => {
    const runtime = createFunctionRuntime('workflow', { BCC_MAX_ATTEMPTS: 'many' })
    expect(runtime.configError).toBeInstanceOf(ConfigError)
    expect(() => bindDependenciesFor(runtime, lambdaContext())).toThrow(runtime.configError)
  })

  it('sets the deadline to the remaining time less the margin, on the runtime clock', () => {
    const now = Date.parse('2026-11-29T03:00:00Z')
    const runtime = createFunctionRuntime(
      'workflow',
      { BCE_ACCESS_KEY_ID: 'AK', BCE_SECRET_ACCESS_KEY: 'SK', BCE_REGION: 'gz' },
      { clock: { now: () => now } },
    )
    const { config, dependencies } = bindDependenciesFor(runtime, lambdaContext(10_000))
    expect(dependencies.deadline).toBe(now + 10_000 - config.deadlineMarginMs)
    expect(dependencies.defaultRegion).toBe('gz')
  })
})
