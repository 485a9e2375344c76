// `npm run fleet -- [--gateway URL] [--dry-run] [--region R] GROUP INSTANCE...`
// runs the bind-many state machine (statemachines/bind-many.asl.json) on this machine with
// aws-local-stepfunctions; each instance goes to the workflow function behind the local gateway
// that `npm start` runs. Prints the execution's output; exits 1 when the execution fails.
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { gatewayInvoker, type JsonValue, runBindMany } from './bindMany.js'
import { DEFAULT_GATEWAY_URL } from './constants.js'
import { installPromiseWithResolvers } from './promiseWithResolvers.js'

const out = (text: string) => process.stdout.write(`${text}\n`)

const USAGE = 'Usage: npm run fleet -- [--gateway URL] [--dry-run] [--region R] GROUP INSTANCE...'

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        gateway: { type: 'string', default: DEFAULT_GATEWAY_URL },
        'dry-run': { type: 'boolean', default: false },
        region: { type: 'string' },
      },
    })
  } catch (error) {
    out(`${error instanceof Error ? error.message : error}\n${USAGE}`)
    process.exit(2)
  }
}

installPromiseWithResolvers()
const { values, positionals } = parseCommandLine()
const [securityGroupId, ...instanceIds] = positionals
if (securityGroupId === undefined || instanceIds.length === 0) {
  out(USAGE)
  process.exit(2)
}

const input: JsonValue = {
  securityGroupId,
  instanceIds,
  ...(values['dry-run'] ? { dryRun: true } : {}),
  ...(values.region === undefined ? {} : { region: values.region }),
}
out(`bind-many input: ${JSON.stringify(input)}`)
try {
  const output = await runBindMany({
    input,
    invoke: gatewayInvoker(values.gateway),
    executionName: `fleet-${randomUUID()}`,
    // serverless.yml's fleetMaxConcurrency default.
    maxConcurrency: 10,
  })
  out(`bind-many output:\n${JSON.stringify(output, null, 2)}`)
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
  out(`bind-many failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : cause}`)
  process.exitCode = 1
}
