import { describe, expect, it } from 'vitest'
import { listedInstanceIds } from '../../emulator/batch.js'
import { createClientTokenMemory } from '../../emulator/clientTokens.js'
import { matchesRule } from '../../emulator/faults.js'
import { batchCallOf, routeApiRequest } from '../../emulator/routes.js'
import { bindGroups, unbindGroups } from '../../emulator/state.js'
import type { Snapshot } from '../../emulator/types.js'

// The pure parts of the batch calls, one behaviour each, without a server.

const STATE: Snapshot = {
  instances: [
    {
      id: 'i-AAAAAAAA',
      status: 'Running',
      vpcId: 'vpc-a',
      securityGroupIds: [],
      enterpriseSecurityGroupIds: ['esg-aaaaaaaaaaaa'],
    },
  ],
  securityGroups: [],
  enterpriseSecurityGroups: [
    { id: 'esg-aaaaaaaaaaaa', name: 'a' },
    { id: 'esg-bbbbbbbbbbbb', name: 'b' },
  ],
}
const change = (groupIds: string[]) => ({
  type: 'enterprise' as const,
  instanceIds: ['i-AAAAAAAA'],
  groupIds,
})

describe('createClientTokenMemory', () => {
  const remembered = (requestId: string) => ({ parameters: '{}', requestId })

  it('keeps the latest tokens only, forgetting the oldest first', () => {
    const memory = createClientTokenMemory(2)
    memory.remember('batchBind', 'one', remembered('r1'))
    memory.remember('batchBind', 'two', remembered('r2'))
    memory.remember('batchBind', 'three', remembered('r3'))

    expect(memory.recall('batchBind', 'one')).toBeUndefined()
    expect(memory.recall('batchBind', 'two')).toEqual(remembered('r2'))
    expect(memory.recall('batchBind', 'three')).toEqual(remembered('r3'))
  })

  it('keeps each call’s tokens apart, and forgets all on clear', () => {
    const memory = createClientTokenMemory()
    memory.remember('batchBind', 't', remembered('bind'))
    memory.remember('batchUnbind', 't', remembered('unbind'))
    expect(memory.recall('batchBind', 't')?.requestId).toBe('bind')
    expect(memory.recall('batchUnbind', 't')?.requestId).toBe('unbind')

    memory.clear()
    expect(memory.recall('batchBind', 't')).toBeUndefined()
  })

  it('remembers 10,000 tokens by default', () => {
    const memory = createClientTokenMemory()
    for (let n = 0; n <= 10_000; n++) memory.remember('batchBind', `t${n}`, remembered(`r${n}`))
    expect(memory.recall('batchBind', 't0')).toBeUndefined()
    expect(memory.recall('batchBind', 't1')?.requestId).toBe('r1')
  })
})

describe('listedInstanceIds', () => {
  it.each([
    ['{"instanceIds":["i-A",1,"i-B"]}', ['i-A', 'i-B']],
    ['{"instanceIds":"i-A"}', []],
    ['{}', []],
    ['null', []],
    ['not json', []],
  ])('reads %s as %j', (body, ids) => {
    expect(listedInstanceIds(body)).toEqual(ids)
  })
})

describe('batch routes', () => {
  it('names the batch calls by path, exactly', () => {
    expect(batchCallOf('/v2/securitygroup/bind')).toBe('batchBind')
    expect(batchCallOf('/v2/securitygroup/unbind')).toBe('batchUnbind')
    expect(batchCallOf('/v2/securityGroup/bind')).toBeUndefined()
    expect(batchCallOf('/v2/securitygroup/toString')).toBeUndefined()
    expect(routeApiRequest('PUT', '/v2/securitygroup/unbind', {})).toEqual({
      route: { kind: 'batchUnbind' },
    })
  })

  it("matches a rule's instanceId against the instances a batch call lists", () => {
    const target = {
      method: 'PUT',
      path: '/v2/securitygroup/bind',
      instanceId: undefined,
      listedInstanceIds: ['i-A', 'i-B'],
    }
    expect(matchesRule({ instanceId: 'i-B' }, undefined, target)).toBe(true)
    expect(matchesRule({ instanceId: 'i-C' }, undefined, target)).toBe(false)
  })
})

describe('group changes', () => {
  it('return the same state object when nothing changes', () => {
    const bound = bindGroups(STATE, change(['esg-aaaaaaaaaaaa']), { mode: 'ok' })
    const notBound = unbindGroups(STATE, change(['esg-bbbbbbbbbbbb']))
    expect(bound.refusal === undefined && bound.state).toBe(STATE)
    expect(notBound.refusal === undefined && notBound.state).toBe(STATE)
  })

  it('never modify the state they are given', () => {
    const frozen = structuredClone(STATE)
    Object.freeze(frozen.instances[0]?.enterpriseSecurityGroupIds)
    const bound = bindGroups(frozen, change(['esg-bbbbbbbbbbbb']), { mode: 'ok' })
    expect(bound.refusal === undefined && bound.state.instances[0]).toMatchObject({
      enterpriseSecurityGroupIds: ['esg-aaaaaaaaaaaa', 'esg-bbbbbbbbbbbb'],
    })
    expect(frozen).toEqual(STATE)
  })
})
