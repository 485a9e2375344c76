import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { LISTENING_LINE_PREFIX } from '../../emulator/banner.js'
import { parseCliEnvironment } from '../../emulator/cliConfig.js'
import { DEFAULT_SEED_PATH, DEMO_CREDENTIALS, EmulatorOptionsError } from '../../emulator/index.js'
import { runCli } from '../../emulator/runCli.js'
import { createBccClient } from '../../lib/bcc/client.js'
import { SEEDED } from '../support/bccEmulator.js'
import { SECRET_STRINGS, TEST_CREDENTIALS, TEST_STS_CREDENTIALS } from '../support/credentials.js'

const REAL_KEYS = {
  BCE_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  BCE_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
}
const STS_KEYS = {
  BCE_ACCESS_KEY_ID: TEST_STS_CREDENTIALS.accessKeyId,
  BCE_SECRET_ACCESS_KEY: TEST_STS_CREDENTIALS.secretAccessKey,
  BCE_SESSION_TOKEN: TEST_STS_CREDENTIALS.sessionToken,
}

const temporary = mkdtempSync(join(tmpdir(), 'bcc-emulator-'))
const seedFile = (name: string, text: string) => {
  const path = join(temporary, name)
  writeFileSync(path, text)
  return path
}
afterAll(() => rmSync(temporary, { recursive: true, force: true }))

/** Runs runCli in this process, capturing what it writes. */
async function runCaptured(env: Record<string, string>) {
  let out = ''
  let err = ''
  const emulator = await runCli(
    { EMULATOR_PORT: '0', ...env },
    { out: (text) => (out += text), err: (text) => (err += text) },
  )
  return { emulator, out, err }
}

const urlIn = (output: string) => {
  const line = output.split('\n').find((each) => each.startsWith(LISTENING_LINE_PREFIX))
  return line?.slice(LISTENING_LINE_PREFIX.length)
}

describe('parseCliEnvironment', () => {
  it('defaults: port 8787, the demo keys, the seed file, duplicates accepted', () => {
    expect(parseCliEnvironment({})).toEqual({
      port: 8787,
      credentials: { ...DEMO_CREDENTIALS },
      demoCredentials: true,
      duplicateBind: { mode: 'ok' },
      seedPath: DEFAULT_SEED_PATH,
    })
  })

  it('reads every variable; an empty one counts as unset', () => {
    expect(
      parseCliEnvironment({
        ...STS_KEYS,
        EMULATOR_PORT: '9000',
        EMULATOR_DUPLICATE_BIND: 'error',
        EMULATOR_SEED: '/tmp/seed.json',
      }),
    ).toEqual({
      port: 9000,
      credentials: { ...TEST_STS_CREDENTIALS },
      demoCredentials: false,
      duplicateBind: { mode: 'error' },
      seedPath: '/tmp/seed.json',
    })
    expect(parseCliEnvironment({ EMULATOR_PORT: '', BCE_ACCESS_KEY_ID: '' }).port).toBe(8787)
  })

  it.each([
    [{ EMULATOR_PORT: 'eighty' }, 'EMULATOR_PORT'],
    [{ EMULATOR_PORT: '65536' }, 'EMULATOR_PORT'],
    [{ EMULATOR_DUPLICATE_BIND: 'maybe' }, 'EMULATOR_DUPLICATE_BIND'],
    [{ BCE_ACCESS_KEY_ID: 'AKonly' }, 'BCE_SECRET_ACCESS_KEY: is required'],
    [{ BCE_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey }, 'BCE_ACCESS_KEY_ID: is required'],
    [{ ...REAL_KEYS, BCE_ACCESS_KEY_ID: 'a/b' }, 'BCE_ACCESS_KEY_ID'],
  ])('refuses %j naming %s, never the value', (env, field) => {
    let error: unknown
    try {
      parseCliEnvironment(env)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(EmulatorOptionsError)
    expect((error as Error).message).toContain(field)
    for (const value of Object.values(env)) expect((error as Error).message).not.toContain(value)
  })
})

describe('runCli', () => {
  it('with real keys: prints the URL, routes, seed and AK, never the secret or the token', async () => {
    const { emulator, out, err } = await runCaptured(STS_KEYS)
    try {
      expect(err).toBe('')
      const url = urlIn(out)
      expect(url).toBe(emulator?.url)
      for (const text of [
        'PUT  /v2/instance/{instanceId}?bind',
        'GET  /v2/securityGroup?instanceId=&vpcId=&marker=&maxKeys=',
        'POST /__emulator/reset',
        'GET /__emulator/requests',
        DEFAULT_SEED_PATH,
        SEEDED.instance,
        SEEDED.group,
        TEST_STS_CREDENTIALS.accessKeyId,
        '(from BCE_SECRET_ACCESS_KEY, not shown)',
        'session token  required',
        `BCC_ENDPOINT=${url}`,
      ]) {
        expect(out).toContain(text)
      }
      for (const secret of SECRET_STRINGS) expect(out).not.toContain(secret)

      const client = createBccClient({ endpoint: url ?? '', credentials: TEST_STS_CREDENTIALS })
      await expect(client.getInstance(SEEDED.instance)).resolves.toMatchObject({
        value: expect.objectContaining({ securityGroups: [SEEDED.defaultGroup] }),
      })
    } finally {
      await emulator?.close()
    }
  })

  it('with no keys: the demo keys, secret included, and the duplicate-bind mode', async () => {
    const { emulator, out } = await runCaptured({ EMULATOR_DUPLICATE_BIND: 'error' })
    try {
      expect(out).toContain(DEMO_CREDENTIALS.accessKeyId)
      expect(out).toContain(DEMO_CREDENTIALS.secretAccessKey)
      expect(out).toContain('Duplicate bind: error')
      const client = createBccClient({
        endpoint: emulator?.url ?? '',
        credentials: DEMO_CREDENTIALS,
      })
      await expect(client.bindSecurityGroup(SEEDED.twoGroups, SEEDED.group)).rejects.toMatchObject({
        status: 400,
        code: 'SecurityGroup.AlreadyBound',
      })
    } finally {
      await emulator?.close()
    }
  })

  it('loads the seed EMULATOR_SEED names', async () => {
    const path = seedFile(
      'seed.json',
      JSON.stringify({
        instances: [{ id: 'i-Custom01', status: 'Running', vpcId: 'vpc-c', securityGroupIds: [] }],
        securityGroups: [],
      }),
    )
    const { emulator, out } = await runCaptured({ EMULATOR_SEED: path })
    try {
      expect(out).toContain(`Seed: ${path}`)
      expect(out).toContain('i-Custom01  Running  vpc-c  groups: (none)')
      expect(emulator?.state().instances).toHaveLength(1)
    } finally {
      await emulator?.close()
    }
  })

  it.each([
    ['a bad variable', { EMULATOR_PORT: 'x' }, 'EMULATOR_PORT'],
    ['a seed file that is missing', { EMULATOR_SEED: join(temporary, 'none.json') }, 'ENOENT'],
    ['a seed file that is not JSON', { EMULATOR_SEED: seedFile('not-json', '{') }, 'is not JSON'],
    [
      'an invalid seed',
      { EMULATOR_SEED: seedFile('invalid', '{"instances":{}}') },
      'seed.instances',
    ],
  ])('with %s: explains on stderr and starts nothing', async (_what, env, reason) => {
    const { emulator, out, err } = await runCaptured(env)
    expect(emulator).toBeUndefined()
    expect(out).toBe('')
    expect(err).toMatch(/^BCC emulator could not start: /)
    expect(err).toContain(reason)
  })
})

describe('npm run emulator (tsx emulator/cli.ts in a child process)', () => {
  const readUntil = async (child: ChildProcess, pattern: RegExp, output: { text: string }) => {
    const deadline = AbortSignal.timeout(15_000)
    while (!pattern.test(output.text)) {
      if (child.exitCode !== null) throw new Error(`exited early: ${output.text}`)
      await once(child.stdout ?? child, 'data', { signal: deadline })
    }
  }

  it('starts, serves one signed call, and stops on SIGTERM without printing secrets', async () => {
    const child = spawn('node_modules/.bin/tsx', ['emulator/cli.ts'], {
      env: { PATH: process.env.PATH ?? '', EMULATOR_PORT: '0', ...REAL_KEYS },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const output = { text: '' }
    child.stdout.on('data', (chunk: Buffer) => {
      output.text += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output.text += chunk.toString()
    })
    const exited = once(child, 'close')
    try {
      await readUntil(child, /Stop with Ctrl\+C/, output)
      const url = urlIn(output.text)
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

      const client = createBccClient({ endpoint: url ?? '', credentials: TEST_CREDENTIALS })
      await expect(client.bindSecurityGroup(SEEDED.instance, SEEDED.group)).resolves.toMatchObject({
        status: 200,
      })
    } finally {
      child.kill('SIGTERM')
    }
    const [code] = await exited
    expect(code).toBe(0)
    expect(output.text).toContain('BCC emulator stopped')
    for (const secret of SECRET_STRINGS) expect(output.text).not.toContain(secret)
  })
})
