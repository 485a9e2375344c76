import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SQSBatchResponse } from 'aws-lambda'
import type { Emulator } from '../emulator/index.js'
import type { createHttpHandler } from '../lib/handlers/httpHandler.js'
import type { createQueueHandler } from '../lib/handlers/queueHandler.js'
import type { createWorkflowHandler } from '../lib/handlers/workflowHandler.js'
import { httpApiEvent, localContext, sqsBatch } from './events.js'

/** The three functions, as the gateway calls them. */
export interface LocalHandlers {
  http: ReturnType<typeof createHttpHandler>
  queue: ReturnType<typeof createQueueHandler>
  workflow: ReturnType<typeof createWorkflowHandler>
}

/** A running local gateway. */
export interface LocalGateway {
  url: string
  close(): Promise<void>
}

/** The Lambda timeouts of serverless.yml, so deadlines behave as deployed (a test compares them). */
export const TIMEOUT_MS = { http: 29_000, queue: 60_000, workflow: 60_000 } as const
/** The largest request the gateway reads (API Gateway's own limit is 10 MB; ours far less). */
const MAX_REQUEST_BYTES = 1024 * 1024

/**
 * Serves the functions on loopback as API Gateway and Lambda would call them:
 * `POST /bindings` runs the HTTP function on an HTTP API 2.0 event; `POST /queue` runs the
 * queue function on an SQS batch built from a JSON array and answers `batchItemFailures`;
 * `POST /invoke` runs the workflow function on the JSON body. After each call, `report`
 * receives a line for the console and the emulator's state.
 */
export async function startLocalGateway(options: {
  host: string
  port: number
  handlers: LocalHandlers
  emulator: Emulator
  report: (text: string) => void
}): Promise<LocalGateway> {
  const { handlers, emulator, report } = options
  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      send(res, 500, {
        error: {
          code: 'GatewayError',
          message: error instanceof Error ? error.message : String(error),
        },
      })
    })
  })

  async function route(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req)
    const path = new URL(req.url ?? '/', 'http://local').pathname
    if (req.method === 'POST' && path === '/bindings') {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(',') : (value ?? ''),
        ]),
      )
      const result = await handlers.http(
        httpApiEvent({ method: 'POST', path, headers, body }),
        localContext('bcc-sg-binder-http', TIMEOUT_MS.http),
      )
      res.writeHead(result.statusCode, result.headers)
      res.end(result.body)
      report(`POST /bindings -> ${result.statusCode} ${result.body}\n${formatState(emulator)}`)
      return
    }
    if (req.method === 'POST' && path === '/queue') {
      const items = parseJson(body)
      if (!Array.isArray(items)) {
        send(res, 400, {
          error: { code: 'ValidationError', message: 'the body must be a JSON array of messages' },
        })
        return
      }
      const result: SQSBatchResponse = await handlers.queue(
        sqsBatch(items),
        localContext('bcc-sg-binder-queue', TIMEOUT_MS.queue),
      )
      send(res, 200, result)
      report(
        `POST /queue -> batchItemFailures ${JSON.stringify(result.batchItemFailures)}\n${formatState(emulator)}`,
      )
      return
    }
    if (req.method === 'POST' && path === '/invoke') {
      try {
        const result = await handlers.workflow(
          parseJson(body),
          localContext('bcc-sg-binder-workflow', TIMEOUT_MS.workflow),
        )
        send(res, 200, result)
        report(`POST /invoke -> ${JSON.stringify(result)}\n${formatState(emulator)}`)
      } catch (error) {
        // Lambda's Invoke API reports a function error this way; Step Functions matches errorType.
        const failure = { errorType: (error as Error).name, errorMessage: (error as Error).message }
        send(res, 200, failure)
        report(
          `POST /invoke -> function error ${JSON.stringify(failure)}\n${formatState(emulator)}`,
        )
      }
      return
    }
    send(res, 404, {
      error: { code: 'NotFound', message: 'POST /bindings, POST /queue or POST /invoke' },
    })
  }

  server.listen(options.port, options.host)
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${options.host}:${port}`,
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

/** The emulator's instances and their groups, one line each. */
function formatState(emulator: Emulator): string {
  return [
    'emulator state:',
    ...emulator
      .state()
      .instances.map(
        (instance) =>
          `  ${instance.id} (${instance.status}): ${[
            ...instance.securityGroupIds,
            ...(instance.enterpriseSecurityGroupIds ?? []),
          ].join(', ')}`,
      ),
  ].join('\n')
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_REQUEST_BYTES) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}
