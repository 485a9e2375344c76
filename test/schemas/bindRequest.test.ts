import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../lib/errors/catalogue.js'
import { BindRequestSchema, parseBindRequest } from '../../lib/schemas/bindRequest.js'

const valid = { instanceId: 'i-YufwpQAe', securityGroupId: 'g-nky7qeom' }

function issuesOf(input: unknown, prefix?: string) {
  try {
    parseBindRequest(input, prefix)
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    return (error as ValidationError).issues
  }
  throw new Error('expected a ValidationError')
}

describe('BindRequestSchema', () => {
  it.each([
    ['an 8-character group id', valid],
    ['a 12-character lower-case group id', { ...valid, securityGroupId: 'g-7dyv27r6pnse' }],
    ['mixed-case ids', { instanceId: 'i-7Gx2kQpZ', securityGroupId: 'g-4NxWoxeq' }],
    ['a region', { ...valid, region: 'sin' }],
    ['an enterprise group id', { ...valid, securityGroupId: 'esg-9pmkwq3rt2ab' }],
    ['an unbind', { ...valid, action: 'unbind' }],
    ['an explicit bind', { ...valid, action: 'bind' }],
    [
      'a request id made of an execution ARN and the instance',
      {
        ...valid,
        requestId:
          'arn:aws:states:eu-west-1:123456789012:execution:bcc-sg-binder-dev-bind-many:0b5e9c4e-5d1c-4b8e-9f57-2a1c1c0c6f3e/i-YufwpQAe',
      },
    ],
    ['a request id of 512 characters', { ...valid, requestId: 'r'.repeat(512) }],
  ])('accepts %s', (_what, input) => {
    expect(parseBindRequest(input)).toEqual(input)
  })

  it.each([
    [
      'a short instance id',
      { ...valid, instanceId: 'i-abc' },
      'instanceId',
      "must be 'i-' followed by 8 letters or digits, such as i-YufwpQAe",
    ],
    [
      'an instance id with a slash',
      { ...valid, instanceId: 'i-abc/efgh' },
      'instanceId',
      "must be 'i-' followed by 8 letters or digits, such as i-YufwpQAe",
    ],
    [
      'a number as instance id',
      { ...valid, instanceId: 12345678 },
      'instanceId',
      "must be a string ('i-' and 8 letters or digits)",
    ],
    ['no instance id', { securityGroupId: valid.securityGroupId }, 'instanceId', 'is required'],
    [
      'a 12-character group id with upper case',
      { ...valid, securityGroupId: 'g-7DYV27R6PNSE' },
      'securityGroupId',
      "must be 'g-' followed by 8 letters or digits, or by 12 lower-case letters or digits (g-nky7qeom), or 'esg-' followed by 12 lower-case letters or digits (esg-9pmkwq3rt2ab)",
    ],
    [
      'a 10-character group id',
      { ...valid, securityGroupId: 'g-abcdefghij' },
      'securityGroupId',
      "must be 'g-' followed by 8 letters or digits, or by 12 lower-case letters or digits (g-nky7qeom), or 'esg-' followed by 12 lower-case letters or digits (esg-9pmkwq3rt2ab)",
    ],
    [
      'an enterprise group id with upper case',
      { ...valid, securityGroupId: 'esg-7DYV27R6PNSE' },
      'securityGroupId',
      "must be 'g-' followed by 8 letters or digits, or by 12 lower-case letters or digits (g-nky7qeom), or 'esg-' followed by 12 lower-case letters or digits (esg-9pmkwq3rt2ab)",
    ],
    ['an unknown action', { ...valid, action: 'replace' }, 'action', "must be 'bind' or 'unbind'"],
    ['no group id', { instanceId: valid.instanceId }, 'securityGroupId', 'is required'],
    [
      'an unknown region',
      { ...valid, region: 'us-east-1' },
      'region',
      'must be one of bj, gz, su, hkg, fwh, bd, fsh, sin',
    ],
    [
      'an unknown field',
      { ...valid, securityGroupIds: ['g-nky7qeom'] },
      'securityGroupIds',
      'is not allowed',
    ],
  ])('refuses %s, naming the field and why', (_what, input, field, message) => {
    expect(issuesOf(input)).toEqual([{ field, message }])
  })

  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['513 characters', 'r'.repeat(513)],
    ['a line break', 'run-1\nforged: log line'],
    ['a character outside ASCII', 'run-é'],
  ])('refuses a request id that is %s', (_what, requestId) => {
    expect(issuesOf({ ...valid, requestId })).toEqual([
      { field: 'requestId', message: 'must be 1 to 512 printable ASCII characters' },
    ])
  })

  it.each([null, 'i-YufwpQAe', 42, [valid]])('refuses %j as a whole', (input) => {
    expect(issuesOf(input)).toEqual([{ field: '(root)', message: 'must be a JSON object' }])
  })

  it('lists every bad field at once, under a prefix when given', () => {
    expect(issuesOf({ instanceId: 1, region: 'x', a: 1, b: 2 }, 'Records.3.body')).toEqual([
      {
        field: 'Records.3.body.instanceId',
        message: "must be a string ('i-' and 8 letters or digits)",
      },
      { field: 'Records.3.body.securityGroupId', message: 'is required' },
      {
        field: 'Records.3.body.region',
        message: 'must be one of bj, gz, su, hkg, fwh, bd, fsh, sin',
      },
      { field: 'Records.3.body.a', message: 'is not allowed' },
      { field: 'Records.3.body.b', message: 'is not allowed' },
    ])
  })

  it('never echoes the value it refused', () => {
    const secretish = `i-${'x'.repeat(5000)}`
    try {
      parseBindRequest({ ...valid, instanceId: secretish })
    } catch (error) {
      expect((error as Error).message).not.toContain('xxxxxxxx')
      expect((error as Error).message).toBe(
        "Invalid bind request: instanceId: must be 'i-' followed by 8 letters or digits, such as i-YufwpQAe",
      )
    }
    expect.assertions(2)
  })

  it('accepts the sample request in events/', () => {
    const sample = JSON.parse(
      readFileSync(new URL('../../events/direct.json', import.meta.url), 'utf8'),
    )
    expect(parseBindRequest(sample)).toEqual(sample)
  })

  it('is a strict zod object usable on its own', () => {
    expect(BindRequestSchema.safeParse(valid).success).toBe(true)
  })
})
