import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import { afterEach, describe, expect, it } from 'vitest'
import { InstanceExpired } from '../../lib/errors/catalogue.js'
import { createHttpHandler } from '../../lib/handlers/httpHandler.js'
import { createQueueHandler } from '../../lib/handlers/queueHandler.js'
import { createWorkflowHandler } from '../../lib/handlers/workflowHandler.js'
import { AwsCallTimeoutError } from '../../lib/runtime/awsCalls.js'
import { createFailureQueue } from '../../lib/runtime/failureQueue.js'
import { SETTING_DEFAULTS } from '../../lib/schemas/config.js'
import { FAILURE_QUEUE_URL } from '../reliability/support/triggers.js'
import { type AwsStandIn, startAwsStandIn } from '../support/awsStandIn.js'
import { TEST_CREDENTIALS } from '../support/credentials.js'
import { fakeTiming } from '../support/fakeTiming.js'
import { type FunctionHarness, startFunctionHarness } from '../support/functionHarness.js'
import {
  captureOutput,
  lambdaContext,
  loadEvent,
  logLines,
  OTHER_WEBHOOK_SECRET,
  signedHttpEvent,
  TEST_WEBHOOK_SECRET,
} from '../support/lambda.js'
import { rejection } from '../support/rejection.js'
import {
  SERVED_SECRETS,
  type SecretsManagerStandIn,
  secretsFromStandIn,
  startSecretsManager,
} from '../support/secretsManager.js'
import { virtualTime } from '../support/virtualTime.js'

/**
 * AWS services that do not answer, played by real loopback servers: one that the real SQS SDK
 * client talks to, and the signature-checking Secrets Manager stand-in the secrets fetcher
 * calls without the SDK. Timeouts are made short through the runtime's options or the Lambda context's
 * remaining time, never waited out at their production length.
 */

const MARGIN_MS = SETTING_DEFAULTS.DEADLINE_MARGIN_MS
const BIND = { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' }
const GENERIC_CONFIG_ERROR = {
  error: {
    code: 'ConfigError',
    message: 'The function is not configured correctly; its logs say how',
  },
}

let standIn: AwsStandIn | undefined
let secretsManager: SecretsManagerStandIn | undefined
let harness: FunctionHarness | undefined
afterEach(async () => {
  await harness?.close()
  await standIn?.close()
  await secretsManager?.close()
  harness = undefined
  standIn = undefined
  secretsManager = undefined
})

let ids = 0
function record(body: unknown): SQSRecord {
  const [sample] = loadEvent<SQSEvent>('sqs-standard.json').Records as [SQSRecord]
  return {
    ...sample,
    messageId: `msg-slow-${++ids}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }
}

const reported = (response: SQSBatchResponse) =>
  response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()

const linesWith = (output: string, message: string) =>
  logLines(output).filter((line) => line.message === message)

describe('a failure queue that does not answer', () => {
  it('reports the records whose failure message SQS did not take in time; every other record keeps its outcome and log line', async () => {
    standIn = await startAwsStandIn()
    harness = await startFunctionHarness('queue', {
      env: { FAILURE_QUEUE_URL },
      runtime: { aws: { clientConfig: standIn.clientConfig, callTimeoutMs: 100 } },
    })
    harness.emulator.setFaults([
      { match: { instanceId: 'i-Web2Demo' }, action: { kind: 'status', status: 503 } },
    ])
    const ok = record(BIND)
    const retryable = record({ instanceId: 'i-Web2Demo', securityGroupId: 'g-nky7qeom' })
    const permanent = record({ instanceId: 'i-ExpIred1', securityGroupId: 'g-nky7qeom' })
    const unparseable = record('not json')
    const { result, output } = await captureOutput(() =>
      createQueueHandler((harness as FunctionHarness).runtime)(
        { Records: [ok, retryable, permanent, unparseable] },
        lambdaContext(),
      ),
    )

    // SQS delivers the two again; their redrive policy still counts the receives.
    expect(reported(result)).toEqual(
      [retryable, permanent, unparseable].map((r) => r.messageId).sort(),
    )
    expect(harness.groupsOf('i-YufwpQAe')).toContain('g-nky7qeom')
    const outcomes = Object.fromEntries(
      linesWith(output, 'bind outcome').map((line) => [
        line.messageId,
        [line.outcome, line.disposition],
      ]),
    )
    expect(outcomes).toEqual({
      [ok.messageId]: ['bound', 'done'],
      [retryable.messageId]: ['BceUnavailable', 'redeliver'],
      [permanent.messageId]: ['InstanceExpired', 'redeliver'],
      [unparseable.messageId]: ['ValidationError', 'redeliver'],
    })
    const unsent = linesWith(
      output,
      'could not send to the failure queue; the record stays on its queue',
    )
    expect(unsent.map((line) => [line.messageId, line.sendError, line.timeoutMs]).sort()).toEqual(
      [permanent, unparseable]
        .map((r) => [r.messageId, 'AwsCallTimeoutError', 100])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    )
    // Whatever reached SQS in the time given was given up, connection and all. (The first
    // send also loads the SDK, which may take the whole 100 ms of a busy machine.)
    expect(standIn.targets().every((target) => target === 'AmazonSQS.SendMessage')).toBe(true)
    await standIn.abandoned(standIn.targets().length)
    expect(output).not.toContain(TEST_CREDENTIALS.secretAccessKey)
  })

  it('cuts the send to the time left before the deadline margin', async () => {
    standIn = await startAwsStandIn()
    // A frozen clock: the time left is exactly what the context says, less the margin.
    const { clock } = fakeTiming(Date.now())
    harness = await startFunctionHarness('queue', {
      env: { FAILURE_QUEUE_URL },
      runtime: { clock, aws: { clientConfig: standIn.clientConfig } },
    })
    const unparseable = record('not json')
    const { result, output } = await captureOutput(() =>
      createQueueHandler((harness as FunctionHarness).runtime)(
        { Records: [unparseable] },
        lambdaContext(MARGIN_MS + 150),
      ),
    )

    expect(reported(result)).toEqual([unparseable.messageId])
    const [unsent] = linesWith(
      output,
      'could not send to the failure queue; the record stays on its queue',
    )
    expect(unsent).toMatchObject({ sendError: 'AwsCallTimeoutError', timeoutMs: 150 })
  })

  it('sends nothing when the deadline has already passed', async () => {
    standIn = await startAwsStandIn()
    const { clock } = fakeTiming()
    const queue = createFailureQueue(FAILURE_QUEUE_URL, clock, {
      clientConfig: standIn.clientConfig,
    })
    const error = await rejection(
      queue.send(record('{}'), new InstanceExpired('expired'), clock.now() - 1),
    )

    expect(error).toBeInstanceOf(AwsCallTimeoutError)
    expect(error).toMatchObject({ timeoutMs: 0 })
    expect(standIn.targets()).toEqual([])
  })
})

describe('a Secrets Manager that does not answer at cold start', () => {
  it('answers HTTP 500 with the generic body before the deadline, and logs ConfigError naming the cause', async () => {
    secretsManager = await startSecretsManager()
    secretsManager.silence()
    harness = await startFunctionHarness('http', {
      replaceEnv: secretsFromStandIn(secretsManager),
      runtime: {},
    })
    const { result, output } = await captureOutput(() =>
      createHttpHandler((harness as FunctionHarness).runtime)(
        signedHttpEvent('http-api-v2.json', BIND) as never,
        lambdaContext(MARGIN_MS + 100),
      ),
    )

    expect(result.statusCode).toBe(500)
    expect(JSON.parse(result.body)).toEqual(GENERIC_CONFIG_ERROR)
    const [line] = linesWith(output, 'bind outcome')
    expect(line).toMatchObject({
      outcome: 'ConfigError',
      errorMessage:
        'Invalid configuration: secrets: could not be loaded from Secrets Manager (no answer within the 100 ms left before the deadline)',
    })
    expect(harness.bceCalls()).toHaveLength(0)
  })

  it('fails a workflow step with ConfigError naming the cause', async () => {
    secretsManager = await startSecretsManager()
    secretsManager.silence()
    harness = await startFunctionHarness('workflow', {
      replaceEnv: secretsFromStandIn(secretsManager),
      runtime: {},
    })
    const { result: error } = await captureOutput(() =>
      rejection(
        createWorkflowHandler((harness as FunctionHarness).runtime)(
          loadEvent('direct.json'),
          lambdaContext(MARGIN_MS + 100),
        ),
      ),
    )

    expect(error).toMatchObject({
      name: 'ConfigError',
      message:
        'Invalid configuration: secrets: could not be loaded from Secrets Manager (no answer within the 100 ms left before the deadline)',
    })
  })

  it('fails a queue invocation with ConfigError, so SQS keeps the whole batch', async () => {
    secretsManager = await startSecretsManager()
    secretsManager.silence()
    harness = await startFunctionHarness('queue', {
      replaceEnv: secretsFromStandIn(secretsManager),
      runtime: {},
    })
    const { result: error } = await captureOutput(() =>
      rejection(
        createQueueHandler((harness as FunctionHarness).runtime)(
          { Records: [record(BIND)] },
          lambdaContext(MARGIN_MS + 100),
        ),
      ),
    )

    expect(error).toMatchObject({ name: 'ConfigError' })
    expect(harness.bceCalls()).toHaveLength(0)
  })

  it('gives the fetch its own timeout, and the SDK gives the call up', async () => {
    secretsManager = await startSecretsManager()
    secretsManager.silence()
    harness = await startFunctionHarness('workflow', {
      replaceEnv: secretsFromStandIn(secretsManager),
      runtime: { aws: { callTimeoutMs: 50 } },
    })
    const { result: error } = await captureOutput(() =>
      rejection(
        createWorkflowHandler((harness as FunctionHarness).runtime)(
          loadEvent('direct.json'),
          lambdaContext(),
        ),
      ),
    )

    expect(error).toMatchObject({
      name: 'ConfigError',
      message:
        'Invalid configuration: secrets: could not be loaded from Secrets Manager (Secrets Manager had no answer within 50 ms)',
    })
    // Whatever reached Secrets Manager in the time given was given up, connection and all.
    const targets = secretsManager.targets()
    expect(targets.every((target) => target === 'secretsmanager.GetSecretValue')).toBe(true)
    await secretsManager.abandoned(targets.length)
  })
})

describe('a refresh that fails or does not answer, once secrets were fetched', () => {
  const WARNING = 'Could not refresh the secrets; the values fetched before stay'

  it.each([
    ['fails', (stand: SecretsManagerStandIn) => stand.serve({}), 10_000],
    ['does not answer', (stand: SecretsManagerStandIn) => stand.silence(), 50],
  ] as const)(
    'when it %s, keeps serving the cached secrets with a warning, and tries again at the next refresh',
    async (_what, breakIt, brokenTimeoutMs) => {
      secretsManager = await startSecretsManager(SERVED_SECRETS)
      const time = virtualTime()
      // Calls that should succeed get time enough on a busy machine; a hanging one 50 ms.
      const aws = { callTimeoutMs: 10_000 }
      harness = await startFunctionHarness('http', {
        replaceEnv: secretsFromStandIn(secretsManager),
        runtime: { clock: time.clock, aws },
      })
      const handler = createHttpHandler(harness.runtime)
      const invoke = (secret = TEST_WEBHOOK_SECRET) =>
        captureOutput(() =>
          handler(signedHttpEvent('http-api-v2.json', BIND, { secret }) as never, lambdaContext()),
        )

      expect((await invoke()).result.statusCode).toBe(200)
      expect(secretsManager.asked()).toHaveLength(2)

      breakIt(secretsManager)
      aws.callTimeoutMs = brokenTimeoutMs
      await time.sleep(61_000)
      const during = await invoke()
      expect(during.result.statusCode).toBe(200)
      const warnings = linesWith(during.output, WARNING)
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatchObject({ level: 'WARN', nextRefreshInSeconds: 60 })
      expect(String(warnings[0]?.reason)).toMatch(
        /^Invalid configuration: secrets: could not be loaded from Secrets Manager \(/,
      )
      expect(during.output).not.toContain(TEST_CREDENTIALS.secretAccessKey)

      // Not at every invocation but at the next refresh: an invocation waits for a refresh it
      // starts, so one that started none has no warning.
      const after = await invoke()
      expect(after.result.statusCode).toBe(200)
      expect(linesWith(after.output, WARNING)).toEqual([])

      secretsManager.serve({ ...SERVED_SECRETS, 'bcc-sg-binder/webhook': OTHER_WEBHOOK_SECRET })
      aws.callTimeoutMs = 10_000
      await time.sleep(61_000)
      expect((await invoke(OTHER_WEBHOOK_SECRET)).result.statusCode).toBe(200)
    },
  )
})
