// Market-core benchmarks, each against a baseline measured in the same run (interleaved):
//  1. master-contract write of 150k rows (replaceSymtoken: staging + swap) vs the same rows
//     inserted into a plain table without indexes in one transaction; plus the write-lock time;
//  2. symbol-cache load of 150k rows in the server (paged from symtoken) vs filling a bare Map
//     from the same pages, and the cache's memory;
//  3. POST /api/v1/quotes in-process (app.request) vs a bare Hono JSON route;
//  4. POST /api/v1/quotes over loopback HTTP at 16 keep-alive connections vs the bare route,
//     each server in its own child process.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { percentile, report, type BenchResult } from '@oa/bench-kit'
import { generateContract } from '@oa/broker-simulator'
import {
  mainMigrations,
  openDatabase,
  replaceSymtoken,
  streamSymtoken,
  type MainDatabase,
  type SymbolRow,
} from '@oa/db'
import { createSymbolCache } from '@oa/symbol-cache'
import { Hono } from 'hono'
import { createManualClock } from '../src/identity/test-helpers/harness.js'

const serverDir = fileURLToPath(new URL('../', import.meta.url))
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined)
const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d
const med = (v: number[]): number => percentile(v, 50)

// ── 150k rows: the simulator's ~120k plus synthetic contracts of the same shape ─────────────────
function rows150k(): SymbolRow[] {
  const base = generateContract(1, '2025-04-17') as SymbolRow[]
  const out = [...base]
  for (let i = 0; out.length < 150_000; i++) {
    const r = base[i % base.length]!
    out.push({
      ...r,
      symbol: `${r.symbol}X${Math.floor(i / base.length)}`,
      token: `${r.token}9${i}`,
    })
  }
  return out
}

async function writeBench(rows: SymbolRow[]): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'oa-bench-symtoken-'))
  try {
    const main = await openDatabase<MainDatabase>(join(dir, 'openalgo.db'), mainMigrations)
    const db = main.sqlite
    db.exec(`CREATE TABLE plain (symbol TEXT, brsymbol TEXT, name TEXT, exchange TEXT, brexchange TEXT,
      token TEXT, expiry TEXT, strike REAL, lotsize INTEGER, instrumenttype TEXT, tick_size REAL,
      contract_value REAL, broker TEXT, contract_date TEXT)`)
    const insert = db.prepare('INSERT INTO plain VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)')
    const plain = db.transaction(() => {
      db.exec('DELETE FROM plain')
      for (const r of rows) {
        insert.run(
          r.symbol,
          r.brSymbol,
          r.name,
          r.exchange,
          r.brExchange,
          r.token,
          r.expiry,
          r.strike,
          r.lotSize,
          r.instrumentType,
          r.tickSize,
          r.contractValue,
          'simulator',
          '2025-04-17',
        )
      }
    })
    const clock = { now: () => Date.now() }
    const oa: number[] = []
    const lock: number[] = []
    const baseline: number[] = []
    for (let round = 0; round < 6; round++) {
      let t0 = performance.now()
      plain()
      const b = performance.now() - t0
      t0 = performance.now()
      const result = await replaceSymtoken(db, rows, {
        broker: 'simulator',
        contractDate: '2025-04-17',
        clock,
        // the benchmark measures the write, not yields to an idle event loop
        yieldToEventLoop: () => Promise.resolve(),
      })
      const o = performance.now() - t0
      if (!result.ok) throw new Error(result.message)
      if (round === 0) continue // warm-up
      baseline.push(b)
      oa.push(o)
      lock.push(result.swapMs)
    }
    await main.close()
    return [
      {
        name: 'master contract write, 150k rows: staging + swap, ms (lower is better; baseline: plain table, no index, one transaction)',
        value: round(med(oa)),
        unit: 'ms',
        baseline: round(med(baseline)),
        ratio: round(med(oa) / med(baseline), 2),
      },
      {
        name: 'master contract write, 150k rows: write lock held by the swap, ms (lower is better; baseline: the plain one-transaction insert holds it throughout)',
        value: round(med(lock)),
        unit: 'ms',
        baseline: round(med(baseline)),
        ratio: round(med(lock) / med(baseline), 2),
      },
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function loadBench(rows: SymbolRow[]): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'oa-bench-load-'))
  try {
    const main = await openDatabase<MainDatabase>(join(dir, 'openalgo.db'), mainMigrations)
    const clock = { now: () => Date.now() }
    const w = await replaceSymtoken(main.sqlite, rows, {
      broker: 'simulator',
      contractDate: '2025-04-17',
      clock,
    })
    if (!w.ok) throw new Error(w.message)
    const oa: number[] = []
    const baseline: number[] = []
    const bytes: number[] = []
    for (let round = 0; round < 5; round++) {
      gc()
      let t0 = performance.now()
      const map = new Map<string, SymbolRow>()
      for await (const r of streamSymtoken(main.sqlite)) map.set(`${r.exchange}|${r.symbol}`, r)
      const b = performance.now() - t0
      if (map.size !== rows.length) throw new Error(`baseline read ${map.size} rows`)
      map.clear()
      gc()
      const before = process.memoryUsage()
      t0 = performance.now()
      const cache = createSymbolCache({ clock })
      const outcome = await cache.load(streamSymtoken(main.sqlite), { broker: 'simulator' })
      const o = performance.now() - t0
      if (!outcome.ok) throw new Error(outcome.error.message)
      gc()
      const after = process.memoryUsage()
      const used = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers
      if (cache.getSymbolCount() !== rows.length) throw new Error('short load')
      if (round === 0) continue
      baseline.push(b)
      oa.push(o)
      bytes.push(used)
      cache.clear()
    }
    await main.close()
    return [
      {
        name: 'symbol cache load in the server, 150k rows paged from symtoken, ms (lower is better; baseline: the same pages into a bare Map)',
        value: round(med(oa)),
        unit: 'ms',
        baseline: round(med(baseline)),
        ratio: round(med(oa) / med(baseline), 2),
      },
      {
        name: 'symbol cache memory at 150k rows (heap + array buffers after GC), MiB',
        value: round(med(bytes) / 1_048_576),
        unit: 'MiB',
        baseline: null,
        ratio: null,
      },
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Sequential in-process requests: requests per second over `n` calls. */
async function rate(call: () => Promise<Response>, n: number): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < n; i++) {
    const res = await call()
    if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`)
    await res.arrayBuffer()
  }
  return (n * 1000) / (performance.now() - t0)
}

async function inProcessBench(): Promise<BenchResult[]> {
  const { createMarketHarness } = await import('../src/market/test-helpers/market-harness.js')
  const cleanups: (() => void | Promise<void>)[] = []
  const h = await createMarketHarness({
    cleanup: (fn) => void cleanups.push(fn),
    clock: createManualClock('2025-04-17T10:00:00+05:30'),
  })
  try {
    const outcome = await h.market.masterContract.download('simulator', 'bench')
    if (!outcome.ok) throw new Error(outcome.message)
    const body = JSON.stringify({ apikey: h.apiKey, symbol: 'RELIANCE', exchange: 'NSE' })
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body }
    const env = { incoming: { socket: { remoteAddress: '127.0.0.1' } } }
    const bare = new Hono()
    bare.post('/api/v1/quotes', async (c) => {
      await c.req.json()
      return c.json({ status: 'success', data: { ltp: 1389.9, volume: 1, oi: 0 } })
    })
    const oa: number[] = []
    const base: number[] = []
    const n = 4_000
    await rate(() => Promise.resolve(h.app.request('/api/v1/quotes', init, env)), 500)
    await rate(() => Promise.resolve(bare.request('/api/v1/quotes', init)), 500)
    for (let round = 0; round < 5; round++) {
      base.push(await rate(() => Promise.resolve(bare.request('/api/v1/quotes', init)), n))
      oa.push(await rate(() => Promise.resolve(h.app.request('/api/v1/quotes', init, env)), n))
    }
    return [
      {
        name: 'POST /api/v1/quotes in-process (app.request), req/s (higher is better; baseline: bare Hono JSON route)',
        value: round(med(oa), 0),
        unit: 'req/s',
        baseline: round(med(base), 0),
        ratio: round(med(oa) / med(base), 2),
      },
    ]
  } finally {
    for (const fn of cleanups.reverse()) await fn()
  }
}

// ── loopback HTTP: each server in its own process, a keep-alive load generator here ─────────────
function startChild(
  mode: 'oa' | 'bare',
): Promise<{ child: ChildProcess; port: number; apikey: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@oa/source', '--import', 'tsx', 'bench/market-server.ts', mode],
      { cwd: serverDir, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('{"port"'))
      if (line) resolve({ child, ...(JSON.parse(line) as { port: number; apikey: string }) })
    })
    child.once('exit', (code) => reject(new Error(`${mode} server exited ${code}`)))
  })
}

async function load(
  port: number,
  body: string,
  connections: number,
  durationMs: number,
): Promise<{ rps: number; errors: number; why: Map<string, number> }> {
  const why = new Map<string, number>()
  const note = (k: string): void => void why.set(k, (why.get(k) ?? 0) + 1)
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  let done = 0
  let errors = 0
  const until = performance.now() + durationMs
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/v1/quotes',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          if (res.statusCode !== 200) {
            errors++
            note(`HTTP ${res.statusCode}`)
          }
          res.resume()
          res.on('end', () => resolve())
        },
      )
      req.on('error', (e: NodeJS.ErrnoException) => {
        errors++
        note(e.code ?? e.message)
        resolve()
      })
      req.end(body)
    })
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        await one()
        done++
      }
    }),
  )
  const rps = (done * 1000) / (performance.now() - t0)
  agent.destroy()
  return { rps, errors, why }
}

async function loopbackBench(): Promise<BenchResult[]> {
  const oaServer = await startChild('oa')
  const bareServer = await startChild('bare')
  try {
    const body = JSON.stringify({ apikey: oaServer.apikey, symbol: 'RELIANCE', exchange: 'NSE' })
    await load(oaServer.port, body, 16, 1_000) // warm-up
    await load(bareServer.port, body, 16, 1_000)
    const oa: number[] = []
    const base: number[] = []
    let errors = 0
    const why = new Map<string, number>()
    for (let round = 0; round < 3; round++) {
      const b = await load(bareServer.port, body, 16, 3_000)
      const o = await load(oaServer.port, body, 16, 3_000)
      base.push(b.rps)
      oa.push(o.rps)
      errors += o.errors + b.errors
      for (const m of [o.why, b.why]) for (const [k, v] of m) why.set(k, (why.get(k) ?? 0) + v)
    }
    if (errors > 0) throw new Error(`${errors} requests failed: ${JSON.stringify([...why])}`)
    return [
      {
        name: 'POST /api/v1/quotes over loopback HTTP, 16 keep-alive connections, req/s (higher is better; baseline: bare Hono JSON route; target 8000)',
        value: round(med(oa), 0),
        unit: 'req/s',
        baseline: round(med(base), 0),
        ratio: round(med(oa) / med(base), 2),
      },
    ]
  } finally {
    oaServer.child.kill('SIGTERM')
    bareServer.child.kill('SIGTERM')
  }
}

// `bench/market.ts [write|load|inprocess|loopback]…` runs a subset (all by default)
const only = new Set(process.argv.slice(2))
const want = (name: string): boolean => only.size === 0 || only.has(name)
const rows = want('write') || want('load') ? rows150k() : []
const results: BenchResult[] = [
  ...(want('write') ? await writeBench(rows) : []),
  ...(want('load') ? await loadBench(rows) : []),
  ...(want('inprocess') ? await inProcessBench() : []),
  ...(want('loopback') ? await loopbackBench() : []),
]
await report('server-market', results)
