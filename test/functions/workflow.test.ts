import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ERROR_NAMES } from '../../lib/errors/catalogue.js'
import { createWorkflowHandler } from '../../lib/handlers/workflowHandler.js'
import { type FunctionHarness, startFunctionHarness } from '../support/functionHarness.js'
import { captureOutput, lambdaContext, loadEvent, logLines } from '../support/lambda.js'

let harness: FunctionHarness
let handler: ReturnType<typeof createWorkflowHandler>
beforeAll(async () => {
  harness = await startFunctionHarness('workflow')
  handler = createWorkflowHandler(harness.runtime)
})
afterAll(() => harness.close())
beforeEach(() => harness.fresh())

async function invoke(event: unknown, h = handler) {
  return (await captureOutput(() => h(event, lambdaContext()))).result
}

async function failure(event: unknown, h = handler): Promise<Error> {
  try {
    await captureOutput(() => h(event, lambdaContext()))
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the invocation to fail')
}

describe('workflow function', () => {
  it.each(['direct.json', 'eventbridge.json'])(
    'binds on the %s sample and returns the outcome',
    async (sample) => {
      await expect(invoke(loadEvent(sample))).resolves.toEqual({
        status: 'bound',
        instanceId: 'i-YufwpQAe',
        securityGroupId: 'g-nky7qeom',
        region: 'bj',
        bceRequestId: expect.any(String),
      })
      expect(harness.groupsOf('i-YufwpQAe')).toContain('g-nky7qeom')
    },
  )

  it('answers a dry run without binding', async () => {
    await expect(
      invoke({ ...loadEvent<Record<string, unknown>>('direct.json'), dryRun: true }),
    ).resolves.toMatchObject({ status: 'would-bind' })
    expect(harness.groupsOf('i-YufwpQAe')).toEqual(['g-4NxWoxeq'])
  })

  it.each([
    ['an invalid request', { instanceId: 'nope' }, 'ValidationError', []],
    [
      'a request inside EventBridge with a bad field',
      { ...loadEvent('eventbridge.json'), detail: { instanceId: 'i-YufwpQAe' } },
      'ValidationError',
      [],
    ],
    [
      'an unknown instance',
      { instanceId: 'i-Nope0000', securityGroupId: 'g-nky7qeom' },
      'InstanceNotFound',
      [],
    ],
    [
      'an unknown group',
      { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nope0000' },
      'SecurityGroupNotFound',
      [],
    ],
    [
      'a full instance',
      { instanceId: 'i-Fu11Ten0', securityGroupId: 'g-nky7qeom' },
      'SecurityGroupLimitExceeded',
      [],
    ],
    [
      'an expired instance',
      { instanceId: 'i-ExpIred1', securityGroupId: 'g-nky7qeom' },
      'InstanceExpired',
      [],
    ],
    [
      'BCC refusing it',
      loadEvent('direct.json'),
      'BceRequestRejected',
      [
        {
          match: { method: 'PUT' },
          action: { kind: 'status', status: 400, code: 'InappropriateJSON' },
        },
      ],
    ],
    [
      'BCC refusing our signature',
      loadEvent('direct.json'),
      'BceAuthFailed',
      [{ action: { kind: 'status', status: 400, code: 'SignatureDoesNotMatch' } }],
    ],
    [
      'BCC unavailable',
      loadEvent('direct.json'),
      'BceUnavailable',
      [{ action: { kind: 'status', status: 502 } }],
    ],
  ] as const)(
    'throws %s with the catalogue name %s for Step Functions to match',
    async (_what, event, name, faults) => {
      harness.emulator.setFaults([...faults])
      const error = await failure(event)

      expect(error.name).toBe(name)
      expect(ERROR_NAMES).toContain(error.name)
      expect(error.message).not.toMatch(/bce-auth-v1|SKtest|secret/i)
    },
  )

  it('does not report a bind that an HTML 200 page (not BCC) answered', async () => {
    harness.emulator.setFaults([
      { match: { method: 'PUT' }, action: { kind: 'html', status: 200 } },
    ])
    const error = await failure(loadEvent('direct.json'))

    expect(error.name).toBe('BceUnavailable')
    expect(harness.groupsOf('i-YufwpQAe')).toEqual(['g-4NxWoxeq'])
  })

  it('throws BceTimeout when BCC answers too slowly', async () => {
    const slow = await startFunctionHarness('workflow', {
      env: { BCC_TIMEOUT_MS: '100', BCC_MAX_ATTEMPTS: '1' },
    })
    try {
      slow.emulator.setFaults([{ action: { kind: 'latency', ms: 400 } }])
      expect(
        (await failure(loadEvent('direct.json'), createWorkflowHandler(slow.runtime))).name,
      ).toBe('BceTimeout')
    } finally {
      await slow.close()
    }
  })

  // The bug is in the backoff's sleep. BCC asks for a 1 s wait (Retry-After), so the sleep is
  // called whatever the jitter: a random jitter of 0 ms would skip it.
  it.each([0, 0.5, 1 - Number.EPSILON])(
    'throws UnexpectedError with a safe message for a bug (random source at %d)',
    async (random) => {
      const buggy = await startFunctionHarness('workflow', {
        runtime: {
          random: () => random,
          sleep: async () => {
            throw new RangeError('internal detail that must not leak')
          },
        },
      })
      try {
        buggy.emulator.setFaults([
          { count: 1, action: { kind: 'status', status: 503, retryAfter: 1 } },
        ])
        const error = await failure(loadEvent('direct.json'), createWorkflowHandler(buggy.runtime))
        expect(error.name).toBe('UnexpectedError')
        expect(error.message).toBe('An unexpected error occurred')
      } finally {
        await buggy.close()
      }
    },
  )

  it('throws ConfigError on every invocation when misconfigured', async () => {
    const { result: bad } = await captureOutput(() =>
      startFunctionHarness('workflow', { env: { BCC_ENDPOINT: 'http://10.1.2.3:8787' } }),
    )
    try {
      const h = createWorkflowHandler(bad.runtime)
      expect((await failure(loadEvent('direct.json'), h)).name).toBe('ConfigError')
      expect((await failure(loadEvent('direct.json'), h)).name).toBe('ConfigError')
    } finally {
      await bad.close()
    }
  })

  it('logs one line per outcome with the ids it could read', async () => {
    const { output } = await captureOutput(async () => {
      await handler(loadEvent('eventbridge.json'), lambdaContext())
      await handler(
        { instanceId: 'i-ExpIred1', securityGroupId: 'g-nky7qeom' },
        lambdaContext(),
      ).catch(() => undefined)
    })
    const outcomes = logLines(output).filter((line) => line.message === 'bind outcome')
    expect(outcomes.map((line) => [line.trigger, line.outcome, line.instanceId])).toEqual([
      ['workflow', 'bound', 'i-YufwpQAe'],
      ['workflow', 'InstanceExpired', 'i-ExpIred1'],
    ])
  })
})
