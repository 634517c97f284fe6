/**
 * The subscription manager of one (broker, user) (streaming.md §2.3, §2.4, §4.2): reference counts
 * per instrument and mode in a `SubscriptionBook`, the broker subscribed at the highest mode any
 * client holds, a linger before a broker unsubscribe, calls batched to the manifest's size and
 * serialized per broker connection, a pool of up to `maxConnections` connections with
 * least-loaded placement, fan-out that serializes each payload once per mode, reconnects with the
 * SDK's full-jitter policy and a full resubscription, token changes handled in place, and a stall
 * watchdog that restarts a connected-but-mute feed while its exchanges are open.
 */
import {
  createReconnectPolicy,
  createSubscriptionBook,
  instrumentKey,
  type AdapterEvent,
  type BrokerSession,
  type Clock,
  type InstrumentRef,
  type Logger,
  type MarketDataAdapter,
  type Random,
  type ReconnectPolicy,
  type StreamMode,
  type StreamingLimits,
  type SubscriptionAck,
  type SubscriptionChange,
  type SymbolResolver,
  type Tick,
  type TimerHandle,
  type Timers,
} from '@oa/broker-sdk'
import type { ProxyMetrics } from './metrics.js'
import { feedStatusFrame, marketDataOpen, type FeedState } from './protocol/outbound.js'

/** What the manager needs from a client connection. */
export interface FeedClient {
  /** Queues a market frame (conflated by `key`); `open` is shared by every client of its mode. */
  pushMarket(key: string, open: Buffer): void
  /** Queues a control frame. */
  pushControl(frame: Record<string, unknown>): void
}

/** What the adapter factory of a broker receives. */
export interface AdapterDeps {
  readonly clock: Clock
  readonly timers: Timers
  readonly logger: Logger
  readonly symbols: SymbolResolver
}

/** A broker the proxy can stream from: its manifest limits and an adapter per connection. */
export interface StreamingBroker {
  readonly id: string
  readonly limits: StreamingLimits
  createAdapter(session: BrokerSession, deps: AdapterDeps): MarketDataAdapter
}

/** One instrument a client asks for. */
export interface SubscribeItem {
  readonly ref: InstrumentRef
  readonly mode: StreamMode
  readonly depth: number
}

/** The answer for one instrument of a subscribe call. */
export type SubscribeOutcome =
  | {
      readonly ref: InstrumentRef
      readonly ok: true
      readonly mode: StreamMode
      readonly depth: number
    }
  | {
      readonly ref: InstrumentRef
      readonly ok: false
      /** upper snake case, as the wire carries it */
      readonly code: string
      readonly message: string
    }

/** Options of {@link createFeedManager}. */
export interface FeedManagerOptions {
  readonly broker: StreamingBroker
  readonly username: string
  readonly session: BrokerSession
  readonly symbols: SymbolResolver
  readonly clock: Clock
  readonly timers: Timers
  readonly logger: Logger
  readonly metrics: ProxyMetrics
  readonly random?: Random
  /** MAX_SYMBOLS_PER_WEBSOCKET; the manifest's cap applies when lower */
  readonly maxSymbolsPerConnection: number
  /** MAX_WEBSOCKET_CONNECTIONS; the manifest's cap applies when lower */
  readonly maxConnections: number
  /** subscriptions a single client may hold (instrument × mode) */
  readonly maxSubscriptionsPerClient: number
  /** how long an instrument nobody watches stays subscribed at the broker, ms */
  readonly lingerMs: number
  /** tick silence while subscribed and the exchange is open that counts as a stalled feed, ms */
  readonly stallMs: number
  /** how long a subscribe waits for the broker's acks before answering optimistically, ms */
  readonly ackTimeoutMs?: number
  /** whether an exchange trades at an instant (the watchdog only fires during trading hours) */
  readonly isExchangeOpen: (exchange: string, atMs: number) => boolean
  /** re-reads the user's session before a rebuild (tokens roll over ~03:00 IST) */
  readonly refreshSession?: () => BrokerSession | undefined
}

/** A snapshot for health and stats. */
export interface FeedStats {
  readonly broker: string
  readonly username: string
  readonly status: FeedState | 'connecting'
  readonly clients: number
  readonly instruments: number
  readonly connections: { instruments: number; status: SlotStatus; lastTickAgoMs: number }[]
}

/** See the module comment. */
export interface FeedManager {
  readonly broker: string
  readonly username: string
  readonly status: FeedState | 'connecting'
  readonly clientCount: number
  /** the clients attached to this feed */
  clients(): FeedClient[]
  /** Resolves once the first connection attempt settled (or `timeoutMs` passed: `pending`). */
  whenConnected(timeoutMs: number): Promise<'connected' | 'pending' | { failed: string }>
  addClient(client: FeedClient): void
  /** Drops the client and all its subscriptions. */
  removeClient(client: FeedClient): void
  /** Subscribes; answers per instrument after the broker acknowledged (or the ack timeout). */
  subscribe(client: FeedClient, items: readonly SubscribeItem[]): Promise<SubscribeOutcome[]>
  /** Unsubscribes (every mode when `mode` is undefined); broker calls follow in the background. */
  unsubscribe(client: FeedClient, items: readonly { ref: InstrumentRef; mode?: StreamMode }[]): void
  /** Drops every subscription of a client; returns what it held. */
  unsubscribeAll(client: FeedClient): InstrumentRef[]
  /** Every (instrument, mode, depth) a client holds. */
  subscriptionsOf(client: FeedClient): SubscribeItem[]
  /** number of (instrument, mode) subscriptions a client holds */
  subscriptionCount(client: FeedClient): number
  /** The user's session changed (login, token rollover): reconnect in place and resubscribe. */
  replaceSession(session: BrokerSession): void
  /** The user's session is gone (logout, daily boundary): stop the broker feed, keep clients. */
  expireSession(): void
  /** Runs the stall watchdog once (it also runs on its own timer). */
  checkStalls(): void
  stats(): FeedStats
  /** The adapters in use (tests inject faults through them). */
  adapters(): MarketDataAdapter[]
  /** Closes every broker connection and timer; idempotent. */
  close(): Promise<void>
}

type SlotStatus =
  'connecting' | 'open' | 'reconnecting' | 'stalled' | 'auth_failed' | 'down' | 'closed'

interface Slot {
  readonly index: number
  adapter: MarketDataAdapter
  /** bumped on every rebuild; events of older adapters are ignored */
  generation: number
  status: SlotStatus
  readonly placed: Map<string, InstrumentRef>
  /** instruments per exchange, for the watchdog */
  readonly exchanges: Map<string, number>
  lastTickAt: number
  everOpen: boolean
  chain: Promise<unknown>
  readonly policy: ReconnectPolicy
  retryTimer: TimerHandle | undefined
  detach: (() => void)[]
}

const MAX_CAPACITY = 'MAX_CAPACITY_REACHED'

const wireCode = (code: string): string => code.toUpperCase()

/** Creates the manager and opens its first broker connection. */
export function createFeedManager(options: FeedManagerOptions): FeedManager {
  const { broker, clock, timers, metrics, username } = options
  const logger = options.logger.child({ broker: broker.id, user: username, component: 'feed' })
  const limits = broker.limits
  const perConnection = Math.min(limits.maxSymbolsPerConnection, options.maxSymbolsPerConnection)
  const maxSlots = Math.max(1, Math.min(limits.maxConnections, options.maxConnections))
  const batchSize = Math.max(1, limits.subscribeBatchSize)
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000
  const brokerJson = JSON.stringify(broker.id)
  const book = createSubscriptionBook<FeedClient>()
  /**
   * instrument → its clients by mode (index 0 = LTP), derived from the book on first use after a
   * change: the tick path reads plain arrays and allocates nothing per tick for routing
   */
  const fanout = new Map<string, [FeedClient[], FeedClient[], FeedClient[]]>()
  const routesOf = (
    key: string,
    ref: InstrumentRef,
  ): [FeedClient[], FeedClient[], FeedClient[]] => {
    let lists = fanout.get(key)
    if (lists === undefined) {
      lists = [[], [], []]
      for (const s of book.recipients(ref, 3)) lists[s.mode - 1]?.push(s.client)
      fanout.set(key, lists)
    }
    return lists
  }
  /** Drops the routes of every instrument a client holds (before it leaves the book). */
  const forgetRoutesOf = (client: FeedClient): void => {
    for (const s of book.subscriptionsOf(client)) fanout.delete(instrumentKey(s.ref))
  }
  const clients = new Set<FeedClient>()
  /** client → `exchange:symbol:mode` it holds (idempotency and the per-client cap) */
  const held = new Map<FeedClient, Set<string>>()
  const placement = new Map<string, Slot>()
  const slots: Slot[] = []
  const lingering = new Map<string, { ref: InstrumentRef; until: number }>()
  /** broker subscribe in flight per instrument: the mode it asks for and its ack */
  const inflight = new Map<string, { mode: StreamMode; ack: Promise<SubscriptionAck> }>()
  let session = options.session
  let closed = false
  let sessionExpired = false
  let lingerTimer: TimerHandle | undefined
  let lingerAt = Number.POSITIVE_INFINITY
  let watchdogTimer: TimerHandle | undefined
  let announced: FeedState | undefined
  let firstSettled: 'connected' | { failed: string } | undefined
  const firstWaiters: ((v: 'connected' | { failed: string }) => void)[] = []

  const deps: AdapterDeps = {
    clock,
    timers,
    logger: options.logger,
    symbols: options.symbols,
  }

  // ---- status and feed_status frames -------------------------------------------------------

  const aggregate = (): FeedState | 'connecting' => {
    if (sessionExpired) return 'session_expired'
    let worst: FeedState | 'connecting' = 'connected'
    const rank: Record<FeedState | 'connecting', number> = {
      connected: 0,
      connecting: 1,
      reconnecting: 2,
      stalled: 3,
      down: 4,
      auth_failed: 5,
      session_expired: 6,
    }
    for (const slot of slots) {
      const s: FeedState | 'connecting' =
        slot.status === 'open'
          ? 'connected'
          : slot.status === 'connecting'
            ? slot.everOpen
              ? 'reconnecting'
              : 'connecting'
            : slot.status === 'closed'
              ? 'down'
              : slot.status
      if (rank[s] > rank[worst]) worst = s
    }
    return worst
  }

  const settleFirst = (value: 'connected' | { failed: string }): void => {
    if (firstSettled !== undefined) return
    firstSettled = value
    for (const w of firstWaiters.splice(0)) w(value)
  }

  const broadcast = (frame: Record<string, unknown>): void => {
    for (const c of clients) c.pushControl(frame)
  }

  let lastReason = ''
  const updateStatus = (reason: string): void => {
    const now = aggregate()
    if (now === 'connecting') return
    if (announced === undefined) {
      // the first connect is told by the auth answer, not by a feed_status frame
      if (now === 'connected') {
        announced = now
        settleFirst('connected')
      } else if (now === 'auth_failed' || now === 'down' || now === 'session_expired') {
        announced = now
        settleFirst({ failed: reason })
      }
      return
    }
    if (now === announced) return
    announced = now
    lastReason = reason
    logger.info({ status: now, reason }, 'feed status changed')
    broadcast(feedStatusFrame(broker.id, now, reason, clock.now()))
  }

  // ---- broker connections ------------------------------------------------------------------

  const enqueue = <T>(slot: Slot, op: (adapter: MarketDataAdapter) => Promise<T>): Promise<T> => {
    const run = slot.chain.then(
      () => op(slot.adapter),
      () => op(slot.adapter),
    )
    slot.chain = run.catch(() => undefined)
    return run
  }

  const depthFor = (exchange: string, requested: number): number => {
    const levels = (limits.depthLevels as Partial<Record<string, number[]>>)[exchange] ?? [5]
    const sorted = [...levels].sort((a, b) => a - b)
    let best = sorted[0] ?? 5
    for (const l of sorted) if (l <= requested) best = l
    return best
  }

  const onTick = (slot: Slot, generation: number, tick: Tick): void => {
    if (slot.generation !== generation) return
    slot.lastTickAt = clock.now()
    metrics.ticksIn++
    const key = `${tick.exchange}:${tick.symbol}`
    const routes = routesOf(key, tick)
    // one serialization per mode, shared by every client of that mode (§4.2 "Fan-out")
    const ltp = routes[0]
    if (ltp.length > 0) {
      const open = Buffer.from(marketDataOpen(tick, 1, brokerJson))
      const k = `${key}:1`
      for (let i = 0; i < ltp.length; i++) (ltp[i] as FeedClient).pushMarket(k, open)
    }
    const quote = routes[1]
    if (tick.mode >= 2 && quote.length > 0) {
      const open = Buffer.from(marketDataOpen(tick, 2, brokerJson))
      const k = `${key}:2`
      for (let i = 0; i < quote.length; i++) (quote[i] as FeedClient).pushMarket(k, open)
    }
    const depth = routes[2]
    if (tick.mode === 3 && depth.length > 0) {
      const open = Buffer.from(marketDataOpen(tick, 3, brokerJson))
      const k = `${key}:3`
      for (let i = 0; i < depth.length; i++) (depth[i] as FeedClient).pushMarket(k, open)
    }
  }

  const resubscribe = (slot: Slot): void => {
    const groups = new Map<string, { mode: StreamMode; depth: number; refs: InstrumentRef[] }>()
    for (const e of book.effective()) {
      const key = instrumentKey(e.ref)
      if (placement.get(key) !== slot) continue
      const depth = e.mode === 3 ? depthFor(e.ref.exchange, e.depth) : 5
      const g = `${e.mode}:${depth}`
      const group = groups.get(g) ?? { mode: e.mode, depth, refs: [] }
      group.refs.push(e.ref)
      groups.set(g, group)
    }
    // instruments only lingering are not worth a resubscription: let them go
    for (const [key, ref] of slot.placed) {
      if (book.modeOf(ref) === 0) unplace(key)
    }
    for (const group of groups.values()) {
      for (let i = 0; i < group.refs.length; i += batchSize) {
        const refs = group.refs.slice(i, i + batchSize)
        void enqueue(slot, (a) => a.subscribe(refs, group.mode, group.depth)).catch((cause) =>
          logger.warn({ err: String(cause) }, 'resubscribe failed'),
        )
      }
    }
  }

  const scheduleRebuild = (slot: Slot, reason: string): void => {
    if (closed || sessionExpired || slot.retryTimer !== undefined) return
    slot.policy.onDisconnected()
    const delay = slot.policy.nextDelayMs()
    if (delay === undefined) {
      slot.status = 'down'
      logger.error({ slot: slot.index, attempts: slot.policy.attempts }, 'broker feed gave up')
      updateStatus(`${reason}; reconnect attempts exhausted`)
      // try again after the cap: a feed that gives up for good strands every client
      slot.policy.reset()
      slot.retryTimer = timers.setTimeout(() => {
        slot.retryTimer = undefined
        rebuild(slot, 'retrying after giving up')
      }, limits.reconnect.capMs)
      return
    }
    slot.status = 'reconnecting'
    updateStatus(reason)
    slot.retryTimer = timers.setTimeout(() => {
      slot.retryTimer = undefined
      rebuild(slot, reason)
    }, delay)
  }

  const onEvent = (slot: Slot, generation: number, event: AdapterEvent): void => {
    if (slot.generation !== generation || closed) return
    switch (event.type) {
      case 'connected':
        if (slot.everOpen) metrics.reconnects++
        slot.status = 'open'
        slot.everOpen = true
        slot.lastTickAt = clock.now()
        slot.policy.onConnected()
        updateStatus('broker feed connected')
        break
      case 'disconnected':
        if (event.willReconnect) {
          slot.status = 'reconnecting'
          updateStatus(event.reason)
        } else if (slot.status !== 'closed') {
          // the adapter will not come back on its own: rebuild it with backoff
          scheduleRebuild(slot, event.reason)
        }
        break
      case 'reconnecting':
        slot.status = 'reconnecting'
        updateStatus(`reconnect attempt ${event.attempt}`)
        break
      case 'stale':
        slot.status = 'stalled'
        updateStatus(`no data for ${Math.round(event.silentMs / 1000)} s`)
        break
      case 'auth_failed': {
        slot.status = 'auth_failed'
        updateStatus(event.message)
        const fresh = options.refreshSession?.()
        if (fresh !== undefined && !sameSession(fresh, session)) manager.replaceSession(fresh)
        break
      }
      case 'resubscribed':
        break
    }
  }

  const connect = (slot: Slot): void => {
    const generation = slot.generation
    slot.status = 'connecting'
    void slot.adapter.connect().then(
      (result) => {
        if (slot.generation !== generation || closed) return
        if (result.ok) {
          // adapters report `connected` too; cover one that does not
          if (slot.status === 'connecting')
            onEvent(slot, generation, { type: 'connected', atMs: clock.now() })
          return
        }
        const code = result.error.code
        if (code === 'auth_expired' || code === 'auth_required') {
          slot.status = 'auth_failed'
          updateStatus(result.error.message)
        } else {
          logger.warn({ code, message: result.error.message }, 'broker feed connect failed')
          slot.status = 'reconnecting'
          scheduleRebuild(slot, result.error.message)
          if (!slot.everOpen && announced === undefined)
            settleFirst({ failed: result.error.message })
        }
      },
      (cause: unknown) => {
        if (slot.generation !== generation || closed) return
        logger.error({ err: String(cause) }, 'broker adapter connect threw')
        scheduleRebuild(slot, String(cause))
      },
    )
  }

  const attach = (slot: Slot): void => {
    const generation = slot.generation
    slot.detach = [
      slot.adapter.onTick((tick) => onTick(slot, generation, tick)),
      slot.adapter.onEvent((event) => onEvent(slot, generation, event)),
    ]
  }

  const retire = (slot: Slot): void => {
    for (const d of slot.detach) d()
    slot.detach = []
    const old = slot.adapter
    void old.close().catch((cause) => logger.warn({ err: String(cause) }, 'adapter close failed'))
  }

  function rebuild(slot: Slot, reason: string): void {
    if (closed) return
    if (slot.retryTimer !== undefined) {
      timers.clearTimeout(slot.retryTimer)
      slot.retryTimer = undefined
    }
    const fresh = options.refreshSession?.()
    if (fresh !== undefined) session = fresh
    retire(slot)
    slot.generation++
    slot.adapter = broker.createAdapter(session, deps)
    attach(slot)
    logger.info({ slot: slot.index, reason }, 'broker feed rebuilt')
    resubscribe(slot)
    connect(slot)
  }

  const openSlot = (): Slot => {
    const slot: Slot = {
      index: slots.length,
      adapter: broker.createAdapter(session, deps),
      generation: 0,
      status: 'connecting',
      placed: new Map(),
      exchanges: new Map(),
      lastTickAt: clock.now(),
      everOpen: false,
      chain: Promise.resolve(),
      policy: createReconnectPolicy({ ...limits.reconnect, clock, random: options.random }),
      retryTimer: undefined,
      detach: [],
    }
    slots.push(slot)
    attach(slot)
    connect(slot)
    return slot
  }

  // ---- placement (pool) --------------------------------------------------------------------

  const place = (key: string, ref: InstrumentRef): Slot | undefined => {
    const existing = placement.get(key)
    if (existing !== undefined) return existing
    let best: Slot | undefined
    for (const s of slots) {
      if (s.placed.size < perConnection && (best === undefined || s.placed.size < best.placed.size))
        best = s
    }
    if (best === undefined && slots.length < maxSlots) best = openSlot()
    if (best === undefined) return undefined
    best.placed.set(key, ref)
    best.exchanges.set(ref.exchange, (best.exchanges.get(ref.exchange) ?? 0) + 1)
    placement.set(key, best)
    // open the next connection ahead of need, outside any request (§4.2 "Subscription manager")
    if (best.placed.size >= perConnection * 0.8 && slots.length < maxSlots) {
      const spare = slots.some((s) => s.placed.size < perConnection * 0.5)
      if (!spare) openSlot()
    }
    return best
  }

  function unplace(key: string): void {
    fanout.delete(key)
    const slot = placement.get(key)
    if (slot === undefined) return
    const ref = slot.placed.get(key)
    slot.placed.delete(key)
    placement.delete(key)
    if (ref !== undefined) {
      const n = (slot.exchanges.get(ref.exchange) ?? 1) - 1
      if (n <= 0) slot.exchanges.delete(ref.exchange)
      else slot.exchanges.set(ref.exchange, n)
    }
  }

  const capacityMessage = (): string =>
    `Maximum capacity reached: ${maxSlots} connections × ${perConnection} symbols = ${maxSlots * perConnection} symbols. Currently subscribed to ${placement.size} symbols.`

  // ---- linger ------------------------------------------------------------------------------

  const armLinger = (): void => {
    let next = Number.POSITIVE_INFINITY
    for (const l of lingering.values()) if (l.until < next) next = l.until
    if (next === lingerAt) return
    if (lingerTimer !== undefined) timers.clearTimeout(lingerTimer)
    lingerTimer = undefined
    lingerAt = next
    if (next === Number.POSITIVE_INFINITY) return
    lingerTimer = timers.setTimeout(
      () => {
        lingerTimer = undefined
        lingerAt = Number.POSITIVE_INFINITY
        releaseExpired()
      },
      Math.max(0, next - clock.now()),
    )
  }

  const releaseExpired = (): void => {
    const now = clock.now()
    const bySlot = new Map<Slot, InstrumentRef[]>()
    for (const [key, l] of lingering) {
      if (l.until > now) continue
      lingering.delete(key)
      if (book.modeOf(l.ref) !== 0) continue
      const slot = placement.get(key)
      if (slot === undefined) continue
      unplace(key)
      const list = bySlot.get(slot) ?? []
      list.push(l.ref)
      bySlot.set(slot, list)
    }
    for (const [slot, refs] of bySlot) {
      for (let i = 0; i < refs.length; i += batchSize) {
        const batch = refs.slice(i, i + batchSize)
        void enqueue(slot, (a) => a.unsubscribe(batch)).catch((cause) =>
          logger.warn({ err: String(cause) }, 'broker unsubscribe failed'),
        )
      }
    }
    armLinger()
  }

  /** Applies bookkeeping changes that need no answer (removals, downgrades). */
  const applyChanges = (changes: readonly SubscriptionChange[]): void => {
    const groups = new Map<
      Slot,
      Map<string, { mode: StreamMode; depth: number; refs: InstrumentRef[] }>
    >()
    let lingerChanged = false
    for (const change of changes) {
      const key = instrumentKey(change.ref)
      if (change.to === 0) {
        if (!placement.has(key)) continue
        lingering.set(key, { ref: change.ref, until: clock.now() + options.lingerMs })
        lingerChanged = true
        continue
      }
      const slot = placement.get(key)
      if (slot === undefined) continue
      const depth = change.to === 3 ? depthFor(change.ref.exchange, change.depth) : 5
      const bySlot = groups.get(slot) ?? new Map()
      const g = `${change.to}:${depth}`
      const group = bySlot.get(g) ?? { mode: change.to, depth, refs: [] }
      group.refs.push(change.ref)
      bySlot.set(g, group)
      groups.set(slot, bySlot)
    }
    for (const [slot, bySlot] of groups) {
      for (const group of bySlot.values()) {
        for (let i = 0; i < group.refs.length; i += batchSize) {
          const refs = group.refs.slice(i, i + batchSize)
          void enqueue(slot, (a) => a.subscribe(refs, group.mode, group.depth)).catch((cause) =>
            logger.warn({ err: String(cause) }, 'broker mode change failed'),
          )
        }
      }
    }
    if (lingerChanged) {
      if (options.lingerMs <= 0) releaseExpired()
      else armLinger()
    }
  }

  // ---- watchdog ----------------------------------------------------------------------------

  const watchdogEveryMs = Math.min(30_000, Math.max(1_000, Math.floor(options.stallMs / 4)))
  const armWatchdog = (): void => {
    watchdogTimer = timers.setTimeout(() => {
      watchdogTimer = undefined
      if (closed) return
      manager.checkStalls()
      armWatchdog()
    }, watchdogEveryMs)
  }

  const heldOf = (client: FeedClient): Set<string> => {
    let set = held.get(client)
    if (set === undefined) {
      set = new Set()
      held.set(client, set)
    }
    return set
  }

  const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> =>
    new Promise((resolve, reject) => {
      const handle = timers.setTimeout(() => resolve('timeout'), ms)
      promise.then(
        (v) => {
          timers.clearTimeout(handle)
          resolve(v)
        },
        (e: unknown) => {
          timers.clearTimeout(handle)
          reject(e instanceof Error ? e : new Error(String(e)))
        },
      )
    })

  const manager: FeedManager = {
    broker: broker.id,
    username,
    get status() {
      return aggregate()
    },
    get clientCount() {
      return clients.size
    },
    clients: () => [...clients],
    whenConnected(timeoutMs) {
      if (firstSettled !== undefined) return Promise.resolve(firstSettled)
      return new Promise((resolve) => {
        const handle = timers.setTimeout(() => resolve('pending'), timeoutMs)
        firstWaiters.push((v) => {
          timers.clearTimeout(handle)
          resolve(v)
        })
      })
    },
    addClient(client) {
      clients.add(client)
      const status = aggregate()
      if (announced !== undefined && status !== 'connected' && status !== 'connecting')
        client.pushControl(feedStatusFrame(broker.id, status, lastReason, clock.now()))
    },
    removeClient(client) {
      if (!clients.delete(client)) return
      held.delete(client)
      forgetRoutesOf(client)
      applyChanges(book.removeClient(client))
    },
    async subscribe(client, items) {
      if (!clients.has(client) || closed) {
        return items.map((i) => ({
          ref: i.ref,
          ok: false,
          code: 'BROKER_ERROR',
          message: 'this connection is not attached to a broker feed',
        }))
      }
      const mine = heldOf(client)
      const outcomes: (SubscribeOutcome | Promise<SubscribeOutcome>)[] = []
      const batches = new Map<
        Slot,
        Map<
          string,
          {
            mode: StreamMode
            depth: number
            refs: InstrumentRef[]
            resolve: ((a: SubscriptionAck) => void)[]
          }
        >
      >()
      for (const item of items) {
        const { ref, mode } = item
        const key = instrumentKey(ref)
        const heldKey = `${key}:${mode}`
        const clientDepth = mode === 3 ? depthFor(ref.exchange, item.depth) : 5
        const success: SubscribeOutcome = { ref, ok: true, mode, depth: clientDepth }
        if (!mine.has(heldKey) && mine.size >= options.maxSubscriptionsPerClient) {
          outcomes.push({
            ref,
            ok: false,
            code: 'MAX_CLIENT_SUBSCRIPTIONS',
            message: `this connection already holds ${options.maxSubscriptionsPerClient} subscriptions, the most one client may hold`,
          })
          continue
        }
        const change = book.add(client, ref, mode, item.depth)
        fanout.delete(key)
        mine.add(heldKey)
        lingering.delete(key)
        if (change === undefined) {
          const pending = inflight.get(key)
          if (pending !== undefined && pending.mode >= mode) {
            outcomes.push(
              pending.ack.then((ack) => (ack.ok ? success : rollback(client, ref, mode, ack))),
            )
          } else outcomes.push(success)
          continue
        }
        const slot = place(key, ref)
        if (slot === undefined) {
          book.remove(client, ref, mode)
          fanout.delete(key)
          mine.delete(heldKey)
          outcomes.push({ ref, ok: false, code: MAX_CAPACITY, message: capacityMessage() })
          continue
        }
        const to = change.to as StreamMode
        const depth = to === 3 ? depthFor(ref.exchange, change.depth) : 5
        const bySlot = batches.get(slot) ?? new Map()
        const g = `${to}:${depth}`
        const group = bySlot.get(g) ?? { mode: to, depth, refs: [], resolve: [] }
        const ack = new Promise<SubscriptionAck>((resolve) => group.resolve.push(resolve))
        group.refs.push(ref)
        bySlot.set(g, group)
        batches.set(slot, bySlot)
        inflight.set(key, { mode: to, ack })
        void ack.then(() => {
          if (inflight.get(key)?.ack === ack) inflight.delete(key)
        })
        outcomes.push(ack.then((a) => (a.ok ? success : rollback(client, ref, mode, a))))
      }
      for (const [slot, bySlot] of batches) {
        for (const group of bySlot.values()) {
          for (let i = 0; i < group.refs.length; i += batchSize) {
            const refs = group.refs.slice(i, i + batchSize)
            const resolvers = group.resolve.slice(i, i + batchSize)
            void enqueue(slot, async (a) => {
              const result = await withTimeout(
                a.subscribe(refs, group.mode, group.depth),
                ackTimeoutMs,
              )
              const acks = new Map<string, SubscriptionAck>()
              if (result === 'timeout') {
                logger.warn({ instruments: refs.length }, 'broker did not acknowledge in time')
              } else {
                for (const ack of result) acks.set(instrumentKey(ack.ref), ack)
              }
              refs.forEach((ref, j) =>
                resolvers[j]?.(acks.get(instrumentKey(ref)) ?? { ref, ok: true, mode: group.mode }),
              )
            }).catch((cause: unknown) => {
              const message = `broker subscribe failed: ${String(cause)}`
              refs.forEach((ref, j) =>
                resolvers[j]?.({ ref, ok: false, code: 'subscription_error', message }),
              )
            })
          }
        }
      }
      return Promise.all(outcomes)
    },
    unsubscribe(client, items) {
      const mine = heldOf(client)
      const changes: SubscriptionChange[] = []
      for (const { ref, mode } of items) {
        const key = instrumentKey(ref)
        for (const m of mode === undefined ? ([1, 2, 3] as const) : [mode])
          mine.delete(`${key}:${m}`)
        const change = book.remove(client, ref, mode)
        fanout.delete(key)
        if (change !== undefined) changes.push(change)
      }
      applyChanges(changes)
    },
    unsubscribeAll(client) {
      const refs = new Map<string, InstrumentRef>()
      for (const s of book.subscriptionsOf(client)) refs.set(instrumentKey(s.ref), s.ref)
      held.delete(client)
      forgetRoutesOf(client)
      applyChanges(book.removeClient(client))
      return [...refs.values()]
    },
    subscriptionsOf(client) {
      return book.subscriptionsOf(client).map((s) => ({ ref: s.ref, mode: s.mode, depth: s.depth }))
    },
    subscriptionCount: (client) => held.get(client)?.size ?? 0,
    replaceSession(next) {
      if (closed) return
      const wasExpired = sessionExpired
      if (!wasExpired && sameSession(next, session)) return
      session = next
      sessionExpired = false
      for (const slot of slots) {
        slot.policy.reset()
        slot.status = 'reconnecting'
      }
      updateStatus('broker session changed')
      for (const slot of slots) rebuild(slot, 'broker session changed')
    },
    expireSession() {
      if (closed || sessionExpired) return
      sessionExpired = true
      for (const slot of slots) {
        if (slot.retryTimer !== undefined) timers.clearTimeout(slot.retryTimer)
        slot.retryTimer = undefined
        slot.generation++
        retire(slot)
        slot.status = 'closed'
      }
      updateStatus('broker session ended; log in to the broker again')
    },
    checkStalls() {
      const now = clock.now()
      for (const slot of slots) {
        if (slot.status !== 'open' || slot.placed.size === 0) continue
        if (now - slot.lastTickAt < options.stallMs) continue
        let open = false
        for (const exchange of slot.exchanges.keys()) {
          if (options.isExchangeOpen(exchange, now)) {
            open = true
            break
          }
        }
        if (!open) continue
        const silentS = Math.round((now - slot.lastTickAt) / 1000)
        metrics.stalls++
        logger.warn({ slot: slot.index, silentS }, 'broker feed connected but silent; restarting')
        slot.status = 'stalled'
        updateStatus(`no tick for ${silentS} s while the market is open`)
        rebuild(slot, 'stalled feed restarted')
      }
    },
    stats() {
      const now = clock.now()
      return {
        broker: broker.id,
        username,
        status: aggregate(),
        clients: clients.size,
        instruments: book.size,
        connections: slots.map((s) => ({
          instruments: s.placed.size,
          status: s.status,
          lastTickAgoMs: now - s.lastTickAt,
        })),
      }
    },
    adapters: () => slots.map((s) => s.adapter),
    async close() {
      if (closed) return
      closed = true
      if (lingerTimer !== undefined) timers.clearTimeout(lingerTimer)
      if (watchdogTimer !== undefined) timers.clearTimeout(watchdogTimer)
      lingerTimer = undefined
      watchdogTimer = undefined
      for (const w of firstWaiters.splice(0)) w({ failed: 'feed closed' })
      await Promise.all(
        slots.map(async (slot) => {
          if (slot.retryTimer !== undefined) timers.clearTimeout(slot.retryTimer)
          slot.retryTimer = undefined
          slot.status = 'closed'
          for (const d of slot.detach) d()
          await slot.adapter.close().catch(() => undefined)
        }),
      )
    },
  }

  function rollback(
    client: FeedClient,
    ref: InstrumentRef,
    mode: StreamMode,
    ack: Extract<SubscriptionAck, { ok: false }>,
  ): SubscribeOutcome {
    const key = instrumentKey(ref)
    held.get(client)?.delete(`${key}:${mode}`)
    const change = book.remove(client, ref, mode)
    fanout.delete(key)
    if (book.modeOf(ref) === 0) {
      // the broker refused it: nothing to unsubscribe, just forget the placement
      lingering.delete(key)
      unplace(key)
    } else if (change !== undefined) applyChanges([change])
    return { ref, ok: false, code: wireCode(ack.code), message: ack.message }
  }

  openSlot()
  armWatchdog()
  return manager
}

function sameSession(a: BrokerSession, b: BrokerSession): boolean {
  return (
    a.authToken === b.authToken &&
    (a.feedToken ?? null) === (b.feedToken ?? null) &&
    (a.brokerUserId ?? null) === (b.brokerUserId ?? null)
  )
}
