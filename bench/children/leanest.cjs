// Cold-start reference, run with plain `node`: the deployed path with no library but `aws4`,
// written as lean as it can be. It does what the HTTP function must do on a cold start, in the
// cheapest way Node offers: fetch both secrets from Secrets Manager at once (SigV4 by aws4, as
// lib/runtime/secretsManager.ts signs), check the webhook's Standard Webhooks signature with
// node:crypto, sign the bind with bce-auth-v1 (two HMACs, as lib/bce/signer.ts computes them)
// and send it with node:http, all loaded with `require`. No validation, no retry, no logs and
// no metrics: no implementation of the deployed path can be much faster, so its ratio is the
// least a cold-start goal can ask of ours (bench/README.md).
const { performance } = require('node:perf_hooks')
const http = require('node:http')
const { createHmac, timingSafeEqual } = require('node:crypto')
const aws4 = require('aws4')
const { reportAnswer } = require('./report.cjs')

const loadedMs = performance.now()
const env = process.env

function send(url, method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname: url.hostname, port: url.port, method, path, headers },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => {
          text += chunk
        })
        response.on('end', () => resolve({ status: response.statusCode, text }))
      },
    )
    request.on('error', reject)
    request.end(body)
  })
}

const secretsManager = new URL(env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? '')
async function secretString(secretId) {
  const body = JSON.stringify({ SecretId: secretId })
  const { headers } = aws4.sign(
    {
      host: secretsManager.host,
      path: '/',
      method: 'POST',
      service: 'secretsmanager',
      region: env.AWS_REGION,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetSecretValue',
      },
      body,
    },
    {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      sessionToken: env.AWS_SESSION_TOKEN,
    },
  )
  const answer = await send(secretsManager, 'POST', '/', headers, body)
  return JSON.parse(answer.text).SecretString
}

async function main() {
  const [credentials, webhookSecret] = await Promise.all([
    secretString(env.BCE_CREDENTIALS_SECRET_ID),
    secretString(env.WEBHOOK_SECRET_ID),
  ])
  const { accessKeyId, secretAccessKey } = JSON.parse(credentials)

  const event = JSON.parse(env.BENCH_EVENT ?? 'null')
  const webhook = event.headers
  const expected = createHmac('sha256', Buffer.from(webhookSecret.slice(6), 'base64'))
    .update(`${webhook['webhook-id']}.${webhook['webhook-timestamp']}.${event.body}`)
    .digest()
  const given = Buffer.from(webhook['webhook-signature'].split(',')[1], 'base64')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Error('webhook signature does not match')
  }

  const { instanceId, securityGroupId } = JSON.parse(event.body)
  const endpoint = new URL(env.BCC_ENDPOINT ?? '')
  const body = JSON.stringify({ securityGroupId })
  const path = `/v2/instance/${instanceId}`
  const headers = {
    host: endpoint.host,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'x-bce-date': new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  }
  // The values are plain ASCII without reserved characters: only `:` and `/` need encoding.
  const names = Object.keys(headers).sort()
  const canonicalHeaders = names
    .map((name) => `${name}:${encodeURIComponent(headers[name])}`)
    .sort()
    .join('\n')
  const prefix = `bce-auth-v1/${accessKeyId}/${headers['x-bce-date']}/1800`
  const signingKey = createHmac('sha256', secretAccessKey).update(prefix).digest('hex')
  const signature = createHmac('sha256', signingKey)
    .update(`PUT\n${path}\nbind=\n${canonicalHeaders}`)
    .digest('hex')
  headers.authorization = `${prefix}/${names.join(';')}/${signature}`

  const answer = await send(endpoint, 'PUT', `${path}?bind`, headers, body)
  reportAnswer({
    loadedMs,
    status: answer.status,
    outcome: answer.status === 200 ? 'bound' : null,
  })
}

main()
