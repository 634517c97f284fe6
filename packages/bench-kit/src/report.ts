import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** One line of bench/results.json (spec operator.md). */
export interface BenchResult {
  readonly name: string
  readonly value: number
  readonly unit: string
  /** the same quantity for the baseline, measured in the same run; null when there is none */
  readonly baseline: number | null
  /** value / baseline (or the inverse where the name says so); null without a baseline */
  readonly ratio: number | null
}

/** `<repo>/bench/results`, where each package writes `<package>.json`. */
export const resultsDir: string = fileURLToPath(new URL('../../../bench/results/', import.meta.url))

/** Prints the results as a table and writes them to bench/results/<group>.json. */
export async function report(group: string, results: readonly BenchResult[]): Promise<void> {
  await mkdir(resultsDir, { recursive: true })
  await writeFile(join(resultsDir, `${group}.json`), `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`\n${formatTable(group, results)}\n`)
}

export function formatTable(title: string, results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline === null ? '-' : `${fmt(r.baseline)} ${r.unit}`,
    r.ratio === null ? '-' : fmt(r.ratio),
  ])
  const head = ['benchmark', 'value', 'baseline (same run)', 'ratio']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')
  return [
    `== ${title}`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n')
}

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(4)
}
