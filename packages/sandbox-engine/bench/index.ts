// Sandbox engine benchmarks. Every figure races a baseline measured in the same run, with
// interleaved rounds so machine noise hits both alike (STYLE.md §11). The engine's API is async,
// so the harness below awaits each call; the baselines do the same minimal bookkeeping behind
// the same `await`, which isolates the engine's own work from the async calling convention.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { type BenchResult, report } from '@oa/bench-kit'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import {
  createCountingIds,
  createInstrumentTable,
  createKyselyStore,
  createSqliteStore,
  createManualClock,
  createMemoryStore,
  createPriceBook,
  createSandboxEngine,
  type Inr4,
  migrateSandbox,
  type OrderRequest,
  parseInr4,
  type SandboxDatabase,
  type SandboxStore,
} from '../src/index.js'

type Op = () => unknown

/** ops/s of `candidate` and `baseline`, interleaved, medians (higher is better). */
async function raceOpsPerSecond(
  name: string,
  baseline: Op,
  candidate: Op,
  options: { rounds?: number; batch?: number } = {},
): Promise<BenchResult> {
  const rounds = options.rounds ?? 15
  const batch = options.batch ?? 5_000
  const round = async (fn: Op): Promise<number> => {
    const t0 = performance.now()
    for (let i = 0; i < batch; i++) await fn()
    return (batch * 1000) / (performance.now() - t0)
  }
  await round(baseline)
  await round(candidate)
  const b: number[] = []
  const c: number[] = []
  for (let r = 0; r < rounds; r++) {
    b.push(await round(baseline))
    c.push(await round(candidate))
  }
  const med = (xs: number[]): number =>
    [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0
  const value = Math.round(med(c))
  const base = Math.round(med(b))
  return {
    name,
    value,
    unit: 'ops/s',
    baseline: base,
    ratio: Math.round((value / base) * 1000) / 1000,
  }
}

const p = (t: string): Inr4 => parseInr4(t)

function engineWith(store: SandboxStore) {
  const clock = createManualClock('2025-04-15T10:00:00+05:30')
  const prices = createPriceBook()
  prices.set('SBIN', 'NSE', { ltp: p('800'), bid: p('799.95'), ask: p('800') })
  const instruments = createInstrumentTable([
    { symbol: 'SBIN', exchange: 'NSE', lotSize: 1, tickSize: p('0.05'), instrumentType: 'EQ' },
  ])
  const engine = createSandboxEngine({
    clock,
    prices,
    instruments,
    store,
    ids: createCountingIds(),
  })
  return { engine, prices, clock }
}

const buy: OrderRequest = {
  symbol: 'SBIN',
  exchange: 'NSE',
  action: 'BUY',
  quantity: 1,
  priceType: 'MARKET',
  product: 'MIS',
}
const sell: OrderRequest = { ...buy, action: 'SELL' }

/** the same order objects pushed into an array and netted into a Map position */
function baselineBook() {
  const orders: OrderRequest[] = []
  const positions = new Map<string, number>()
  let k = 0
  return async (): Promise<void> => {
    const o = k++ % 2 === 0 ? buy : sell
    orders.push(o)
    const key = `${o.exchange}|${o.symbol}|${o.product}`
    positions.set(key, (positions.get(key) ?? 0) + (o.action === 'BUY' ? o.quantity : -o.quantity))
  }
}

async function marketOrdersMemory(): Promise<BenchResult> {
  const { engine } = engineWith(createMemoryStore())
  await engine.start()
  let k = 0
  return raceOpsPerSecond(
    'MARKET orders placed and filled, in-memory store, ops/s (higher is better); baseline: array push + Map position',
    baselineBook(),
    () => engine.placeOrder('bench', k++ % 2 === 0 ? buy : sell),
    { rounds: 15, batch: 10_000 },
  )
}

async function marketOrdersManyUsers(): Promise<BenchResult> {
  const { engine } = engineWith(createMemoryStore())
  await engine.start()
  const users = Array.from({ length: 16 }, (_, i) => `u${i}`)
  let k = 0
  const base = baselineBook()
  // 16 users in flight at once: per-user queues, no global lock
  return raceOpsPerSecond(
    'MARKET orders, 16 users concurrently (16 orders per op, reported per order), in-memory, ops/s',
    async () => {
      for (let i = 0; i < 16; i++) await base()
    },
    () => {
      const side = k++ % 2 === 0 ? buy : sell
      return Promise.all(users.map((u) => engine.placeOrder(u, side)))
    },
    { rounds: 10, batch: 1_000 },
  ).then((r) => ({ ...r, value: r.value * 16, baseline: (r.baseline ?? 0) * 16 }))
}

async function restingLimits(n: number): Promise<BenchResult[]> {
  const { engine } = engineWith(createMemoryStore())
  await engine.start()
  // n resting buys spread over 400 price levels below the market
  for (let i = 0; i < n; i++) {
    const r = await engine.placeOrder(`u${i % 50}`, {
      ...buy,
      priceType: 'LIMIT',
      price: (p('700') + (i % 400) * p('0.05')) as Inr4,
    })
    if (!r.ok) throw new Error(r.error.message)
  }
  const array: { price: number; id: number }[] = []
  for (let i = 0; i < n; i++) array.push({ price: p('700') + (i % 400) * p('0.05'), id: i })
  let k = 0
  const place = await raceOpsPerSecond(
    `LIMIT order placement with ${n} resting orders, ops/s (higher is better); baseline: array push`,
    async () => {
      array.push({ price: p('700'), id: k })
    },
    () =>
      engine.placeOrder(`u${k++ % 50}`, {
        ...buy,
        priceType: 'LIMIT',
        price: (p('700') + (k % 400) * p('0.05')) as Inr4,
      }),
    { rounds: 10, batch: 2_000 },
  )
  // a tick that crosses nothing: the ladder looks at one level; the original polls every order
  let t = 0
  const tick = await raceOpsPerSecond(
    `price tick crossing no order with ${n} resting, ops/s (higher is better); baseline: linear scan of the resting orders (the original's poll)`,
    async () => {
      const ltp = p('790') + (t++ % 2) * p('0.05')
      let hits = 0
      for (const o of array) if (o.price >= ltp) hits++
      if (hits < 0) throw new Error('unreachable')
    },
    () => engine.onPrice('SBIN', 'NSE', { ltp: (p('790') + (t++ % 2) * p('0.05')) as Inr4 }),
    { rounds: 10, batch: 2_000 },
  )
  return [place, tick]
}

async function sqliteOrders(kind: 'kysely' | 'prepared'): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'oa-sandbox-bench-'))
  try {
    const sqlite = new Database(join(dir, 'sandbox.db'))
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    const db = new Kysely<SandboxDatabase>({ dialect: new SqliteDialect({ database: sqlite }) })
    await migrateSandbox(db)
    const { engine } = engineWith(
      kind === 'kysely' ? createKyselyStore(db) : createSqliteStore(sqlite),
    )
    await engine.start()
    const raw = new Database(join(dir, 'raw.db'))
    raw.pragma('journal_mode = WAL')
    raw.pragma('synchronous = NORMAL')
    raw.exec('CREATE TABLE o (id INTEGER PRIMARY KEY, symbol TEXT, qty INTEGER, price_e4 INTEGER)')
    const ins = raw.prepare('INSERT INTO o (symbol, qty, price_e4) VALUES (?, ?, ?)')
    let k = 0
    const r = await raceOpsPerSecond(
      `MARKET orders with the SQLite (${kind === 'kysely' ? 'kysely' : 'prepared-statement'}) store, one transaction each, ops/s (for information); baseline: one raw better-sqlite3 INSERT per order`,
      async () => {
        ins.run('SBIN', 1, 8_000_000)
      },
      () => engine.placeOrder('bench', k++ % 2 === 0 ? buy : sell),
      { rounds: 6, batch: 1_000 },
    )
    await db.destroy()
    raw.close()
    return r
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const results: BenchResult[] = []
results.push(await marketOrdersMemory())
results.push(await marketOrdersManyUsers())
results.push(...(await restingLimits(10_000)))
results.push(await sqliteOrders('kysely'))
results.push(await sqliteOrders('prepared'))
await report('sandbox-engine', results)
