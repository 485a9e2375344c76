// `npm run webhook -- <instanceId> <securityGroupId> [region] [--dry-run]`: signs a webhook
// with WEBHOOK_SECRET (or the local demo secret) and sends it to the local gateway.
import { DEFAULT_GATEWAY_URL, localWebhookSecret } from './constants.js'
import { sendWebhook } from './sendWebhook.js'

const args = process.argv.slice(2)
const dryRun = args.includes('--dry-run')
const [instanceId, securityGroupId, region] = args.filter((arg) => arg !== '--dry-run')
if (instanceId === undefined || securityGroupId === undefined) {
  process.stderr.write(
    'usage: npm run webhook -- <instanceId> <securityGroupId> [region] [--dry-run]\n',
  )
  process.exit(2)
}
const url = `${process.env.GATEWAY_URL || DEFAULT_GATEWAY_URL}/bindings`
const payload = {
  instanceId,
  securityGroupId,
  ...(region === undefined ? {} : { region }),
  ...(dryRun ? { dryRun: true } : {}),
}
try {
  const { status, body } = await sendWebhook(url, localWebhookSecret(process.env), payload)
  process.stdout.write(`${status} ${body}\n`)
  process.exitCode = status === 200 ? 0 : 1
} catch (error) {
  process.stderr.write(
    `could not reach ${url}: ${(error as Error).message} (is \`npm start\` running?)\n`,
  )
  process.exitCode = 1
}
