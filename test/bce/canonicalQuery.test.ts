import { describe, expect, it } from 'vitest'
import { canonicalQuery } from '../../lib/bce/canonicalQuery.js'

describe('canonicalQuery', () => {
  it('is empty for no parameters', () => {
    expect(canonicalQuery({})).toBe('')
  })

  it('writes a parameter without a value as key=', () => {
    expect(canonicalQuery({ bind: '' })).toBe('bind=')
    expect(canonicalQuery({ maxKeys: '100', marker: '' })).toBe('marker=&maxKeys=100')
  })

  it('sorts whole items as strings, which differs from sorting by key', () => {
    // By key, "a" comes before "a-b"; as items, "a-b=…" comes first because "-" < "=".
    expect(canonicalQuery({ a: '1', 'a-b': '2' })).toBe('a-b=2&a=1')
  })

  it('sorts upper case before lower case (code-unit order, not locale order)', () => {
    expect(canonicalQuery({ b: '1', B: '2', a: '3' })).toBe('B=2&a=3&b=1')
  })

  it("encodes keys and values (space as %20, ! ' ( ) * too) and sorts the encoded items", () => {
    // "%C3…" sorts before "k…" because the sort sees the encoded form.
    expect(canonicalQuery({ 'k y': "g-abc def/ghi~*'()!", 'ü/': '😀' })).toBe(
      '%C3%BC%2F=%F0%9F%98%80&k%20y=g-abc%20def%2Fghi~%2A%27%28%29%21',
    )
  })

  it('drops authorization in any case', () => {
    expect(canonicalQuery({ authorization: 'x', Authorization: 'y', AUTHORIZATION: 'z' })).toBe('')
    expect(canonicalQuery({ authorizationX: '1', bind: '' })).toBe('authorizationX=1&bind=')
  })

  it('leaves its input alone', () => {
    const query = Object.freeze({ b: '2', a: '1' })
    expect(canonicalQuery(query)).toBe('a=1&b=2')
    expect(Object.keys(query)).toEqual(['b', 'a'])
  })
})
