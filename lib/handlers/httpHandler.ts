import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import httpHeaderNormalizer from '@middy/http-header-normalizer'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import { catalogueErrors } from '../middleware/catalogueErrors.js'
import { configGuard } from '../middleware/configGuard.js'
import { deadlineAndRetry } from '../middleware/deadlineAndRetry.js'
import { type HttpEvent, type HttpResult, httpEventGuard } from '../middleware/httpEvent.js'
import { httpResponse } from '../middleware/httpResponse.js'
import { outcomeLog } from '../middleware/outcomeLog.js'
import { secretsLoader } from '../middleware/secrets.js'
import type { BinderContext } from '../middleware/types.js'
import {
  type WebhookVerificationOptions,
  webhookVerification,
} from '../middleware/webhookVerification.js'
import { type FunctionRuntime, LAMBDA_CONTEXT_LOGGING } from '../runtime/functionRuntime.js'
import { bind } from '../usecases/bind.js'

// Webhook senders label JSON in many ways; the body is parsed whatever its content type.
// `disableContentTypeCheck` is in the middleware's code (6.x) but not in its type definitions.
const PARSE_WHATEVER_THE_CONTENT_TYPE = { disableContentTypeCheck: true } as Parameters<
  typeof httpJsonBodyParser
>[0]

/**
 * The webhook function: API Gateway HTTP API (2.0), REST API (1.0) and Function URL events
 * with a Standard Webhooks signature and the JSON body `{ instanceId, securityGroupId,
 * region?, dryRun? }`. Middlewares run top to bottom before the handler; errors unwind bottom
 * to top.
 */
export function createHttpHandler(
  runtime: FunctionRuntime,
  webhook: WebhookVerificationOptions = {},
) {
  return middy<HttpEvent, HttpResult, Error, BinderContext>()
    .use(injectLambdaContext(runtime.logger, LAMBDA_CONTEXT_LOGGING))
    .use(httpResponse())
    .use(outcomeLog(runtime, { payloadOf: (event) => (event as { body?: unknown } | null)?.body }))
    .use(catalogueErrors())
    .use(httpEventGuard())
    .use(httpHeaderNormalizer())
    .use(configGuard(runtime))
    .use(secretsLoader(runtime))
    .use(webhookVerification(runtime, webhook))
    .use(httpJsonBodyParser(PARSE_WHATEVER_THE_CONTENT_TYPE))
    .use(deadlineAndRetry(runtime))
    .handler(async (event, context) => {
      // The result becomes the HTTP answer in httpResponse's `after`.
      const outcome = await bind(
        event.body,
        context.bindDependencies as NonNullable<BinderContext['bindDependencies']>,
      )
      return outcome as unknown as HttpResult
    })
}
