import { expect } from 'vitest'
import type { RawResponse } from './rawHttp.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** Every emulator answer carries a UUID request id and the JSON content type. */
export function expectBceHeaders(response: RawResponse): void {
  expect(response.headers['x-bce-request-id']).toMatch(UUID)
  expect(response.headers['content-type']).toBe('application/json;charset=UTF-8')
}

/** A BCE error: the status, the headers, and the body `{ requestId, code, message }`. */
export function expectBceError(response: RawResponse, status: number, code: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status })
  expectBceHeaders(response)
  const body = JSON.parse(response.body) as Record<string, unknown>
  expect(Object.keys(body).sort()).toEqual(['code', 'message', 'requestId'])
  expect(body).toMatchObject({ code, requestId: response.headers['x-bce-request-id'] })
  expect(body.message).toEqual(expect.any(String))
}
