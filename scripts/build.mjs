// Bundles every functions/*.ts into dist/<name>.mjs: one minified ESM file per Lambda function,
// with source maps, and @aws-sdk/* left to the Lambda runtime, which ships it.
import { readdir, rm, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { build } from 'esbuild'

const entries = (await readdir('functions'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => `functions/${file}`)
await rm('dist', { recursive: true, force: true })
if (entries.length === 0) {
  console.log('build: no functions/*.ts yet, nothing to bundle')
  process.exit(0)
}

await build({
  entryPoints: Object.fromEntries(entries.map((entry) => [basename(entry, '.ts'), entry])),
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minify: true,
  sourcemap: true,
  external: [
    '@aws-sdk/*',
    // fetch-blob (under node-fetch) requires this polyfill only where globalThis.ReadableStream
    // is missing (Node < 16.5); Lambda's Node 22 has it, so the require never runs.
    'web-streams-polyfill',
    'web-streams-polyfill/*',
  ],
  // Some dependencies are CommonJS and call require(); give them one inside the ESM bundle.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: 'warning',
})

for (const entry of entries) {
  const out = `dist/${basename(entry, '.ts')}.mjs`
  console.log(`${out}  ${((await stat(out)).size / 1024).toFixed(1)} KB`)
}
