import { describe, expect, it } from 'vitest'
import { createHttpHandler } from '../../lib/handlers/httpHandler.js'
import type { HttpResult } from '../../lib/middleware/httpEvent.js'
import { startFunctionHarness } from '../support/functionHarness.js'
import { captureOutput, lambdaContext, logLines, signedHttpEvent } from '../support/lambda.js'

/**
 * A configuration that would fail every call later (a credential no HTTP header can carry, a
 * webhook secret the library cannot decode, a deadline margin middy's own timeout beats) is a
 * ConfigError at cold start: the log names the variable once, never its value, every
 * invocation answers 500 ConfigError, and BCC is never called.
 */

const BIND = { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' }

describe('bad configuration fails at cold start, naming the variable', () => {
  it.each([
    ['BCE_ACCESS_KEY_ID', 'AKdo-not-leak\nabcdef0123456789'],
    ['BCE_SECRET_ACCESS_KEY', 'SKsecret-\u00fcber-do-not-leak'],
    ['BCE_SESSION_TOKEN', 'STS/token-\u20ac-do-not-leak'],
    ['WEBHOOK_SECRET', 'whsec_ABC'],
    ['DEADLINE_MARGIN_MS', '4'],
  ])(
    '%s: 500 ConfigError on every call, the variable named in the log, BCC never called',
    async (variable, value) => {
      const { result: harness, output } = await captureOutput(() =>
        startFunctionHarness('http', { env: { [variable]: value } }),
      )
      try {
        const { result } = await captureOutput(
          () =>
            createHttpHandler(harness.runtime)(
              signedHttpEvent('http-api-v2.json', BIND) as never,
              lambdaContext(),
            ) as Promise<HttpResult>,
        )
        expect(result.statusCode).toBe(500)
        expect(JSON.parse(result.body).error.code).toBe('ConfigError')
        const [line] = logLines(output)
        expect(line).toMatchObject({
          level: 'ERROR',
          message: 'Invalid configuration: every invocation will fail until it is fixed',
          issues: [{ field: variable, message: expect.any(String) }],
        })
        expect(output).not.toContain('do-not-leak')
        expect(output).not.toContain('whsec_ABC')
        expect(harness.bceCalls()).toEqual([])
      } finally {
        await harness.close()
      }
    },
  )
})
