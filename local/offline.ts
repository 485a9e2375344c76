// `npm run offline`: the BCC emulator with its seed, then `serverless offline --stage local`
// (the serverless-offline plugin on the real serverless.yml) with the functions pointed at it,
// the emulator's keys and the local webhook secret. Arguments go to serverless offline:
// `npm run offline -- --httpPort 4000 --lambdaPort 4002`.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { formatBanner } from '../emulator/banner.js'
import { parseCliEnvironment } from '../emulator/cliConfig.js'
import { startEmulator } from '../emulator/index.js'
import { loadSeedFile } from '../emulator/seed.js'
import { GATEWAY_DEFAULTS, LOCAL_WEBHOOK_SECRET } from './constants.js'

const cli = parseCliEnvironment(process.env)
const seed = loadSeedFile(cli.seedPath)
const emulator = await startEmulator({
  host: '127.0.0.1',
  port: cli.port,
  seed,
  credentials: [cli.credentials],
  duplicateBind: cli.duplicateBind,
})
process.stdout.write(`${formatBanner(emulator.url, cli, seed)}\n`)

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
    env: {
      ...process.env,
      BCC_ENDPOINT: emulator.url,
      BCE_ACCESS_KEY_ID: cli.credentials.accessKeyId,
      BCE_SECRET_ACCESS_KEY: cli.credentials.secretAccessKey,
      BCE_SESSION_TOKEN: cli.credentials.sessionToken ?? '',
      WEBHOOK_SECRET: process.env.WEBHOOK_SECRET || LOCAL_WEBHOOK_SECRET,
    },
  },
)

// Ctrl+C reaches both processes; a signal sent to this one alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => offline.kill(signal))
}
offline.once('exit', (code) => {
  void emulator.close().then(() => process.exit(code ?? 1))
})
