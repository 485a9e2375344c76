import { describe, expect, it } from 'vitest'
import { canonicalUri } from '../../lib/bce/canonicalUri.js'

describe('canonicalUri', () => {
  it('turns the empty path into /', () => {
    expect(canonicalUri('')).toBe('/')
  })

  it('keeps / and unreserved characters as they are', () => {
    expect(canonicalUri('/v2/instance/i-YufwpQAe')).toBe('/v2/instance/i-YufwpQAe')
    expect(canonicalUri('/a~b_c.d/')).toBe('/a~b_c.d/')
  })

  it('encodes everything else, including % of an already-encoded path', () => {
    expect(canonicalUri("/my folder/ä(1)!*'.txt")).toBe('/my%20folder/%C3%A4%281%29%21%2A%27.txt')
    expect(canonicalUri('/a%20b')).toBe('/a%2520b')
  })
})
