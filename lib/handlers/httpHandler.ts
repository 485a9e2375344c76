import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import middy from '@middy/core'
import httpHeaderNormalizer from '@middy/http-header-normalizer'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import { type BinderContext, catalogueErrors, configGuard } from '../middleware/chain.js'
import { type HttpEvent, httpBodyOf, httpEventGuard } from '../middleware/httpEvent.js'
import { httpResponse } from '../middleware/httpResponse.js'
import { outcomeLog } from '../middleware/outcomeLog.js'
import { secretsLoader } from '../middleware/secrets.js'
import {
  type WebhookVerificationOptions,
  webhookVerification,
} from '../middleware/webhookVerification.js'
import { type FunctionRuntime, LAMBDA_CONTEXT_LOGGING } from '../runtime/functionRuntime.js'
import { type BindOutcome, bind } from '../usecases/bind.js'
import { bindDependenciesFor } from './bindDependencies.js'

// Webhook senders label JSON in many ways; the body is parsed whatever its content type.
// `disableContentTypeCheck` is in the middleware's code (6.x) but not in its type definitions.
const PARSE_WHATEVER_THE_CONTENT_TYPE: Parameters<typeof httpJsonBodyParser>[0] & {
  disableContentTypeCheck: boolean
} = { disableContentTypeCheck: true }

/**
 * The webhook function: API Gateway HTTP API (2.0), REST API (1.0) and Function URL events
 * with a Standard Webhooks signature and the JSON body `{ instanceId, securityGroupId, action?,
 * region?, dryRun? }`.
 *
 * The order of the chain (the same in the three functions): middy runs the `before` hooks in
 * the order of `use()`, then the handler, then the `after` hooks in the reverse order; an error
 * thrown anywhere runs the `onError` hooks in the reverse order. So `catalogueErrors` turns any
 * error into a catalogued one before `outcomeLog` logs it; `configGuard` refuses a
 * misconfigured function before the secrets are read or a signature checked; the webhook is
 * verified before its body is parsed. The handler builds the bind's dependencies
 * (`bindDependenciesFor`) and returns the `BindOutcome`; the trigger's adapter around the chain
 * (`httpResponse`, `workflowResult`) makes the answer, so no hook depends on another's result.
 */
export function createHttpHandler(
  runtime: FunctionRuntime,
  webhook: WebhookVerificationOptions = {},
) {
  const chain = middy<HttpEvent, BindOutcome, Error, BinderContext>()
    .use(injectLambdaContext(runtime.logger, LAMBDA_CONTEXT_LOGGING))
    .use(outcomeLog(runtime, httpBodyOf))
    .use(catalogueErrors())
    .use(httpEventGuard())
    .use(httpHeaderNormalizer())
    .use(configGuard(runtime))
    .use(secretsLoader(runtime))
    .use(webhookVerification(runtime, webhook))
    .use(httpJsonBodyParser(PARSE_WHATEVER_THE_CONTENT_TYPE))
    // The verified `webhook-id` names the request across the sender's retries (its clientToken).
    .handler((event, context) =>
      bind(event.body, bindDependenciesFor(runtime, context).dependencies, {
        identity: event.headers['webhook-id'],
      }),
    )
  return httpResponse(chain)
}
