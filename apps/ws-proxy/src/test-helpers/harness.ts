/**
 * Test kit of the ws-proxy: a proxy on 127.0.0.1 port 0 over the simulator (or a scripted
 * broker), an in-memory identity with the same interface as the real one, and a `ws` client that
 * collects frames. Real sockets throughout; no mocks of our own code.
 */
import {
  BrokerError,
  err,
  ok,
  silentLogger,
  type AdapterEvent,
  type AdapterStatus,
  type BrokerSession,
  type Clock,
  type InstrumentRef,
  type MarketDataAdapter,
  type StreamMode,
  type SubscriptionAck,
  type SymbolRow,
  type Tick,
  type Timers,
} from '@oa/broker-sdk'
import { createMemorySymbols } from '@oa/broker-sdk/testing'
import { generateContract } from '@oa/broker-simulator'
import { onTestFinished } from 'vitest'
import { WebSocket } from 'ws'
import { createSimulatorStreaming, type SimulatorStreamingOptions } from '../brokers.js'
import type { StreamingBroker } from '../feed-manager.js'
import type { Identity, KeyGrant, UserBroker, VerifyResult } from '../identity.js'
import { SESSIONLESS } from '../identity.js'
import type { OrderEventStore } from '../order-events.js'
import { startFeedServer, type FeedServer, type ProxyLimits } from '../server.js'
import { symbolIndexOf, type SymbolIndex } from '../symbols.js'

/** An in-memory {@link Identity}: keys → users, users → broker sessions, changes on demand. */
export interface StaticIdentity extends Identity {
  /** the key of a user (adds the user when new) */
  issue(username: string, key: string, login?: UserBroker | null): void
  /** deletes a key: sockets authenticated with it must go */
  revoke(key: string): void
  setBroker(username: string, login: UserBroker | null): void
  /** verifications performed, in order (keys are not kept) */
  readonly verified: string[]
}

let keyIds = 1

/** Creates a {@link StaticIdentity}; users default to the simulator without a session. */
export function createStaticIdentity(): StaticIdentity {
  const keys = new Map<string, KeyGrant>()
  const brokers = new Map<string, UserBroker | null>()
  const verified: string[] = []
  let changed = false
  return {
    verified,
    issue(username, key, login) {
      keys.set(key, { username, keyId: keyIds++, lookup: `lookup-${key.slice(0, 6)}-${keyIds}` })
      if (login !== undefined) brokers.set(username, login)
      changed = true
    },
    revoke(key) {
      keys.delete(key)
      changed = true
    },
    setBroker(username, login) {
      brokers.set(username, login)
      changed = true
    },
    verifyApiKey(apiKey): Promise<VerifyResult> {
      const grant = keys.get(apiKey)
      verified.push(grant?.username ?? '(invalid)')
      return Promise.resolve(
        grant === undefined ? { ok: false, reason: 'invalid' } : { ok: true, grant },
      )
    },
    verifyFeedToken: () => ({ ok: false, reason: 'invalid' }),
    isGrantValid(grant) {
      return Promise.resolve([...keys.values()].some((g) => g.lookup === grant.lookup))
    },
    brokerOf(username) {
      const login = brokers.get(username)
      if (login === undefined) return { broker: 'simulator', session: SESSIONLESS }
      return login
    },
    poll() {
      const was = changed
      changed = false
      return was
    },
    invalidate() {},
  }
}

let contractRows: SymbolRow[] | undefined
/** The simulator's NSE, NSE_INDEX and BSE rows for 17 Apr 2025 (generated once per test file). */
export function simulatorRows(): SymbolRow[] {
  contractRows ??= generateContract(1, '2025-04-17').filter((r) =>
    ['NSE', 'NSE_INDEX', 'BSE'].includes(r.exchange),
  )
  return contractRows
}

/** A symbol index over `rows`. */
export function memorySymbols(rows: SymbolRow[]): SymbolIndex {
  return symbolIndexOf(createMemorySymbols(rows))
}

/** Options of {@link startTestProxy}. */
export interface TestProxyOptions {
  readonly identity?: StaticIdentity
  readonly brokers?: StreamingBroker[]
  readonly simulator?: Partial<SimulatorStreamingOptions>
  readonly limits?: Partial<ProxyLimits>
  readonly rows?: SymbolRow[]
  readonly clock?: Clock & Timers
  readonly orderEvents?: OrderEventStore
  readonly isExchangeOpen?: (exchange: string, atMs: number) => boolean
}

/** A running test proxy. */
export interface TestProxy {
  readonly server: FeedServer
  readonly identity: StaticIdentity
  readonly url: string
  readonly simulator: ReturnType<typeof createSimulatorStreaming>
}

/** Starts a proxy on 127.0.0.1 port 0; it is closed when the test finishes. */
export async function startTestProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const identity = options.identity ?? createStaticIdentity()
  const simulator = createSimulatorStreaming({
    seed: 1,
    alwaysOpen: true,
    ticksPerSecond: 4,
    pumpIntervalMs: 20,
    ...options.simulator,
  })
  const brokers = new Map<string, StreamingBroker>([[simulator.id, simulator]])
  for (const b of options.brokers ?? []) brokers.set(b.id, b)
  const server = await startFeedServer({
    host: '127.0.0.1',
    port: 0,
    identity,
    brokers,
    symbols: memorySymbols(options.rows ?? simulatorRows()),
    validBrokers: ['angel', 'dhan', 'simulator', 'zerodha'],
    isExchangeOpen: options.isExchangeOpen ?? (() => true),
    limits: { identityPollMs: 20, lingerMs: 0, ...options.limits },
    ...(options.clock === undefined ? {} : { clock: options.clock, timers: options.clock }),
    ...(options.orderEvents === undefined ? {} : { orderEvents: options.orderEvents }),
    logger: silentLogger,
  })
  onTestFinished(() => server.close())
  return {
    server,
    identity,
    url: `ws://127.0.0.1:${server.address.port}`,
    simulator,
  }
}

/** A frame as received, parsed. */
export type Frame = Record<string, unknown>

/** A `ws` client that keeps every frame. */
export interface TestClient {
  readonly ws: WebSocket
  readonly frames: Frame[]
  send(message: unknown): void
  sendRaw(data: string | Buffer, binary?: boolean): void
  /** The next unread frame matching `match` (waits up to `timeoutMs`). */
  next(match?: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>
  close(): void
}

/** Connects a client; it is terminated when the test finishes. */
export async function connect(url: string): Promise<TestClient> {
  const ws = new WebSocket(url)
  const frames: Frame[] = []
  let read = 0
  const waiters = new Set<() => void>()
  ws.on('message', (data: Buffer) => {
    frames.push(JSON.parse(data.toString('utf8')) as Frame)
    for (const w of waiters) w()
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() })
      for (const w of waiters) w()
    }),
  )
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  onTestFinished(() => ws.terminate())
  const client: TestClient = {
    ws,
    frames,
    send: (message) => ws.send(JSON.stringify(message)),
    sendRaw: (data, binary = false) => ws.send(data, { binary }),
    next(match = () => true, timeoutMs = 3_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          while (read < frames.length) {
            const f = frames[read++] as Frame
            if (match(f)) {
              resolve(f)
              return true
            }
          }
          return false
        }
        if (check()) return
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(
            new Error(
              `no matching frame within ${timeoutMs} ms; last: ${JSON.stringify(frames.slice(-3))}`,
            ),
          )
        }, timeoutMs)
        const waiter = (): void => {
          if (check()) {
            clearTimeout(timer)
            waiters.delete(waiter)
          } else if (ws.readyState === WebSocket.CLOSED) {
            clearTimeout(timer)
            waiters.delete(waiter)
            reject(new Error(`socket closed; frames: ${JSON.stringify(frames.slice(-3))}`))
          }
        }
        waiters.add(waiter)
      })
    },
    closed,
    close: () => ws.close(),
  }
  return client
}

/** Connects and authenticates (waits for the auth answer). */
export async function connectAs(url: string, key: string): Promise<TestClient> {
  const client = await connect(url)
  client.send({ action: 'authenticate', api_key: key })
  const answer = await client.next((f) => f['type'] === 'auth' || f['status'] === 'error')
  if (answer['type'] !== 'auth') throw new Error(`authentication failed: ${JSON.stringify(answer)}`)
  return client
}

/** Polls `probe` every 5 ms until true (or throws after `timeoutMs`). */
export async function waitUntil(
  probe: () => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** A scripted in-process broker: ticks only when the test pushes them. */
export interface ScriptedBroker extends StreamingBroker {
  /** adapters created so far (one per connection or rebuild) */
  readonly adapters: ScriptedAdapter[]
}

/** The adapter of a {@link ScriptedBroker}. */
export interface ScriptedAdapter extends MarketDataAdapter {
  readonly session: BrokerSession
  emit(tick: Tick): void
  emitEvent(event: AdapterEvent): void
  /** every broker call, in order */
  readonly calls: {
    op: 'subscribe' | 'unsubscribe'
    refs: string[]
    mode?: StreamMode
    depth?: number
  }[]
}

/** Creates a {@link ScriptedBroker} named `id` (default limits: 1000 × 3, batches of 100). */
export function createScriptedBroker(
  id: string,
  options: {
    connectResult?: 'ok' | 'auth_expired'
    maxSymbolsPerConnection?: number
    maxConnections?: number
  } = {},
): ScriptedBroker {
  const adapters: ScriptedAdapter[] = []
  return {
    id,
    adapters,
    limits: {
      maxSymbolsPerConnection: options.maxSymbolsPerConnection ?? 1000,
      maxConnections: options.maxConnections ?? 3,
      subscribeBatchSize: 100,
      depthLevels: {},
      reconnect: { baseMs: 100, capMs: 1_000, maxAttempts: 5, healthyResetMs: 60_000 },
      stallTimeoutMs: 90_000,
    },
    createAdapter(session, deps) {
      let status: AdapterStatus = 'idle'
      const ticks = new Set<(t: Tick) => void>()
      const events = new Set<(e: AdapterEvent) => void>()
      const subs = new Map<string, { ref: InstrumentRef; mode: StreamMode; depth: number }>()
      const calls: ScriptedAdapter['calls'] = []
      const key = (r: InstrumentRef): string => `${r.exchange}:${r.symbol}`
      const emitEvent = (e: AdapterEvent): void => {
        for (const l of events) l(e)
      }
      const adapter: ScriptedAdapter = {
        session,
        calls,
        get status() {
          return status
        },
        connect() {
          if (options.connectResult === 'auth_expired') {
            status = 'auth_failed'
            return Promise.resolve(err(new BrokerError('auth_expired', 'token expired')))
          }
          status = 'open'
          emitEvent({ type: 'connected', atMs: deps.clock.now() })
          return Promise.resolve(ok(undefined))
        },
        subscribe(refs, mode, depth = 5) {
          calls.push({ op: 'subscribe', refs: refs.map(key), mode, depth })
          const acks: SubscriptionAck[] = refs.map((ref) => {
            subs.set(key(ref), { ref, mode, depth })
            return { ref, ok: true, mode }
          })
          return Promise.resolve(acks)
        },
        unsubscribe(refs) {
          calls.push({ op: 'unsubscribe', refs: refs.map(key) })
          return Promise.resolve(
            refs.map((ref): SubscriptionAck => {
              subs.delete(key(ref))
              return { ref, ok: true, mode: 1 }
            }),
          )
        },
        unsubscribeAll() {
          subs.clear()
          return Promise.resolve()
        },
        close() {
          status = 'closed'
          return Promise.resolve()
        },
        onTick(l) {
          ticks.add(l)
          return () => ticks.delete(l)
        },
        onEvent(l) {
          events.add(l)
          return () => events.delete(l)
        },
        subscriptions: () => new Map(subs),
        emit(tick) {
          for (const l of ticks) l(tick)
        },
        emitEvent,
      }
      adapters.push(adapter)
      return adapter
    },
  }
}
