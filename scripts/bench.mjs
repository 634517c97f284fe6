#!/usr/bin/env node
// `pnpm bench`: every package's benchmarks, one package at a time (they measure the machine, so
// they must not share it), then one bench/results.json and one table (spec operator.md).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const dir = join(root, 'bench', 'results')
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })

const filter = process.argv.slice(2)
const args = [
  'turbo',
  'run',
  'bench',
  '--concurrency=1',
  '--output-logs=full',
  ...filter.flatMap((f) => ['--filter', f]),
]
const run = spawnSync('pnpm', ['exec', ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
})

const all = []
for (const file of existsSync(dir) ? readdirSync(dir).sort() : []) {
  if (!file.endsWith('.json')) continue
  for (const r of JSON.parse(readFileSync(join(dir, file), 'utf8')))
    all.push({ group: file.replace(/\.json$/, ''), ...r })
}
writeFileSync(
  join(root, 'bench', 'results.json'),
  `${JSON.stringify(
    all.map(({ group: _g, ...r }) => r),
    null,
    2,
  )}\n`,
)

const fmt = (n) =>
  n === null
    ? '-'
    : Math.abs(n) >= 100
      ? n.toFixed(0)
      : Math.abs(n) >= 1
        ? n.toFixed(2)
        : n.toFixed(4)
const rows = all.map((r) => [
  r.group,
  r.name,
  `${fmt(r.value)} ${r.unit}`,
  r.baseline === null ? '-' : `${fmt(r.baseline)} ${r.unit}`,
  fmt(r.ratio),
])
const head = ['group', 'benchmark', 'value', 'baseline (same run)', 'ratio']
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const line = (c) => c.map((x, i) => x.padEnd(w[i])).join('  ')
console.log(`\n${line(head)}\n${line(w.map((n) => '-'.repeat(n)))}\n${rows.map(line).join('\n')}`)
console.log(`\n${all.length} results written to bench/results.json`)
process.exitCode = run.status ?? 1
