import { expect } from 'vitest'
import { INSTANCE_ID_PATTERN, SECURITY_GROUP_ID_PATTERN } from '../../../lib/bcc/client.js'
import { REGIONS } from '../../../lib/bcc/endpoints.js'
import { ERROR_NAMES, type ErrorName } from '../../../lib/errors/catalogue.js'
import { ERROR_OUTCOMES } from '../../../lib/errors/outcomes.js'
import type { BindRequest } from '../../../lib/schemas/bindRequest.js'

/** What every trigger may answer, and nothing else. */

const SUCCESS_KEYS = ['bceRequestId', 'instanceId', 'region', 'securityGroupId', 'status']
const ERROR_KEYS = new Set(['code', 'message', 'details', 'bceCode', 'bceRequestId'])
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

/** A success object: exactly the public outcome, for `request` when it is known. */
export function expectSuccess(value: unknown, request?: BindRequest): void {
  expect(typeof value === 'object' && value !== null).toBe(true)
  const outcome = value as Record<string, unknown>
  expect(Object.keys(outcome).sort()).toEqual(SUCCESS_KEYS)
  expect(['bound', 'already-bound', 'would-bind']).toContain(outcome.status)
  expect(outcome.instanceId).toMatch(INSTANCE_ID_PATTERN)
  expect(outcome.securityGroupId).toMatch(SECURITY_GROUP_ID_PATTERN)
  expect(REGIONS).toContain(outcome.region)
  expect(typeof outcome.bceRequestId).toBe('string')
  if (request === undefined) return
  expect(outcome.instanceId).toBe(request.instanceId)
  expect(outcome.securityGroupId).toBe(request.securityGroupId)
  if (request.region !== undefined) expect(outcome.region).toBe(request.region)
  if (request.dryRun === true) expect(outcome.status).not.toBe('bound')
  else expect(outcome.status).not.toBe('would-bind')
}

/**
 * An HTTP answer: `{ statusCode, headers, body }`, JSON, either 200 with the success object or
 * the table's status with `{ error: { code, message, ... } }` (and `Retry-After` on a 503, in
 * whole seconds up to an hour; `Allow: POST` on a 405).
 * Returns the catalogue name, or undefined for a success.
 */
export function expectHttpAnswer(response: unknown, request?: BindRequest): ErrorName | undefined {
  expect(typeof response === 'object' && response !== null).toBe(true)
  const { statusCode, headers, body } = response as Record<string, any>
  expect(Object.keys(response as object).sort()).toEqual(['body', 'headers', 'statusCode'])
  expect(headers['content-type']).toBe(JSON_CONTENT_TYPE)
  expect(typeof body).toBe('string')
  const parsed = JSON.parse(body)
  if (statusCode === 200) {
    expect(Object.keys(headers)).toEqual(['content-type'])
    expectSuccess(parsed, request)
    return undefined
  }
  expect(Object.keys(parsed)).toEqual(['error'])
  const { error } = parsed
  for (const key of Object.keys(error)) expect(ERROR_KEYS).toContain(key)
  expect(ERROR_NAMES).toContain(error.code)
  const code = error.code as ErrorName
  expect(statusCode).toBe(ERROR_OUTCOMES[code].httpStatus)
  expect(typeof error.message).toBe('string')
  expect(error.message).not.toBe('')
  // A dry run's predicted error carries `{ dryRun: true }`; a ValidationError its fields.
  if (error.details !== undefined && code !== 'ValidationError') {
    expect(error.details).toEqual({ dryRun: true })
    expect(error.message).toMatch(/^Dry run, predicted: /)
  } else if (error.details !== undefined) {
    for (const detail of error.details) {
      expect(Object.keys(detail).sort()).toEqual(['field', 'message'])
      expect(typeof detail.field).toBe('string')
      expect(typeof detail.message).toBe('string')
    }
  }
  if (statusCode === 503) {
    expect(headers['retry-after']).toMatch(/^\d+$/)
    expect(Number(headers['retry-after'])).toBeLessThanOrEqual(3_600)
  } else if (statusCode === 405)
    expect(headers).toEqual({ 'content-type': JSON_CONTENT_TYPE, allow: 'POST' })
  else expect(Object.keys(headers)).toEqual(['content-type'])
  return code
}

/** A thrown error the caller can match on: an Error whose name is in the catalogue. */
export function expectCatalogued(error: unknown): ErrorName {
  expect(error).toBeInstanceOf(Error)
  const { name, message } = error as Error
  expect(ERROR_NAMES).toContain(name)
  expect(typeof message).toBe('string')
  return name as ErrorName
}

/**
 * A queue answer: exactly `{ batchItemFailures: [{ itemIdentifier }] }`, each identifier a
 * message of the batch, none reported more often than it was delivered. Returns the reported ids.
 */
export function expectBatchAnswer(response: unknown, messageIds: readonly string[]): string[] {
  expect(typeof response === 'object' && response !== null).toBe(true)
  expect(Object.keys(response as object)).toEqual(['batchItemFailures'])
  const failures = (response as { batchItemFailures: unknown }).batchItemFailures
  expect(Array.isArray(failures)).toBe(true)
  const reported = (failures as Record<string, unknown>[]).map((failure) => {
    expect(Object.keys(failure)).toEqual(['itemIdentifier'])
    expect(messageIds).toContain(failure.itemIdentifier)
    return failure.itemIdentifier as string
  })
  for (const id of new Set(reported)) {
    expect(reported.filter((other) => other === id).length).toBeLessThanOrEqual(
      messageIds.filter((other) => other === id).length,
    )
  }
  return reported
}
