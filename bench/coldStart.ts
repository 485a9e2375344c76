import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Emulator } from '../emulator/index.js'
import { BENCH_BIND, functionEnv, signedBindEvent } from './fixtures.js'
import { type Figure, figure } from './report.js'
import { median, nowMs } from './stats.js'

/** Runs of each kind that count; one more of each runs first, uncounted, to warm the disk cache. */
const RUNS = 20
const CHILD_TIMEOUT_MS = 20_000
const RESULT_PREFIX = 'BENCH_RESULT '
const BASELINE_NAME = 'sdk + node:http'

/** Ours, the baseline, and an empty node process (node's own startup, for scale). */
type Kind = 'ours' | 'baseline' | 'empty'
const KINDS: readonly Kind[] = ['ours', 'baseline', 'empty']

const SCRIPTS: Record<Kind, string> = {
  ours: fileURLToPath(new URL('./children/ours.mjs', import.meta.url)),
  baseline: fileURLToPath(new URL('./children/baseline.cjs', import.meta.url)),
  empty: fileURLToPath(new URL('./children/empty.cjs', import.meta.url)),
}

/** What a child prints on its `BENCH_RESULT` line. */
interface ChildReport {
  answeredAtEpochMs: number
  sinceStartMs: number
  /** Since process start, when its modules were loaded. */
  loadedMs: number
  maxRssKb: number
  status: number | null
  outcome: string | null
}

/** One cold start: from just before the spawn to the complete answer, and to the exit. */
interface ColdRun {
  toAnswerMs: number
  toExitMs: number
  loadedMs: number
  maxRssKb: number
}

const epochNowMs = (): number => performance.timeOrigin + nowMs()

function runChild(kind: Kind, env: Record<string, string>): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const spawnedAtEpoch = epochNowMs()
    const spawnedAt = nowMs()
    const child = spawn(process.execPath, [SCRIPTS[kind]], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CHILD_TIMEOUT_MS,
    })
    let output = ''
    let exitedAt = Number.NaN
    const collect = (chunk: string) => {
      output += chunk
    }
    child.stdout.setEncoding('utf8').on('data', collect)
    child.stderr.setEncoding('utf8').on('data', collect)
    child.on('exit', () => {
      exitedAt = nowMs()
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const line = output.split('\n').find((text) => text.startsWith(RESULT_PREFIX))
      if (code !== 0 || line === undefined) {
        reject(new Error(`${kind} cold-start child failed (exit ${code}):\n${output}`))
        return
      }
      const report = JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildReport
      if (kind !== 'empty' && (report.status !== 200 || report.outcome !== 'bound')) {
        reject(new Error(`${kind} cold-start child did not bind: ${line}`))
        return
      }
      resolve({
        toAnswerMs: report.answeredAtEpochMs - spawnedAtEpoch,
        toExitMs: exitedAt - spawnedAt,
        loadedMs: report.loadedMs,
        maxRssKb: report.maxRssKb,
      })
    })
  })
}

/** The environment of a child: only what it needs (no NODE_OPTIONS from tsx). */
function childEnv(kind: Kind, endpoint: string): Record<string, string> {
  const base = { PATH: process.env.PATH ?? '', ...functionEnv(endpoint) }
  if (kind === 'ours') return { ...base, BENCH_EVENT: JSON.stringify(signedBindEvent(BENCH_BIND)) }
  return { ...base, BENCH_BIND: JSON.stringify(BENCH_BIND) }
}

/** Runs one child against a freshly reset emulator and checks the calls it made. */
async function coldRun(kind: Kind, emulator: Emulator): Promise<ColdRun> {
  emulator.reset()
  const before = emulator.requests().at(-1)?.id ?? 0
  const run = await runChild(kind, childEnv(kind, emulator.url))
  const calls = emulator.requests().filter((entry) => entry.id > before)
  const expected = kind === 'empty' ? 0 : 1
  const signedBinds = calls.filter((entry) => entry.verdict === 'ok' && entry.status === 200)
  if (calls.length !== expected || signedBinds.length !== expected) {
    throw new Error(`${kind} cold start made ${calls.length} calls, expected ${expected} bind`)
  }
  return run
}

/**
 * Cold start: fresh `node` processes, ours (dist/http.mjs handling one signed webhook) and the
 * baseline (@baiducloud/sdk's main, its signer and node:http), interleaved (the order rotating),
 * medians. An empty node process runs in the same rotation, to show node's own share. Returns
 * the cold-start figures and the peak-RSS figure.
 */
export async function benchColdStart(emulator: Emulator): Promise<Figure[]> {
  for (const kind of KINDS) await coldRun(kind, emulator)
  const runs: Record<Kind, ColdRun[]> = { ours: [], baseline: [], empty: [] }
  for (let i = 0; i < RUNS; i++) {
    for (let k = 0; k < KINDS.length; k++) {
      const kind = KINDS[(i + k) % KINDS.length] as Kind
      runs[kind].push(await coldRun(kind, emulator))
    }
  }
  const of = (kind: Kind, pick: (run: ColdRun) => number) => median(runs[kind].map(pick))
  const samples = RUNS
  const note = `median of ${RUNS} fresh node processes each, interleaved, after one uncounted`
  const toAnswer = (run: ColdRun) => run.toAnswerMs
  return [
    figure({
      section: 'cold start',
      name: 'spawn to answer',
      unit: 'ms',
      value: of('ours', toAnswer),
      baseline: { name: BASELINE_NAME, value: of('baseline', toAnswer) },
      goal: { text: '<= 0.5x', on: 'ratio', bound: 'max', limit: 0.5 },
      samples,
      note,
    }),
    figure({
      section: 'cold start',
      name: 'modules loaded (since start)',
      unit: 'ms',
      value: of('ours', (run) => run.loadedMs),
      baseline: { name: BASELINE_NAME, value: of('baseline', (run) => run.loadedMs) },
      samples,
      note: 'ours: dist/http.mjs imported; baseline: @baiducloud/sdk required',
    }),
    figure({
      section: 'cold start',
      name: 'spawn to exit',
      unit: 'ms',
      value: of('ours', (run) => run.toExitMs),
      baseline: { name: BASELINE_NAME, value: of('baseline', (run) => run.toExitMs) },
      samples,
    }),
    figure({
      section: 'cold start',
      name: 'empty node, spawn to exit',
      unit: 'ms',
      value: of('empty', (run) => run.toExitMs),
      baseline: { name: BASELINE_NAME, value: of('baseline', (run) => run.toExitMs) },
      samples,
      note: "node's own startup: the part of either cold start no code of ours can remove",
    }),
    figure({
      section: 'memory',
      name: 'peak RSS, cold start',
      unit: 'MB',
      value: of('ours', (run) => run.maxRssKb) / 1024,
      baseline: { name: BASELINE_NAME, value: of('baseline', (run) => run.maxRssKb) / 1024 },
      samples,
      note: 'process.resourceUsage().maxRSS at the answer, median',
    }),
  ]
}
