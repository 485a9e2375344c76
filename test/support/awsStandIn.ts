import { once } from 'node:events'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { AwsClientConfig } from '../../lib/runtime/awsCalls.js'

/**
 * What the stand-in does: answer `GetSecretValue` from secret id → `SecretString` (an id not
 * there is `ResourceNotFoundException`), or accept every request and never answer, as a
 * service does that the function has no route to.
 */
export type StandInMode = { secrets: Record<string, string> } | 'silent'

/** A loopback server speaking just enough of AWS's JSON protocol for the real SDK clients. */
export interface AwsStandIn {
  /** SDK settings that send a client here, with dummy credentials. */
  clientConfig: Required<AwsClientConfig>
  /** The `x-amz-target` of every request received, such as `AmazonSQS.SendMessage`. */
  targets: string[]
  /** Resolves once the client has closed `count` requests that had no answer: it gave up. */
  abandoned(count: number): Promise<void>
  setMode(mode: StandInMode): void
  close(): Promise<void>
}

/** Starts a stand-in on 127.0.0.1, an OS-chosen port. */
export async function startAwsStandIn(mode: StandInMode): Promise<AwsStandIn> {
  let current = mode
  const targets: string[] = []
  let abandoned = 0
  const waiting: { count: number; resolve: () => void }[] = []
  const sockets = new Set<Socket>()

  const server = createServer(async (req, res) => {
    res.on('close', () => {
      if (res.writableEnded) return
      abandoned++
      for (const wait of waiting.filter((w) => abandoned >= w.count)) wait.resolve()
    })
    targets.push(String(req.headers['x-amz-target'] ?? ''))
    const body = await readJson(req)
    if (current === 'silent' || res.destroyed) return
    const secretId = String(body.SecretId ?? '')
    const value = current.secrets[secretId]
    const json = { 'content-type': 'application/x-amz-json-1.1' }
    if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue' || value === undefined) {
      res.writeHead(400, { ...json, 'x-amzn-errortype': 'ResourceNotFoundException' })
      res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'not found' }))
      return
    }
    res.writeHead(200, json)
    res.end(
      JSON.stringify({
        ARN: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${secretId}`,
        Name: secretId,
        SecretString: value,
        VersionId: 'v1',
        VersionStages: ['AWSCURRENT'],
      }),
    )
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  return {
    clientConfig: {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'stand-in-secret' },
    },
    targets,
    abandoned: (count) =>
      abandoned >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiting.push({ count, resolve })),
    setMode(next) {
      current = next
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close')
    },
  }
}

/** The request's JSON body; `{}` when it is not JSON or the client went away while sending it. */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  try {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
  } catch {
    return {}
  }
}
