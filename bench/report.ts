import { writeFile } from 'node:fs/promises'
import { cpus, platform, release } from 'node:os'

/** What a figure must reach: its ratio (or its value) at most or at least `limit`. */
export interface Goal {
  text: string
  on: 'ratio' | 'value'
  /** `max`: it must not exceed `limit`; `min`: it must reach it. */
  bound: 'max' | 'min'
  limit: number
}

/** One measured figure, next to the baseline measured in the same run. */
export interface Figure {
  section: 'signing' | 'cold start' | 'warm throughput' | 'batch' | 'memory'
  name: string
  unit: string
  value: number
  baseline: { name: string; value: number }
  /** Always `value / baseline.value`. */
  ratio: number
  goal: (Goal & { met: boolean }) | null
  /** How the figure was measured: samples, iterations. */
  samples: number
  note?: string
}

/** Builds a figure: the ratio is computed here, and whether the goal is met. */
export function figure(fields: Omit<Figure, 'ratio' | 'goal'> & { goal?: Goal }): Figure {
  const ratio = fields.value / fields.baseline.value
  const { goal, ...rest } = fields
  if (goal === undefined) return { ...rest, ratio, goal: null }
  const measured = goal.on === 'ratio' ? ratio : fields.value
  const met = goal.bound === 'max' ? measured <= goal.limit : measured >= goal.limit
  return { ...rest, ratio, goal: { ...goal, met } }
}

const format = (value: number): string => {
  if (Number.isInteger(value)) return String(value)
  if (Math.abs(value) >= 100) return value.toFixed(0)
  if (Math.abs(value) >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

/** The figures as a fixed-width text table. */
export function formatTable(figures: readonly Figure[]): string {
  const header = ['figure', 'ours', 'baseline', 'ratio', 'goal', 'met']
  const rows = figures.map((f) => [
    `${f.section}: ${f.name}`,
    `${format(f.value)} ${f.unit}`,
    `${format(f.baseline.value)} ${f.unit} (${f.baseline.name})`,
    `${f.ratio.toFixed(3)}`,
    f.goal?.text ?? '-',
    f.goal === null ? '-' : f.goal.met ? 'yes' : 'NO',
  ])
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((row) => (row[column] as string).length)),
  )
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] as number))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  )
}

/** The machine the figures come from. */
export function machine() {
  const processors = cpus()
  return {
    node: process.version,
    date: new Date().toISOString(),
    cpus: processors.length,
    cpuModel: processors[0]?.model ?? 'unknown',
    platform: `${platform()} ${release()} ${process.arch}`,
  }
}

/** Writes `bench/results.json`. */
export async function writeResults(
  path: URL,
  figures: readonly Figure[],
  durationSeconds: number,
): Promise<void> {
  const results = {
    ...machine(),
    durationSeconds,
    caveat: 'One run on one shared, noisy machine: compare ratios, not absolute figures.',
    figures,
  }
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`)
}
