// Bundles every functions/*.ts into dist/<name>.mjs: one minified ESM file per Lambda function,
// with source maps, and @aws-sdk/* left to the Lambda runtime, which ships it.
import { readdir, rm, stat } from 'node:fs/promises'
import { builtinModules, createRequire } from 'node:module'
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

const BUILTIN = new RegExp(`^(?:node:.+|(?:${builtinModules.join('|')}))$`)

/**
 * Node's built-ins through `require`, on first use, in a bundle that stays ESM. An ESM import
 * of a built-in builds its module namespace, which reads every export: on Node 22 that runs
 * `node:http`'s lazy `WebSocket`/`CloseEvent` getters and loads Node's internal undici (about
 * 20 ms of a cold start), which `require` never touches. And a dependency often imports a
 * built-in it needs only on some path (@middy/core imports `node:stream/web` for streamed
 * responses): each imported built-in becomes a small CommonJS module whose properties come
 * from `require('node:x')` when one is first read, through a Proxy as its prototype. esbuild's
 * interop reads them where they are used (https://esbuild.github.io/content-types/#es6-interop),
 * and its `require` is the banner's. `__esModule` is its own, so the interop's check of it
 * loads nothing.
 */
const callable = (path) => typeof createRequire(import.meta.url)(path) === 'function'

const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(build) {
    build.onResolve({ filter: BUILTIN }, (args) =>
      args.kind === 'import-statement' || args.kind === 'dynamic-import'
        ? {
            path: args.path.startsWith('node:') ? args.path : `node:${args.path}`,
            namespace: 'builtin',
          }
        : undefined,
    )
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      // A built-in that is itself a function or class (`node:stream`'s Stream, `node:events`'
      // EventEmitter) is its own default export: node-fetch tests `body instanceof Stream`,
      // which a stand-in object would answer false to, so such a one is required at once.
      contents: callable(args.path)
        ? `module.exports = require(${JSON.stringify(args.path)})`
        : [
            'let loaded',
            `const load = () => (loaded ??= require(${JSON.stringify(args.path)}))`,
            'const onFirstUse = new Proxy({}, {',
            '  get: (_, key) => Reflect.get(load(), key),',
            '  set: (_, key, value) => Reflect.set(load(), key, value),',
            '  has: (_, key) => Reflect.has(load(), key),',
            '})',
            'module.exports = Object.create(onFirstUse, { __esModule: { value: false } })',
          ].join('\n'),
      loader: 'js',
    }))
  },
}

/**
 * Two modules of fetch-blob (under node-fetch) that only do work on load, which we never use:
 * `from.js` (the `fileFrom`/`blobFrom` helpers node-fetch re-exports) reads `fs.promises` at
 * once, loading Node's fs/promises, readline and watchers; `streams.cjs` polyfills
 * `ReadableStream` and `Blob.prototype.stream` for Node < 16.7, and its check of the global
 * loads Node's web streams: a few ms of every cold start (bench/README.md). Marked free
 * of side effects, esbuild drops them when nothing of theirs is used: node-fetch's own body
 * code imports `fetch-blob`'s index, which stays.
 */
const unusedFetchBlobLoaders = {
  name: 'unused-fetch-blob-loaders',
  setup(build) {
    build.onResolve({ filter: /^(?:\.\/streams\.cjs|fetch-blob\/from\.js)$/ }, async (args) => {
      if (args.pluginData?.unusedFetchBlobLoaders) return undefined
      if (args.path === './streams.cjs' && !/[\\/]fetch-blob[\\/]/.test(args.importer))
        return undefined
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { unusedFetchBlobLoaders: true },
      })
      return resolved.errors.length > 0 ? undefined : { path: resolved.path, sideEffects: false }
    })
  },
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
  external: ['@aws-sdk/*'],
  // Some dependencies are CommonJS and call require(); give them one inside the ESM bundle.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  plugins: [builtinsThroughRequire, unusedFetchBlobLoaders],
  logLevel: 'warning',
})

for (const entry of entries) {
  const out = `dist/${basename(entry, '.ts')}.mjs`
  console.log(`${out}  ${((await stat(out)).size / 1024).toFixed(1)} KB`)
}
