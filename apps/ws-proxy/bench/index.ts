// Benchmarks of the ws-proxy (STYLE.md §11, operator.md "Benchmarks"), loopback only. Every figure
// races a baseline measured in the same run: a raw `ws` server broadcasting the same frames,
// serialized once per tick and mode and sent as one shared Buffer to every subscriber (no seq, no
// queues, no bookkeeping: the cheapest fan-out `ws` allows; like most raw broadcasts it skips a
// socket that already holds 4 MiB, so it cannot run out of memory).
//
// Scenario: 1,000 clients over 500 NSE instruments, the simulator at 40 ticks/s per instrument
// (20,000 ticks/s), each client on BENCH_PER_CLIENT instruments (default 1: two clients per
// instrument, 40,000 frames/s offered), modes LTP/LTP/Quote/Depth by client. The clients live in a
// child process (bench/clients.ts: lean RFC 6455 clients on raw TCP) so this process only runs
// the server being measured. The feed's clock stands still while the clients connect, so setting
// up 1,000 sockets is not slowed by the load being measured. Rounds alternate which side goes
// first; medians are reported. BENCH_ONLY=proxy|raw and BENCH_DEBUG=1 help when profiling.
//
// Run: pnpm --filter @oa/ws-proxy bench
import { fork, type ChildProcess } from 'node:child_process'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { report, type BenchResult } from '@oa/bench-kit'
import { createSystemTimers, silentLogger, type StreamMode, type Tick } from '@oa/broker-sdk'
import { createMarket, createTickGenerator, generateContract } from '@oa/broker-simulator'
import { createSymbolCache } from '@oa/symbol-cache'
import { WebSocketServer, type WebSocket } from 'ws'
import { createSimulatorStreaming } from '../src/brokers.js'
import type { Identity } from '../src/identity.js'
import { SESSIONLESS } from '../src/identity.js'
import { marketDataOpen } from '../src/protocol/outbound.js'
import { startFeedServer, type FeedServer } from '../src/server.js'
import { resolverOf, symbolIndexOf } from '../src/symbols.js'

const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 1_000)
const INSTRUMENTS = 500
const TICKS_PER_INSTRUMENT = 40
const PER_CLIENT = Number(process.env['BENCH_PER_CLIENT'] ?? 1)
const PUMP_MS = 5
const WARMUP_MS = 2_000
const RUN_MS = Number(process.env['BENCH_RUN_MS'] ?? 5_000)
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3)
const KEY = 'bench-key'
const RAW_SKIP_BYTES = 4 * 1024 * 1024
const TEXT = { binary: false } as const

/**
 * Epoch ms with µs resolution from the system-wide monotonic clock; the clients compute the same
 * from `epochBase` and `origin`. It stands still while a swarm connects and subscribes (a feed
 * does not tick then, so connecting 1,000 clients is not slowed by the load being measured) and
 * runs again from where it stopped.
 */
const epochBase = Date.now()
let origin = process.hrtime.bigint()
let frozenAt: number | undefined = undefined
const elapsed = (): number => Number(process.hrtime.bigint() - origin) / 1e6
const clock = {
  now: (): number => epochBase + (frozenAt ?? elapsed()),
  freeze(): void {
    frozenAt = elapsed()
  },
  release(): void {
    if (frozenAt === undefined) return
    origin = process.hrtime.bigint() - BigInt(Math.round(frozenAt * 1e6))
    frozenAt = undefined
  },
}
const gc = (): void => {
  const g = (globalThis as { gc?: () => void }).gc
  if (g === undefined) throw new Error('run with --expose-gc (pnpm bench does)')
  g()
  g()
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

const rows = generateContract(1, '2025-04-17')
const instruments = rows.filter((r) => r.exchange === 'NSE').slice(0, INSTRUMENTS)
const MODES: StreamMode[] = [1, 1, 2, 3]
const plan = Array.from({ length: CLIENTS }, (_, i) => ({
  symbols: Array.from({ length: PER_CLIENT }, (_, k) => {
    const r = instruments[(i * PER_CLIENT + k) % INSTRUMENTS]!
    return { symbol: r.symbol, exchange: 'NSE' }
  }),
  mode: MODES[i % MODES.length]!,
}))
const subscribersPerInstrument = (CLIENTS * PER_CLIENT) / INSTRUMENTS

// ---- the client swarm (child process) --------------------------------------------------------

interface Stopped {
  windowMs: number
  frames: number
  bytes: number
  otherFrames: number
  samples: number
  p50: number
  p99: number
  p999: number
}

function swarm(): { child: ChildProcess; ask: (m: object) => Promise<Record<string, unknown>> } {
  const child = fork(fileURLToPath(new URL('./clients.ts', import.meta.url)), [], {
    execArgv: ['--conditions=@oa/source', '--import', 'tsx', '--max-old-space-size=2048'],
    stdio: 'inherit',
  })
  const ask = (m: object): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      child.once('message', (reply) => resolve(reply as Record<string, unknown>))
      child.send(m)
    })
  return { child, ask }
}

async function measure(
  url: string,
  subscriptions: typeof plan | [],
): Promise<Stopped & { elapsedMs: number }> {
  const { child, ask } = swarm()
  clock.freeze()
  const c0 = performance.now()
  await ask({
    cmd: 'connect',
    url,
    clients: CLIENTS,
    key: KEY,
    subscriptions,
    hrBase: String(origin),
    epochBase,
  })
  const connectMs = performance.now() - c0
  clock.release()
  await sleep(WARMUP_MS)
  await ask({ cmd: 'start', hrBase: String(origin) })
  const t0 = clock.now()
  await sleep(RUN_MS)
  const stopped = (await ask({ cmd: 'stop' })) as unknown as Stopped
  const elapsedMs = clock.now() - t0
  await ask({ cmd: 'close' })
  child.kill()
  process.stderr.write(
    `  ${url.includes(String(proxyPort)) ? 'ws-proxy' : 'raw ws  '}: ${CLIENTS} clients ready in ${Math.round(connectMs)} ms; ` +
      `${Math.round((stopped.frames * 1000) / stopped.windowMs)} frames/s, p50 ${stopped.p50.toFixed(2)} ms, p99 ${stopped.p99.toFixed(2)} ms\n`,
  )
  return { ...stopped, elapsedMs }
}
let proxyPort = -1

// ---- the proxy -------------------------------------------------------------------------------

const identity: Identity = {
  verifyFeedToken: () => ({ ok: false, reason: 'invalid' }),
  verifyApiKey: (key) =>
    Promise.resolve(
      key === KEY
        ? { ok: true, grant: { username: 'admin', keyId: 1, lookup: 'bench' } }
        : { ok: false, reason: 'invalid' },
    ),
  isGrantValid: () => Promise.resolve(true),
  brokerOf: () => ({ broker: 'simulator', session: SESSIONLESS }),
  poll: () => false,
  invalidate: () => {},
}

async function startProxy(): Promise<FeedServer> {
  const simulator = createSimulatorStreaming({
    seed: 1,
    alwaysOpen: true,
    ticksPerSecond: TICKS_PER_INSTRUMENT,
    pumpIntervalMs: PUMP_MS,
  })
  const cache = createSymbolCache({ clock })
  cache.loadSync(rows.filter((r) => r.exchange === 'NSE'))
  return startFeedServer({
    host: '127.0.0.1',
    port: 0,
    identity,
    brokers: new Map([[simulator.id, simulator]]),
    symbols: symbolIndexOf(resolverOf(cache)),
    validBrokers: ['simulator'],
    isExchangeOpen: () => true,
    clock,
    timers: createSystemTimers(),
    logger: silentLogger,
  })
}

// ---- the baseline: a raw ws broadcast of frames serialized once per tick and mode --------------

async function startBaseline(
  withTicks: boolean,
): Promise<{ url: string; close: () => Promise<void>; ticks: () => number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
  await new Promise<void>((r) => wss.once('listening', () => r()))
  const byInstrument = new Map<string, [WebSocket[], WebSocket[], WebSocket[], WebSocket[]]>()
  wss.on('connection', (ws) => {
    ws.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString('utf8')) as {
        action: string
        symbols?: { symbol: string }[]
        mode?: StreamMode
      }
      if (m.action === 'authenticate') ws.send('{"type":"auth","status":"success"}')
      if (m.action === 'subscribe') {
        for (const s of m.symbols ?? []) {
          const lists = byInstrument.get(s.symbol) ?? [[], [], [], []]
          lists[m.mode ?? 2].push(ws)
          byInstrument.set(s.symbol, lists)
        }
        ws.send('{"type":"subscribe","status":"success"}')
      }
    })
  })
  let ticks = 0
  let timer: NodeJS.Timeout | undefined
  if (withTicks) {
    const market = createMarket({ seed: 1, alwaysOpen: true })
    const generator = createTickGenerator(market, {
      startMs: clock.now(),
      ticksPerSecond: TICKS_PER_INSTRUMENT,
    })
    const effective = new Map<string, StreamMode>()
    for (const p of plan)
      for (const s of p.symbols)
        effective.set(s.symbol, Math.max(effective.get(s.symbol) ?? 1, p.mode) as StreamMode)
    for (const [symbol, mode] of effective) {
      const r = market.resolve(symbol, 'NSE')
      if (r.ok) generator.set(r.value, mode)
    }
    const brokerJson = JSON.stringify('simulator')
    const pump = (): void => {
      generator.advanceTo(clock.now(), (t) => {
        ticks++
        t.receivedTs = clock.now()
        const lists = byInstrument.get(t.symbol)
        if (lists === undefined) return
        for (let mode = 1; mode <= t.mode; mode++) {
          const list = lists[mode]!
          if (list.length === 0) continue
          const frame = Buffer.from(
            `${marketDataOpen(t as unknown as Tick, mode as StreamMode, brokerJson)}}`,
          )
          // the usual guard of a raw broadcast: skip a socket already holding 4 MiB
          for (const ws of list) if (ws.bufferedAmount < RAW_SKIP_BYTES) ws.send(frame, TEXT)
        }
      })
      timer = setTimeout(pump, PUMP_MS)
    }
    timer = setTimeout(pump, PUMP_MS)
  }
  return {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
    ticks: () => ticks,
    close: async () => {
      if (timer !== undefined) clearTimeout(timer)
      for (const ws of wss.clients) ws.terminate()
      await new Promise<void>((r) => wss.close(() => r()))
    },
  }
}

const memoryNow = (): number => {
  const m = process.memoryUsage()
  return m.heapUsed + m.external
}

// ---- runs ------------------------------------------------------------------------------------

const results: BenchResult[] = []
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits
const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
const fps = (r: { frames: number; windowMs: number }): number => (r.frames * 1000) / r.windowMs

async function proxyRound(): Promise<
  Stopped & { elapsedMs: number; ticksPerSecond: number; conflated: number; dropped: number }
> {
  const proxy = await startProxy()
  proxyPort = proxy.address.port
  const before = { ...proxy.metrics }
  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  const probe = setInterval(() => {
    if (process.env['BENCH_DEBUG'] === undefined) return
    const s = proxy.stats()
    process.stderr.write(
      `    proxy: buffered ${s.bufferedBytes} B (max ${s.maxBufferedBytes}), queued ${s.queuedFrames}, loop delay p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms\n`,
    )
  }, 1_000)
  const run = await measure(`ws://127.0.0.1:${proxy.address.port}`, plan)
  clearInterval(probe)
  loop.disable()
  const after = proxy.metrics
  await proxy.close()
  return {
    ...run,
    // ticks over warmup + run, both on the running clock
    ticksPerSecond: ((after.ticksIn - before.ticksIn) * 1000) / (WARMUP_MS + run.elapsedMs),
    conflated: after.conflated - before.conflated,
    dropped: after.dropped - before.dropped,
  }
}
async function rawRound(): Promise<Stopped & { elapsedMs: number }> {
  const raw = await startBaseline(true)
  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  const probe = setInterval(() => {
    if (process.env['BENCH_DEBUG'] === undefined) return
    process.stderr.write(
      `    raw: loop delay p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms\n`,
    )
  }, 1_000)
  const run = await measure(raw.url, plan)
  clearInterval(probe)
  loop.disable()
  await raw.close()
  return run
}

// 1 + 2. Delivery and latency under load: rounds alternate which side goes first, medians reported
const proxyRuns: Awaited<ReturnType<typeof proxyRound>>[] = []
const rawRuns: Awaited<ReturnType<typeof rawRound>>[] = []
const only = process.env['BENCH_ONLY']
for (let r = 0; r < ROUNDS; r++) {
  if (only === 'proxy') proxyRuns.push(await proxyRound())
  else if (only === 'raw') rawRuns.push(await rawRound())
  else if (r % 2 === 0) {
    proxyRuns.push(await proxyRound())
    rawRuns.push(await rawRound())
  } else {
    rawRuns.push(await rawRound())
    proxyRuns.push(await proxyRound())
  }
}
if (only !== undefined) {
  process.stdout.write(`${JSON.stringify({ proxyRuns, rawRuns })}\n`)
  process.exit(0)
}
const offered = TICKS_PER_INSTRUMENT * INSTRUMENTS * subscribersPerInstrument
const proxyFps = median(proxyRuns.map(fps))
const rawFps = median(rawRuns.map(fps))
const proxyP99 = median(proxyRuns.map((r) => r.p99))
const rawP99 = median(rawRuns.map((r) => r.p99))
const proxyP50 = median(proxyRuns.map((r) => r.p50))
const rawP50 = median(rawRuns.map((r) => r.p50))
process.stdout.write(
  `offered ${offered} frames/s; ws-proxy ticks/s ${proxyRuns.map((r) => Math.round(r.ticksPerSecond)).join(', ')}; ` +
    `conflated ${proxyRuns.map((r) => r.conflated).join(', ')}; dropped ${proxyRuns.map((r) => r.dropped).join(', ')}\n`,
)
const scenario = `${CLIENTS} clients, ${INSTRUMENTS} instruments, ${TICKS_PER_INSTRUMENT * INSTRUMENTS} ticks/s, ${PER_CLIENT} instruments per client, ${offered} frames/s offered; median of ${ROUNDS} interleaved rounds`
results.push({
  name: `fan-out delivery, frames/s received (${scenario}): ws-proxy vs raw ws broadcast of the same frames; ratio = proxy / raw (higher is better)`,
  value: Math.round(proxyFps),
  unit: 'frames/s',
  baseline: Math.round(rawFps),
  ratio: round(proxyFps / rawFps, 3),
})
results.push({
  name: 'tick-to-client latency p99 under that load, ms: ws-proxy vs raw ws broadcast (lower is better)',
  value: round(proxyP99),
  unit: 'ms',
  baseline: round(rawP99),
  ratio: round(proxyP99 / rawP99, 3),
})
results.push({
  name: 'tick-to-client latency p50 under that load, ms: ws-proxy vs raw ws broadcast (lower is better)',
  value: round(proxyP50),
  unit: 'ms',
  baseline: round(rawP50),
  ratio: round(proxyP50 / rawP50, 3),
})

// 3. Memory per idle authenticated client (no subscriptions), proxy vs a raw ws server
async function idleMemory(url: string): Promise<number> {
  gc()
  const m0 = memoryNow()
  const { child, ask } = swarm()
  await ask({
    cmd: 'connect',
    url,
    clients: CLIENTS,
    key: KEY,
    subscriptions: [],
    hrBase: String(origin),
    epochBase,
  })
  await sleep(1_000)
  gc()
  const perClient = (memoryNow() - m0) / CLIENTS
  await ask({ cmd: 'close' })
  child.kill()
  await sleep(200)
  return perClient
}
{
  const proxy = await startProxy()
  await sleep(500)
  const proxyBytes = await idleMemory(`ws://127.0.0.1:${proxy.address.port}`)
  await proxy.close()
  const raw = await startBaseline(false)
  const rawBytes = await idleMemory(raw.url)
  await raw.close()
  results.push({
    name: 'memory per idle authenticated client (heap + external after GC, server process), bytes: ws-proxy vs raw ws server (lower is better)',
    value: Math.round(proxyBytes),
    unit: 'B',
    baseline: Math.round(rawBytes),
    ratio: round(proxyBytes / rawBytes, 3),
  })
}

await report('ws-proxy', results)
process.exit(0)
