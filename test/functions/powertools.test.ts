import { Logger } from '@aws-lambda-powertools/logger'
import type { SQSEvent } from 'aws-lambda'
import { afterEach, describe, expect, it } from 'vitest'
import type { Trigger } from '../../lib/runtime/functionRuntime.js'
import { handlerFor } from '../reliability/support/triggers.js'
import { startFunctionHarness } from '../support/functionHarness.js'
import {
  captureOutput,
  lambdaContext,
  loadEvent,
  logLines,
  signedHttpEvent,
} from '../support/lambda.js'

/**
 * Powertools' own variables: POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE win over
 * our defaults, as Powertools users expect; POWERTOOLS_LOGGER_LOG_EVENT never makes a function
 * log a raw event (webhook signatures, whole bodies).
 */

const BIND = { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' }
const LOG_EVENT = 'POWERTOOLS_LOGGER_LOG_EVENT'

afterEach(() => {
  delete process.env[LOG_EVENT]
})

/** One invocation of `trigger`'s function with its sample event, and what it wrote. */
async function invokeOnce(trigger: Trigger, env: Record<string, string> = {}) {
  const harness = await startFunctionHarness(trigger, { env })
  try {
    const event =
      trigger === 'http'
        ? signedHttpEvent('http-api-v2.json', BIND)
        : trigger === 'queue'
          ? loadEvent<SQSEvent>('sqs-standard.json')
          : loadEvent('direct.json')
    const { output } = await captureOutput(() =>
      handlerFor(trigger, harness.runtime)(event, lambdaContext()),
    )
    return { event, output }
  } finally {
    await harness.close()
  }
}

describe('Powertools settings', () => {
  it.each(['http', 'queue', 'workflow'] as const)(
    'the %s function never logs the raw event, even with POWERTOOLS_LOGGER_LOG_EVENT=true',
    async (trigger) => {
      process.env[LOG_EVENT] = 'true'
      // The setting is in effect: a Logger of its own would log the event.
      const { output: control } = await captureOutput(async () =>
        new Logger().logEventIfEnabled({ probe: 'event' }),
      )
      expect(control).toContain('Lambda invocation event')

      const { event, output } = await invokeOnce(trigger)

      expect(output).not.toContain('Lambda invocation event')
      expect(logLines(output).some((line) => 'event' in line)).toBe(false)
      if (trigger === 'http') {
        const signature = (event as { headers: Record<string, string> }).headers[
          'webhook-signature'
        ]
        expect(output).not.toContain(signature?.slice(3))
      }
    },
  )

  it('takes the service name and the metrics namespace from their variables', async () => {
    const { output } = await invokeOnce('http', {
      POWERTOOLS_SERVICE_NAME: 'binder-prod',
      POWERTOOLS_METRICS_NAMESPACE: 'Acme/Binder',
    })
    const lines = logLines(output)
    expect(lines.find((line) => line.message === 'bind outcome')).toMatchObject({
      service: 'binder-prod',
    })
    const emf = lines.find((line) => '_aws' in line) as {
      service: string
      _aws: { CloudWatchMetrics: { Namespace: string }[] }
    }
    expect(emf.service).toBe('binder-prod')
    expect(emf._aws.CloudWatchMetrics[0]?.Namespace).toBe('Acme/Binder')
  })

  it('falls back to its own names when the variables are unset or empty', async () => {
    const { output } = await invokeOnce('workflow', {
      POWERTOOLS_SERVICE_NAME: '',
      POWERTOOLS_METRICS_NAMESPACE: '',
    })
    const lines = logLines(output)
    expect(lines.find((line) => line.message === 'bind outcome')).toMatchObject({
      service: 'bcc-sg-binder',
    })
    const emf = lines.find((line) => '_aws' in line) as {
      _aws: { CloudWatchMetrics: { Namespace: string }[] }
    }
    expect(emf._aws.CloudWatchMetrics[0]?.Namespace).toBe('BccSgBinder')
  })
})

describe('metrics', () => {
  it('measure each outcome: its count, the attempts and the whole bind as BindDuration (and BceLatency, its former name)', async () => {
    const { output } = await invokeOnce('workflow')
    const emf = logLines(output).find((line) => '_aws' in line) as {
      outcome: string
      Outcome: number
      Attempts: number
      BindDuration: number
      BceLatency: number
      _aws: { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] }
    }
    const names = emf._aws.CloudWatchMetrics[0]?.Metrics.map((metric) => metric.Name)
    expect(names).toEqual(['Outcome', 'Attempts', 'BindDuration', 'BceLatency'])
    expect(emf.Outcome).toBe(1)
    expect(emf.Attempts).toBeGreaterThanOrEqual(1)
    expect(emf.BindDuration).toBeGreaterThanOrEqual(0)
    expect(emf.BceLatency).toBe(emf.BindDuration)
  })
})
