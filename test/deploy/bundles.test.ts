import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from '../../emulator/index.js'
import { TEST_SECRETS } from '../support/credentials.js'
import { functionEnv, TEST_SEED } from '../support/functionHarness.js'
import { signedHttpEvent } from '../support/lambda.js'

const run = promisify(execFile)

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, any>; Condition?: string }>
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

describe('bundles', () => {
  it.each(['http', 'queue', 'workflow'])('dist/%s.mjs is at most 200 KB', async (name) => {
    const { size } = await stat(`dist/${name}.mjs`)
    expect(size).toBeLessThanOrEqual(200 * 1024)
  })

  describe('run in a fresh node process', () => {
    let emulator: Emulator
    beforeAll(async () => {
      emulator = await startEmulator({ seed: TEST_SEED, credentials: TEST_SECRETS })
    })
    afterAll(() => emulator.close())

    // CI runs this file on Node 20 and on Node 22 (.ci/run), so both load every bundle. On Node
    // 22 an ESM import of node:http loads Node's internal undici; `require` does not. Built-ins
    // load on first use: nothing at import needs TLS or web streams (@middy/core imports them).
    it.each(['http', 'queue', 'workflow'])(
      'dist/%s.mjs loads, with the built-ins through require, on first use, and without undici',
      async (name) => {
        const { stdout } = await run(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            [
              `const { handler } = await import(${JSON.stringify(pathToFileURL(join(process.cwd(), `dist/${name}.mjs`)).href)})`,
              "const undici = process.moduleLoadList.filter((entry) => entry.includes('undici'))",
              "const unused = ['https', 'tls', 'stream/web'].filter((name) => process.moduleLoadList.includes('NativeModule ' + name))",
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
      const event = signedHttpEvent('http-api-v2.json', {
        instanceId: 'i-YufwpQAe',
        securityGroupId: 'g-nky7qeom',
      })
      const script = join(dir, 'invoke-http.mjs')
      await writeFile(
        script,
        [
          `import { handler } from ${JSON.stringify(join(process.cwd(), 'dist/http.mjs'))}`,
          `const event = ${JSON.stringify(event)}`,
          "const context = { awsRequestId: 'bundle-test', functionName: 'http', getRemainingTimeInMillis: () => 10000 }",
          "process.stderr.write(JSON.stringify(await handler(event, context)) + '\\n')",
        ].join('\n'),
      )
      const { stderr } = await run(process.execPath, [script], {
        env: { ...process.env, ...functionEnv(emulator) },
      })
      const answer = JSON.parse(stderr.trim().split('\n').at(-1) as string)
      expect(answer.statusCode).toBe(200)
      expect(JSON.parse(answer.body)).toMatchObject({ status: 'bound', instanceId: 'i-YufwpQAe' })
      expect(
        emulator.state().instances.find((i) => i.id === 'i-YufwpQAe')?.securityGroupIds,
      ).toContain('g-nky7qeom')
    })

    it("logs a bug's stack as generated, and scripts/decode-stack.mjs maps it to the TypeScript line", async () => {
      const event = signedHttpEvent('http-api-v2.json', {
        instanceId: 'i-YufwpQAe',
        securityGroupId: 'g-nky7qeom',
      })
      const script = join(dir, 'invoke-http-bug.mjs')
      // A context without getRemainingTimeInMillis: deadlineAndRetry's call to it throws a
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
      expect((await decoded).split('\n')[0]).toMatch(
        /^at .*\(lib\/middleware\/deadlineAndRetry\.ts:\d+:\d+\)$/,
      )
    })
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
})
