import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BccNetworkError } from '../../lib/bcc/errors.js'
import { MAX_RESPONSE_BYTES } from '../../lib/bcc/responses.js'
import {
  BceAuthFailed,
  BceRequestRejected,
  BceTimeout,
  BceUnavailable,
  BinderError,
  InstanceExpired,
  InstanceNotFound,
  LastSecurityGroup,
  SecurityGroupLimitExceeded,
  SecurityGroupNotFound,
  ValidationError,
} from '../../lib/errors/catalogue.js'
import { loadFunctionConfig } from '../../lib/schemas/config.js'
import {
  type BindDependencies,
  bind,
  createClientResolver,
  retryPolicyFrom,
} from '../../lib/usecases/bind.js'
import { TEST_CREDENTIALS, TEST_SECRETS } from '../support/credentials.js'
import { fakeTiming } from '../support/fakeTiming.js'
import {
  bceError,
  bceOk,
  instanceDetail,
  type Reply,
  type ScriptedServer,
  type SeenRequest,
  startScriptedServer,
} from '../support/scriptedServer.js'

const INSTANCE = 'i-YufwpQAe'
const GROUP = 'g-nky7qeom'
const REQUEST = { instanceId: INSTANCE, securityGroupId: GROUP }

let server: ScriptedServer
beforeAll(async () => {
  server = await startScriptedServer(TEST_SECRETS)
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
})

/** The real client and retry loop against the scripted server, on a fake clock that sleeps instantly. */
function setup(env: Record<string, string> = {}, deadlineInMs = 30_000) {
  const runtime = fakeTiming()
  const { bcc: config } = loadFunctionConfig(
    {
      BCE_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      BCE_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      BCC_ENDPOINT: server.url,
      ...env,
    },
    { webhookSecret: false },
  )
  const deps: BindDependencies = {
    clientFor: createClientResolver(
      { ...config, credentials: TEST_CREDENTIALS },
      { clock: runtime.clock },
    ),
    defaultRegion: config.region,
    retryPolicy: retryPolicyFrom(config),
    deadline: runtime.start + deadlineInMs,
    timing: runtime,
  }
  return { deps, runtime }
}

/** Scripts PUTs (the bind) and GETs (the read) separately, each in order. */
function scriptByMethod(puts: Reply[], gets: Reply[] = [bceError(500, 'InternalError')]) {
  let put = 0
  let get = 0
  server.script((request: SeenRequest) =>
    request.method === 'PUT'
      ? (puts[Math.min(put++, puts.length - 1)] as Reply)
      : (gets[Math.min(get++, gets.length - 1)] as Reply),
  )
}

const methods = () => server.requests.map((request) => request.method)

async function failure(deps: BindDependencies, input: unknown = REQUEST): Promise<BinderError> {
  try {
    await bind(input, deps)
  } catch (error) {
    if (error instanceof BinderError) return error
    throw error
  }
  throw new Error('expected bind to fail')
}

describe('bind: success', () => {
  it('binds and reports the outcome with BCE request id, attempts and duration', async () => {
    const { deps } = setup()
    scriptByMethod([bceOk('req-bound')])

    await expect(bind(REQUEST, deps)).resolves.toEqual({
      status: 'bound',
      instanceId: INSTANCE,
      securityGroupId: GROUP,
      region: 'bj',
      bceRequestId: 'req-bound',
      attempts: 1,
      durationMs: 0,
    })
    expect(methods()).toEqual(['PUT'])
    expect(server.requests[0]?.verdict.ok).toBe(true)
  })

  it('reports the region the request names, or BCE_REGION', async () => {
    scriptByMethod([bceOk()])
    await expect(bind({ ...REQUEST, region: 'gz' }, setup().deps)).resolves.toMatchObject({
      region: 'gz',
    })
    await expect(bind(REQUEST, setup({ BCE_REGION: 'hkg' }).deps)).resolves.toMatchObject({
      region: 'hkg',
    })
  })

  it('retries a 503 and succeeds with a freshly signed second attempt', async () => {
    // Signatures have one-second resolution: a 2 s backoff shows that the retry is re-signed.
    const { deps, runtime } = setup({ BCC_RETRY_BASE_MS: '4000' })
    scriptByMethod([bceError(503, 'ServiceUnavailable'), bceOk('req-second')])

    await expect(bind(REQUEST, deps)).resolves.toMatchObject({
      status: 'bound',
      attempts: 2,
      bceRequestId: 'req-second',
    })
    const [first, second] = server.requests
    expect(runtime.sleeps).toEqual([2_000])
    expect(second?.verdict.ok).toBe(true)
    expect(first?.headers['x-bce-date']).not.toBe(second?.headers['x-bce-date'])
    expect(first?.headers.authorization).not.toBe(second?.headers.authorization)
  })

  it('honours Retry-After when it fits before the deadline', async () => {
    const { deps, runtime } = setup()
    scriptByMethod([{ status: 429, headers: { 'retry-after': '2' } }, bceOk()])

    await expect(bind(REQUEST, deps)).resolves.toMatchObject({ status: 'bound', attempts: 2 })
    expect(runtime.sleeps).toEqual([2_000])
  })
})

describe('bind: definite outcomes when the answer is lost or unclear', () => {
  it('ends already-bound when the bind was applied but the connection dropped before the answer', async () => {
    const { deps } = setup()
    // The group is on the instance after the first PUT; every answer to a PUT is lost.
    scriptByMethod(
      [{ reset: 'before-response' }],
      [instanceDetail(INSTANCE, ['g-other001', GROUP], 'req-read')],
    )

    await expect(bind(REQUEST, deps)).resolves.toMatchObject({
      status: 'already-bound',
      bceRequestId: 'req-read',
      attempts: 4,
    })
    expect(methods()).toEqual(['PUT', 'PUT', 'PUT', 'PUT', 'GET'])
  })

  it('ends already-bound when a retry after a lost answer gets an unpublished duplicate error', async () => {
    const { deps } = setup()
    scriptByMethod(
      [{ reset: 'before-response' }, bceError(400, 'SecurityGroup.AlreadyBound')],
      [instanceDetail(INSTANCE, [GROUP])],
    )

    await expect(bind(REQUEST, deps)).resolves.toMatchObject({
      status: 'already-bound',
      attempts: 2,
    })
    expect(methods()).toEqual(['PUT', 'PUT', 'GET'])
  })

  it('ends bound when BCC answers a duplicate bind with 200', async () => {
    const { deps } = setup()
    scriptByMethod([{ reset: 'before-response' }, bceOk('req-dup')])
    await expect(bind(REQUEST, deps)).resolves.toMatchObject({
      status: 'bound',
      attempts: 2,
      bceRequestId: 'req-dup',
    })
  })

  it('ends already-bound when the limit error is about a group the instance already has', async () => {
    const { deps } = setup()
    scriptByMethod(
      [bceError(413, 'SecurityGroup.BindInstanceExceededLimit')],
      [instanceDetail(INSTANCE, [GROUP])],
    )
    await expect(bind(REQUEST, deps)).resolves.toMatchObject({
      status: 'already-bound',
      attempts: 1,
    })
  })
})

describe('bind: documented errors', () => {
  it.each([
    [413, 'SecurityGroup.BindInstanceExceededLimit', SecurityGroupLimitExceeded],
    [403, 'SecurityGroup.ExpiredInstanceForbiddenBind', InstanceExpired],
    [400, 'SecurityGroup.NoSecurityGroup', LastSecurityGroup],
    [400, 'InappropriateJSON', BceRequestRejected],
    [403, 'AccessDenied', BceAuthFailed],
    [403, 'InvalidAccessKeyId', BceAuthFailed],
    [400, 'SignatureDoesNotMatch', BceAuthFailed],
    [400, 'InvalidHTTPAuthHeader', BceAuthFailed],
  ])(
    'maps HTTP %i %s to its catalogue error after one attempt and one read',
    async (status, code, type) => {
      const { deps } = setup()
      scriptByMethod(
        [bceError(status, code, 'BCC says no', 'req-no')],
        [instanceDetail(INSTANCE, ['g-other001'])],
      )
      const error = await failure(deps)

      expect(error).toBeInstanceOf(type)
      expect(error).toMatchObject({
        bceCode: code,
        bceRequestId: 'req-no',
        attempts: 1,
        retryable: false,
      })
      expect(error.message).toContain(code)
      expect(methods()).toEqual(['PUT', 'GET'])
    },
  )

  it('says the instance is not found when reading it is not found either', async () => {
    const { deps } = setup()
    scriptByMethod([bceError(404, 'NoSuchObject')], [bceError(404, 'NoSuchObject')])
    expect(await failure(deps)).toBeInstanceOf(InstanceNotFound)
  })

  it('says the security group is not found when the instance can be read', async () => {
    const { deps } = setup()
    scriptByMethod([bceError(404, 'NoSuchObject')], [instanceDetail(INSTANCE, ['g-other001'])])
    expect(await failure(deps)).toMatchObject({
      name: 'SecurityGroupNotFound',
      bceCode: 'NoSuchObject',
    })
  })

  it.each([
    ['InstanceNotExist', 'instance i-YufwpQAe does not exist', InstanceNotFound],
    ['NoSuchObject', 'the security group g-nky7qeom does not exist', SecurityGroupNotFound],
    ['SecurityGroupNotFound', 'not found', SecurityGroupNotFound],
  ])('falls back to the words of a %s answer when the read fails', async (code, message, type) => {
    const { deps } = setup()
    scriptByMethod([bceError(404, code, message)], [bceError(500, 'InternalError')])
    expect(await failure(deps)).toBeInstanceOf(type)
  })
})

describe('bind: failures that are not BCC saying no', () => {
  it('gives BceUnavailable with the guessed code after retries on HTML error pages', async () => {
    const { deps } = setup()
    scriptByMethod([{ status: 502, body: '<html><h1>502 Bad Gateway</h1></html>' }])
    const error = await failure(deps)

    expect(error).toBeInstanceOf(BceUnavailable)
    expect(error).toMatchObject({ bceCode: 'BadGateway', attempts: 4, retryable: true })
    expect(methods()).toEqual(['PUT', 'PUT', 'PUT', 'PUT', 'GET'])
  })

  it('gives BceUnavailable after retries, like an HTML page, when something on the way redirects every attempt', async () => {
    const { deps } = setup()
    const redirect = { status: 302, headers: { location: 'https://login.example/' }, body: '' }
    scriptByMethod([redirect], [redirect])
    const error = await failure(deps)

    expect(error).toBeInstanceOf(BceUnavailable)
    expect(error).toMatchObject({ attempts: 4, retryable: true })
    expect(error.message).toBe(
      'BCC could not be reached reliably (4 attempt(s)): BCC answered HTTP 302, a redirect, which BCC never sends',
    )
    expect(methods()).toEqual(['PUT', 'PUT', 'PUT', 'PUT', 'GET'])
  })

  it('gives BceUnavailable after retries when every answer is larger than any BCC answer', async () => {
    const { deps } = setup()
    const oversized = bceOk('req-big', `{"pad":"${'x'.repeat(MAX_RESPONSE_BYTES)}"}`)
    scriptByMethod([oversized], [oversized])
    const error = await failure(deps)

    expect(error).toBeInstanceOf(BceUnavailable)
    expect(error).toMatchObject({ attempts: 4, bceRequestId: 'req-big' })
    expect(error.message).toContain(`with a body over ${MAX_RESPONSE_BYTES} bytes`)
    expect(methods()).toEqual(['PUT', 'PUT', 'PUT', 'PUT', 'GET'])
  })

  it('gives BceAuthFailed for an empty 403, as the SDKs guess AccessDenied', async () => {
    const { deps } = setup()
    scriptByMethod([{ status: 403, body: '' }])
    expect(await failure(deps)).toMatchObject({
      name: 'BceAuthFailed',
      bceCode: 'AccessDenied',
      attempts: 1,
    })
  })

  it('gives BceUnavailable caused by the network error when every connection resets', async () => {
    const { deps } = setup()
    scriptByMethod([{ reset: 'before-response' }], [{ reset: 'before-response' }])
    const error = await failure(deps)

    expect(error).toBeInstanceOf(BceUnavailable)
    expect(error.attempts).toBe(4)
    expect(error.cause).toBeInstanceOf(BccNetworkError)
  })

  it('gives BceUnavailable when the read after a lost answer returns nonsense', async () => {
    const { deps } = setup()
    scriptByMethod([{ reset: 'before-response' }], [bceOk('req-odd', '<html></html>')])
    expect(await failure(deps)).toBeInstanceOf(BceUnavailable)
  })

  it('gives BceTimeout when BCC answers slower than the attempt timeout', async () => {
    const { deps } = setup({ BCC_TIMEOUT_MS: '100', BCC_MAX_ATTEMPTS: '2' })
    scriptByMethod(
      [{ delayMs: 1_000, reply: bceOk() }],
      [{ delayMs: 1_000, reply: instanceDetail(INSTANCE, []) }],
    )
    const error = await failure(deps)

    expect(error).toBeInstanceOf(BceTimeout)
    expect(error).toMatchObject({ attempts: 2, retryable: true })
  })

  it('gives BceAuthFailed when fresh signatures still meet RequestExpired (a clock problem)', async () => {
    const { deps } = setup()
    scriptByMethod([bceError(400, 'RequestExpired')], [bceError(400, 'RequestExpired')])
    expect(await failure(deps)).toMatchObject({
      name: 'BceAuthFailed',
      bceCode: 'RequestExpired',
      attempts: 4,
    })
  })

  it('gives BceUnavailable after InternalError on every attempt', async () => {
    const { deps } = setup()
    scriptByMethod([bceError(500, 'InternalError', 'oops', 'req-500')])
    expect(await failure(deps)).toMatchObject({
      name: 'BceUnavailable',
      bceCode: 'InternalError',
      bceRequestId: 'req-500',
    })
  })

  it('gives BceUnavailable with retryAfterSeconds when Retry-After reaches past the deadline', async () => {
    const { deps, runtime } = setup({}, 5_000)
    scriptByMethod(
      [{ status: 503, headers: { 'retry-after': '60' } }],
      [instanceDetail(INSTANCE, [])],
    )
    const error = await failure(deps)

    expect(error).toMatchObject({ name: 'BceUnavailable', retryAfterSeconds: 60, attempts: 1 })
    expect(runtime.sleeps).toEqual([])
  })

  it('keeps the Retry-After hint when attempts run out', async () => {
    const { deps } = setup({ BCC_MAX_ATTEMPTS: '1' })
    scriptByMethod(
      [{ status: 503, headers: { 'retry-after': '2' } }],
      [instanceDetail(INSTANCE, [])],
    )
    expect(await failure(deps)).toMatchObject({ name: 'BceUnavailable', retryAfterSeconds: 2 })
  })

  it('gives BceTimeout and calls nothing when the deadline leaves no room for an attempt', async () => {
    const { deps } = setup({}, 100)
    const error = await failure(deps)

    expect(error).toMatchObject({ name: 'BceTimeout', attempts: 0 })
    expect(server.requests).toHaveLength(0)
  })

  it('skips the read and gives BceTimeout when the bind used up the deadline', async () => {
    const { deps, runtime } = setup({}, 1_000)
    server.script(() => {
      runtime.advance(900)
      return bceError(503, 'ServiceUnavailable')
    })
    const error = await failure(deps)

    expect(error).toMatchObject({ name: 'BceTimeout', attempts: 1, bceCode: 'ServiceUnavailable' })
    expect(methods()).toEqual(['PUT'])
  })
})

describe('bind: validation', () => {
  it('refuses an invalid request with every bad field, and calls nothing', async () => {
    const { deps } = setup()
    const error = await failure(deps, {
      instanceId: 'i-short',
      securityGroupId: 'esg-ABCDEFGHIJKL',
      extra: true,
    })

    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((issue) => issue.field)).toEqual([
      'instanceId',
      'securityGroupId',
      'extra',
    ])
    expect(error.message).toContain("or 'esg-' followed by 12 lower-case letters or digits")
    expect(server.requests).toHaveLength(0)
  })
})
