// Decodes stack frames of the bundles back to the TypeScript sources, offline, with the `.map`
// files the build writes beside them: `node scripts/decode-stack.mjs [--maps DIR] < trace.txt`.
// Reads a stack trace or log lines on stdin (a JSON log line's escaped "\n" is fine), and writes
// the same text with every `<name>.mjs:<line>:<column>` whose `<DIR>/<name>.mjs.map` exists
// replaced by `<source file>:<line>:<column>`. DIR defaults to dist/; it must hold the maps of
// the build that was deployed (docs/stack-traces.md). Node's own source-map reader does the work:
// https://nodejs.org/api/module.html#class-modulesourcemap
import { existsSync, readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({ options: { maps: { type: 'string', default: 'dist' } } })
const mapsDir = resolve(values.maps)
const maps = new Map()

/** The source map of `<name>.mjs`, or null when the maps directory has none. */
function mapOf(name) {
  if (!maps.has(name)) {
    const file = resolve(mapsDir, `${name}.map`)
    maps.set(name, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null)
  }
  return maps.get(name)
}

const FRAME_POSITION = /(?:[^\s()'"]*\/)?([\w.-]+\.mjs):(\d+):(\d+)/g

const input = readFileSync(0, 'utf8')
const output = input.replace(FRAME_POSITION, (whole, name, line, column) => {
  const origin = mapOf(name)?.findOrigin(Number(line), Number(column))
  if (origin?.fileName === undefined) return whole
  const source = relative(process.cwd(), resolve(mapsDir, origin.fileName))
  return `${source}:${origin.lineNumber}:${origin.columnNumber}`
})
process.stdout.write(output)
// A line the maps could not place stays as it was; say so once, on stderr.
if (output === input)
  process.stderr.write(`decode-stack: no frame decoded with maps from ${mapsDir}\n`)
