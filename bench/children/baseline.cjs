// Cold-start baseline, run with plain `node`: what a user of the official SDK writes. It
// requires the package's main, signs the same bind with its Auth, sends the PUT with node:http
// and reports when the answer was complete and its peak RSS.
const { performance } = require('node:perf_hooks')
const http = require('node:http')
const { Auth } = require('@baiducloud/sdk')
const { reportAnswer } = require('./report.cjs')

const loadedMs = performance.now()

const endpoint = new URL(process.env.BCC_ENDPOINT ?? '')
const { instanceId, securityGroupId } = JSON.parse(process.env.BENCH_BIND ?? '{}')
const body = JSON.stringify({ securityGroupId })
const path = `/v2/instance/${instanceId}`
const now = new Date()
const headers = {
  host: endpoint.host,
  'content-type': 'application/json; charset=utf-8',
  'content-length': String(Buffer.byteLength(body)),
  'x-bce-date': now.toISOString().replace(/\.\d+Z$/, 'Z'),
}
const auth = new Auth(process.env.BCE_ACCESS_KEY_ID, process.env.BCE_SECRET_ACCESS_KEY)
headers.authorization = auth.generateAuthorization(
  'PUT',
  path,
  { bind: '' },
  headers,
  Math.floor(now.getTime() / 1000),
  1800,
  Object.keys(headers),
)

const request = http.request(
  {
    hostname: endpoint.hostname,
    port: endpoint.port,
    method: 'PUT',
    path: `${path}?bind`,
    headers,
  },
  (response) => {
    response.resume()
    response.on('end', () => {
      reportAnswer({
        loadedMs,
        status: response.statusCode,
        outcome: response.statusCode === 200 ? 'bound' : null,
      })
    })
  },
)
request.end(body)
