import type { SQSEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { TEST_SECRETS } from '../support/credentials.js'
import { functionEnv, TEST_SEED } from '../support/functionHarness.js'
import { captureOutput, lambdaContext, loadEvent, signedHttpEvent } from '../support/lambda.js'

// The entry points read process.env at import, as Lambda's cold start does.
let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({ seed: TEST_SEED, credentials: TEST_SECRETS })
  Object.assign(process.env, functionEnv(emulator))
})
afterAll(() => emulator.close())

describe('functions/*.ts entry points', () => {
  it('functions/http.ts exports a handler configured from the environment', async () => {
    const { handler } = await import('../../functions/http.js')
    const { result } = await captureOutput(() =>
      handler(
        signedHttpEvent('http-api-v2.json', {
          instanceId: 'i-YufwpQAe',
          securityGroupId: 'g-nky7qeom',
        }) as never,
        lambdaContext(),
      ),
    )
    expect(result.statusCode).toBe(200)
  })

  it('functions/queue.ts exports a handler configured from the environment', async () => {
    const { handler } = await import('../../functions/queue.js')
    const { result } = await captureOutput(() =>
      handler(loadEvent<SQSEvent>('sqs-standard.json'), lambdaContext()),
    )
    expect(result).toEqual({ batchItemFailures: [] })
  })

  it('functions/workflow.ts exports a handler configured from the environment', async () => {
    const { handler } = await import('../../functions/workflow.js')
    const { result } = await captureOutput(() =>
      handler(loadEvent('eventbridge.json'), lambdaContext()),
    )
    expect(result).toMatchObject({ instanceId: 'i-YufwpQAe' })
  })
})
