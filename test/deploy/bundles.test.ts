import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { recordOutcome } from '../../lib/observability/recordOutcome.js'
import { createFunctionRuntime, type Trigger } from '../../lib/runtime/functionRuntime.js'
import { SETTING_DEFAULTS } from '../../lib/schemas/config.js'
import { TIMEOUT_MS } from '../../local/gateway.js'
import { SECRET_STRINGS, TEST_CREDENTIALS, TEST_SECRETS } from '../support/credentials.js'
import { functionEnv, TEST_SEED } from '../support/functionHarness.js'
import {
  captureOutput,
  logLines,
  signedHttpEvent,
  TEST_WEBHOOK_SECRET,
  webhookHeaders,
} from '../support/lambda.js'
import { type OfflineRun, startOffline } from '../support/offline.js'
import { secretsFromStandIn, startSecretsManager } from '../support/secretsManager.js'

const run = promisify(execFile)

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, any>; Condition?: string }>
  Conditions: Record<string, unknown>
}

// One file builds dist/ and packages it: tests in other files run in parallel and must not
// rebuild dist/ under this one.
let dir: string
let template: Template

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sls-package-'))
  await run(process.execPath, ['scripts/build.mjs'])
  // Offline: osls packages without contacting AWS.
  await run(
    process.execPath,
    ['node_modules/serverless/bin/serverless.js', 'package', '--package', dir],
    {
      env: {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
      },
    },
  )
  template = JSON.parse(
    await readFile(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'),
  )
}, 120_000)
afterAll(() => rm(dir, { recursive: true, force: true }))

/**
 * Runs dist/http.mjs in a fresh node process, from a script `scriptName` in the package
 * directory, on a signed webhook binding i-YufwpQAe to g-nky7qeom, with `env` added to this
 * process's; returns the handler's answer, which the script writes as its last stderr line.
 */
async function bindThroughHttpBundle(scriptName: string, env: Record<string, string>) {
  const event = signedHttpEvent('http-api-v2.json', {
    instanceId: 'i-YufwpQAe',
    securityGroupId: 'g-nky7qeom',
  })
  const script = join(dir, scriptName)
  await writeFile(
    script,
    [
      `import { handler } from ${JSON.stringify(join(process.cwd(), 'dist/http.mjs'))}`,
      `const event = ${JSON.stringify(event)}`,
      "const context = { awsRequestId: 'bundle-test', functionName: 'http', getRemainingTimeInMillis: () => 10000 }",
      "process.stderr.write(JSON.stringify(await handler(event, context)) + '\\n')",
    ].join('\n'),
  )
  const { stderr } = await run(process.execPath, [script], { env: { ...process.env, ...env } })
  return JSON.parse(stderr.trim().split('\n').at(-1) as string)
}

describe('bundles', () => {
  it.each(['http', 'queue', 'workflow'])('dist/%s.mjs is at most 200 KB', async (name) => {
    const { size } = await stat(`dist/${name}.mjs`)
    expect(size).toBeLessThanOrEqual(200 * 1024)
  })

  describe('run in a fresh node process', () => {
    let emulator: Emulator
    let emptyModule: string
    beforeAll(async () => {
      emulator = await startEmulator({ seed: TEST_SEED, credentials: TEST_SECRETS })
      emptyModule = join(dir, 'empty.mjs')
      await writeFile(emptyModule, 'export {}\n')
    })
    afterAll(() => emulator.close())

    // CI runs this file on Node 20 and on Node 22 (.ci/run), so both load every bundle. On Node
    // 22 an ESM import of node:http loads Node's internal undici; `require` does not. Built-ins
    // load on first use: nothing at import needs TLS or web streams (@middy/core imports them),
    // nor fs/promises and Node's web streams (fetch-blob's unused loaders, scripts/build.mjs).
    it.each(['http', 'queue', 'workflow'])(
      'dist/%s.mjs loads, with the built-ins through require, on first use, and without undici',
      async (name) => {
        const { stdout } = await run(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            [
              // The ESM loader's own modules load with a first file (Node 20 reads it with
              // fs/promises); what the bundle loads is what comes after.
              `await import(${JSON.stringify(pathToFileURL(emptyModule).href)})`,
              'const before = new Set(process.moduleLoadList)',
              `const { handler } = await import(${JSON.stringify(pathToFileURL(join(process.cwd(), `dist/${name}.mjs`)).href)})`,
              'const loaded = process.moduleLoadList.filter((entry) => !before.has(entry))',
              "const undici = process.moduleLoadList.filter((entry) => entry.includes('undici'))",
              "const unused = ['https', 'tls', 'stream/web', 'internal/fs/promises', 'internal/webstreams/readablestream'].filter((name) => loaded.includes('NativeModule ' + name))",
              "process.stdout.write('LOADED ' + JSON.stringify({ handler: typeof handler, undici, unused }) + '\\n')",
            ].join('\n'),
          ],
          { env: { ...process.env, ...functionEnv(emulator), NODE_OPTIONS: '' } },
        )
        const line = stdout.split('\n').find((text) => text.startsWith('LOADED ')) as string
        expect(JSON.parse(line.slice('LOADED '.length))).toEqual({
          handler: 'function',
          undici: [],
          unused: [],
        })
        // The banner's `createRequire` is the one ESM import of a built-in left.
        const bundle = await readFile(`dist/${name}.mjs`, 'utf8')
        const esmBuiltins = [...bundle.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'](node:[\w/]+)/g)]
        expect(esmBuiltins.map((match) => match[1])).toEqual(['node:module'])
      },
    )

    it('dist/http.mjs handles a signed webhook against the emulator', async () => {
      const answer = await bindThroughHttpBundle('invoke-http.mjs', functionEnv(emulator))
      expect(answer.statusCode).toBe(200)
      expect(JSON.parse(answer.body)).toMatchObject({ status: 'bound', instanceId: 'i-YufwpQAe' })
      expect(
        emulator.state().instances.find((i) => i.id === 'i-YufwpQAe')?.securityGroupIds,
      ).toContain('g-nky7qeom')
    })

    it('dist/http.mjs reads its secrets from Secrets Manager (a stand-in) and binds', async () => {
      // The bundled node-fetch must read answers as the source does: a built-in required on
      // first use once turned each body into "[object Object]" (scripts/build.mjs).
      const secretsManager = await startSecretsManager({
        'bundle/bce': JSON.stringify(TEST_CREDENTIALS),
        'bundle/webhook': TEST_WEBHOOK_SECRET,
      })
      try {
        const answer = await bindThroughHttpBundle(
          'invoke-http-secrets.mjs',
          secretsFromStandIn(secretsManager, { bce: 'bundle/bce', webhook: 'bundle/webhook' })(
            functionEnv(emulator),
          ),
        )
        expect(answer.statusCode).toBe(200)
        expect(secretsManager.asked().sort()).toEqual(['bundle/bce', 'bundle/webhook'])
      } finally {
        await secretsManager.close()
      }
    })

    it("logs a bug's stack as generated, and scripts/decode-stack.mjs maps it to the TypeScript line", async () => {
      const event = signedHttpEvent('http-api-v2.json', {
        instanceId: 'i-YufwpQAe',
        securityGroupId: 'g-nky7qeom',
      })
      const script = join(dir, 'invoke-http-bug.mjs')
      // A context without getRemainingTimeInMillis: invocationDeadline's call to it throws a
      // TypeError, which no catalogue error names.
      await writeFile(
        script,
        [
          `import { handler } from ${JSON.stringify(join(process.cwd(), 'dist/http.mjs'))}`,
          `await handler(${JSON.stringify(event)}, { awsRequestId: 'bundle-bug', functionName: 'http' })`,
        ].join('\n'),
      )
      // As deployed: no NODE_OPTIONS, so no source-map support at run time.
      const { stdout, stderr } = await run(process.execPath, [script], {
        env: { ...process.env, ...functionEnv(emulator), NODE_OPTIONS: '' },
      })
      const line = `${stdout}\n${stderr}`
        .split('\n')
        .find((text) => text.includes('"message":"bind outcome"'))
      const stack = JSON.parse(line as string).errorStack as string[]
      expect(stack[0]).toMatch(/^at .*dist\/http\.mjs:\d+:\d+\)$/)

      const decode = execFile(process.execPath, ['scripts/decode-stack.mjs', '--maps', 'dist'])
      const decoded = new Promise<string>((resolve, reject) => {
        let text = ''
        decode.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk
        })
        decode.on('error', reject)
        decode.on('close', () => resolve(text))
      })
      decode.stdin?.end(stack.join('\n'))
      expect((await decoded).split('\n')[0]).toMatch(/^at .*\(lib\/usecases\/bind\.ts:\d+:\d+\)$/)
    })
  })
})

// serverless-offline runs the built bundles, so it lives in the one file that builds them.
describe('npm run offline: serverless offline --stage local against the emulator', () => {
  let offline: OfflineRun
  beforeAll(async () => {
    offline = await startOffline({
      BCE_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      BCE_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      BCE_SESSION_TOKEN: '',
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    })
  }, 120_000)
  afterAll(() => offline?.kill())

  const groupsOf = async (instanceId: string): Promise<string[]> => {
    const state = (await (await fetch(`${offline.emulatorUrl}/__emulator/state`)).json()) as {
      instances: { id: string; securityGroupIds: string[] }[]
    }
    return state.instances.find((instance) => instance.id === instanceId)?.securityGroupIds ?? []
  }
  // The signed BCC calls, leaving out the control API's own (these look-ups included).
  const bccCalls = async (): Promise<number> =>
    (
      (await (await fetch(`${offline.emulatorUrl}/__emulator/requests`)).json()) as {
        requests: { verdict: string }[]
      }
    ).requests.filter((request) => request.verdict !== 'unsigned-control').length

  it('binds a signed webhook (local stage: empty secret ids, keys from the shell); its replay is a 401 that calls nothing', async () => {
    const body = JSON.stringify({ instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' })
    const send = {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...webhookHeaders(body) },
    }
    expect(await groupsOf('i-YufwpQAe')).not.toContain('g-nky7qeom')

    const first = await fetch(`${offline.httpUrl}/bindings`, send)
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ status: 'bound', instanceId: 'i-YufwpQAe' })
    expect(await groupsOf('i-YufwpQAe')).toContain('g-nky7qeom')

    const callsBefore = await bccCalls()
    const replay = await fetch(`${offline.httpUrl}/bindings`, send)
    expect(replay.status).toBe(401)
    expect(await replay.json()).toMatchObject({ error: { code: 'Unauthorized' } })
    expect(await bccCalls()).toBe(callsBefore)
  })

  it('answers a Lambda Invoke of the workflow function; an unknown instance fails as InstanceNotFound', async () => {
    const answer = await fetch(
      `${offline.lambdaUrl}/2015-03-31/functions/bcc-sg-binder-local-workflow/invocations`,
      {
        method: 'POST',
        body: JSON.stringify({ instanceId: 'i-NoSuch00', securityGroupId: 'g-nky7qeom' }),
      },
    )
    expect(answer.status).toBe(200)
    expect(answer.headers.get('x-amz-function-error')).toBe('Unhandled')
    const failure = (await answer.json()) as { errorType: string; trace: string[] }
    // serverless-offline reports every thrown error as `Error`; the name (what Lambda puts in
    // errorType) survives only at the head of the stack trace.
    expect(failure.errorType).toBe('Error')
    expect(failure.trace[0]).toMatch(/^InstanceNotFound: /)
  })

  it('writes no key or webhook secret', () => {
    for (const secret of [...SECRET_STRINGS, TEST_WEBHOOK_SECRET]) {
      expect(offline.output()).not.toContain(secret)
    }
  })
})

const fn = (name: string) =>
  template.Resources[`${name}LambdaFunction`]?.Properties as Record<string, any>

describe('serverless package', () => {
  it('packages the three functions on nodejs22.x arm64 from their own bundles', () => {
    for (const name of ['Http', 'Queue', 'Workflow']) {
      expect(fn(name)).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: `dist/${name.toLowerCase()}.handler`,
      })
    }
  })

  it('gives every function an environment entry for every setting', () => {
    const shared = [
      'BCE_REGION',
      'BCE_CREDENTIALS_SECRET_ID',
      'BCC_ENDPOINT',
      'BCC_TIMEOUT_MS',
      'BCC_MAX_ATTEMPTS',
      'BCC_RETRY_BASE_MS',
      'BCC_RETRY_MAX_DELAY_MS',
      'DEADLINE_MARGIN_MS',
      'SECRETS_REFRESH_SECONDS',
    ]
    for (const name of ['Http', 'Queue', 'Workflow']) {
      expect(Object.keys(fn(name).Environment.Variables)).toEqual(expect.arrayContaining(shared))
    }
    expect(Object.keys(fn('Http').Environment.Variables)).toContain('WEBHOOK_SECRET_ID')
    expect(Object.keys(fn('Queue').Environment.Variables)).toEqual(
      expect.arrayContaining(['FAILURE_QUEUE_URL', 'QUEUE_CONCURRENCY']),
    )
  })

  it("sets every setting from a parameter whose default is the code's own default", () => {
    // SETTING_DEFAULTS is the one source in code; serverless.yml's params.default repeats it.
    const { QUEUE_CONCURRENCY, ...shared } = SETTING_DEFAULTS
    expect(fn('Workflow').Environment.Variables).toMatchObject({
      ...Object.fromEntries(Object.entries(shared).map(([name, value]) => [name, String(value)])),
      BCC_ENDPOINT: '',
      BCE_CREDENTIALS_SECRET_ID: 'bcc-sg-binder/bce-credentials',
    })
    expect(fn('Queue').Environment.Variables.QUEUE_CONCURRENCY).toBe(String(QUEUE_CONCURRENCY))
    expect(fn('Http').Environment.Variables.WEBHOOK_SECRET_ID).toBe('bcc-sg-binder/webhook-secret')
  })

  it('deploys no source-map flag: stack traces are decoded offline from the .map files', () => {
    for (const name of ['Http', 'Queue', 'Workflow']) {
      expect(fn(name).Environment.Variables.NODE_OPTIONS ?? '').not.toContain('source-maps')
    }
  })

  it('routes POST /bindings of an HTTP API to the http function', () => {
    const route = Object.values(template.Resources).find(
      (resource) => resource.Type === 'AWS::ApiGatewayV2::Route',
    )
    expect(route?.Properties.RouteKey).toBe('POST /bindings')
  })

  it('feeds the queue function with ReportBatchItemFailures from a queue with a redrive policy', () => {
    const mapping = Object.values(template.Resources).find(
      (resource) => resource.Type === 'AWS::Lambda::EventSourceMapping',
    )
    expect(mapping?.Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    })
    const queue = template.Resources.BindingsQueue?.Properties as Record<string, any>
    expect(queue.RedrivePolicy).toMatchObject({
      deadLetterTargetArn: { 'Fn::GetAtt': ['BindingsDeadLetterQueue', 'Arn'] },
    })
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn('Queue').Timeout)
  })

  it('deploys the Lambda timeouts the local gateway gives its functions', () => {
    expect({
      http: fn('Http').Timeout * 1000,
      queue: fn('Queue').Timeout * 1000,
      workflow: fn('Workflow').Timeout * 1000,
    }).toEqual(TIMEOUT_MS)
  })

  it('sends permanent failures to the dead-letter queue, the one place for failed messages', () => {
    expect(fn('Queue').Environment.Variables.FAILURE_QUEUE_URL).toEqual({
      Ref: 'BindingsDeadLetterQueue',
    })
    const queues = Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::SQS::Queue')
      .map(([name]) => name)
      .sort()
    expect(queues).toEqual(['BindingsDeadLetterQueue', 'BindingsQueue', 'WorkflowDeadLetterQueue'])
    const policies = template.Resources.QueueFunctionRole?.Properties.Policies as {
      PolicyName: string
      PolicyDocument: { Statement: { Resource: unknown }[] }
    }[]
    expect(
      policies.find((policy) => policy.PolicyName === 'send-failures')?.PolicyDocument.Statement,
    ).toEqual([
      expect.objectContaining({ Resource: { 'Fn::GetAtt': ['BindingsDeadLetterQueue', 'Arn'] } }),
    ])
  })

  it('gives each function a role with only what it needs', () => {
    const actions = (role: string) =>
      (
        (template.Resources[role] as Template['Resources'][string]).Properties.Policies as {
          PolicyDocument: { Statement: { Action: string | string[] }[] }
        }[]
      )
        .flatMap((policy) =>
          policy.PolicyDocument.Statement.flatMap((statement) => statement.Action),
        )
        .sort()
    expect(actions('HttpFunctionRole')).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
    ])
    expect(actions('WorkflowFunctionRole')).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
      'sqs:SendMessage',
    ])
    expect(actions('QueueFunctionRole')).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
      'sqs:SendMessage',
    ])
    expect(fn('Http').Role).toEqual({ 'Fn::GetAtt': ['HttpFunctionRole', 'Arn'] })
  })

  it('has an EventBridge rule for the workflow function, off unless asked for', () => {
    expect(template.Resources.BindRequestsRule).toMatchObject({
      Type: 'AWS::Events::Rule',
      Condition: 'EventBridgeRuleEnabled',
    })
  })

  describe('an event sent to the workflow function that keeps failing', () => {
    const deadLetterArn = { 'Fn::GetAtt': ['WorkflowDeadLetterQueue', 'Arn'] }
    const propertiesOf = (name: string) => {
      const resource = template.Resources[name]
      if (resource === undefined) throw new Error(`the template has no ${name}`)
      return resource.Properties
    }

    it('is kept in the workflow dead-letter queue for 14 days', () => {
      expect(template.Resources.WorkflowDeadLetterQueue).toMatchObject({
        Type: 'AWS::SQS::Queue',
        Properties: { MessageRetentionPeriod: 1209600 },
      })
      expect(template.Resources.WorkflowDeadLetterQueue?.Condition).toBeUndefined()
    })

    it('when EventBridge cannot deliver it: the rule target retries, then dead-letters it', () => {
      const [target] = propertiesOf('BindRequestsRule').Targets
      expect(target).toMatchObject({
        Arn: { 'Fn::GetAtt': ['WorkflowLambdaFunction', 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: deadLetterArn },
      })
      // Only this rule may send to the queue, and only when the rule exists.
      expect(template.Resources.BindRequestsRuleDeadLetterPolicy).toEqual({
        Type: 'AWS::SQS::QueuePolicy',
        Condition: 'EventBridgeRuleEnabled',
        Properties: {
          Queues: [{ Ref: 'WorkflowDeadLetterQueue' }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: deadLetterArn,
                Condition: {
                  ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['BindRequestsRule', 'Arn'] } },
                },
              },
            ],
          },
        },
      })
    })

    it('when the function fails after Lambda retries an asynchronous invocation: onFailure', () => {
      expect(template.Resources.WorkflowLambdaEvConf).toMatchObject({
        Type: 'AWS::Lambda::EventInvokeConfig',
        Properties: {
          FunctionName: { Ref: 'WorkflowLambdaFunction' },
          Qualifier: '$LATEST',
          DestinationConfig: { OnFailure: { Destination: deadLetterArn } },
        },
      })
      // Lambda sends the record with the function's own role.
      const statements = (
        propertiesOf('WorkflowFunctionRole').Policies as {
          PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] }
        }[]
      ).flatMap((policy) => policy.PolicyDocument.Statement)
      expect(statements).toContainEqual({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: deadLetterArn,
      })
    })
  })
})

const resource = (name: string) => template.Resources[name] as Template['Resources'][string]
const ofType = (type: string) =>
  Object.entries(template.Resources).filter(([, each]) => each.Type === type)

describe('serverless package: the fleet state machine, limits and alarms', () => {
  it('deploys bind-many from its definition file, with the workflow function and concurrency 10 filled in', async () => {
    const machine = resource('BindManyStateMachine')
    expect(machine.Type).toBe('AWS::StepFunctions::StateMachine')
    expect(machine.Properties.Definition).toEqual(
      JSON.parse(
        await readFile(new URL('../../statemachines/bind-many.asl.json', import.meta.url), 'utf8'),
      ),
    )
    expect(machine.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      RoleArn: { 'Fn::GetAtt': ['BindManyStateMachineRole', 'Arn'] },
      DefinitionSubstitutions: {
        WorkflowFunctionArn: { 'Fn::GetAtt': ['WorkflowLambdaFunction', 'Arn'] },
        MapMaxConcurrency: 10,
      },
    })
  })

  it('lets the state machine invoke the workflow function and nothing else', () => {
    const role = resource('BindManyStateMachineRole').Properties
    expect(role.AssumeRolePolicyDocument.Statement).toMatchObject([
      { Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ])
    expect(role.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement)).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': ['WorkflowLambdaFunction', 'Arn'] },
      },
    ])
    expect(role.ManagedPolicyArns).toBeUndefined()
    // Any other policy on the role is X-Ray's, and only while tracing is on.
    const others = ofType('AWS::IAM::Policy').filter(([, policy]) =>
      JSON.stringify(policy.Properties.Roles).includes('BindManyStateMachineRole'),
    )
    expect(others.map(([name]) => name)).toEqual(['TracingPolicy'])
  })

  it('caps the queue function at 5 instances at once through the event source', () => {
    const [[, mapping] = []] = ofType('AWS::Lambda::EventSourceMapping')
    expect(mapping?.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 5 })
  })

  it('turns X-Ray tracing on for the functions and the state machine only when the tracing param says so', () => {
    expect(template.Conditions.TracingEnabled).toEqual({ 'Fn::Equals': ['false', 'true'] })
    for (const name of ['Http', 'Queue', 'Workflow']) {
      expect(fn(name).TracingConfig).toEqual({
        Mode: { 'Fn::If': ['TracingEnabled', 'Active', 'PassThrough'] },
      })
    }
    expect(resource('BindManyStateMachine').Properties.TracingConfiguration).toEqual({
      Enabled: { 'Fn::If': ['TracingEnabled', true, false] },
    })
    const tracing = resource('TracingPolicy')
    expect(tracing.Condition).toBe('TracingEnabled')
    expect(tracing.Properties.Roles).toEqual(
      [
        'HttpFunctionRole',
        'QueueFunctionRole',
        'WorkflowFunctionRole',
        'BindManyStateMachineRole',
      ].map((role) => ({ Ref: role })),
    )
    expect(
      tracing.Properties.PolicyDocument.Statement.flatMap((statement: any) => statement.Action),
    ).toEqual([
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
    ])
  })

  it('sends every alarm to an SNS topic of the stack, and subscribes an e-mail address only when given', () => {
    expect(resource('AlarmTopic').Type).toBe('AWS::SNS::Topic')
    expect(resource('AlarmEmailSubscription')).toMatchObject({
      Type: 'AWS::SNS::Subscription',
      Condition: 'AlarmEmailGiven',
      Properties: { TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email' },
    })
    expect(template.Conditions.AlarmEmailGiven).toEqual({
      'Fn::Not': [{ 'Fn::Equals': ['', ''] }],
    })
    const alarms = ofType('AWS::CloudWatch::Alarm')
    expect(alarms).toHaveLength(11)
    for (const [, alarm] of alarms) {
      expect(alarm.Properties).toMatchObject({
        AlarmActions: [{ Ref: 'AlarmTopic' }],
        OKActions: [{ Ref: 'AlarmTopic' }],
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      })
    }
  })

  it.each([
    [
      'DeadLetterMessagesAlarm',
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'QueueName',
      { 'Fn::GetAtt': ['BindingsDeadLetterQueue', 'QueueName'] },
      0,
    ],
    [
      'WorkflowDeadLetterMessagesAlarm',
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'QueueName',
      { 'Fn::GetAtt': ['WorkflowDeadLetterQueue', 'QueueName'] },
      0,
    ],
    ['HttpErrorsAlarm', 'AWS/Lambda', 'Errors', 'FunctionName', { Ref: 'HttpLambdaFunction' }, 0],
    ['QueueErrorsAlarm', 'AWS/Lambda', 'Errors', 'FunctionName', { Ref: 'QueueLambdaFunction' }, 0],
    [
      'WorkflowErrorsAlarm',
      'AWS/Lambda',
      'Errors',
      'FunctionName',
      { Ref: 'WorkflowLambdaFunction' },
      10,
    ],
    [
      'HttpThrottlesAlarm',
      'AWS/Lambda',
      'Throttles',
      'FunctionName',
      { Ref: 'HttpLambdaFunction' },
      0,
    ],
    [
      'QueueThrottlesAlarm',
      'AWS/Lambda',
      'Throttles',
      'FunctionName',
      { Ref: 'QueueLambdaFunction' },
      0,
    ],
    [
      'WorkflowThrottlesAlarm',
      'AWS/Lambda',
      'Throttles',
      'FunctionName',
      { Ref: 'WorkflowLambdaFunction' },
      0,
    ],
    ['HttpApi5xxAlarm', 'AWS/ApiGateway', '5xx', 'ApiId', { Ref: 'HttpApi' }, 5],
    [
      'FailedExecutionsAlarm',
      'AWS/States',
      'ExecutionsFailed',
      'StateMachineArn',
      { Ref: 'BindManyStateMachine' },
      0,
    ],
  ])(
    "%s watches %s %s of the stack's resource",
    (name, namespace, metric, dimension, value, threshold) => {
      expect(resource(name).Properties).toMatchObject({
        Namespace: namespace,
        MetricName: metric,
        Dimensions: [{ Name: dimension, Value: value }],
        Period: 300,
        Threshold: threshold,
      })
      const target = Object.values(value)[0]
      const logicalId = Array.isArray(target) ? target[0] : target
      expect(template.Resources[logicalId]).toBeDefined()
    },
  )

  it('watches the Outcome metric of BceAuthFailed with exactly the namespace and dimensions the functions emit', async () => {
    const alarm = resource('BceAuthFailedAlarm').Properties
    const { output } = await captureOutput(async () => {
      for (const trigger of ['http', 'queue', 'workflow'] as Trigger[]) {
        recordOutcome(createFunctionRuntime(trigger, {}), { trigger, outcome: 'BceAuthFailed' })
      }
    })
    const emitted = logLines(output)
      .filter((line) => line._aws !== undefined)
      .map((line: any) => {
        const [directive] = line._aws.CloudWatchMetrics
        const [dimensions] = directive.Dimensions as string[][]
        return {
          Namespace: directive.Namespace,
          MetricName: 'Outcome',
          Dimensions: (dimensions ?? []).map((name) => ({ Name: name, Value: line[name] })),
        }
      })
    expect(emitted).toHaveLength(3)
    const watched = alarm.Metrics.filter((metric: any) => metric.MetricStat !== undefined)
    expect(watched.map((metric: any) => metric.MetricStat.Metric)).toEqual(emitted)
    expect(watched.map((metric: any) => metric.MetricStat.Stat)).toEqual(['Sum', 'Sum', 'Sum'])
    expect(alarm.Metrics.find((metric: any) => metric.ReturnData === true)).toMatchObject({
      Expression: 'FILL(http, 0) + FILL(queue, 0) + FILL(workflow, 0)',
    })
    expect(alarm.Threshold).toBe(0)
  })
})
