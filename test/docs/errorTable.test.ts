import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  BceAuthFailed,
  BceRequestRejected,
  BceTimeout,
  BceUnavailable,
  type BinderError,
  ConfigError,
  ERROR_NAMES,
  type ErrorName,
  IdempotencyConflict,
  InstanceExpired,
  InstanceNotFound,
  LastSecurityGroup,
  MethodNotAllowed,
  PayloadTooLarge,
  SecurityGroupKindConflict,
  SecurityGroupLimitExceeded,
  SecurityGroupNotFound,
  Unauthorized,
  UnexpectedError,
  ValidationError,
} from '../../lib/errors/catalogue.js'
import { ERROR_OUTCOMES } from '../../lib/errors/outcomes.js'
import { tableRows } from './markdown.js'

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

/** One error of each name, to read its `retryable`; the type makes every name required. */
const EXAMPLES: Readonly<Record<ErrorName, BinderError>> = {
  ValidationError: new ValidationError('Invalid request', []),
  InstanceNotFound: new InstanceNotFound('x'),
  SecurityGroupNotFound: new SecurityGroupNotFound('x'),
  SecurityGroupLimitExceeded: new SecurityGroupLimitExceeded('x'),
  InstanceExpired: new InstanceExpired('x'),
  LastSecurityGroup: new LastSecurityGroup('x'),
  SecurityGroupKindConflict: new SecurityGroupKindConflict('x'),
  IdempotencyConflict: new IdempotencyConflict('x'),
  BceRequestRejected: new BceRequestRejected('x'),
  BceAuthFailed: new BceAuthFailed('x'),
  BceUnavailable: new BceUnavailable('x'),
  BceTimeout: new BceTimeout('x'),
  ConfigError: new ConfigError([]),
  Unauthorized: new Unauthorized('x'),
  PayloadTooLarge: new PayloadTooLarge('x'),
  MethodNotAllowed: new MethodNotAllowed('x'),
  UnexpectedError: new UnexpectedError(undefined),
}

/** A row of the README's error table, read: `name` as written, the rest as the code says them. */
interface ReadmeRow {
  name: string
  httpStatus: number | undefined
  genericMessage: boolean
  queue: string | undefined
  retryable: boolean | undefined
}

function readmeErrorTable(): ReadmeRow[] {
  return tableRows(README, 'error (`name`)').map(([name = '', http = '', queue, retryable]) => ({
    name: /^`(\w+)`$/.exec(name)?.[1] ?? name,
    httpStatus: /^(\d{3})\b/.test(http) ? Number(http.slice(0, 3)) : undefined,
    genericMessage: http.includes('generic message'),
    queue,
    retryable: retryable === 'yes' ? true : retryable === 'no' ? false : undefined,
  }))
}

describe("README's error table", () => {
  it('has one row for each catalogue name, and no other', () => {
    const names = readmeErrorTable().map((row) => row.name)
    expect([...names].sort()).toEqual([...ERROR_NAMES].sort())
  })

  it('gives each name the HTTP status, queue disposition and retryable the code gives it', () => {
    const rows = readmeErrorTable()
    expect(rows).toHaveLength(ERROR_NAMES.length)
    for (const row of rows) {
      const name = ERROR_NAMES.find((known) => known === row.name)
      expect(name, `${row.name} is not a catalogue name`).toBeDefined()
      if (name === undefined) continue
      const outcome = ERROR_OUTCOMES[name]
      expect(EXAMPLES[name].name).toBe(name)
      expect(row).toEqual({
        name,
        httpStatus: outcome.httpStatus,
        genericMessage: !outcome.exposeMessage,
        queue: outcome.queue,
        retryable: EXAMPLES[name].retryable,
      })
    }
  })
})
