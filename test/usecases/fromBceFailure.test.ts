import { describe, expect, it } from 'vitest'
import { BccErrorAnswer, BccUnexpectedAnswer } from '../../lib/bcc/errors.js'
import { ERROR_NAMES } from '../../lib/errors/catalogue.js'
import {
  fromBceFailure,
  guessNotFoundSubject,
  isNotFound,
} from '../../lib/usecases/fromBceFailure.js'

const service = (status: number, code: string, message = code) =>
  new BccErrorAnswer({
    status,
    code,
    message,
    requestId: 'req-1',
    codeGuessed: false,
    retryAfterMs: undefined,
  })

describe('fromBceFailure', () => {
  it('passes an unknown error (a bug) through unchanged', () => {
    const bug = new TypeError('undefined is not a function')
    expect(
      fromBceFailure(
        { ok: false, error: bug, attempts: 1, stoppedBy: 'not-retryable' },
        'instance',
      ),
    ).toBe(bug)
  })

  it('wraps a thrown non-error into an Error', () => {
    const mapped = fromBceFailure(
      { ok: false, error: 'weird', attempts: 1, stoppedBy: 'not-retryable' },
      'instance',
    )
    expect(mapped).toBeInstanceOf(Error)
    expect(mapped.message).toBe('Unknown failure calling BCC')
  })

  it('takes a redirect that persists, which only something on the way sends, as BceUnavailable', () => {
    const redirect = new BccUnexpectedAnswer(
      'BCC answered HTTP 307, a redirect, which BCC never sends',
      {
        status: 307,
        requestId: undefined,
      },
    )
    const mapped = fromBceFailure(
      { ok: false, error: redirect, attempts: 4, stoppedBy: 'attempts' },
      'instance',
    )
    expect(mapped).toMatchObject({ name: 'BceUnavailable', attempts: 4, retryable: true })
  })

  it('keeps the request id of a malformed answer', () => {
    const odd = new BccUnexpectedAnswer('odd', { status: 200, requestId: 'req-odd' })
    expect(
      fromBceFailure({ ok: false, error: odd, attempts: 4, stoppedBy: 'attempts' }, 'instance'),
    ).toMatchObject({
      name: 'BceUnavailable',
      bceRequestId: 'req-odd',
      attempts: 4,
    })
  })

  it('does not take a 404 about the request itself (a wrong version or URI) as a missing resource', () => {
    for (const code of ['InvalidVersion', 'InvalidURI']) {
      const mapped = fromBceFailure(
        { ok: false, error: service(404, code), attempts: 1, stoppedBy: 'not-retryable' },
        'instance',
      )
      expect(mapped).toMatchObject({ name: 'BceRequestRejected', bceCode: code })
    }
  })

  it('takes RequestTimeTooSkewed that outlived fresh signatures as an auth failure (our clock)', () => {
    const mapped = fromBceFailure(
      {
        ok: false,
        error: service(403, 'RequestTimeTooSkewed'),
        attempts: 4,
        stoppedBy: 'attempts',
      },
      'instance',
    )
    expect(mapped).toMatchObject({ name: 'BceAuthFailed', bceCode: 'RequestTimeTooSkewed' })
  })

  it('knows not-found answers by status or code', () => {
    expect(isNotFound(service(404, 'Whatever'))).toBe(true)
    expect(isNotFound(service(400, 'ResourceNotFound'))).toBe(true)
    expect(isNotFound(service(400, 'InappropriateJSON'))).toBe(false)
    expect(isNotFound(new Error('x'))).toBe(false)
    expect(guessNotFoundSubject(service(404, 'NoSuchObject', 'securityGroup g-1 missing'))).toBe(
      'securityGroup',
    )
    expect(guessNotFoundSubject(service(404, 'NoSuchObject', 'instance missing'))).toBe('instance')
  })

  it('only ever produces names from the catalogue', () => {
    const failures = [
      service(413, 'SecurityGroup.BindInstanceExceededLimit'),
      service(403, 'SecurityGroup.ExpiredInstanceForbiddenBind'),
      service(404, 'NoSuchObject'),
      service(403, 'AccessDenied'),
      service(503, 'ServiceUnavailable'),
      service(400, 'Other'),
    ]
    for (const error of failures) {
      for (const subject of ['instance', 'securityGroup'] as const) {
        const mapped = fromBceFailure(
          { ok: false, error, attempts: 1, stoppedBy: 'not-retryable' },
          subject,
        )
        expect(ERROR_NAMES).toContain(mapped.name)
      }
    }
  })
})
