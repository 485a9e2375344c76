import { describe, expect, it } from 'vitest'
import {
  defaultErrorCode,
  htmlFaultReply,
  statusFaultReply,
  truncateReply,
} from '../../emulator/faultReplies.js'
import { createFaultEngine, matchesRule } from '../../emulator/faults.js'
import { listSecurityGroups } from '../../emulator/listGroups.js'
import { createSeededRandom } from '../../emulator/random.js'
import { renderReply } from '../../emulator/replies.js'
import { createRequestLog } from '../../emulator/requestLog.js'
import { parseRequestTarget } from '../../emulator/requestTarget.js'
import { routeApiRequest, targetInstanceId } from '../../emulator/routes.js'
import { formatRawResponse } from '../../emulator/server.js'
import { bindGroup, unbindGroup } from '../../emulator/state.js'
import type { Snapshot } from '../../emulator/types.js'

// The pure parts, one behaviour each, without a server.

const STATE: Snapshot = {
  instances: [
    { id: 'i-AAAAAAAA', status: 'Running', vpcId: 'vpc-a', securityGroupIds: ['g-aaaaaaaa'] },
  ],
  securityGroups: [
    { id: 'g-aaaaaaaa', name: 'a', vpcId: 'vpc-a' },
    { id: 'g-bbbbbbbb', name: 'b', vpcId: 'vpc-a' },
    { id: 'g-cccccccc', name: 'c', vpcId: 'vpc-b' },
  ],
}

describe('parseRequestTarget', () => {
  it('decodes the path and the query; a bare key is ""; the last repeated value wins', () => {
    expect(parseRequestTarget('/v2/instance/i%2DA?bind&x=1&&x=2&y=a%20b+c')).toEqual({
      path: '/v2/instance/i-A',
      query: { bind: '', x: '2', y: 'a b+c' },
    })
  })

  it('keeps a parameter named __proto__ as a plain parameter', () => {
    const target = parseRequestTarget('/a?__proto__=1')
    expect(Object.keys(target?.query ?? {})).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(target?.query)).toBe(Object.prototype)
  })

  it.each([['/%E0%A4%A'], ['/a?%ZZ=1'], ['/a?k=%ZZ']])('refuses %s', (target) => {
    expect(parseRequestTarget(target)).toBeUndefined()
  })
})

describe('routes', () => {
  it('finds the instance a request is about', () => {
    expect(targetInstanceId('/v2/instance/i-AAAAAAAA', {})).toBe('i-AAAAAAAA')
    expect(targetInstanceId('/v2/securityGroup', { instanceId: 'i-B' })).toBe('i-B')
    expect(targetInstanceId('/v2/securityGroup', { instanceId: '' })).toBeUndefined()
  })

  it('routes GET and PUT on an instance', () => {
    expect(routeApiRequest('PUT', '/v2/instance/i-X', { unbind: '' })).toEqual({
      route: { kind: 'unbind', instanceId: 'i-X' },
    })
    expect(routeApiRequest('GET', '/v2/instance/i-X', { bind: '' })).toEqual({
      route: { kind: 'describeInstance', instanceId: 'i-X' },
    })
  })
})

describe('state transitions', () => {
  it('returns the same state object when a request is refused', () => {
    expect(bindGroup(STATE, 'i-AAAAAAAA', 'g-nothere', { mode: 'ok' }).state).toBe(STATE)
    expect(unbindGroup(STATE, 'i-AAAAAAAA', 'g-aaaaaaaa').state).toBe(STATE)
  })

  it('never modifies the state it is given', () => {
    const frozen = structuredClone(STATE)
    Object.freeze(frozen.instances[0]?.securityGroupIds)
    const outcome = bindGroup(frozen, 'i-AAAAAAAA', 'g-bbbbbbbb', { mode: 'ok' })
    expect(outcome.state.instances[0]?.securityGroupIds).toEqual(['g-aaaaaaaa', 'g-bbbbbbbb'])
    expect(frozen).toEqual(STATE)
  })
})

describe('listSecurityGroups', () => {
  const page = (query: Record<string, string>) => {
    const reply = listSecurityGroups(STATE, query)
    return reply.payload.kind === 'json' ? reply.payload.value : reply.payload
  }

  it('pages with maxKeys and marker', () => {
    expect(page({ maxKeys: '2' })).toMatchObject({
      securityGroups: [{ id: 'g-aaaaaaaa' }, { id: 'g-bbbbbbbb' }],
      isTruncated: true,
      nextMarker: 'g-cccccccc',
    })
    expect(page({ maxKeys: '2', marker: 'g-cccccccc' })).toMatchObject({
      securityGroups: [{ id: 'g-cccccccc' }],
      marker: 'g-cccccccc',
      isTruncated: false,
    })
  })

  it('treats empty parameters as absent and accepts maxKeys 1000', () => {
    expect(page({ maxKeys: '', marker: '', vpcId: '', instanceId: '' })).toMatchObject({
      securityGroups: [{}, {}, {}],
      maxKeys: 1000,
    })
    expect(page({ maxKeys: '1000' })).toMatchObject({ maxKeys: 1000 })
  })

  it('filters by an instance and a VPC together', () => {
    expect(page({ instanceId: 'i-AAAAAAAA', vpcId: 'vpc-b' })).toMatchObject({
      securityGroups: [],
      isTruncated: false,
    })
  })
})

describe('faults', () => {
  const target = { method: 'PUT', path: '/v2/instance/i-A', instanceId: 'i-A' }

  it('matches when every given field agrees', () => {
    expect(matchesRule(undefined, undefined, target)).toBe(true)
    expect(matchesRule({}, undefined, target)).toBe(true)
    expect(matchesRule({ method: 'put', instanceId: 'i-A' }, undefined, target)).toBe(true)
    expect(matchesRule({ method: 'GET' }, undefined, target)).toBe(false)
    expect(matchesRule({ path: '/v2/instance/i-B' }, undefined, target)).toBe(false)
    expect(matchesRule({ instanceId: 'i-B' }, undefined, target)).toBe(false)
    expect(matchesRule({}, /^\/v2\/x$/, target)).toBe(false)
  })

  it('anchors a path pattern: it must match the whole path', () => {
    const engine = createFaultEngine(
      [{ match: { pathPattern: '/v2/instance' }, action: { kind: 'reset-before' } }],
      1,
    )
    expect(engine.decide(target).action).toBeUndefined()
  })

  it('a rule with probability 0 never fires and is never spent', () => {
    const engine = createFaultEngine(
      [
        { probability: 0, action: { kind: 'reset-before' } },
        { count: 1, probability: 1, action: { kind: 'reset-after' } },
      ],
      1,
    )
    expect(engine.decide(target).fired).toEqual([{ rule: 1, kind: 'reset-after' }])
    expect(engine.decide(target)).toEqual({ latencyMs: 0, action: undefined, fired: [] })
  })

  it('stops at the first terminal rule, leaving the later ones unspent', () => {
    const engine = createFaultEngine(
      [
        { count: 1, action: { kind: 'reset-after' } },
        { count: 1, action: { kind: 'reset-before' } },
      ],
      1,
    )
    expect(engine.decide(target).action).toEqual({ kind: 'reset-after' })
    expect(engine.decide(target).action).toEqual({ kind: 'reset-before' })
  })

  it('draws reproducible numbers in [0, 1)', () => {
    const a = createSeededRandom(3)
    const b = createSeededRandom(3)
    const draws = Array.from({ length: 100 }, () => a())
    expect(Array.from({ length: 100 }, () => b())).toEqual(draws)
    expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true)
    expect(new Set(draws).size).toBe(100)
  })
})

describe('fault replies', () => {
  it.each([
    [500, 'InternalError'],
    [503, 'ServiceUnavailable'],
    [429, 'TooManyRequests'],
    [599, 'Http599'],
  ])('the default code of %i is %s', (status, code) => {
    expect(defaultErrorCode(status)).toBe(code)
  })

  it('a status without a reason phrase still gets a message', () => {
    expect(statusFaultReply({ kind: 'status', status: 599 })).toEqual({
      status: 599,
      payload: { kind: 'error', code: 'Http599', message: 'Error (injected by the emulator)' },
    })
  })

  it('an HTML page names its status, with or without a reason phrase', () => {
    expect(htmlFaultReply({ kind: 'html', status: 502 }, 'r').body).toContain(
      '<title>502 Bad Gateway</title>',
    )
    expect(htmlFaultReply({ kind: 'html', status: 599 }, 'r')).toMatchObject({
      status: 599,
      headers: { 'content-type': 'application/json;charset=UTF-8', 'x-bce-request-id': 'r' },
      body: expect.stringContaining('<h1>599 Error</h1>'),
    })
  })

  it('cuts the JSON in half, and gives a body to a reply that had none', () => {
    const json = renderReply({ status: 200, payload: { kind: 'json', value: { a: 'bcde' } } }, 'r')
    expect(truncateReply(json, undefined)).toMatchObject({ status: 200, body: '{"a":"' })
    const empty = renderReply({ status: 200, payload: { kind: 'empty' } }, 'req-1')
    expect(truncateReply(empty, 502)).toMatchObject({ status: 502, body: '{"requestI' })
  })
})

describe('formatRawResponse', () => {
  it('writes a complete HTTP/1.1 answer that closes the connection', () => {
    expect(formatRawResponse({ status: 599, headers: { a: 'b' }, body: 'é' })).toBe(
      'HTTP/1.1 599 Error\r\na: b\r\ncontent-length: 2\r\nconnection: close\r\n\r\né',
    )
  })
})

describe('request log', () => {
  it('keeps the latest entries, numbering on', () => {
    const log = createRequestLog(2)
    const entry = {
      at: '2026-11-29T03:00:00.000Z',
      connectionId: 1,
      method: 'GET',
      path: '/',
      query: {},
      signedHeaders: [],
      verdict: 'ok' as const,
      status: 200,
    }
    for (let i = 0; i < 3; i++) log.add(entry)
    expect(log.entries().map((each) => each.id)).toEqual([2, 3])
  })
})
