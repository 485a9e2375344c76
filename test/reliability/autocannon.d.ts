// autocannon ships no type definitions (and @types/autocannon is not installed): the part of
// its programmatic API the load test uses.
declare module 'autocannon' {
  namespace autocannon {
    type Context = Record<string, unknown>

    interface Request {
      method?: string
      path?: string
      headers?: Record<string, string>
      body?: string | Buffer
      /** Called before each request is sent; returns the request to send. */
      setupRequest?: (request: Request, context: Context) => Request | undefined
      onResponse?: (
        status: number,
        body: string,
        context: Context,
        headers: Record<string, string>,
      ) => void
    }

    interface Options {
      url: string
      connections?: number
      /** Seconds. */
      duration?: number
      amount?: number
      maxOverallRequests?: number
      /** Seconds. */
      timeout?: number
      pipelining?: number
      requests?: Request[]
    }

    interface Histogram {
      average: number
      total: number
      sent: number
    }

    interface Result {
      requests: Histogram
      errors: number
      timeouts: number
      mismatches: number
      non2xx: number
      resets: number
      '2xx': number
      statusCodeStats: Record<string, { count: number }>
    }
  }

  function autocannon(options: autocannon.Options): Promise<autocannon.Result>
  export default autocannon
}
