// `npm start`: the BCC emulator with its seed, the three functions pointed at it, and a local
// gateway in front of them; then one signed webhook, so a binding is seen to happen.

import { startCliEmulator } from '../emulator/runCli.js'
import { createHttpHandler } from '../lib/handlers/httpHandler.js'
import { createQueueHandler } from '../lib/handlers/queueHandler.js'
import { createWorkflowHandler } from '../lib/handlers/workflowHandler.js'
import { createFunctionRuntime } from '../lib/runtime/functionRuntime.js'
import { GATEWAY_DEFAULTS, GATEWAY_LISTENING_PREFIX, localFunctionEnv } from './constants.js'
import { startLocalGateway } from './gateway.js'
import { sendWebhook } from './sendWebhook.js'

const out = (text: string) => process.stdout.write(`${text}\n`)
// bind-many on part of the seeded fleet (emulator/seed.json), an expired and an unknown instance
// among them.
const FLEET_DEMO = ['g-7dyv27r6pnse', 'i-YufwpQAe', 'i-Web2Demo', 'i-ExpIred1', 'i-Nope0000']

const cli = await startCliEmulator(process.env)
const { emulator } = cli
out(cli.banner)

const env = localFunctionEnv(process.env, cli)
const handlers = {
  http: createHttpHandler(createFunctionRuntime('http', env)),
  queue: createQueueHandler(createFunctionRuntime('queue', env)),
  workflow: createWorkflowHandler(createFunctionRuntime('workflow', env)),
}
const port = process.env.GATEWAY_PORT ? Number(process.env.GATEWAY_PORT) : GATEWAY_DEFAULTS.port
const gateway = await startLocalGateway({
  host: GATEWAY_DEFAULTS.host,
  port,
  handlers,
  emulator,
  report: out,
})

out(`${GATEWAY_LISTENING_PREFIX}${gateway.url}`)
out(`
Try it (each command works as it is; the webhook helper signs with the local secret):
  npm run webhook -- i-YufwpQAe g-7dyv27r6pnse
  npm run webhook -- i-YufwpQAe g-nky7qeom --dry-run
  curl -s -X POST ${gateway.url}/queue -d '[{"instanceId":"i-Vpc2Demo","securityGroupId":"g-vpc2web0"},{"instanceId":"i-ExpIred1","securityGroupId":"g-nky7qeom"}]'
  curl -s -X POST ${gateway.url}/invoke -d '{"instanceId":"i-Web2Demo","securityGroupId":"g-7dyv27r6pnse"}'
  curl -s -X POST ${gateway.url}/invoke -d '{"instanceId":"i-Ent1Demo","securityGroupId":"esg-7t2vcx5lm3qa"}'
  curl -s -X POST ${gateway.url}/invoke -d '{"instanceId":"i-Ent2Demo","securityGroupId":"esg-4hx8nvd2kfe7","action":"unbind"}'
  curl -s -X POST ${gateway.url}/queue -d '[{"instanceId":"i-Web2Demo","securityGroupId":"g-nky7qeom","action":"unbind"}]'
  curl -s ${emulator.url}/__emulator/state
  npm run fleet -- --gateway ${gateway.url} --dry-run ${FLEET_DEMO.join(' ')}
  npm run fleet -- --gateway ${gateway.url} ${FLEET_DEMO.join(' ')}
`)

out('Demo: a signed webhook binds i-YufwpQAe to g-nky7qeom')
const demo = await sendWebhook(`${gateway.url}/bindings`, env.WEBHOOK_SECRET, {
  instanceId: 'i-YufwpQAe',
  securityGroupId: 'g-nky7qeom',
})
out(`Demo answer: ${demo.status} ${demo.body}`)
out('Ready. Stop with Ctrl+C.')

const stop = () => {
  void Promise.all([gateway.close(), emulator.close()]).then(() => {
    out('Stopped.')
    process.exit(0)
  })
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
