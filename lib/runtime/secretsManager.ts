import aws4 from 'aws4'
import { parseEndpointOverride } from '../bcc/endpoints.js'
import { findErrorCode } from '../bcc/errors.js'
import { parseJson, readBodyUpTo } from '../bcc/responses.js'
import type { HttpTransport } from '../bcc/transport.js'

/**
 * The most of an answer read: a `SecretString` is at most 65,536 bytes
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_limits.html), and the
 * JSON around it, escapes included, stays well under this.
 */
const MAX_ANSWER_BYTES = 512 * 1024

/** AWS region names: `eu-west-1`, `us-gov-west-1`, `cn-north-1`. Anything else is no host name. */
const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d+$/

/**
 * A `GetSecretValue` call that failed; `awsError` is what AWS or the network called the failure
 * (`ResourceNotFoundException`, `AccessDeniedException`, `AbortError`, ...), never a value.
 */
export class SecretsManagerFailure extends Error {
  override readonly name = 'SecretsManagerFailure'
  constructor(readonly awsError: string) {
    super(`Secrets Manager: ${awsError}`)
  }
}

/** What a call needs from the environment Lambda gives the function. */
type Environment = Readonly<Record<string, string | undefined>>

/**
 * Where Secrets Manager is, and for which region: the SDKs' endpoint override variables first
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), otherwise the
 * region's public endpoint (https://docs.aws.amazon.com/general/latest/gr/asm.html). An override
 * follows `BCC_ENDPOINT`'s rules: https, or http on loopback only, and an origin only.
 *
 * @throws {SecretsManagerFailure} `MissingRegion` or `InvalidEndpoint`
 */
export function secretsManagerEndpoint(env: Environment): { origin: string; region: string } {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || ''
  if (!REGION_PATTERN.test(region)) throw new SecretsManagerFailure('MissingRegion')
  const override = env.AWS_ENDPOINT_URL_SECRETS_MANAGER || env.AWS_ENDPOINT_URL
  if (override) {
    const parsed = parseEndpointOverride(override)
    if ('error' in parsed) throw new SecretsManagerFailure('InvalidEndpoint')
    return { origin: parsed.origin, region }
  }
  const dnsSuffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'
  return { origin: `https://secretsmanager.${region}.${dnsSuffix}`, region }
}

/** The error type of an AWS JSON 1.1 error answer: `__type`, or the `x-amzn-ErrorType` header. */
function awsErrorOf(status: number, header: string | null, body: string): string {
  const parsed = parseJson(body)
  const type =
    typeof parsed === 'object' && parsed !== null && '__type' in parsed ? parsed.__type : undefined
  const name = typeof type === 'string' ? type : (header ?? '')
  // `com.amazonaws.secretsmanager#ResourceNotFoundException`, `ThrottlingException:http://...`
  const short = name.replace(/^.*#/, '').replace(/:.*$/, '')
  return /^\w{1,100}$/.test(short) ? short : `HTTP ${status}`
}

/**
 * Calls Secrets Manager's `GetSecretValue` over `transport`, signed with Signature Version 4
 * (the `aws4` library) by the function's role: Lambda puts its credentials and region in the
 * environment. This is the one call the functions make to Secrets Manager, and the AWS SDK
 * client for it took longer to load than the rest of a cold start together (bench/README.md).
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 *
 * @returns the secret's `SecretString` (undefined for a binary secret)
 * @throws {SecretsManagerFailure} naming what went wrong, never a value
 */
export async function getSecretString(
  secretId: string,
  env: Environment,
  transport: HttpTransport,
  signal: AbortSignal,
): Promise<string | undefined> {
  const { origin, region } = secretsManagerEndpoint(env)
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env
  if (!accessKeyId || !secretAccessKey) throw new SecretsManagerFailure('MissingCredentials')
  const url = new URL(origin)
  const body = JSON.stringify({ SecretId: secretId })
  const signed = aws4.sign(
    {
      host: url.host,
      path: '/',
      method: 'POST',
      service: 'secretsmanager',
      region,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetSecretValue',
      },
      body,
    },
    {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    },
  )
  const headers = Object.fromEntries(
    Object.entries(signed.headers ?? {}).map(([name, value]) => [name, String(value)]),
  )
  let status: number
  let text: string | undefined
  let errorType: string | null
  try {
    const response = await transport(`${url.origin}/`, {
      method: 'POST',
      headers,
      body,
      signal,
    })
    status = response.status
    errorType = response.headers.get('x-amzn-errortype')
    text = await readBodyUpTo(response.body, MAX_ANSWER_BYTES)
  } catch (error) {
    // Node's own code (ECONNREFUSED, ECONNRESET, ...) says the most; node-fetch names an abort.
    const named = error instanceof Error && error.name === 'AbortError' ? 'AbortError' : undefined
    throw new SecretsManagerFailure(findErrorCode(error) ?? named ?? 'NetworkError')
  }
  if (text === undefined) throw new SecretsManagerFailure('InvalidResponse')
  if (status !== 200) throw new SecretsManagerFailure(awsErrorOf(status, errorType, text))
  try {
    const { SecretString } = JSON.parse(text) as { SecretString?: unknown }
    return typeof SecretString === 'string' ? SecretString : undefined
  } catch {
    throw new SecretsManagerFailure('InvalidResponse')
  }
}
