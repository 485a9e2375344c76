import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { LISTENING_LINE_PREFIX } from '../../emulator/banner.js'

/** `npm run offline` (without its build) running in a process group of its own. */
export interface OfflineRun {
  emulatorUrl: string
  httpUrl: string
  lambdaUrl: string
  /** Everything the processes wrote so far, stdout and stderr. */
  output(): string
  /** Kills the whole process tree: the script, serverless offline and its workers. */
  kill(): Promise<void>
}

/**
 * A port nobody listens on now. serverless-offline refuses port 0, so the OS picks one for a
 * socket that is closed again at once.
 */
async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return address.port
}

// serverless-offline prints this once both of its servers listen.
const READY = 'Server ready: '

/**
 * Starts `local/offline.ts` on free ports with `env` and resolves once it serves, or rejects
 * with its output if it exits first.
 */
export async function startOffline(env: Record<string, string>): Promise<OfflineRun> {
  const [httpPort, lambdaPort] = [await freePort(), await freePort()]
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'local/offline.ts',
      '--httpPort',
      String(httpPort),
      '--lambdaPort',
      String(lambdaPort),
    ],
    { env: { ...process.env, EMULATOR_PORT: '0', ...env }, detached: true },
  )
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text))
  const exited = once(child, 'exit')
  const run: OfflineRun = {
    emulatorUrl: '',
    httpUrl: `http://127.0.0.1:${httpPort}`,
    lambdaUrl: `http://127.0.0.1:${lambdaPort}`,
    output: () => output,
    kill: () => killGroup(child, exited),
  }
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.includes(READY)) resolve()
    }
    child.stdout.on('data', check)
    child.stderr.on('data', check)
    void exited.then(([code]) =>
      reject(new Error(`local/offline.ts exited (${code}) before it served:\n${output}`)),
    )
  })
  const banner = output.split('\n').find((line) => line.startsWith(LISTENING_LINE_PREFIX))
  run.emulatorUrl = banner?.slice(LISTENING_LINE_PREFIX.length).trim() ?? ''
  return run
}

async function killGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.pid === undefined) return
  const running = child.exitCode === null && child.signalCode === null
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch (error) {
    // ESRCH: the whole group is gone already.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
  if (running) await exited
}
