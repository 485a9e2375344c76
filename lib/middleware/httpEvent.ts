import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda'

/** API Gateway REST (payload 1.0), HTTP API (payload 2.0) and Function URL events. */
export type HttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2

/** What the webhook answers; every trigger of API Gateway and Function URLs takes this shape. */
export interface HttpResult {
  statusCode: number
  headers: Record<string, string>
  body: string
}

/** The request's method, from either payload version; undefined for an event of another shape. */
export function httpMethodOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined
  const { httpMethod, requestContext } = event as {
    httpMethod?: unknown
    requestContext?: { http?: { method?: unknown } }
  }
  if (typeof httpMethod === 'string') return httpMethod
  const method = requestContext?.http?.method
  return typeof method === 'string' ? method : undefined
}
