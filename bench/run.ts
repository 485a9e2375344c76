// `npm run bench`: builds first (package.json), then measures, prints a table on stdout and
// writes bench/results.json. Every figure is a ratio against a baseline measured in this run.
import { existsSync } from 'node:fs'
import { startEmulator } from '../emulator/index.js'
import { benchBatch } from './batch.js'
import { benchColdStart } from './coldStart.js'
import { BENCH_CREDENTIALS } from './fixtures.js'
import { type Figure, formatTable, machine, writeResults } from './report.js'
import { benchSigning } from './signing.js'
import { nowMs, progress } from './stats.js'
import { benchWarm } from './warm.js'

const RESULTS = new URL('./results.json', import.meta.url)
const BUNDLE = new URL('../dist/http.mjs', import.meta.url)

async function main(): Promise<void> {
  if (!existsSync(BUNDLE)) throw new Error('dist/http.mjs is missing: run `npm run build` first')
  const started = nowMs()
  const figures: Figure[] = []

  progress('signing')
  figures.push(...benchSigning())

  const emulator = await startEmulator({ credentials: [BENCH_CREDENTIALS] })
  try {
    progress('cold start')
    figures.push(...(await benchColdStart(emulator)))
    progress('warm throughput')
    figures.push(...(await benchWarm(emulator)))
    progress('batch')
    figures.push(...(await benchBatch(emulator)))
  } finally {
    await emulator.close()
  }

  const seconds = Math.round((nowMs() - started) / 100) / 10
  const { node, cpus, cpuModel } = machine()
  await writeResults(RESULTS, figures, seconds)
  process.stdout.write(
    `\n${formatTable(figures)}\n\nnode ${node}, ${cpus} CPUs (${cpuModel}), ${seconds} s; ` +
      'one shared machine: compare the ratios, not the absolute figures.\n' +
      'Written to bench/results.json.\n',
  )
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exitCode = 1
})
