import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PRODUCT_NAME, PRODUCT_VERSION } from '../lib/version.js'

describe('version', () => {
  it('matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      name: string
      version: string
    }
    expect({ PRODUCT_NAME, PRODUCT_VERSION }).toEqual({
      PRODUCT_NAME: pkg.name,
      PRODUCT_VERSION: pkg.version,
    })
  })
})
