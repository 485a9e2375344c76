import { type IncomingHttpHeaders, request } from 'node:http'

/** An answer as it came over the wire. */
export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** What to send: the raw request target and exactly these headers (node adds only `connection`). */
export interface RawRequest {
  method: string
  /** Path and query as they go on the wire, already encoded. */
  target: string
  headers?: Record<string, string>
  body?: string
}

/** Sends one request on a fresh connection and reads the whole answer. */
export function sendRaw(url: string, raw: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method: raw.method,
        path: raw.target,
        headers: raw.headers ?? {},
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(raw.body)
  })
}

/** The answer's body as JSON. */
export function jsonOf(response: RawResponse): unknown {
  return JSON.parse(response.body)
}
