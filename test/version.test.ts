import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { USER_AGENT } from '../lib/bcc/client.js'

describe('version', () => {
  it("every BCC request's user-agent names package.json's name and version, and the runtime", () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      name: string
      version: string
    }
    expect(USER_AGENT).toBe(
      `${pkg.name}/${pkg.version} (node/${process.versions.node}; ${process.platform}-${process.arch})`,
    )
  })
})
