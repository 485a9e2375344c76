import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda'
import { ValidationError } from '../errors/catalogue.js'
import type { BinderMiddleware } from './chain.js'

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
  if ('httpMethod' in event && typeof event.httpMethod === 'string') return event.httpMethod
  const requestContext = 'requestContext' in event ? event.requestContext : undefined
  const http =
    typeof requestContext === 'object' && requestContext !== null && 'http' in requestContext
      ? requestContext.http
      : undefined
  const method =
    typeof http === 'object' && http !== null && 'method' in http ? http.method : undefined
  return typeof method === 'string' ? method : undefined
}

/** The body of an HTTP event, whatever it holds; undefined for an event that is no object. */
export function httpBodyOf(event: unknown): unknown {
  return typeof event === 'object' && event !== null && 'body' in event ? event.body : undefined
}

/** The error for an event that is not an API Gateway or Function URL event. */
export function invalidEvent(
  field = '(root)',
  message = 'is not an API Gateway or Function URL event',
): ValidationError {
  return new ValidationError('Invalid event', [{ field, message }])
}

/**
 * Refuses an event that is not an object (a direct invocation with `null` or a string) before
 * any middleware reads its headers: a 400, not a crash.
 */
export const httpEventGuard = (): BinderMiddleware => ({
  before: function httpEventGuardBefore(request) {
    if (typeof request.event !== 'object' || request.event === null) throw invalidEvent()
  },
})
