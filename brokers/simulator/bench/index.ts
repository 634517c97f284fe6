// Benchmarks of @oa/broker-simulator (STYLE.md §11): every figure races a baseline measured in
// the same run. Run with `pnpm --filter @oa/broker-simulator bench` (or `pnpm bench`).
import { performance } from 'node:perf_hooks'
import { compareOps, percentile, report, type BenchResult } from '@oa/bench-kit'
import {
  buildUniverse,
  createMarket,
  createTickGenerator,
  generateContract,
  type Instrument,
  type Market,
  type MarketQuote,
  type TickMode,
} from '../src/index.js'

const SEED = 1
const DATE = '2025-04-17'
const results: BenchResult[] = []
let sink = 0

// 1. The full master contract against building the same number of constant objects.
{
  const rows = generateContract(SEED, DATE).length
  const constant = (): unknown[] => {
    const out: unknown[] = []
    for (let i = 0; i < rows; i++) {
      out.push({
        symbol: 'NIFTY24APR2524500CE',
        brSymbol: 'NIFTY:2025-04-24:24500:CE',
        name: 'NIFTY',
        exchange: 'NFO',
        brExchange: 'NSE_FO',
        token: '300000001',
        expiry: '24-APR-25',
        strike: 24500,
        lotSize: 75,
        instrumentType: 'CE',
        tickSize: 0.05,
        contractValue: null,
      })
    }
    return out
  }
  const base: number[] = []
  const cand: number[] = []
  for (let r = 0; r < 7; r++) {
    let t0 = performance.now()
    sink += constant().length
    base.push(performance.now() - t0)
    t0 = performance.now()
    sink += generateContract(SEED, DATE).length
    cand.push(performance.now() - t0)
  }
  const b = percentile(base, 50)
  const c = percentile(cand, 50)
  results.push({
    name: `master contract, all ${rows} rows (generateContract) vs ${rows} constant objects, ms (lower is better)`,
    value: round(c),
    unit: 'ms',
    baseline: round(b),
    ratio: round(c / b),
  })
}

// 2. One quote (a NIFTY option, the costliest: Black-76 three times) against Map.get of a quote.
const universe = buildUniverse(SEED)
const market = createMarket({ seed: SEED, universe })
const resolve = (m: Market, symbol: string, exchange: string): Instrument => {
  const r = m.resolve(symbol, exchange)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}
{
  const start = Date.parse('2025-04-17T11:00:00+05:30')
  for (const [symbol, exchange] of [
    ['NIFTY29APR2524500CE', 'NFO'],
    ['RELIANCE', 'NSE'],
  ] as const) {
    const inst = resolve(market, symbol, exchange)
    const prebuilt = new Map<string, MarketQuote>([[symbol, market.quote(inst, start)]])
    let t = start
    const r = compareOps({
      name: '',
      baseline: () => (sink += prebuilt.get(symbol)?.ltp ?? 0),
      // the clock moves 1 ms per call, so every quote is computed afresh
      candidate: () => (sink += market.quote(inst, t++).ltp),
      rounds: 30,
      batch: 20_000,
    })
    results.push({
      name: `quote ${exchange}:${symbol} vs Map.get of a prebuilt quote, µs/op (lower is better)`,
      value: round(r.value / 1000),
      unit: 'µs/op',
      baseline: r.baseline === null ? null : round(r.baseline / 1000),
      ratio: r.ratio === null ? null : round(r.ratio),
    })
  }
}

// 3. Tick throughput over 200 instruments (equities, futures, options) against a loop that only
//    writes numbers into a preallocated array.
{
  const rows = generateContract(SEED, DATE, universe).filter(
    (r) => r.exchange === 'NSE' || r.exchange === 'NFO',
  )
  const instruments = rows
    .filter((_, i) => i % 450 === 0)
    .slice(0, 200)
    .map((r) => resolve(market, r.symbol, r.exchange))
  const N = 400_000
  const buffer = new Float64Array(N)
  const baseline = (): number => {
    const t0 = performance.now()
    for (let i = 0; i < N; i++) buffer[i] = i * 0.5
    sink += buffer[N - 1] ?? 0
    return N / ((performance.now() - t0) / 1000)
  }
  for (const mode of [1, 2, 3] as TickMode[]) {
    const generator = createTickGenerator(market, {
      startMs: Date.parse('2025-04-17T09:15:00+05:30'),
      ticksPerSecond: 10,
    })
    for (const inst of instruments) generator.set(inst, mode)
    generator.take(50_000, (t) => (sink += t.ltp)) // warm the day caches and the JIT
    const base: number[] = []
    const cand: number[] = []
    for (let r = 0; r < 5; r++) {
      base.push(baseline())
      const t0 = performance.now()
      generator.take(N, (t) => (sink += t.ltp))
      cand.push(N / ((performance.now() - t0) / 1000))
    }
    const b = percentile(base, 50)
    const c = percentile(cand, 50)
    const label = mode === 1 ? 'LTP' : mode === 2 ? 'Quote' : 'Depth'
    results.push({
      name: `tick generation, ${label} mode, 200 instruments vs writing numbers to an array, ticks/s (higher is better; ratio = value / baseline)`,
      value: Math.round(c),
      unit: 'ticks/s',
      baseline: Math.round(b),
      ratio: round(c / b),
    })
  }
}

await report('simulator', results)
if (sink === 42) process.stdout.write('\n') // keeps the measured work observable

function round(n: number): number {
  return Number(n.toPrecision(4))
}
