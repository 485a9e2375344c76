import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Emulator } from '../emulator/index.js'
import { type SecretsManagerStandIn, startSecretsManager } from '../test/support/secretsManager.js'
import { deployedNodeOptions, type NodeBinary, nodeBinary } from './deployed.js'
import {
  BENCH_BIND,
  BENCH_SECRET_IDS,
  BENCH_SECRETS,
  functionEnv,
  signedBindEvent,
} from './fixtures.js'
import { type Figure, figure, type Goal } from './report.js'
import { median, nowMs } from './stats.js'

/** Runs of each kind that count; one more of each runs first, uncounted, to warm the disk cache. */
const RUNS = 20
const CHILD_TIMEOUT_MS = 20_000
const RESULT_PREFIX = 'BENCH_RESULT '
const BASELINE_NAME = 'sdk + node:http'

/**
 * The Node versions measured, the Lambda runtime's (`nodejs22.x` in serverless.yml) first, and
 * the goal of each: the cold start's ratio to the baseline measured on the same Node.
 */
const NODES: readonly { major: number; goal: Goal }[] = [
  { major: 22, goal: { text: '<= 0.5x', on: 'ratio', bound: 'max', limit: 0.5 } },
  { major: 20, goal: { text: '<= 0.6x', on: 'ratio', bound: 'max', limit: 0.6 } },
]

/**
 * Ours, the baseline, the leanest implementation of our deployed path (the least any goal can
 * ask of ours), and an empty node process (node's own startup), for scale.
 */
type Kind = 'ours' | 'baseline' | 'leanest' | 'empty'
const KINDS: readonly Kind[] = ['ours', 'baseline', 'leanest', 'empty']

const SCRIPTS: Record<Kind, string> = {
  ours: fileURLToPath(new URL('./children/ours.mjs', import.meta.url)),
  baseline: fileURLToPath(new URL('./children/baseline.cjs', import.meta.url)),
  leanest: fileURLToPath(new URL('./children/leanest.cjs', import.meta.url)),
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

/** What the children of one run share: the servers they call and the options deployed. */
interface Setting {
  emulator: Emulator
  secretsManager: SecretsManagerStandIn
  nodeOptions: string
}

const epochNowMs = (): number => performance.timeOrigin + nowMs()

function runChild(node: NodeBinary, kind: Kind, env: Record<string, string>): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const spawnedAtEpoch = epochNowMs()
    const spawnedAt = nowMs()
    const child = spawn(node.path, [SCRIPTS[kind]], {
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
        reject(
          new Error(`${kind} cold-start child on ${node.label} failed (exit ${code}):\n${output}`),
        )
        return
      }
      const report = JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildReport
      if (kind !== 'empty' && (report.status !== 200 || report.outcome !== 'bound')) {
        reject(new Error(`${kind} cold-start child on ${node.label} did not bind: ${line}`))
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

/**
 * The environment of a child: only what it needs (no NODE_OPTIONS from tsx). Ours gets what
 * Lambda gives the deployed function: serverless.yml's NODE_OPTIONS, the secrets by their
 * Secrets Manager ids, the role's credentials and region, and the SDK's endpoint override
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html) pointing at the
 * stand-in. The baseline, a plain user of the official SDK, reads its keys from the environment.
 */
function childEnv(kind: Kind, setting: Setting): Record<string, string> {
  const path = { PATH: process.env.PATH ?? '' }
  const {
    BCE_ACCESS_KEY_ID: _ak,
    BCE_SECRET_ACCESS_KEY: _sk,
    WEBHOOK_SECRET: _webhook,
    ...settings
  } = functionEnv(setting.emulator.url)
  if (kind === 'ours' || kind === 'leanest') {
    return {
      ...path,
      ...settings,
      ...(setting.nodeOptions === '' ? {} : { NODE_OPTIONS: setting.nodeOptions }),
      BCE_CREDENTIALS_SECRET_ID: BENCH_SECRET_IDS.bceCredentials,
      WEBHOOK_SECRET_ID: BENCH_SECRET_IDS.webhookSecret,
      ...setting.secretsManager.env(),
      BENCH_EVENT: JSON.stringify(signedBindEvent(BENCH_BIND)),
    }
  }
  return { ...path, ...functionEnv(setting.emulator.url), BENCH_BIND: JSON.stringify(BENCH_BIND) }
}

/** Runs one child against a freshly reset emulator and checks the calls it made. */
async function coldRun(node: NodeBinary, kind: Kind, setting: Setting): Promise<ColdRun> {
  const { emulator, secretsManager } = setting
  emulator.reset()
  const before = emulator.requests().at(-1)?.id ?? 0
  const secretsBefore = secretsManager.asked().length
  const run = await runChild(node, kind, childEnv(kind, setting))
  const calls = emulator.requests().filter((entry) => entry.id > before)
  const expected = kind === 'empty' ? 0 : 1
  const signedBinds = calls.filter((entry) => entry.verdict === 'ok' && entry.status === 200)
  if (calls.length !== expected || signedBinds.length !== expected) {
    throw new Error(`${kind} cold start made ${calls.length} calls, expected ${expected} bind`)
  }
  const secrets = secretsManager.asked().slice(secretsBefore).sort()
  const fetchesSecrets = kind === 'ours' || kind === 'leanest'
  const expectedSecrets = fetchesSecrets ? Object.values(BENCH_SECRET_IDS).sort() : []
  if (JSON.stringify(secrets) !== JSON.stringify(expectedSecrets)) {
    throw new Error(`${kind} cold start fetched secrets ${secrets}, expected ${expectedSecrets}`)
  }
  return run
}

/** The figures of one Node version. */
function nodeFigures(
  node: NodeBinary,
  goal: Goal,
  nodeOptions: string,
  runs: Record<Kind, ColdRun[]>,
): Figure[] {
  const of = (kind: Kind, pick: (run: ColdRun) => number) => median(runs[kind].map(pick))
  const baseline = (pick: (run: ColdRun) => number) => ({
    name: BASELINE_NAME,
    value: of('baseline', pick),
  })
  const toAnswer = (run: ColdRun) => run.toAnswerMs
  const options = nodeOptions === '' ? 'no NODE_OPTIONS' : `NODE_OPTIONS=${nodeOptions}`
  const samples = RUNS
  return [
    figure({
      section: 'cold start',
      name: `${node.label}, spawn to answer`,
      unit: 'ms',
      value: of('ours', toAnswer),
      baseline: baseline(toAnswer),
      goal,
      samples,
      note: `median of ${RUNS} fresh node processes each, interleaved, after one uncounted; ours as deployed (${options}, secrets from a Secrets Manager stand-in)`,
    }),
    figure({
      section: 'cold start',
      name: `${node.label}, modules loaded (since start)`,
      unit: 'ms',
      value: of('ours', (run) => run.loadedMs),
      baseline: baseline((run) => run.loadedMs),
      samples,
      note: 'ours: dist/http.mjs imported; baseline: @baiducloud/sdk required',
    }),
    figure({
      section: 'cold start',
      name: `${node.label}, spawn to exit`,
      unit: 'ms',
      value: of('ours', (run) => run.toExitMs),
      baseline: baseline((run) => run.toExitMs),
      samples,
    }),
    figure({
      section: 'cold start',
      name: `${node.label}, leanest deployed path, spawn to answer`,
      unit: 'ms',
      value: of('leanest', toAnswer),
      baseline: baseline(toAnswer),
      samples,
      note: 'bench/children/leanest.cjs: both secrets, the webhook check, the signed bind, with node:http and aws4 only; no goal can ask ours for less',
    }),
    figure({
      section: 'cold start',
      name: `${node.label}, empty node, spawn to exit`,
      unit: 'ms',
      value: of('empty', (run) => run.toExitMs),
      baseline: baseline((run) => run.toExitMs),
      samples,
      note: "node's own startup: the part of either cold start no code of ours can remove",
    }),
    figure({
      section: 'memory',
      name: `${node.label}, peak RSS, cold start`,
      unit: 'MB',
      value: of('ours', (run) => run.maxRssKb) / 1024,
      baseline: { name: BASELINE_NAME, value: of('baseline', (run) => run.maxRssKb) / 1024 },
      samples,
      note: 'process.resourceUsage().maxRSS at the answer, median',
    }),
  ]
}

/**
 * Cold start, as deployed: fresh `node` processes on Node 22 (the Lambda runtime) and Node 20,
 * ours (dist/http.mjs with serverless.yml's NODE_OPTIONS, fetching its secrets, handling one
 * signed webhook) and the baseline (@baiducloud/sdk's main, its signer and node:http), with the
 * leanest implementation of the deployed path (bench/children/leanest.cjs) and an empty node
 * process in the same rotation, to show the least a goal can ask and node's own share. All kinds on both Nodes
 * are interleaved, the order rotating; medians. Returns the cold-start and peak-RSS figures.
 */
export async function benchColdStart(emulator: Emulator): Promise<Figure[]> {
  const nodes = NODES.map(({ major, goal }) => ({ node: nodeBinary(major), goal }))
  const nodeOptions = deployedNodeOptions()
  const secretsManager = await startSecretsManager(BENCH_SECRETS)
  const setting: Setting = { emulator, secretsManager, nodeOptions }
  try {
    const runs = nodes.map(
      (): Record<Kind, ColdRun[]> => ({ ours: [], baseline: [], leanest: [], empty: [] }),
    )
    for (const { node } of nodes) for (const kind of KINDS) await coldRun(node, kind, setting)
    for (let i = 0; i < RUNS; i++) {
      for (let n = 0; n < nodes.length; n++) {
        const { node } = nodes[(i + n) % nodes.length] as (typeof nodes)[number]
        const perNode = runs[(i + n) % nodes.length] as Record<Kind, ColdRun[]>
        for (let k = 0; k < KINDS.length; k++) {
          const kind = KINDS[(i + k) % KINDS.length] as Kind
          perNode[kind].push(await coldRun(node, kind, setting))
        }
      }
    }
    return nodes.flatMap(({ node, goal }, n) =>
      nodeFigures(node, goal, nodeOptions, runs[n] as Record<Kind, ColdRun[]>),
    )
  } finally {
    await secretsManager.close()
  }
}
