import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda'
import { ValidationError } from '../errors/catalogue.js'
import type { BinderMiddleware } from './types.js'

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

/**
 * Refuses an event that is not an object (a direct invocation with `null` or a string) before
 * any middleware reads its headers: a 400, not a crash.
 */
export const httpEventGuard = (): BinderMiddleware => ({
  before: function httpEventGuardBefore(request) {
    if (typeof request.event !== 'object' || request.event === null) {
      throw new ValidationError('Invalid event', [
        { field: '(root)', message: 'is not an API Gateway or Function URL event' },
      ])
    }
  },
})
