import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * The layers of lib/, from the bottom up (README.md, "How the code is layered"): a file may
 * import its own layer and the ones below it, never one above it, nor anything outside lib/.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['lib/clock.ts', 'lib/lazySchema.ts'],
  ['lib/bce'],
  ['lib/errors'],
  ['lib/bcc'],
  ['lib/schemas'],
  ['lib/usecases'],
  ['lib/runtime'],
  ['lib/observability'],
  ['lib/middleware'],
  ['lib/handlers'],
  ['functions'],
]

function layerOf(path: string): number | undefined {
  const index = LAYERS.findIndex((layer) =>
    layer.some((entry) => path === entry || path.startsWith(`${entry}/`)),
  )
  return index === -1 ? undefined : index
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(folder, name).split('\\').join('/'))
}

/** The relative module paths a file imports or re-exports, statically or dynamically. */
function relativeImports(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/\bfrom\s+'([^']+)'/g),
    ...source.matchAll(/\bimport\s+'([^']+)'/g),
    ...source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
  ].map((match) => match[1] ?? '')
  return specifiers.filter((specifier) => specifier.startsWith('.'))
}

/** Every import that goes up the layers (or out of them), as `importer -> imported`. */
function violations(
  files: readonly string[],
  read = (file: string) => readFileSync(join(root, file), 'utf8'),
): string[] {
  const found: string[] = []
  for (const file of files) {
    const from = layerOf(file)
    for (const specifier of relativeImports(read(file))) {
      const target = relative(root, resolve(root, dirname(file), specifier))
        .split('\\')
        .join('/')
        .replace(/\.js$/, '.ts')
      const to = layerOf(target)
      if (from === undefined || to === undefined || to > from) found.push(`${file} -> ${target}`)
    }
  }
  return found
}

describe('layering', () => {
  const files = [...sourceFiles('lib'), ...sourceFiles('functions')]

  it('places every file of lib/ and functions/ in a layer', () => {
    expect(files.filter((file) => layerOf(file) === undefined)).toEqual([])
  })

  it('never imports a higher layer, nor anything outside lib/', () => {
    expect(violations(files)).toEqual([])
  })

  it('reports an import from a higher layer or from outside lib/, and no other', () => {
    const sources: Record<string, string> = {
      'lib/bcc/up.ts': "import { createHttpHandler } from '../handlers/httpHandler.js'",
      'lib/bcc/out.ts': "export { emulator } from '../../emulator/index.js'",
      'lib/bcc/lazy.ts': "const m = await import('../runtime/awsCalls.js')",
      'lib/bcc/down.ts': "import type { Credentials } from '../bce/types.js'\nimport './errors.js'",
    }
    expect(violations(Object.keys(sources), (file) => sources[file] ?? '')).toEqual([
      'lib/bcc/up.ts -> lib/handlers/httpHandler.ts',
      'lib/bcc/out.ts -> emulator/index.ts',
      'lib/bcc/lazy.ts -> lib/runtime/awsCalls.ts',
    ])
  })
})
