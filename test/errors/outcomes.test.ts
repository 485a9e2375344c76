import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  ERROR_NAMES,
  InstanceExpired,
  UnexpectedError,
  ValidationError,
} from '../../lib/errors/catalogue.js'
import { ERROR_OUTCOMES, outcomeOf, toCatalogued } from '../../lib/errors/outcomes.js'

describe('toCatalogued', () => {
  it('keeps catalogued errors as they are', () => {
    const error = new InstanceExpired('expired')
    expect(toCatalogued(error)).toBe(error)
  })

  it("turns the JSON body parser's error into a ValidationError", () => {
    const parserError = Object.assign(new Error('Invalid or malformed JSON was provided'), {
      cause: { package: '@middy/http-json-body-parser' },
    })
    expect(toCatalogued(parserError)).toBeInstanceOf(ValidationError)
  })

  it('wraps anything else as UnexpectedError, keeping the cause for the logs', () => {
    const bug = new TypeError('x is undefined')
    const mapped = toCatalogued(bug)
    expect(mapped).toBeInstanceOf(UnexpectedError)
    expect(mapped.cause).toBe(bug)
    expect(toCatalogued(null)).toBeInstanceOf(UnexpectedError)
    // Only the JSON body parser's own error is a ValidationError, not any error with a cause.
    for (const cause of ['text', null, { package: '@middy/core' }]) {
      expect(toCatalogued(new Error('x', { cause }))).toBeInstanceOf(UnexpectedError)
    }
  })
})

describe('the outcome table', () => {
  it('has one row for every catalogue name', () => {
    expect(Object.keys(ERROR_OUTCOMES).sort()).toEqual([...ERROR_NAMES].sort())
  })

  it('hides the message of unexposed errors', () => {
    expect(outcomeOf(new ConfigError([{ field: 'X', message: 'bad' }])).publicMessage).toBe(
      'The function is not configured correctly; its logs say how',
    )
    expect(outcomeOf(new UnexpectedError(new Error('secret internals'))).publicMessage).toBe(
      'An unexpected error occurred',
    )
    expect(outcomeOf(new InstanceExpired('shown')).publicMessage).toBe('shown')
  })
})
