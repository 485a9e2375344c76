import { describe, expect, it } from 'vitest'
import { canonicalRequest } from '../../lib/bce/canonicalRequest.js'

describe('canonicalRequest', () => {
  it('joins method, URI, query and headers with newlines', () => {
    expect(canonicalRequest('PUT', '/v2/instance/i-1', 'bind=', 'host:h\nx-bce-date:d')).toBe(
      'PUT\n/v2/instance/i-1\nbind=\nhost:h\nx-bce-date:d',
    )
  })

  it('upper-cases the method', () => {
    expect(canonicalRequest('get', '/', '', 'host:h')).toBe('GET\n/\n\nhost:h')
  })
})
