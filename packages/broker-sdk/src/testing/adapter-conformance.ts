import { isDeepStrictEqual } from 'node:util'
import type { BrokerSession } from '../contract.js'
import type { StreamMode } from '../enums.js'
import type { StreamingLimits } from '../manifest.js'
import type { InstrumentRef } from '../models.js'
import type { AdapterEvent, MarketDataAdapter, Tick } from '../streaming-types.js'
import { createSubscriptionBook } from '../subscription-book.js'
import type { SymbolResolver, SymbolRow } from '../symbols.js'
import { assert, assertEqual, fail, registerChecks, runChecks, skip } from './checks.js'
import type { CheckResult, ConformanceCheck, TestRegistrar } from './checks.js'
import { createManualClock, flushAsync } from './manual-clock.js'
import type { ManualClock } from './manual-clock.js'
import { createMemorySymbols, symbolRow } from './memory-symbols.js'
import { createMockBrokerServer } from './mock-server.js'
import type { MockBrokerServer, MockWsConnection } from './mock-server.js'
import { createRecordingLogger } from './recording-logger.js'
import type { RecordingLogger } from './recording-logger.js'

/** A frame as fixtures write it: text, bytes, or an object meaning its JSON text. */
export type FixtureFrame = string | Uint8Array | object

/** What a fixture's `createAdapter` receives. */
export interface AdapterEnv {
  /** the mock broker; point the adapter's WebSocket endpoint at `server.wsUrl` */
  server: MockBrokerServer
  /** virtual clock: pass it as both clock and timers */
  clock: ManualClock
  logger: RecordingLogger
  /** the fixture's symbols plus synthetic rows the suite adds for batching and capacity */
  symbols: SymbolResolver
  session: BrokerSession
  /** hand this to the adapter as its session refresher; answers the fixture's `refreshedSession` */
  refreshSession: () => Promise<BrokerSession>
}

/** What a broker package provides for {@link runAdapterConformance} (streaming.md §2.8). */
export interface AdapterFixture {
  createAdapter(env: AdapterEnv): MarketDataAdapter
  /** the manifest's streaming limits */
  limits: StreamingLimits
  symbols: SymbolRow[]
  /** at least two resolvable instruments; synthetic rows copy the first one's exchange */
  instruments: readonly [InstrumentRef, InstrumentRef, ...InstrumentRef[]]
  session: BrokerSession
  /** the session the refresher hands out on reconnect (token rolled over) */
  refreshedSession?: BrokerSession
  /** socket adapters: server-side script for every new connection (auth acks…) */
  onConnection?(conn: MockWsConnection): void
  /** socket adapters: the auth token a connection presented (query, header or login frame) */
  tokenOf?(conn: MockWsConnection): string | undefined
  /** socket adapters: the exact frames a fresh subscribe of `refs` at `mode` sends (one batch) */
  subscribeFrames?(
    refs: readonly InstrumentRef[],
    mode: StreamMode,
    depth: number,
    symbols: SymbolResolver,
  ): FixtureFrame[]
  /** socket adapters: the exact frames an unsubscribe of `refs` (currently at `mode`) sends */
  unsubscribeFrames?(
    refs: readonly InstrumentRef[],
    mode: StreamMode,
    symbols: SymbolResolver,
  ): FixtureFrame[]
  /**
   * Decode vectors: frames the broker sends once `instruments[0]` is subscribed at Depth, and the
   * ticks they must produce (each listed field must match; others are free).
   */
  decodeVectors?: { name: string; frame: FixtureFrame; ticks: Partial<Tick>[] }[]
  /** how the broker refuses a session: a handshake HTTP status, or a frame after connecting */
  authRejection?: { httpStatus: number } | { frame: FixtureFrame }
  /** in-process adapters (no socket): make one round of ticks flow for what is subscribed */
  pump?(env: AdapterEnv): void | Promise<void>
}

/** Options of {@link runAdapterConformance}. */
export interface AdapterConformanceOptions {
  /** suite name, usually the broker id */
  name: string
  setup(kit: { server: MockBrokerServer }): AdapterFixture | Promise<AdapterFixture>
  /** start of the virtual clock; default a weekday during NSE hours */
  now?: string
}

interface Harness {
  env: AdapterEnv
  fixture: AdapterFixture
  adapter: MarketDataAdapter
  ticks: Tick[]
  events: AdapterEvent[]
  synthetic: InstrumentRef[]
}

const toText = (frame: FixtureFrame | Buffer): unknown => {
  if (typeof frame === 'string') {
    try {
      return JSON.parse(frame) as unknown
    } catch {
      return frame
    }
  }
  if (frame instanceof Uint8Array) return `hex:${Buffer.from(frame).toString('hex')}`
  return frame
}

async function waitUntil(probe: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!probe()) {
    if (Date.now() > deadline) fail(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Frames received on `conn` from index `from`, once `count` have arrived and nothing more follows. */
async function framesAfter(
  conn: MockWsConnection,
  from: number,
  count: number,
  what: string,
): Promise<unknown[]> {
  await waitUntil(() => conn.received.length >= from + count, `${count} frame(s) for ${what}`)
  await new Promise((resolve) => setTimeout(resolve, 30))
  return conn.received.slice(from).map(toText)
}

function matchTick(actual: Tick | undefined, expected: Partial<Tick>, what: string): void {
  if (actual === undefined) fail(`${what}: no tick`)
  for (const [key, value] of Object.entries(expected)) {
    const got = (actual as unknown as Record<string, unknown>)[key]
    if (!isDeepStrictEqual(got, value))
      fail(`${what}: ${key} expected ${JSON.stringify(value)}, got ${JSON.stringify(got)}`)
  }
}

async function harness(
  options: AdapterConformanceOptions,
  use: (h: Harness) => Promise<void>,
): Promise<void> {
  const server = await createMockBrokerServer()
  let adapter: MarketDataAdapter | undefined
  try {
    const fixture = await options.setup({ server })
    const first = fixture.instruments[0]
    const rows = [...fixture.symbols]
    const synthetic: InstrumentRef[] = []
    const count =
      Math.max(fixture.limits.maxSymbolsPerConnection, fixture.limits.subscribeBatchSize) + 1
    for (let i = 0; i < count; i += 1) {
      const ref = { symbol: `ZZSYNTH${i}`, exchange: first.exchange }
      synthetic.push(ref)
      rows.push(symbolRow({ ...ref, token: String(7_000_000 + i) }))
    }
    const clock = createManualClock(options.now ?? '2025-04-17T10:00:00+05:30')
    if (fixture.onConnection !== undefined) server.ws.onConnection(fixture.onConnection)
    const env: AdapterEnv = {
      server,
      clock,
      logger: createRecordingLogger(),
      symbols: createMemorySymbols(rows),
      session: fixture.session,
      refreshSession: async () => fixture.refreshedSession ?? fixture.session,
    }
    adapter = fixture.createAdapter(env)
    const ticks: Tick[] = []
    const events: AdapterEvent[] = []
    adapter.onTick((t) => ticks.push(t))
    adapter.onEvent((e) => events.push(e))
    await use({ env, fixture, adapter, ticks, events, synthetic })
  } finally {
    await adapter?.close()
    await server.close()
  }
}

async function connected(h: Harness): Promise<MockWsConnection | undefined> {
  const result = await h.adapter.connect()
  assert(result.ok, `connect failed: ${result.ok ? '' : result.error.message}`)
  assertEqual(h.adapter.status, 'open', 'status after connect')
  return h.env.server.ws.connections[0]
}

function socketOnly(fixture: AdapterFixture): void {
  if (fixture.subscribeFrames === undefined)
    skip('not a socket adapter (fixture has no subscribeFrames)')
}

/**
 * The adapter conformance checks of streaming.md §2.8: decode vectors, subscribe framing and
 * batching, mode transitions and multi-client delivery through the subscription book, reconnect
 * with backoff + refreshed token + one resubscription, auth rejection, stall watchdog, capacity,
 * and a clean shutdown (no timers, no open socket).
 */
export function adapterConformanceChecks(options: AdapterConformanceOptions): ConformanceCheck[] {
  const run = (fn: (h: Harness) => Promise<void>) => () => harness(options, fn)
  return [
    {
      id: 'streaming.md §2.8 decode',
      title: 'decode vectors produce the expected canonical ticks',
      run: run(async (h) => {
        const vectors = h.fixture.decodeVectors
        if (vectors === undefined || vectors.length === 0) skip('fixture has no decode vectors')
        const conn = await connected(h)
        if (conn === undefined) fail('no socket connection reached the mock server')
        const ref = h.fixture.instruments[0]
        const before = conn.received.length
        await h.adapter.subscribe([ref], 3, 5)
        await waitUntil(() => conn.received.length > before, 'the subscribe frames')
        for (const vector of vectors) {
          const start = h.ticks.length
          conn.send(
            typeof vector.frame === 'string' || vector.frame instanceof Uint8Array
              ? vector.frame
              : JSON.stringify(vector.frame),
          )
          await waitUntil(
            () => h.ticks.length >= start + vector.ticks.length,
            `ticks of vector "${vector.name}"`,
          )
          vector.ticks.forEach((expected, i) =>
            matchTick(h.ticks[start + i], expected, `vector "${vector.name}" tick ${i}`),
          )
          const tick = h.ticks[start]
          if (tick !== undefined) {
            assertEqual(tick.receivedTs, h.env.clock.now(), 'receivedTs (from the injected clock)')
            assert(Number.isSafeInteger(tick.ltp), 'ltp is not an integer Inr4')
          }
        }
      }),
    },
    {
      id: 'streaming.md §2.8 framing',
      title: 'subscribe and unsubscribe send the exact frames, batched to subscribeBatchSize',
      run: run(async (h) => {
        socketOnly(h.fixture)
        const golden = h.fixture.subscribeFrames!
        const conn = await connected(h)
        if (conn === undefined) fail('no socket connection reached the mock server')
        const [a, b] = h.fixture.instruments
        for (const [ref, mode] of [
          [a, 1],
          [b, 2],
        ] as const) {
          const from = conn.received.length
          await h.adapter.subscribe([ref], mode)
          const expected = golden([ref], mode, 5, h.env.symbols).map(toText)
          assertEqual(
            await framesAfter(conn, from, expected.length, `subscribe at mode ${mode}`),
            expected,
            `subscribe frames at mode ${mode}`,
          )
        }
        if (h.fixture.unsubscribeFrames !== undefined) {
          const from = conn.received.length
          await h.adapter.unsubscribe([a])
          const expected = h.fixture.unsubscribeFrames([a], 1, h.env.symbols).map(toText)
          assertEqual(
            await framesAfter(conn, from, expected.length, 'unsubscribe'),
            expected,
            'unsubscribe frames',
          )
        }
        const size = h.fixture.limits.subscribeBatchSize
        const many = h.synthetic.slice(0, size + 1)
        const from = conn.received.length
        await h.adapter.subscribe(many, 2)
        const expected = [
          ...golden(many.slice(0, size), 2, 5, h.env.symbols),
          ...golden(many.slice(size), 2, 5, h.env.symbols),
        ].map(toText)
        assertEqual(
          await framesAfter(conn, from, expected.length, 'a batched subscribe'),
          expected,
          `frames for ${size + 1} instruments (two batches)`,
        )
      }),
    },
    {
      id: 'streaming.md §2.8 modes',
      title: 'LTP → Quote → Depth → Quote → none ends unsubscribed with one broker call per change',
      run: run(async (h) => {
        const conn = h.fixture.subscribeFrames === undefined ? undefined : await connected(h)
        if (conn === undefined) await h.adapter.connect()
        const book = createSubscriptionBook<string>()
        const ref = h.fixture.instruments[0]
        const steps: [string, () => ReturnType<typeof book.add>][] = [
          ['LTP', () => book.add('c1', ref, 1)],
          ['Quote', () => book.add('c1', ref, 2)],
          ['second client at LTP (no call)', () => book.add('c2', ref, 1)],
          ['Depth', () => book.add('c1', ref, 3)],
          ['Depth removed', () => book.remove('c1', ref, 3)],
          ['all removed', () => (book.removeClient('c2'), book.remove('c1', ref))],
        ]
        for (const [label, step] of steps) {
          const from = conn?.received.length ?? 0
          const change = step()
          if (change !== undefined) {
            const acks =
              change.to === 0
                ? await h.adapter.unsubscribe([ref])
                : await h.adapter.subscribe([ref], change.to, change.depth)
            assert(
              acks.every((a) => a.ok),
              `${label}: the adapter refused: ${JSON.stringify(acks)}`,
            )
          }
          const mode = h.adapter.subscriptions().get(`${ref.exchange}:${ref.symbol}`)?.mode ?? 0
          assertEqual(mode, book.modeOf(ref), `adapter mode after "${label}"`)
          if (conn !== undefined) {
            await new Promise((resolve) => setTimeout(resolve, 20))
            const sent = conn.received.length - from
            if (change === undefined) assertEqual(sent, 0, `frames sent for "${label}"`)
            else assert(sent > 0, `no frame sent for "${label}"`)
          }
        }
        assertEqual(h.adapter.subscriptions().size, 0, 'subscriptions left')
      }),
    },
    {
      id: 'streaming.md §2.8 multi-client',
      title: 'two clients at different modes: one leaves, the other keeps receiving, once per tick',
      run: run(async (h) => {
        const vector = h.fixture.decodeVectors?.[0]
        if (vector === undefined && h.fixture.pump === undefined)
          skip('fixture has neither decode vectors nor pump')
        const conn = await connected(h)
        const book = createSubscriptionBook<string>()
        const ref = h.fixture.instruments[0]
        const apply = async (change: ReturnType<typeof book.add>): Promise<void> => {
          if (change === undefined) return
          if (change.to === 0) await h.adapter.unsubscribe([ref])
          else await h.adapter.subscribe([ref], change.to, change.depth)
        }
        await apply(book.add('ltp-client', ref, 1))
        await apply(book.add('depth-client', ref, 3))
        for (const change of book.removeClient('depth-client')) await apply(change)
        assertEqual(
          h.adapter.subscriptions().get(`${ref.exchange}:${ref.symbol}`)?.mode,
          1,
          'adapter mode after the Depth client left',
        )
        const start = h.ticks.length
        if (vector !== undefined && conn !== undefined) {
          conn.send(
            typeof vector.frame === 'string' || vector.frame instanceof Uint8Array
              ? vector.frame
              : JSON.stringify(vector.frame),
          )
        } else {
          await h.fixture.pump?.(h.env)
        }
        await waitUntil(() => h.ticks.length > start, 'a tick after the Depth client left')
        await new Promise((resolve) => setTimeout(resolve, 20))
        const mine = h.ticks
          .slice(start)
          .filter((t) => t.symbol === ref.symbol && t.exchange === ref.exchange)
        const deliveries = mine.flatMap((t) => book.recipients(ref, t.mode))
        assertEqual(
          deliveries.map((d) => d.client),
          mine.map(() => 'ltp-client'),
          'deliveries (one per tick, to the remaining client)',
        )
      }),
    },
    {
      id: 'streaming.md §2.8 reconnect',
      title:
        'a dropped socket reconnects with backoff and a refreshed token, resubscribing everything once',
      run: run(async (h) => {
        socketOnly(h.fixture)
        const first = await connected(h)
        if (first === undefined) fail('no socket connection reached the mock server')
        await new Promise((resolve) => setTimeout(resolve, 20))
        // frames a fresh connection sends before any subscription (login), counted on the first one
        const handshake = first.received.length
        const [a, b] = h.fixture.instruments
        await h.adapter.subscribe([a], 1)
        await h.adapter.subscribe([b], 2)
        h.env.server.ws.dropAll()
        await waitUntil(
          () => h.events.some((e) => e.type === 'reconnecting'),
          'a reconnecting event',
        )
        const plan = h.events.find((e) => e.type === 'reconnecting')
        assert(
          plan !== undefined && plan.type === 'reconnecting' && plan.delayMs > 0,
          'reconnect had no backoff delay',
        )
        await new Promise((resolve) => setTimeout(resolve, 20))
        assertEqual(h.env.server.ws.connections.length, 1, 'connections before the backoff elapsed')
        await h.env.clock.advanceAsync(plan.delayMs)
        const second = await h.env.server.ws
          .waitForConnection(1)
          .catch(() => fail('no reconnection after the backoff'))
        await waitUntil(() => h.adapter.status === 'open', 'the adapter to reopen')
        const refreshed = h.fixture.refreshedSession
        if (h.fixture.tokenOf !== undefined && refreshed !== undefined) {
          const used = h.fixture.tokenOf(second)
          assert(
            used !== undefined &&
              used !== h.fixture.tokenOf(first) &&
              refreshed.authToken.includes(used),
            `the reconnect presented ${JSON.stringify(used)}, not the refreshed session's token`,
          )
        }
        const golden = h.fixture.subscribeFrames!
        const expected = [
          ...golden([a], 1, 5, h.env.symbols),
          ...golden([b], 2, 5, h.env.symbols),
        ].map(toText)
        const frames = await framesAfter(second, handshake, expected.length, 'resubscription')
        assertEqual(
          sortFrames(frames),
          sortFrames(expected),
          'frames resubscribing after the reconnect (each once)',
        )
        assert(
          h.events.some((e) => e.type === 'resubscribed'),
          'no resubscribed event',
        )
      }),
    },
    {
      id: 'streaming.md §2.8 auth',
      title: 'an auth rejection stops the adapter with auth_failed and no further attempts',
      run: run(async (h) => {
        const rejection = h.fixture.authRejection
        if (rejection === undefined) skip('fixture has no authRejection')
        if ('httpStatus' in rejection) h.env.server.ws.rejectNext(rejection.httpStatus, 100)
        else
          h.env.server.ws.onConnection((conn) =>
            conn.send(
              typeof rejection.frame === 'string' || rejection.frame instanceof Uint8Array
                ? rejection.frame
                : JSON.stringify(rejection.frame),
            ),
          )
        const result = await h.adapter.connect()
        assert(!result.ok, 'connect succeeded against a refused session')
        assert(
          result.error.code === 'auth_expired' || result.error.code === 'auth_required',
          `refusal classified as ${result.error.code}`,
        )
        assertEqual(h.adapter.status, 'auth_failed', 'status after refusal')
        assert(
          h.events.some((e) => e.type === 'auth_failed'),
          'no auth_failed event',
        )
        const attempts = h.env.server.ws.connections.length
        await h.env.clock.advanceAsync(10 * 60_000)
        await new Promise((resolve) => setTimeout(resolve, 30))
        assertEqual(
          h.env.server.ws.connections.length,
          attempts,
          'connection attempts after an auth refusal',
        )
      }),
    },
    {
      id: 'streaming.md §2.8 stall',
      title: 'a silent socket is replaced within the stall window',
      run: run(async (h) => {
        socketOnly(h.fixture)
        await connected(h)
        await h.adapter.subscribe([h.fixture.instruments[0]], 2)
        const window =
          h.fixture.limits.stallTimeoutMs +
          Math.max(1_000, Math.floor(h.fixture.limits.stallTimeoutMs / 3))
        await h.env.clock.advanceAsync(window)
        await waitUntil(() => h.events.some((e) => e.type === 'stale'), 'a stale event')
        await waitUntil(
          () => h.events.some((e) => e.type === 'reconnecting'),
          'a reconnect after the stall',
        )
        const plan = h.events.find((e) => e.type === 'reconnecting')
        await h.env.clock.advanceAsync(plan?.type === 'reconnecting' ? plan.delayMs : 0)
        await h.env.server.ws
          .waitForConnection(1)
          .catch(() => fail('the stalled socket was not replaced'))
      }),
    },
    {
      id: 'streaming.md §2.8 capacity',
      title:
        'beyond maxSymbolsPerConnection each extra instrument is refused, none dropped silently',
      run: run(async (h) => {
        await h.adapter.connect()
        const max = h.fixture.limits.maxSymbolsPerConnection
        const refs = [
          ...h.synthetic.slice(0, max + 1),
          { symbol: 'NOSUCHSYMBOL', exchange: h.fixture.instruments[0].exchange },
        ]
        const acks = await h.adapter.subscribe(refs, 1)
        assertEqual(acks.length, refs.length, 'acks (one per instrument)')
        const codes = acks.slice(max).map((a) => (a.ok ? 'ok' : a.code))
        assertEqual(
          codes,
          ['max_capacity_reached', 'symbol_not_found'],
          'answers for the extra and the unknown instrument',
        )
        assert(
          acks.slice(0, max).every((a) => a.ok),
          'an instrument within capacity was refused',
        )
        assertEqual(h.adapter.subscriptions().size, max, 'subscriptions held')
      }),
    },
    {
      id: 'streaming.md §2.8 shutdown',
      title: 'close() leaves no timers, no open socket and no later events',
      run: run(async (h) => {
        const conn = await connected(h)
        await h.adapter.subscribe([h.fixture.instruments[0]], 2)
        await h.adapter.close()
        assertEqual(h.adapter.status, 'closed', 'status after close')
        await flushAsync()
        assertEqual(h.env.clock.pending, 0, 'timers pending after close')
        if (conn !== undefined)
          await conn
            .waitForClose()
            .catch(() => fail('the broker socket is still open after close()'))
        const events = h.events.length
        await h.env.clock.advanceAsync(10 * 60_000)
        assertEqual(h.events.length, events, 'events after close')
        await h.adapter.close()
      }),
    },
  ]
}

function sortFrames(frames: readonly unknown[]): string[] {
  return frames.map((f) => JSON.stringify(f)).sort()
}

/** Runs the adapter checks and returns one result per check. */
export function checkAdapter(options: AdapterConformanceOptions): Promise<CheckResult[]> {
  return runChecks(adapterConformanceChecks(options))
}

/**
 * Registers the adapter conformance suite (streaming.md §2.8) as tests.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest'
 * import { runAdapterConformance } from '@oa/broker-sdk/testing'
 * runAdapterConformance({ name: 'acme', setup: ({ server }) => acmeAdapterFixture(server), describe, it })
 * ```
 */
export function runAdapterConformance(options: AdapterConformanceOptions & TestRegistrar): void {
  registerChecks(
    `${options.name} market-data adapter conformance`,
    adapterConformanceChecks(options),
    options,
  )
}
