// Orders benchmark (issue 7): end-to-end `POST /api/v1/placeorder` in analyzer mode (LIMIT CNC
// orders that rest: API-key check, rate limiter, schema, the sandbox engine, one SQLite commit per
// order before the answer, order events and the analyzer log queued) against a bare Hono JSON
// route measured the same way in the same run. The original measured ~33 orders/s.
//
// The server is the real `oa start` in its own process (from sources, so the figure is the
// current code's); the load generator is wrk (Debian package `wrk`) in another: 16 connections,
// one thread, over loopback. Rate limits are raised through the environment for the run. Rounds
// interleave the two targets; medians are reported.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openSqlite } from '@oa/db'
import { percentile, report, type BenchResult } from '@oa/bench-kit'
import { freePort, sleep, waitFor, wrk, type WrkResult } from './load.js'

const serverDir = fileURLToPath(new URL('../', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const ROUNDS = Number(process.env['OA_BENCH_ROUNDS'] ?? 3)
const SECONDS = Number(process.env['OA_BENCH_SECONDS'] ?? 8)
const SOURCES = ['--conditions=@oa/source', '--import', 'tsx', 'src/entry.ts']

const children: ChildProcess[] = []
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')))

const dir = mkdtempSync(join(tmpdir(), 'oa-bench-orders-'))
try {
  const httpPort = await freePort()
  const barePort = await freePort()
  const text = readFileSync(join(repoRoot, '.sample.env'), 'utf8')
    .replace(/^APP_KEY\s*=.*$/m, `APP_KEY = '${randomBytes(32).toString('hex')}'`)
    .replace(/^API_KEY_PEPPER\s*=.*$/m, `API_KEY_PEPPER = '${randomBytes(32).toString('hex')}'`)
    .replace(/^FERNET_SALT\s*=.*$/m, `FERNET_SALT = '${randomBytes(16).toString('hex')}'`)
  writeFileSync(join(dir, '.env'), text, { mode: 0o600 })
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    OA_ENV_FILE: join(dir, '.env'),
    OA_DATA_DIR: join(dir, 'db'),
    FLASK_PORT: String(httpPort),
    OA_WS_PROXY: 'off',
    LOG_LEVEL: 'WARNING',
    // the limiter still runs on every request; the limits are just out of reach (its moving
    // window keeps one slot per allowed hit, so a higher limit only costs memory)
    API_RATE_LIMIT: '100000 per second',
    ORDER_RATE_LIMIT: '100000 per second',
  }
  const oa = (args: string[]): string =>
    execFileSync(process.execPath, [...SOURCES, ...args], { cwd: serverDir, env, encoding: 'utf8' })
  oa(['setup', '--username', 'admin', '--email', 'admin@example.com', '--password', 'Str0ng!Pass1'])
  const apiKey = oa(['apikey', '--username', 'admin']).trim().split('\n').pop() ?? ''
  oa(['analyzer', 'on'])

  const server = spawn(process.execPath, [...SOURCES, 'start'], {
    cwd: serverDir,
    env,
    stdio: 'ignore',
  })
  children.push(server)
  const bare = spawn(process.execPath, ['bench/bare-json.mjs', String(barePort)], {
    cwd: serverDir,
    stdio: 'ignore',
  })
  children.push(bare)

  const base = `http://127.0.0.1:${httpPort}`
  const orderBody = JSON.stringify({
    apikey: apiKey,
    strategy: 'bench',
    symbol: 'SBIN',
    exchange: 'NSE',
    action: 'BUY',
    quantity: '1',
    pricetype: 'LIMIT',
    price: '1',
    product: 'CNC',
  })
  const place = () =>
    fetch(`${base}/api/v1/placeorder`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: orderBody,
    })
  await waitFor(async () => (await fetch(`${base}/health`)).status === 200, 'oa start')
  // the master contract loads in the background after ready: measure once it is in
  await waitFor(
    async () =>
      (
        await fetch(`${base}/api/v1/symbol`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ apikey: apiKey, symbol: 'SBIN', exchange: 'NSE' }),
        })
      ).status === 200,
    'master contract',
  )
  await sleep(2_000)
  await waitFor(async () => (await place()).status === 200, 'placeorder')
  const bareUrl = `http://127.0.0.1:${barePort}/api/v1/ping`
  await waitFor(
    async () =>
      (
        await fetch(bareUrl, {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json' },
        })
      ).status === 200,
    'bare hono',
  )

  // warm-up: JIT, caches, connection pools
  wrk(bareUrl, orderBody, SECONDS)
  wrk(`${base}/api/v1/placeorder`, orderBody, SECONDS)
  const runs = { bare: [] as WrkResult[], orders: [] as WrkResult[] }
  for (let round = 0; round < ROUNDS; round++) {
    runs.bare.push(wrk(bareUrl, orderBody, SECONDS))
    runs.orders.push(wrk(`${base}/api/v1/placeorder`, orderBody, SECONDS))
  }
  const med = (v: number[]) => Math.round(percentile(v, 50) * 100) / 100
  const rps = (k: keyof typeof runs) => med(runs[k].map((r) => r.rps))
  const p99 = (k: keyof typeof runs) => med(runs[k].map((r) => r.p99Ms))

  // every acknowledged order is in sandbox.db (one row per 2xx answer, nothing lost or doubled)
  await sleep(500)
  const db = openSqlite(join(dir, 'db', 'sandbox.db'), { readonly: true })
  const stored = (db.prepare('SELECT COUNT(*) AS n FROM sandbox_orders').get() as { n: number }).n
  db.close()

  const results: BenchResult[] = [
    {
      name: 'placeorder in analyzer mode (LIMIT CNC, 16 connections) req/s (vs bare Hono JSON route)',
      value: rps('orders'),
      unit: 'req/s',
      baseline: rps('bare'),
      ratio: Math.round((rps('orders') / rps('bare')) * 1000) / 1000,
    },
    {
      name: 'placeorder in analyzer mode p99 (vs bare Hono, lower is better)',
      value: p99('orders'),
      unit: 'ms',
      baseline: p99('bare'),
      ratio: Math.round((p99('orders') / p99('bare')) * 100) / 100,
    },
    {
      name: 'placeorder non-2xx or socket errors',
      value: runs.orders.reduce((s, r) => s + r.errors, 0),
      unit: 'count',
      baseline: runs.bare.reduce((s, r) => s + r.errors, 0),
      ratio: null,
    },
    {
      name: 'orders stored in sandbox.db after the run',
      value: stored,
      unit: 'orders',
      baseline: null,
      ratio: null,
    },
  ]
  await report('server-orders', results)
  server.kill('SIGTERM')
  bare.kill('SIGTERM')
  await sleep(500)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
