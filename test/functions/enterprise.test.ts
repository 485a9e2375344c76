import type { SQSBatchResponse } from 'aws-lambda'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadSeedFile } from '../../emulator/index.js'
import type { Trigger } from '../../lib/runtime/functionRuntime.js'
import { handlerFor, SQS_SAMPLE, TRIGGERS } from '../reliability/support/triggers.js'
import { type FunctionHarness, startFunctionHarness } from '../support/functionHarness.js'
import { captureOutput, lambdaContext, logLines, signedHttpEvent } from '../support/lambda.js'

/**
 * Enterprise groups, unbind and dry runs, on every trigger, against the emulator and its seed
 * (emulator/seed.json: i-Ent1Demo has one enterprise group, i-Ent2Demo two).
 */

/** What a caller of any trigger learns: the outcome (a status or an error name) and more. */
interface Answer {
  outcome: string
  /** The `dryRun` mark of a predicted error, where the trigger shows it. */
  predicted: boolean
  /** The webhook's status; the queue's fate of the record; the workflow's thrown name. */
  httpStatus?: number
  disposition?: string
  thrownName?: string
  message?: string
}

let identities = 0

async function send(
  trigger: Trigger,
  harness: FunctionHarness,
  body: Record<string, unknown>,
  identity = `identity-${++identities}`,
): Promise<Answer> {
  const handler = handlerFor(trigger, harness.runtime)
  const { result, output } = await captureOutput(async () => {
    if (trigger === 'http') {
      const response = await handler(
        signedHttpEvent('http-api-v2.json', body, { id: identity }),
        lambdaContext(),
      )
      return { response }
    }
    if (trigger === 'queue') {
      const event = {
        Records: [{ ...SQS_SAMPLE, messageId: identity, body: JSON.stringify(body) }],
      }
      return { batch: (await handler(event, lambdaContext())) as SQSBatchResponse }
    }
    try {
      return { value: await handler({ ...body, requestId: identity }, lambdaContext()) }
    } catch (error) {
      return { thrown: error as Error }
    }
  })
  const line = logLines(output).find((entry) => entry.message === 'bind outcome')
  expect(line).toBeDefined()
  const outcome = String(line?.outcome)
  const answer: Answer = { outcome, predicted: line?.dryRun === true }
  if ('response' in result) {
    const parsed = JSON.parse(result.response.body)
    answer.httpStatus = result.response.statusCode
    if (parsed.error !== undefined) {
      expect(parsed.error.code).toBe(outcome)
      answer.predicted = parsed.error.details?.dryRun === true
      answer.message = parsed.error.message
    } else expect(parsed.status).toBe(outcome)
  }
  if ('batch' in result) {
    answer.disposition = String(line?.disposition)
    const reported = result.batch.batchItemFailures.map((failure) => failure.itemIdentifier)
    expect(reported).toEqual(answer.disposition === 'done' ? [] : [identity])
  }
  if ('thrown' in result && result.thrown !== undefined) {
    answer.thrownName = result.thrown.name
    answer.message = result.thrown.message
    expect(answer.thrownName).toBe(outcome)
  }
  if ('value' in result) expect(result.value.status).toBe(outcome)
  return answer
}

/** What each trigger must show for a permanent refusal (HTTP 409, dead-letter, thrown name). */
function expectRefusal(trigger: Trigger, answer: Answer, name: string, predicted = false) {
  expect(answer.outcome).toBe(name)
  if (trigger === 'http') expect(answer.httpStatus).toBe(409)
  // No failure queue is configured here: the report lets the redrive policy dead-letter it.
  if (trigger === 'queue') expect(answer.disposition).toBe('dead-letter-queue')
  if (trigger === 'workflow') expect(answer.thrownName).toBe(name)
  if (trigger !== 'queue') expect(answer.predicted).toBe(predicted)
  if (predicted && answer.message !== undefined) {
    expect(answer.message).toMatch(/^Dry run, predicted: /)
  }
}

describe.each(TRIGGERS)('%s function: enterprise groups and unbind', (trigger) => {
  let harness: FunctionHarness
  beforeAll(async () => {
    harness = await startFunctionHarness(trigger, { emulator: { seed: loadSeedFile() } })
  })
  afterAll(() => harness.close())
  beforeEach(() => harness.fresh())

  const instance = (id: string) => {
    const found = harness.emulator.state().instances.find((each) => each.id === id)
    return {
      regular: found?.securityGroupIds ?? [],
      enterprise: found?.enterpriseSecurityGroupIds ?? [],
    }
  }
  const puts = () => harness.bceCalls().filter((call) => call.method === 'PUT')
  const tokens = () => puts().map((call) => call.query.clientToken)

  it('binds an enterprise group with the batch call and a clientToken', async () => {
    const answer = await send(trigger, harness, {
      instanceId: 'i-Ent1Demo',
      securityGroupId: 'esg-7t2vcx5lm3qa',
    })
    expect(answer.outcome).toBe('bound')
    expect(instance('i-Ent1Demo').enterprise).toEqual(['esg-9pmkwq3rt2ab', 'esg-7t2vcx5lm3qa'])
    expect(puts().map((call) => call.path)).toEqual(['/v2/securitygroup/bind'])
    expect(tokens()[0]).toMatch(/^bsb-[0-9a-f]{60}$/)
  })

  it('unbinds an enterprise group, and answers already-unbound the second time', async () => {
    const request = {
      instanceId: 'i-Ent2Demo',
      securityGroupId: 'esg-4hx8nvd2kfe7',
      action: 'unbind',
    }
    expect((await send(trigger, harness, request)).outcome).toBe('unbound')
    expect(instance('i-Ent2Demo').enterprise).toEqual(['esg-9pmkwq3rt2ab'])
    expect(puts().map((call) => call.path)).toEqual(['/v2/securitygroup/unbind'])
    expect((await send(trigger, harness, request)).outcome).toBe('already-unbound')
    expect(puts()).toHaveLength(1)
  })

  it('unbinds a regular group with PUT ?unbind', async () => {
    const answer = await send(trigger, harness, {
      instanceId: 'i-Web2Demo',
      securityGroupId: 'g-nky7qeom',
      action: 'unbind',
    })
    expect(answer.outcome).toBe('unbound')
    expect(instance('i-Web2Demo').regular).toEqual(['g-4NxWoxeq'])
    expect(puts().map((call) => [call.path, Object.keys(call.query)])).toEqual([
      ['/v2/instance/i-Web2Demo', ['unbind']],
    ])
  })

  it('refuses to unbind the last group: LastSecurityGroup', async () => {
    const answer = await send(trigger, harness, {
      instanceId: 'i-Ent1Demo',
      securityGroupId: 'esg-9pmkwq3rt2ab',
      action: 'unbind',
    })
    expectRefusal(trigger, answer, 'LastSecurityGroup')
    expect(instance('i-Ent1Demo').enterprise).toEqual(['esg-9pmkwq3rt2ab'])
  })

  it('refuses an enterprise group on an instance with regular ones: SecurityGroupKindConflict', async () => {
    const answer = await send(trigger, harness, {
      instanceId: 'i-YufwpQAe',
      securityGroupId: 'esg-7t2vcx5lm3qa',
    })
    expectRefusal(trigger, answer, 'SecurityGroupKindConflict')
    expect(instance('i-YufwpQAe')).toEqual({ regular: ['g-4NxWoxeq'], enterprise: [] })
  })

  it('maps IdempotentParameterMismatch to IdempotencyConflict', async () => {
    harness.emulator.setFaults([
      {
        match: { method: 'PUT' },
        action: { kind: 'status', status: 403, code: 'IdempotentParameterMismatch' },
      },
    ])
    const answer = await send(trigger, harness, {
      instanceId: 'i-Ent1Demo',
      securityGroupId: 'esg-7t2vcx5lm3qa',
    })
    expectRefusal(trigger, answer, 'IdempotencyConflict')
  })

  it('ends already-bound when every answer to an applied enterprise bind is lost, with one token on every attempt', async () => {
    harness.emulator.setFaults([
      { match: { method: 'PUT', path: '/v2/securitygroup/bind' }, action: { kind: 'reset-after' } },
    ])
    const answer = await send(trigger, harness, {
      instanceId: 'i-Ent1Demo',
      securityGroupId: 'esg-7t2vcx5lm3qa',
    })
    expect(answer.outcome).toBe('already-bound')
    expect(puts()).toHaveLength(4) // BCC_MAX_ATTEMPTS' default
    expect(new Set(tokens()).size).toBe(1)
    expect(instance('i-Ent1Demo').enterprise).toContain('esg-7t2vcx5lm3qa')
  })

  it.each([
    [
      'an expired instance',
      { instanceId: 'i-ExpIred1', securityGroupId: 'g-nky7qeom' },
      'InstanceExpired',
    ],
    [
      'a full instance',
      { instanceId: 'i-Fu11Ten0', securityGroupId: 'g-nky7qeom' },
      'SecurityGroupLimitExceeded',
    ],
    [
      'the last group',
      { instanceId: 'i-Ent1Demo', securityGroupId: 'esg-9pmkwq3rt2ab', action: 'unbind' },
      'LastSecurityGroup',
    ],
    [
      'a group of the other kind',
      { instanceId: 'i-YufwpQAe', securityGroupId: 'esg-7t2vcx5lm3qa' },
      'SecurityGroupKindConflict',
    ],
    [
      'a group the VPC does not have',
      { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nope0000' },
      'SecurityGroupNotFound',
    ],
    [
      'an unknown instance',
      { instanceId: 'i-Nope0000', securityGroupId: 'g-nky7qeom' },
      'InstanceNotFound',
    ],
  ])('predicts, in a dry run, the refusal of %s', async (_what, request, name) => {
    const before = harness.emulator.state()
    const answer = await send(trigger, harness, { ...request, dryRun: true })
    if (trigger === 'http' && name.endsWith('NotFound')) expect(answer.httpStatus).toBe(404)
    else expectRefusal(trigger, answer, name, true)
    expect(answer.outcome).toBe(name)
    if (trigger !== 'queue') expect(answer.predicted).toBe(true)
    expect(puts()).toEqual([])
    expect(harness.emulator.state()).toEqual(before)
  })

  it.each([
    [{ instanceId: 'i-Ent1Demo', securityGroupId: 'esg-7t2vcx5lm3qa' }, 'would-bind'],
    [
      { instanceId: 'i-Ent2Demo', securityGroupId: 'esg-4hx8nvd2kfe7', action: 'unbind' },
      'would-unbind',
    ],
    [
      { instanceId: 'i-Web2Demo', securityGroupId: 'g-7dyv27r6pnse', action: 'unbind' },
      'already-unbound',
    ],
  ])('answers a dry run of %o with %s', async (request, status) => {
    const answer = await send(trigger, harness, { ...request, dryRun: true })
    expect(answer.outcome).toBe(status)
    expect(puts()).toEqual([])
  })
})

describe('queue function: a redelivered enterprise bind', () => {
  let harness: FunctionHarness
  beforeAll(async () => {
    harness = await startFunctionHarness('queue', { emulator: { seed: loadSeedFile() } })
  })
  afterAll(() => harness.close())
  beforeEach(() => harness.fresh())

  it('carries the same clientToken, so BCC answers as the first time and never IdempotencyConflict', async () => {
    const request = { instanceId: 'i-Ent1Demo', securityGroupId: 'esg-7t2vcx5lm3qa' }
    // The first delivery's bind is applied but its answers are lost, and so is the read after
    // it: the record is redelivered.
    harness.emulator.setFaults([
      { match: { method: 'PUT' }, action: { kind: 'reset-after' } },
      { match: { method: 'GET' }, action: { kind: 'status', status: 503 } },
    ])
    const first = await send('queue', harness, request, 'msg-redelivered')
    expect(first).toMatchObject({ outcome: 'BceUnavailable', disposition: 'redeliver' })

    harness.emulator.setFaults([])
    const second = await send('queue', harness, request, 'msg-redelivered')
    expect(second).toMatchObject({ outcome: 'bound', disposition: 'done' })

    const batchTokens = harness
      .bceCalls()
      .filter((call) => call.method === 'PUT')
      .map((call) => call.query.clientToken)
    expect(batchTokens).toHaveLength(5)
    expect(new Set(batchTokens).size).toBe(1)
    expect(
      harness.emulator.state().instances.find((i) => i.id === 'i-Ent1Demo')
        ?.enterpriseSecurityGroupIds,
    ).toEqual(['esg-9pmkwq3rt2ab', 'esg-7t2vcx5lm3qa'])
  })

  it('gives another message (another request) another token', async () => {
    const request = { instanceId: 'i-Ent1Demo', securityGroupId: 'esg-7t2vcx5lm3qa' }
    await send('queue', harness, request, 'msg-a')
    await send('queue', harness, { ...request, action: 'unbind' }, 'msg-b')
    const batchTokens = harness
      .bceCalls()
      .filter((call) => call.method === 'PUT')
      .map((call) => call.query.clientToken)
    expect(batchTokens).toHaveLength(2)
    expect(new Set(batchTokens).size).toBe(2)
  })
})

describe('workflow function: without a requestId', () => {
  let harness: FunctionHarness
  beforeAll(async () => {
    harness = await startFunctionHarness('workflow', { emulator: { seed: loadSeedFile() } })
  })
  afterAll(() => harness.close())
  beforeEach(() => harness.fresh())

  it('uses a random token for the invocation, the same on each of its retries', async () => {
    harness.emulator.setFaults([
      { match: { method: 'PUT' }, count: 2, action: { kind: 'status', status: 503 } },
    ])
    const handler = handlerFor('workflow', harness.runtime)
    const { result } = await captureOutput(() =>
      handler({ instanceId: 'i-Ent1Demo', securityGroupId: 'esg-7t2vcx5lm3qa' }, lambdaContext()),
    )
    expect(result.status).toBe('bound')
    const batchTokens = harness
      .bceCalls()
      .filter((call) => call.method === 'PUT')
      .map((call) => call.query.clientToken)
    expect(batchTokens).toHaveLength(3)
    expect(new Set(batchTokens).size).toBe(1)
    expect(batchTokens[0]).toMatch(/^bsb-r-[0-9a-f-]{36}$/)
  })
})

describe('dry run of a regular group in a VPC with many groups', () => {
  let harness: FunctionHarness
  beforeAll(async () => {
    const seed = loadSeedFile()
    const vpcId = 'vpc-2pa2x0bjt26i'
    // 45 more groups in the first VPC: the list is read 20 at a time, so three pages.
    const many = Array.from({ length: 45 }, (_, i) => ({
      id: `g-page${String(i).padStart(4, '0')}`,
      name: `page-${i}`,
      vpcId,
    }))
    harness = await startFunctionHarness('workflow', {
      emulator: { seed: { ...seed, securityGroups: [...seed.securityGroups, ...many] } },
    })
  })
  afterAll(() => harness.close())
  beforeEach(() => harness.fresh())

  const listCalls = () =>
    harness.bceCalls().filter((call) => call.path === '/v2/securityGroup' && call.method === 'GET')

  it('follows the pages of the group list, 20 at a time, to find a group on the last one', async () => {
    const answer = await send('workflow', harness, {
      instanceId: 'i-YufwpQAe',
      securityGroupId: 'g-page0044',
      dryRun: true,
    })
    expect(answer.outcome).toBe('would-bind')
    // 11 seeded groups and 45 more in that VPC: pages of 20, 20 and 16.
    const pages = listCalls()
    expect(pages).toHaveLength(3)
    expect(pages.every((call) => call.query.maxKeys === '20')).toBe(true)
    expect(pages.slice(1).every((call) => (call.query.marker ?? '') !== '')).toBe(true)
    expect(harness.bceCalls().filter((call) => call.method === 'PUT')).toEqual([])
  })

  it('reads every page before it predicts SecurityGroupNotFound', async () => {
    const answer = await send('workflow', harness, {
      instanceId: 'i-YufwpQAe',
      securityGroupId: 'g-nothere0',
      dryRun: true,
    })
    expect(answer.outcome).toBe('SecurityGroupNotFound')
    expect(answer.message).toMatch(/^Dry run, predicted: /)
    expect(listCalls()).toHaveLength(3)
  })
})
