import { Webhook, WebhookVerificationError } from 'standardwebhooks'
import {
  ConfigError,
  MethodNotAllowed,
  PayloadTooLarge,
  Unauthorized,
} from '../errors/catalogue.js'
import { outcomeOf, toCatalogued } from '../errors/outcomes.js'
import type { FunctionRuntime } from '../runtime/functionRuntime.js'
import { type FunctionConfig, parseWebhookSecret } from '../schemas/config.js'
import type { BinderContext, BinderMiddleware } from './chain.js'
import { httpMethodOf, invalidEvent } from './httpEvent.js'
import { ReplayCache } from './replayCache.js'

/** The one method a webhook may use. */
export const WEBHOOK_METHOD = 'POST'
/** The largest body accepted, in bytes. */
export const MAX_BODY_BYTES = 16 * 1024
/** Standard Webhooks' timestamp tolerance (fixed by the library), in seconds. */
const WEBHOOK_TOLERANCE_SECONDS = 5 * 60
/**
 * How long a verified `webhook-id` is remembered: as long as the library could accept its
 * timestamp again. A timestamp may be up to the tolerance ahead, and the library compares whole
 * seconds (`Math.floor(Date.now() / 1000)` in `verifyTimestamp`,
 * https://github.com/standard-webhooks/standard-webhooks/blob/main/libraries/javascript/src/index.ts),
 * so it accepts a webhook until the end of the second twice the tolerance after the second of
 * its first acceptance: up to 2 × tolerance + 1 s later.
 */
const REPLAY_WINDOW_MS = (2 * WEBHOOK_TOLERANCE_SECONDS + 1) * 1000

/** Options of {@link webhookVerification}. */
export interface WebhookVerificationOptions {
  maxBodyBytes?: number
  /** Ids seen before; one per container by default. */
  replayCache?: ReplayCache
}

/** An HTTP event as this middleware reads it: `httpEventGuard` has made sure it is an object. */
interface RawHttpEvent {
  body?: unknown
  isBase64Encoded?: unknown
  headers?: unknown
}

/**
 * Authenticates a webhook with Standard Webhooks before anything reads its body: only `POST`;
 * the body decoded from base64 when flagged, at most 16 KB (413); `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` checked against the secret with the library's
 * 5-minute tolerance, and a `webhook-id` seen before while its timestamp could still pass
 * refused (401). The verified body is left as a string for the JSON parser, so a signed body
 * that is not JSON is a 400, not a 401. Headers must already be lower-cased (`@middy/http-header-normalizer`).
 */
export const webhookVerification = (
  runtime: FunctionRuntime,
  options: WebhookVerificationOptions = {},
): BinderMiddleware<RawHttpEvent> => {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES
  const replayCache = options.replayCache ?? new ReplayCache(REPLAY_WINDOW_MS)
  let verifier: { secret: string; webhook: Webhook } | undefined

  return {
    before: function webhookVerificationBefore(request) {
      const event = request.event
      const method = httpMethodOf(event)
      if (method === undefined) throw invalidEvent()
      if (method.toUpperCase() !== WEBHOOK_METHOD) {
        throw new MethodNotAllowed(`Only ${WEBHOOK_METHOD} is accepted`)
      }

      const body = rawBody(event, maxBodyBytes)
      const secret = webhookSecretOf(runtime.config, request.context)
      if (verifier?.secret !== secret) verifier = { secret, webhook: new Webhook(secret) }
      const headers = stringHeaders(event.headers)
      const id = headers['webhook-id']
      try {
        verifier.webhook.verify(body, headers, { jsonParse: false })
      } catch (error) {
        if (error instanceof WebhookVerificationError) {
          throw new Unauthorized(`Webhook signature refused: ${error.message}`)
        }
        throw error
      }
      // Only a verified id is remembered, so forged requests cannot fill the cache. (`verify`
      // refuses a webhook without one, so `id` is set here.)
      if (id === undefined || !replayCache.remember(id, runtime.clock.now())) {
        throw new Unauthorized('Webhook signature refused: this webhook-id was already received')
      }
      acceptedIds.set(request, id)
      event.body = body
      event.isBase64Encoded = false
    },
    onError: function webhookVerificationOnError(request) {
      // A 5xx asks the sender to try again, and Standard Webhooks senders retry with the same
      // webhook-id: that retry must not be refused as a replay.
      const id = acceptedIds.get(request)
      if (id !== undefined && outcomeOf(toCatalogued(request.error)).httpStatus >= 500) {
        replayCache.forget(id)
      }
    },
  }
}

// The verified webhook-id of each request in flight (a request object lives one invocation).
const acceptedIds = new WeakMap<object, string>()

function rawBody(event: RawHttpEvent, maxBodyBytes: number): string {
  const { body } = event
  if (body === undefined || body === null) return ''
  if (typeof body !== 'string') {
    throw invalidEvent('body', 'must be a string')
  }
  const bytes =
    event.isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8')
  if (bytes.byteLength > maxBodyBytes) {
    throw new PayloadTooLarge(`The body is larger than ${maxBodyBytes} bytes`)
  }
  return bytes.toString('utf8')
}

function stringHeaders(headers: unknown): Record<string, string> {
  if (typeof headers !== 'object' || headers === null) return {}
  return Object.fromEntries(
    Object.entries(headers).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  )
}

/**
 * The configured secret: from the environment (checked at cold start) or as `secretsLoader`
 * fetched and checked it. Without a configuration (`configGuard` has refused it) none.
 */
function webhookSecretOf(config: FunctionConfig | undefined, context: BinderContext): string {
  if (config?.webhookSecret?.from === 'environment') return config.webhookSecret.value
  const secret = context.webhookSecret ?? parseWebhookSecret(undefined)
  if (secret instanceof ConfigError) throw secret
  return secret
}
