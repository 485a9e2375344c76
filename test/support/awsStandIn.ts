import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { AwsClientConfig } from '../../lib/runtime/awsCalls.js'

/**
 * A loopback AWS endpoint that takes every request in and never answers, as a service does
 * that the function has no route to; the real SDK clients (SQS) are pointed at it. Secrets
 * Manager, which the functions call without the SDK, has its own stand-in
 * (./secretsManager.ts), which can also stay silent.
 */
export interface AwsStandIn {
  /** SDK settings that send a client here, with dummy credentials. */
  clientConfig: Required<AwsClientConfig>
  /** The `x-amz-target` of every request received, such as `AmazonSQS.SendMessage`. */
  targets: string[]
  /** Resolves once the client has closed `count` requests that had no answer: it gave up. */
  abandoned(count: number): Promise<void>
  close(): Promise<void>
}

/** Starts a silent stand-in on 127.0.0.1, an OS-chosen port. */
export async function startAwsStandIn(): Promise<AwsStandIn> {
  const targets: string[] = []
  let abandoned = 0
  const waiting: { count: number; resolve: () => void }[] = []
  const sockets = new Set<Socket>()

  const server = createServer((req, res) => {
    res.on('close', () => {
      if (res.writableEnded) return
      abandoned++
      for (const wait of waiting.filter((w) => abandoned >= w.count)) wait.resolve()
    })
    targets.push(String(req.headers['x-amz-target'] ?? ''))
    req.resume()
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
    async close() {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close')
    },
  }
}
