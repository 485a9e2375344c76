import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpHandler } from '../../lib/handlers/httpHandler.js'
import { createQueueHandler } from '../../lib/handlers/queueHandler.js'
import { createWorkflowHandler } from '../../lib/handlers/workflowHandler.js'
import { createFunctionRuntime } from '../../lib/runtime/functionRuntime.js'
import { LOCAL_WEBHOOK_SECRET } from '../../local/constants.js'
import { type LocalGateway, startLocalGateway } from '../../local/gateway.js'
import { sendWebhook } from '../../local/sendWebhook.js'
import {
  type FunctionHarness,
  functionEnv,
  startFunctionHarness,
} from '../support/functionHarness.js'
import { captureOutput } from '../support/lambda.js'

const run = promisify(execFile)

let harness: FunctionHarness
let gateway: LocalGateway
const reports: string[] = []

beforeAll(async () => {
  harness = await startFunctionHarness('http')
  const env = functionEnv(harness.emulator, { WEBHOOK_SECRET: LOCAL_WEBHOOK_SECRET })
  gateway = await startLocalGateway({
    host: '127.0.0.1',
    port: 0,
    emulator: harness.emulator,
    report: (text) => reports.push(text),
    handlers: {
      http: createHttpHandler(createFunctionRuntime('http', env)),
      queue: createQueueHandler(createFunctionRuntime('queue', env)),
      workflow: createWorkflowHandler(createFunctionRuntime('workflow', env)),
    },
  })
})
afterAll(async () => {
  await gateway.close()
  await harness.close()
})

const post = (path: string, body: unknown) =>
  captureOutput(async () => {
    const response = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as any }
  }).then(({ result }) => result)

describe('local gateway', () => {
  it('runs the HTTP function on POST /bindings with a signed webhook, and reports the state', async () => {
    const { result } = await captureOutput(() =>
      sendWebhook(`${gateway.url}/bindings`, LOCAL_WEBHOOK_SECRET, {
        instanceId: 'i-YufwpQAe',
        securityGroupId: 'g-nky7qeom',
      }),
    )
    expect(result.status).toBe(200)
    expect(JSON.parse(result.body)).toMatchObject({ status: 'bound', instanceId: 'i-YufwpQAe' })
    expect(reports.at(-1)).toContain('i-YufwpQAe (Running): g-4NxWoxeq, g-nky7qeom')
  })

  it('refuses an unsigned POST /bindings with 401', async () => {
    expect(
      (await post('/bindings', { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' })).status,
    ).toBe(401)
  })

  it('runs the queue function on POST /queue and answers the batch item failures', async () => {
    const { status, body } = await post('/queue', [
      { instanceId: 'i-7Gx2kQpZ', securityGroupId: 'g-nky7qeom' },
      { instanceId: 'i-ExpIred1', securityGroupId: 'g-nky7qeom' },
      'not json',
    ])
    expect(status).toBe(200)
    expect(body.batchItemFailures).toHaveLength(2)
    expect(harness.groupsOf('i-7Gx2kQpZ')).toContain('g-nky7qeom')
  })

  it('refuses a POST /queue body that is not an array', async () => {
    expect((await post('/queue', { instanceId: 'i-7Gx2kQpZ' })).status).toBe(400)
  })

  it('runs the workflow function on POST /invoke, reporting a function error as Lambda does', async () => {
    expect(
      await post('/invoke', { instanceId: 'i-Web2Demo', securityGroupId: 'g-nky7qeom' }),
    ).toMatchObject({
      status: 200,
      body: { status: 'bound' },
    })
    expect(
      await post('/invoke', { instanceId: 'i-Fu11Ten0', securityGroupId: 'g-nky7qeom' }),
    ).toMatchObject({
      status: 200,
      body: { errorType: 'SecurityGroupLimitExceeded' },
    })
  })

  it('answers 404 elsewhere', async () => {
    expect((await post('/nowhere', {})).status).toBe(404)
  })
})

describe('npm start', () => {
  // Two Node processes start here, one after the other: more time than the default allows.
  it('starts the emulator and the gateway, shows a signed webhook binding, and prints a bind-many command that runs', {
    timeout: 60_000,
  }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
      env: {
        ...process.env,
        EMULATOR_PORT: '0',
        GATEWAY_PORT: '0',
        BCE_ACCESS_KEY_ID: '',
        BCE_SECRET_ACCESS_KEY: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
    })
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`npm start did not get ready:\n${output}`)),
          15_000,
        )
        child.stdout.on('data', () => {
          if (output.includes('Ready.')) {
            clearTimeout(timer)
            resolve()
          }
        })
        child.once('exit', () => reject(new Error(`npm start exited:\n${output}`)))
      })
      expect(output).toMatch(/BCC emulator listening on http:\/\/127\.0\.0\.1:\d+/)
      expect(output).toMatch(/Local gateway listening on http:\/\/127\.0\.0\.1:\d+/)
      expect(output).toContain(
        'Demo answer: 200 {"status":"bound","instanceId":"i-YufwpQAe","securityGroupId":"g-nky7qeom"',
      )
      expect(output).toContain('i-YufwpQAe (Running): g-4NxWoxeq, g-nky7qeom')

      // The printed bind-many command runs as it is, through this gateway.
      const fleet = output.match(/npm run fleet -- (--gateway \S+ g-.*)$/m)?.[1]
      expect(fleet).toBeDefined()
      const { stdout } = await run(process.execPath, [
        '--import',
        'tsx',
        'local/fleet.ts',
        ...(fleet ?? '').split(' '),
      ])
      expect(JSON.parse(stdout.slice(stdout.indexOf('bind-many output:') + 17))).toMatchObject({
        total: 4,
        succeeded: 2,
        failed: 2,
        outcomes: { bound: 2, InstanceExpired: 1, InstanceNotFound: 1, other: 0 },
        failures: [
          { instanceId: 'i-ExpIred1', error: 'InstanceExpired' },
          { instanceId: 'i-Nope0000', error: 'InstanceNotFound' },
        ],
      })
    } finally {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  })
})
