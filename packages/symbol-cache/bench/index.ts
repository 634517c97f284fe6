// Benchmarks of @oa/symbol-cache, each racing a baseline measured in the same run
// (operator.md "Benchmarks"). Run: pnpm --filter @oa/symbol-cache bench
//
// Baselines: the object-per-row, many-Map design of the original (load time, heap), a bare
// Map.get of a string key (lookups), and a naive linear filter over plain objects (search).
import { compareOps, percentile, report, type BenchResult } from '@oa/bench-kit'
import { createSymbolCache } from '../src/index.js'
import type { SymbolInfo, SymbolRow } from '../src/index.js'
import { generateSymbolRows } from '../src/test-helpers/fixture.js'
import { extractUnderlying } from '../src/underlying.js'

const ROWS = 150_000
// the fixture's trading day, so expiry helpers see its contracts as live
const AS_OF_MS = Date.parse('2025-04-17T10:00:00+05:30')
const clock = { now: () => AS_OF_MS }
const gc = (globalThis as { gc?: () => void }).gc

const round = (n: number, digits = 3): number => Math.round(n * 10 ** digits) / 10 ** digits
/**
 * Live JS heap plus ArrayBuffer backing stores (typed arrays live outside the V8 heap) after full
 * collections. Plain gc(): on Node 20 the `gc({ type: 'major', execution: 'sync' })` form
 * returns without collecting.
 */
const heapUsed = (): number => {
  for (let k = 0; k < 3; k++) gc?.()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

// Rows arrive as the server will stream them from SQLite: each parsed afresh, flat strings.
const fixture = generateSymbolRows({ count: ROWS, seed: 1, asOf: '2025-04-17' })
const lines = fixture.map((r) => JSON.stringify(r))
function* parsed(): Generator<SymbolRow> {
  for (const line of lines) yield JSON.parse(line) as SymbolRow
}

/** The original's layout: one object per row, referenced from several maps and lists. */
function naiveBuild(rows: Iterable<SymbolRow>) {
  const bySymbol = new Map<string, SymbolInfo>()
  const byToken = new Map<string, SymbolInfo>()
  const byBr = new Map<string, SymbolInfo>()
  const byExchange = new Map<string, SymbolInfo[]>()
  for (const r of rows) {
    const info: SymbolInfo = { ...r, underlying: extractUnderlying(r.symbol, r.exchange) }
    bySymbol.set(`${r.exchange}|${r.symbol}`, info)
    byToken.set(`${r.exchange}|${r.token}`, info)
    byBr.set(`${r.exchange}|${r.brSymbol}`, info)
    let list = byExchange.get(r.exchange)
    if (!list) byExchange.set(r.exchange, (list = []))
    list.push(info)
  }
  return { bySymbol, byToken, byBr, all: [...bySymbol.values()] }
}

const results: BenchResult[] = []

// --- load time and memory --------------------------------------------------------------------
function timeLoads(): void {
  const objects = [...parsed()]
  const ours: number[] = []
  const base: number[] = []
  const oursCpu: number[] = []
  const baseCpu: number[] = []
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const c = process.cpuUsage(since)
    return (c.user + c.system) / 1000
  }
  for (let i = 0; i < 5; i++) {
    let c = process.cpuUsage()
    let t = performance.now()
    naiveBuild(objects)
    base.push(performance.now() - t)
    baseCpu.push(cpuMs(c))
    c = process.cpuUsage()
    t = performance.now()
    const outcome = createSymbolCache({ clock }).loadSync(objects)
    ours.push(performance.now() - t)
    oursCpu.push(cpuMs(c))
    if (!outcome.ok) throw outcome.error
  }
  const oursMs = percentile(ours, 50)
  const baseMs = percentile(base, 50)
  results.push({
    name: `load ${ROWS} rows, ms (lower is better; baseline: object per row in Maps)`,
    value: round(oursMs, 1),
    unit: 'ms',
    baseline: round(baseMs, 1),
    ratio: round(oursMs / baseMs),
  })
  results.push({
    name: `load ${ROWS} rows, CPU ms incl. GC threads (lower is better; baseline: object per row in Maps)`,
    value: round(percentile(oursCpu, 50), 1),
    unit: 'ms',
    baseline: round(percentile(baseCpu, 50), 1),
    ratio: round(percentile(oursCpu, 50) / percentile(baseCpu, 50)),
  })
  results.push({
    name: `load ${ROWS} rows, rows/s (higher is better; ratio = ours / baseline)`,
    value: Math.round((ROWS / oursMs) * 1000),
    unit: 'rows/s',
    baseline: Math.round((ROWS / baseMs) * 1000),
    ratio: round(baseMs / oursMs),
  })
}
timeLoads()

/** Live bytes `build()` adds and keeps, measured in a function so no temporary outlives it. */
function retained<T>(build: () => T): { value: T; bytes: number } {
  const h0 = heapUsed()
  const value = build()
  return { value, bytes: heapUsed() - h0 }
}

const ours = retained(() => {
  const c = createSymbolCache({ clock })
  const outcome = c.loadSync(parsed(), { broker: 'bench' })
  if (!outcome.ok) throw outcome.error
  return { cache: c, summary: outcome.value }
})
const naiveRetained = retained(() => naiveBuild(parsed()))
const cache = ours.value.cache
const loaded = { value: ours.value.summary }
const naive = naiveRetained.value
const oursHeap = ours.bytes
const naiveHeap = naiveRetained.bytes
const measuredMb = loaded.value.bytes / 1_048_576
results.push({
  name: 'snapshot size measured from its arrays and strings, MB (lower is better; baseline: object per row in Maps, heap delta)',
  value: round(measuredMb, 2),
  unit: 'MB',
  baseline: round(naiveHeap / 1_048_576, 2),
  ratio: round(measuredMb / (naiveHeap / 1_048_576)),
})
if (gc) {
  results.push({
    name: 'snapshot heap + ArrayBuffer delta around a load, after full GC, MB (lower is better; baseline: object per row in Maps)',
    value: round(oursHeap / 1_048_576, 2),
    unit: 'MB',
    baseline: round(naiveHeap / 1_048_576, 2),
    ratio: round(oursHeap / naiveHeap),
  })
}

// --- point lookups -----------------------------------------------------------------------------
{
  // keys in a shuffled order, as fresh strings (a request's symbol is never the stored object)
  const order = Array.from({ length: ROWS }, (_, i) => i)
  let seed = 42
  for (let i = order.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0
    const j = seed % (i + 1)
    const tmp = order[i] as number
    order[i] = order[j] as number
    order[j] = tmp
  }
  const keyRows = order.map((i) => JSON.parse(lines[i] as string) as SymbolRow)
  const symbols = keyRows.map((r) => r.symbol)
  const exchanges = keyRows.map((r) => r.exchange)
  const tokens = keyRows.map((r) => r.token)
  const bare = new Map<string, string>()
  for (const r of fixture) bare.set(r.symbol, r.token)
  const bareInfo = new Map<string, SymbolInfo>()
  for (const info of naive.all) bareInfo.set(info.symbol, info)
  const bareBySymbol = new Map<string, string>()
  for (const r of fixture) bareBySymbol.set(r.token, r.symbol)
  let i = 0
  let j = 0
  const n = symbols.length

  const hit = compareOps({
    name: 'getToken hit vs bare Map.get of a string key, ns/op (lower is better)',
    baseline: () => bare.get(symbols[i++ % n] as string),
    candidate: () => cache.getToken(symbols[j % n] as string, exchanges[j++ % n] as string),
  })
  results.push(hit)
  i = j = 0
  results.push(
    compareOps({
      name: 'getSymbol (token → symbol) hit vs bare Map.get, ns/op (lower is better)',
      baseline: () => bareBySymbol.get(tokens[i++ % n] as string),
      candidate: () => cache.getSymbol(tokens[j % n] as string, exchanges[j++ % n] as string),
    }),
  )
  i = j = 0
  results.push(
    compareOps({
      name: 'getSymbolInfo (fresh record) vs bare Map.get of a stored object, ns/op (lower is better)',
      baseline: () => bareInfo.get(symbols[i++ % n] as string),
      candidate: () => cache.getSymbolInfo(symbols[j % n] as string, exchanges[j++ % n] as string),
    }),
  )
}

// --- search latency ----------------------------------------------------------------------------
interface Latencies {
  readonly wall: number[]
  readonly cpu: number[]
}

/**
 * Interleaved per-call latencies (ms) of two functions after a warm-up: wall time, and CPU time
 * of this process (process.cpuUsage, 1 µs resolution), which leaves out the time the scheduler
 * gave the other processes sharing the cores.
 */
function raceLatency(
  baseline: () => unknown,
  candidate: () => unknown,
  iterations: number,
): { base: Latencies; cand: Latencies } {
  for (let k = 0; k < 20; k++) {
    baseline()
    candidate()
  }
  const base: Latencies = { wall: [], cpu: [] }
  const cand: Latencies = { wall: [], cpu: [] }
  const time = (fn: () => unknown, into: Latencies): void => {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    fn()
    const wall = performance.now() - t0
    const c = process.cpuUsage(c0)
    into.wall.push(wall)
    into.cpu.push((c.user + c.system) / 1000)
  }
  for (let k = 0; k < iterations; k++) {
    // alternate which goes first so neither always runs on a warmer cache
    if (k % 2 === 0) {
      time(baseline, base)
      time(candidate, cand)
    } else {
      time(candidate, cand)
      time(baseline, base)
    }
  }
  return { base, cand }
}

function pushLatency(label: string, r: { base: Latencies; cand: Latencies }): void {
  for (const kind of ['wall', 'cpu'] as const) {
    for (const p of [50, 99]) {
      const c = percentile(r.cand[kind], p)
      const b = percentile(r.base[kind], p)
      results.push({
        name: `${label} p${p} ${kind === 'wall' ? 'wall' : 'CPU'} time, ms (lower is better)`,
        value: round(c, 4),
        unit: 'ms',
        baseline: round(b, 4),
        ratio: round(c / b),
      })
    }
  }
}

{
  const rows = naive.all
  const query = 'NIFTY 24000 CE'
  const terms = query.split(/\s+/)
  const naiveFilter = (): SymbolInfo[] =>
    rows.filter((r) =>
      terms.every(
        (t) =>
          r.symbol.toUpperCase().includes(t) ||
          r.brSymbol.toUpperCase().includes(t) ||
          r.name.toUpperCase().includes(t) ||
          r.token.includes(t),
      ),
    )
  const found = cache.search(query)
  if (found.length === 0 || found.length > naiveFilter().length) throw new Error('search mismatch')
  pushLatency(
    `search "${query}" over ${ROWS} rows (baseline: naive linear filter over objects)`,
    raceLatency(naiveFilter, () => cache.search(query), 400),
  )

  const expiry = cache.getDistinctExpiries({ exchange: 'NFO', underlying: 'NIFTY' })[0]
  const niftyWeekly = (): SymbolInfo[] =>
    rows.filter(
      (r) =>
        r.underlying === 'NIFTY' &&
        r.expiry === expiry &&
        r.symbol.toUpperCase().endsWith('CE') &&
        r.exchange === 'NFO',
    )
  if (
    cache.fnoSearch({ exchange: 'NFO', underlying: 'NIFTY', expiry, instrumentType: 'CE' })
      .length !== niftyWeekly().length
  ) {
    throw new Error('fno search mismatch')
  }
  pushLatency(
    `fnoSearch NIFTY ${expiry ?? '?'} CE (baseline: naive linear filter over objects)`,
    raceLatency(
      niftyWeekly,
      () => cache.fnoSearch({ exchange: 'NFO', underlying: 'NIFTY', expiry, instrumentType: 'CE' }),
      400,
    ),
  )
}

await report('symbol-cache', results)
process.stdout.write(
  `\nsnapshot: ${loaded.value.rows} rows, measured ${measuredMb.toFixed(2)} MB, heap delta ${(oursHeap / 1_048_576).toFixed(2)} MB${gc ? '' : ' (no --expose-gc: delta unreliable)'}; load average ${(await import('node:os')).loadavg()[0]?.toFixed(1)} on ${(await import('node:os')).cpus().length} cores\n`,
)
