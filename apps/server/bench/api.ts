// API benchmark (issue 8): `/api/v1/ping` (API-key verification, rate limiting and the request
// log included) against a bare Hono JSON route measured in the same run, and `/api/v1/quotes`
// on the simulator, with Node's own http server (no framework) as the ceiling; then the
// resident memory of the server and of its ws-proxy child (and the pair's PSS, shared pages
// counted once): once as the quick start runs it, once more (memory only, same load) in the
// allocator environment the Docker image sets.
//
// The server is the real `oa start` (the built command) in its own process; the load generator is
// wrk (Debian package `wrk`, C, event-driven) in another, 16 connections, one thread, over
// loopback. Rate limits are raised through the environment for the run. Rounds interleave the
// four targets so machine noise hits all alike; medians are reported.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { closeSqlite, openSqlite } from '@oa/db'
import { percentile, report, type BenchResult } from '@oa/bench-kit'
import { freePort, sleep, waitFor, wrk, type WrkResult } from './load.js'

const serverDir = fileURLToPath(new URL('../', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const ROUNDS = Number(process.env['OA_BENCH_ROUNDS'] ?? 3)
const SECONDS = Number(process.env['OA_BENCH_SECONDS'] ?? 8)
/**
 * when memory is read again after a load: the idle collection (idle-gc.ts) starts after 6 s of
 * quiet and V8 shrinks its young generation a few seconds later; by 20 s both are done
 */
const SETTLE_S = 20

/** A resident-memory figure against a baseline process's, MB to one decimal. */
function mb(name: string, value: number, baseline: number): BenchResult {
  const r = (x: number) => Math.round(x * 10) / 10
  return { name, value: r(value), unit: 'MB', baseline: r(baseline), ratio: r(value / baseline) }
}

/** The built command, as operators run it (`pnpm build` first; tsx alone would add ~100 MB RSS). */
function oaArgs(args: string[]): string[] {
  return ['bin/oa.js', ...args]
}

function runOa(args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, oaArgs(args), { cwd: serverDir, env, encoding: 'utf8' })
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024
}

/**
 * Proportional set size, MB: resident pages with each shared page split among the processes that
 * map it (the Node binary, libraries). Summed over processes, a page counts once, as the
 * container's memory accounting counts it; summed RSS counts shared pages in every process.
 */
function pssMb(pid: number): number {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
  return Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1]) / 1024
}

function childPids(pid: number): number[] {
  const out: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) out.push(Number(entry))
    } catch {
      // gone
    }
  }
  return out
}

const children: ChildProcess[] = []
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')))

const dir = mkdtempSync(join(tmpdir(), 'oa-bench-api-'))
try {
  const httpPort = await freePort()
  const wsPort = await freePort()
  const barePort = await freePort()
  const rawPort = await freePort()
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
    WEBSOCKET_PORT: String(wsPort),
    WEBSOCKET_URL: `ws://127.0.0.1:${wsPort}`,
    LOG_LEVEL: 'WARNING',
    // issue 8 judges memory at 150,000 instruments: 12 extra strikes per chain list ~153k
    OA_SIMULATOR_EXTRA_STRIKES: process.env['OA_BENCH_EXTRA_STRIKES'] ?? '12',
    // extra V8 flags for the server under test (e.g. a heap cap), to see their effect on RSS
    ...(process.env['OA_BENCH_NODE_OPTIONS']
      ? { NODE_OPTIONS: process.env['OA_BENCH_NODE_OPTIONS'] }
      : {}),
    // the limiter still runs on every request; the limits are just out of reach. Not higher: the
    // moving-window limiter keeps `count` timestamps per client and route (0.8 MB here)
    API_RATE_LIMIT: '100000 per second',
    ORDER_RATE_LIMIT: '100000 per second',
  }
  runOa(
    ['setup', '--username', 'admin', '--email', 'admin@example.com', '--password', 'Str0ng!Pass1'],
    env,
  )
  const apiKey = runOa(['apikey', '--username', 'admin'], env).trim().split('\n').pop() ?? ''

  const server = spawn(process.execPath, oaArgs(['start']), {
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
  const raw = spawn(process.execPath, ['bench/bare-node.mjs', String(rawPort)], {
    cwd: serverDir,
    stdio: 'ignore',
  })
  children.push(raw)

  const base = `http://127.0.0.1:${httpPort}`
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  /** waits until the server answers health, then quotes (its master contract is loaded) */
  const ready = async (what: string): Promise<void> => {
    await waitFor(async () => (await fetch(`${base}/health`)).status === 200, what)
    await waitFor(
      async () =>
        (await post('/api/v1/quotes', { apikey: apiKey, symbol: 'SBIN', exchange: 'NSE' }))
          .status === 200,
      `${what}: master contract`,
    )
  }
  await ready('oa start')
  await waitFor(
    async () =>
      (
        await fetch(`http://127.0.0.1:${barePort}/api/v1/ping`, {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json' },
        })
      ).status === 200,
    'bare hono',
  )

  // memory after startup, before any load: the contract is loaded in both processes (the
  // quotes probe above needed it); the bare Hono process is the same-run baseline
  await sleep(2_000)
  const startup = {
    server: rssMb(server.pid ?? 0),
    proxy: rssMb(childPids(server.pid ?? 0)[0] ?? 0),
    bare: rssMb(bare.pid ?? 0),
  }

  const pingBody = JSON.stringify({ apikey: apiKey })
  const quotesBody = JSON.stringify({ apikey: apiKey, symbol: 'SBIN', exchange: 'NSE' })
  // warm-up: JIT, caches, connection pools
  await waitFor(
    async () =>
      (await fetch(`http://127.0.0.1:${rawPort}/`, { method: 'POST', body: '{}' })).status === 200,
    'bare node',
  )
  wrk(`http://127.0.0.1:${barePort}/api/v1/ping`, pingBody, SECONDS)
  wrk(`http://127.0.0.1:${rawPort}/`, pingBody, SECONDS)
  wrk(`${base}/api/v1/ping`, pingBody, SECONDS)
  wrk(`${base}/api/v1/quotes`, quotesBody, SECONDS)

  const runs = {
    bare: [] as WrkResult[],
    raw: [] as WrkResult[],
    ping: [] as WrkResult[],
    quotes: [] as WrkResult[],
  }
  for (let round = 0; round < ROUNDS; round++) {
    runs.bare.push(wrk(`http://127.0.0.1:${barePort}/api/v1/ping`, pingBody, SECONDS))
    runs.raw.push(wrk(`http://127.0.0.1:${rawPort}/`, pingBody, SECONDS))
    runs.ping.push(wrk(`${base}/api/v1/ping`, pingBody, SECONDS))
    runs.quotes.push(wrk(`${base}/api/v1/quotes`, quotesBody, SECONDS))
  }
  const med = (v: number[]) => Math.round(percentile(v, 50) * 100) / 100
  const rps = (k: keyof typeof runs) => med(runs[k].map((r) => r.rps))
  const p99 = (k: keyof typeof runs) => med(runs[k].map((r) => r.p99Ms))
  const errors = (k: keyof typeof runs) => runs[k].reduce((s, r) => s + r.errors, 0)

  // memory after the load, with the master contract loaded
  await sleep(2_000)
  const serverRss = rssMb(server.pid ?? 0)
  const proxyPid = childPids(server.pid ?? 0)[0]
  const proxyRss = proxyPid ? rssMb(proxyPid) : Number.NaN
  const bareRss = rssMb(bare.pid ?? 0)
  // and once the server has been quiet long enough for its idle collection (idle-gc.ts: 6 s
  // of quiet, checked every second); the bare Hono process has none, V8's memory reducer only
  await sleep(SETTLE_S * 1000 - 2_000)
  const settled = {
    server: rssMb(server.pid ?? 0),
    proxy: proxyPid ? rssMb(proxyPid) : Number.NaN,
    bare: rssMb(bare.pid ?? 0),
    pairPss: pssMb(server.pid ?? 0) + (proxyPid ? pssMb(proxyPid) : Number.NaN),
    barePss: pssMb(bare.pid ?? 0),
  }
  const db = openSqlite(join(dir, 'db', 'openalgo.db'))
  const instruments = (db.prepare('SELECT COUNT(*) AS n FROM symtoken').get() as { n: number }).n
  closeSqlite(db)

  const results: BenchResult[] = [
    {
      name: 'ping req/s (vs bare Hono JSON route)',
      value: rps('ping'),
      unit: 'req/s',
      baseline: rps('bare'),
      ratio: Math.round((rps('ping') / rps('bare')) * 1000) / 1000,
    },
    {
      name: 'ping p99 (vs bare Hono)',
      value: p99('ping'),
      unit: 'ms',
      baseline: p99('bare'),
      ratio: Math.round((p99('ping') / p99('bare')) * 100) / 100,
    },
    {
      name: 'quotes req/s (vs bare Hono JSON route)',
      value: rps('quotes'),
      unit: 'req/s',
      baseline: rps('bare'),
      ratio: Math.round((rps('quotes') / rps('bare')) * 1000) / 1000,
    },
    {
      // the ceiling: no Node server answers a POST much faster on this machine
      name: 'quotes req/s (vs raw node:http, no framework)',
      value: rps('quotes'),
      unit: 'req/s',
      baseline: rps('raw'),
      ratio: Math.round((rps('quotes') / rps('raw')) * 1000) / 1000,
    },
    {
      name: 'quotes p99 (vs bare Hono)',
      value: p99('quotes'),
      unit: 'ms',
      baseline: p99('bare'),
      ratio: Math.round((p99('quotes') / p99('bare')) * 100) / 100,
    },
    {
      name: 'non-2xx or socket errors (ping + quotes)',
      value: errors('ping') + errors('quotes'),
      unit: 'count',
      baseline: errors('bare'),
      ratio: null,
    },
    mb(
      `server RSS after startup (${instruments} instruments; vs bare Hono)`,
      startup.server,
      startup.bare,
    ),
    mb('ws-proxy child RSS after startup (vs bare Hono)', startup.proxy, startup.bare),
    mb(
      'server + ws-proxy RSS after startup (vs bare Hono)',
      startup.server + startup.proxy,
      startup.bare,
    ),
    mb(`server RSS after the load (vs bare Hono after its load)`, serverRss, bareRss),
    mb('ws-proxy child RSS after the load (vs bare Hono)', proxyRss, bareRss),
    mb(
      `server RSS ${SETTLE_S} s after the load (vs bare Hono ${SETTLE_S} s after its load)`,
      settled.server,
      settled.bare,
    ),
    mb(
      `server + ws-proxy RSS ${SETTLE_S} s after the load (vs bare Hono)`,
      settled.server + settled.proxy,
      settled.bare,
    ),
    mb(
      `server + ws-proxy PSS ${SETTLE_S} s after the load, shared pages once (vs bare Hono PSS)`,
      settled.pairPss,
      settled.barePss,
    ),
  ]
  // the second server binds the same ports: wait for this one (and its ws-proxy) to be gone
  const exited = new Promise((resolve) => server.once('exit', resolve))
  server.kill('SIGTERM')
  await Promise.race([exited, sleep(15_000)])

  // the same server in the Docker image's allocator environment (docker/Dockerfile): glibc then
  // hands large freed blocks back instead of keeping them in its heap. Memory only; the load is
  // one round of each endpoint, the bare Hono process (idle since its load) is the baseline.
  const tuned = spawn(process.execPath, oaArgs(['start']), {
    cwd: serverDir,
    env: { ...env, MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '65536' },
    stdio: 'ignore',
  })
  children.push(tuned)
  await ready('oa start (allocator environment)')
  wrk(`${base}/api/v1/ping`, pingBody, SECONDS)
  wrk(`${base}/api/v1/quotes`, quotesBody, SECONDS)
  await sleep(2_000)
  const tunedLoad = rssMb(tuned.pid ?? 0)
  await sleep(SETTLE_S * 1000 - 2_000)
  const tunedSettled = rssMb(tuned.pid ?? 0)
  const tunedProxy = childPids(tuned.pid ?? 0)[0]
  const idleBare = rssMb(bare.pid ?? 0)
  results.push(
    mb('server RSS after the load, Docker allocator env (vs bare Hono)', tunedLoad, idleBare),
    mb(
      `server RSS ${SETTLE_S} s after the load, Docker allocator env (vs bare Hono)`,
      tunedSettled,
      idleBare,
    ),
    mb(
      `server + ws-proxy RSS ${SETTLE_S} s after the load, Docker allocator env (vs bare Hono)`,
      tunedSettled + (tunedProxy ? rssMb(tunedProxy) : Number.NaN),
      idleBare,
    ),
  )
  await report('server-api', results)
  tuned.kill('SIGTERM')
  bare.kill('SIGTERM')
  raw.kill('SIGTERM')
  await sleep(500)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
