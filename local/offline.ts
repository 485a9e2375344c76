// `npm run offline`: the BCC emulator with its seed, then `serverless offline --stage local`
// (the serverless-offline plugin on the real serverless.yml) with the functions pointed at it,
// the emulator's keys and the local webhook secret. Arguments go to serverless offline:
// `npm run offline -- --httpPort 4000 --lambdaPort 4002`.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { startCliEmulator } from '../emulator/runCli.js'
import { GATEWAY_DEFAULTS, localFunctionEnv } from './constants.js'

const cli = await startCliEmulator(process.env)
process.stdout.write(`${cli.banner}\n`)

// serverless.yml's local stage leaves the secret ids empty and takes BCC_ENDPOINT from here;
// `custom.serverless-offline.localEnvironment` hands the rest of this environment to the functions.
const serverless = createRequire(import.meta.url).resolve('serverless/bin/serverless.js')
const offline = spawn(
  process.execPath,
  [
    serverless,
    'offline',
    '--stage',
    'local',
    '--host',
    GATEWAY_DEFAULTS.host,
    ...process.argv.slice(2),
  ],
  {
    stdio: 'inherit',
    env: localFunctionEnv(process.env, cli),
  },
)

// Ctrl+C reaches both processes; a signal sent to this one alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => offline.kill(signal))
}
offline.once('exit', (code) => {
  void cli.emulator.close().then(() => process.exit(code ?? 1))
})
