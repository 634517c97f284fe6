/**
 * The OpenAlgo WebSocket feed (streaming.md §1, §4.2): the listening socket, the client protocol,
 * and the wiring of feeds, identity, order events, keep-alive, slow-consumer eviction and the
 * health endpoint. One HTTP server carries both the WebSocket upgrade (any path, as the reference)
 * and `GET /health` / `GET /metrics` (JSON, no user names).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import {
  createSystemTimers,
  silentLogger,
  type Clock,
  type Logger,
  type Random,
  type StreamMode,
  type TimerHandle,
  type Timers,
} from '@oa/broker-sdk'
import type { OrderEvent } from '@oa/db'
import { WebSocketServer, type WebSocket } from 'ws'
import { createAuthThrottle } from './auth-throttle.js'
import { CLOSE, createClientConnection, type ClientConnection } from './client-connection.js'
import { createFeedHub } from './feed-hub.js'
import {
  createFeedManager,
  type FeedClient,
  type FeedManager,
  type FeedStats,
  type StreamingBroker,
  type SubscribeItem,
} from './feed-manager.js'
import type { Identity } from './identity.js'
import { createMetrics, type ProxyMetrics } from './metrics.js'
import { createOrderEventRouter, type OrderEventStore } from './order-events.js'
import type { ClientCommand, SymbolEntry, UnsubscribeEntry } from './protocol/inbound.js'
import { parseClientMessage } from './protocol/inbound.js'
import { MODE_LABELS } from './protocol/modes.js'
import {
  authFrame,
  brokerInfoFrame,
  errorFrame,
  ordersAckFrame,
  pongFrame,
  subscribeFrame,
  supportedBrokersFrame,
  unsubscribeFrame,
  type SubscriptionLine,
  type UnsubscriptionLine,
} from './protocol/outbound.js'
import type { SymbolIndex } from './symbols.js'

/** The proxy's knobs; see {@link DEFAULT_LIMITS} and the README for what each protects. */
export interface ProxyLimits {
  /** WS_AUTH_GRACE_SECONDS × 1000 */
  readonly authGraceMs: number
  /** WS_MAX_QUEUE: inbound frames waiting before reading pauses */
  readonly maxInboundQueue: number
  /** WS_PING_INTERVAL / WS_PING_TIMEOUT × 1000 */
  readonly pingIntervalMs: number
  readonly pingTimeoutMs: number
  /** largest inbound frame; beyond it the socket closes with 1009 */
  readonly maxPayloadBytes: number
  /** a client's socket holding this many unsent bytes is over its high-water mark */
  readonly highWaterBytes: number
  /** how long a client may stay over the high-water mark before SLOW_CONSUMER + 1013 */
  readonly slowConsumerMs: number
  /** frames one client's queue holds (market frames conflate, so this bounds answers) */
  readonly maxQueuedFrames: number
  /** (instrument, mode) subscriptions one connection may hold */
  readonly maxSubscriptionsPerClient: number
  /** instruments one subscribe may name (more: TOO_MANY_SYMBOLS for the whole request) */
  readonly maxSymbolsPerRequest: number
  /** MAX_SYMBOLS_PER_WEBSOCKET / MAX_WEBSOCKET_CONNECTIONS (broker side, per user) */
  readonly maxSymbolsPerConnection: number
  readonly maxConnections: number
  /** how long an instrument nobody watches stays subscribed at the broker */
  readonly lingerMs: number
  /** how long a user's broker feed outlives its last socket */
  readonly feedIdleMs: number
  /** tick silence during trading hours that restarts a feed (WS_STALE_TICK_WARN_SECONDS) */
  readonly stallMs: number
  /** how long `authenticate` waits for the broker feed to connect before answering anyway */
  readonly connectWaitMs: number
  /** how often other processes' credential changes are looked for */
  readonly identityPollMs: number
  /** close handshake allowance before a closing socket is cut */
  readonly closeGraceMs: number
  /** failed authentications per address before it is refused for `blockMs` */
  readonly authThrottle: {
    readonly maxFailures: number
    readonly windowMs: number
    readonly blockMs: number
  }
}

/** instruments a subscribe checks before it lets the event loop run (ticks, other sockets) */
const LOOKUP_SLICE = 128

/** The defaults (the reference's where it has one). */
export const DEFAULT_LIMITS: ProxyLimits = {
  authGraceMs: 15_000,
  maxInboundQueue: 1024,
  pingIntervalMs: 20_000,
  pingTimeoutMs: 20_000,
  maxPayloadBytes: 512 * 1024,
  highWaterBytes: 1024 * 1024,
  slowConsumerMs: 10_000,
  maxQueuedFrames: 4096,
  maxSubscriptionsPerClient: 1000,
  maxSymbolsPerRequest: 1000,
  maxSymbolsPerConnection: 1000,
  maxConnections: 3,
  lingerMs: 30_000,
  feedIdleMs: 60_000,
  stallMs: 120_000,
  connectWaitMs: 4_000,
  identityPollMs: 100,
  closeGraceMs: 1_000,
  authThrottle: { maxFailures: 5, windowMs: 60_000, blockMs: 300_000 },
}

/** Options of {@link startFeedServer}. */
export interface FeedServerOptions {
  readonly host: string
  readonly port: number
  readonly limits?: Partial<ProxyLimits>
  readonly identity: Identity
  /** brokers with a streaming adapter, by id */
  readonly brokers: ReadonlyMap<string, StreamingBroker>
  readonly symbols: SymbolIndex
  /** VALID_BROKERS, for `get_supported_brokers` */
  readonly validBrokers: readonly string[]
  /** exchange hours for the stall watchdog */
  readonly isExchangeOpen: (exchange: string, atMs: number) => boolean
  /** the `order_events` table, for replays and gap filling */
  readonly orderEvents?: OrderEventStore
  readonly clock?: Clock
  readonly timers?: Timers
  readonly random?: Random
  readonly logger?: Logger
  readonly metrics?: ProxyMetrics
}

/** Everything the proxy can report (IPC `stats`; the HTTP endpoints drop user names). */
export interface ProxyStats extends ProxyMetrics {
  readonly clients: number
  readonly authenticated: number
  readonly queuedFrames: number
  readonly maxQueuedFrames: number
  /** bytes held in client sockets (sum and largest), the backpressure the queues react to */
  readonly bufferedBytes: number
  readonly maxBufferedBytes: number
  readonly feeds: FeedStats[]
}

/** A running feed server. */
export interface FeedServer {
  readonly address: AddressInfo
  readonly metrics: ProxyMetrics
  stats(): ProxyStats
  /** Delivers an order event (from IPC or the table poll) to the user's order subscribers. */
  deliverOrderEvent(username: string, seq: number, event: OrderEvent): void
  /**
   * Credentials changed (the epoch poll saw it, or the server said so over IPC): sockets whose key
   * was rotated or deleted are closed with 4401 and feeds follow the users' broker sessions.
   */
  credentialsChanged(username?: string): Promise<void>
  feeds(): FeedManager[]
  /** closes every client with 1001 (going away), every feed, and stops listening */
  close(): Promise<void>
}

/** Starts listening; rejects when the port cannot be bound (no fallback port, §1.1). */
export function startFeedServer(options: FeedServerOptions): Promise<FeedServer> {
  const limits: ProxyLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const clock: Clock = options.clock ?? { now: () => Date.now() }
  const timers: Timers = options.timers ?? createSystemTimers()
  const logger = (options.logger ?? silentLogger).child({ component: 'ws-proxy' })
  const metrics = options.metrics ?? createMetrics()
  const { identity, symbols } = options
  const throttle = createAuthThrottle({ clock, ...limits.authThrottle })
  const clients = new Set<ClientConnection>()
  const graceTimers = new Map<ClientConnection, TimerHandle>()
  const orderSubscribers = new Map<string, Set<ClientConnection>>()
  /** every upgraded TCP socket until it closes (shutdown waits for them) */
  const sockets = new Set<Socket>()
  let closing = false

  const hub = createFeedHub({
    brokers: options.brokers,
    timers,
    idleMs: limits.feedIdleMs,
    logger,
    create: (username, broker, login) =>
      createFeedManager({
        broker,
        username,
        session: login.session,
        symbols: symbols.resolver,
        clock,
        timers,
        logger,
        metrics,
        ...(options.random === undefined ? {} : { random: options.random }),
        maxSymbolsPerConnection: limits.maxSymbolsPerConnection,
        maxConnections: limits.maxConnections,
        maxSubscriptionsPerClient: limits.maxSubscriptionsPerClient,
        lingerMs: limits.lingerMs,
        stallMs: limits.stallMs,
        isExchangeOpen: options.isExchangeOpen,
        refreshSession: () => {
          const now = identity.brokerOf(username)
          return now !== null && now.broker === broker.id ? now.session : undefined
        },
      }),
    onMigrate: (client: FeedClient, to) => {
      const conn = client as ClientConnection
      if (conn.auth !== undefined) conn.auth.manager = to
    },
  })

  const router = createOrderEventRouter({
    subscribersOf: (username) => orderSubscribers.get(username) ?? [],
    store: options.orderEvents,
    metrics,
    logger,
  })

  // ---- one flush per client per turn of the event loop ------------------------------------
  let dirty: ClientConnection[] = []
  let flushScheduled = false
  const flushAll = (): void => {
    flushScheduled = false
    const list = dirty
    dirty = []
    for (const c of list) c.flush()
  }
  const scheduleFlush = (c: ClientConnection): void => {
    dirty.push(c)
    if (!flushScheduled) {
      flushScheduled = true
      setImmediate(flushAll)
    }
  }

  const send = (c: ClientConnection, frame: Record<string, unknown>): void => c.pushControl(frame)
  const fail = (
    c: ClientConnection,
    code: Parameters<typeof errorFrame>[0],
    message: string,
  ): void => send(c, errorFrame(code, message))

  // ---- protocol ---------------------------------------------------------------------------

  const authFailed = (c: ClientConnection, message: string): void => {
    metrics.authFailures++
    c.closeWith(
      errorFrame('AUTHENTICATION_ERROR', message),
      CLOSE.authFailed,
      'authentication failed',
    )
  }

  const detach = (c: ClientConnection): void => {
    const auth = c.auth
    if (auth === undefined) return
    c.auth = undefined
    auth.manager.removeClient(c)
    hub.release(auth.manager)
    orderSubscribers.get(auth.username)?.delete(c)
    c.ordersSubscribed = false
  }

  const authenticate = async (
    c: ClientConnection,
    apiKey: unknown,
    feedToken: unknown,
  ): Promise<void> => {
    const blockedMs = throttle.blockedForMs(c.ip)
    if (blockedMs > 0) {
      metrics.authFailures++
      c.closeWith(
        errorFrame(
          'RATE_LIMITED',
          `Too many failed authentication attempts from this address; try again in ${Math.ceil(blockedMs / 1000)} s`,
        ),
        CLOSE.throttled,
        'too many failed attempts',
      )
      return
    }
    const byToken = (typeof apiKey !== 'string' || apiKey === '') && typeof feedToken === 'string'
    if (!byToken && (typeof apiKey !== 'string' || apiKey === '')) {
      throttle.recordFailure(c.ip)
      authFailed(c, 'API key is required')
      return
    }
    const verdict = byToken
      ? identity.verifyFeedToken(feedToken)
      : await identity.verifyApiKey(apiKey as string, c.ip)
    if (c.state !== 'open') return
    if (!verdict.ok) {
      if (verdict.reason === 'unavailable') {
        fail(
          c,
          'AUTHENTICATION_ERROR',
          'Authentication is unavailable right now; try again shortly',
        )
        return
      }
      throttle.recordFailure(c.ip)
      authFailed(c, byToken ? 'Invalid or expired feed token' : 'Invalid API key')
      return
    }
    throttle.recordSuccess(c.ip)
    const { grant } = verdict
    if (c.auth !== undefined) {
      if (c.auth.username === grant.username) {
        send(c, authFrame(c.auth.manager.broker, grant.username))
        return
      }
      detach(c)
    }
    const login = identity.brokerOf(grant.username)
    if (login === null) {
      fail(c, 'BROKER_ERROR', 'No broker configuration found for user')
      return
    }
    const feed = hub.acquire(grant.username, login)
    if ('error' in feed) {
      fail(c, 'BROKER_ERROR', feed.error)
      return
    }
    const connected = await feed.whenConnected(limits.connectWaitMs)
    if (c.state !== 'open') {
      hub.release(feed)
      return
    }
    if (typeof connected === 'object') {
      hub.release(feed)
      fail(c, 'BROKER_CONNECTION_ERROR', connected.failed)
      return
    }
    const grace = graceTimers.get(c)
    if (grace !== undefined) timers.clearTimeout(grace)
    graceTimers.delete(c)
    c.auth = { username: grant.username, grant, manager: feed }
    metrics.authSuccesses++
    send(c, authFrame(feed.broker, grant.username))
    feed.addClient(c)
    logger.info(
      { client: c.id, username: grant.username, broker: feed.broker },
      'client authenticated',
    )
  }

  const symbolLine = (
    entry: Extract<SymbolEntry, { ok: false }>,
    broker: string,
  ): SubscriptionLine => ({
    symbol: entry.symbol,
    exchange: entry.exchange,
    status: 'error',
    message: entry.message,
    code: 'INVALID_PARAMETERS',
    broker,
  })

  const subscribe = async (
    c: ClientConnection,
    cmd: Extract<ClientCommand, { action: 'subscribe' }>,
  ): Promise<void> => {
    const auth = c.auth
    if (auth === undefined) return
    const started = clock.now()
    if (cmd.entries.length > limits.maxSymbolsPerRequest) {
      fail(
        c,
        'TOO_MANY_SYMBOLS',
        `A subscribe may name at most ${limits.maxSymbolsPerRequest} instruments; this one named ${cmd.entries.length}. Split it into several requests.`,
      )
      return
    }
    await symbols.ready
    if (c.state !== 'open' || c.auth !== auth) return
    const broker = auth.manager.broker
    const lines: (SubscriptionLine | undefined)[] = []
    const items: SubscribeItem[] = []
    const at: number[] = []
    for (const [i, entry] of cmd.entries.entries()) {
      // an instrument nobody subscribed to yet is a read of symtoken (~15 µs, symbols.ts): ticks
      // to other clients go out between slices of a 1,000-instrument subscribe
      if (i > 0 && i % LOOKUP_SLICE === 0) {
        await new Promise((resolve) => setImmediate(resolve))
        if (c.state !== 'open' || c.auth !== auth) return
      }
      if (!entry.ok) {
        lines.push(symbolLine(entry, broker))
      } else if (!symbols.has(entry.symbol, entry.exchange)) {
        lines.push({
          symbol: entry.symbol,
          exchange: entry.exchange,
          status: 'error',
          message: `Symbol ${entry.symbol} not found for exchange ${entry.exchange}`,
          code: 'SYMBOL_NOT_FOUND',
          broker,
        })
      } else {
        at.push(lines.length)
        lines.push(undefined)
        items.push({
          ref: {
            symbol: entry.symbol,
            exchange: entry.exchange as SubscribeItem['ref']['exchange'],
          },
          mode: cmd.mode,
          depth: cmd.depth,
        })
      }
    }
    const outcomes = items.length === 0 ? [] : await auth.manager.subscribe(c, items)
    if (c.state !== 'open' || c.auth !== auth) return
    outcomes.forEach((o, i) => {
      const line: SubscriptionLine = o.ok
        ? {
            symbol: o.ref.symbol,
            exchange: o.ref.exchange,
            status: 'success',
            mode: MODE_LABELS[o.mode],
            depth: o.depth,
            broker,
          }
        : {
            symbol: o.ref.symbol,
            exchange: o.ref.exchange,
            status: 'error',
            message: o.message,
            code: o.code,
            broker,
          }
      lines[at[i] ?? -1] = line
    })
    send(
      c,
      subscribeFrame(
        lines.filter((l): l is SubscriptionLine => l !== undefined),
        broker,
        cmd.requestId,
      ),
    )
    const ms = clock.now() - started
    metrics.subscribeRequests++
    metrics.subscribeLatencyMsSum += ms
    if (ms > metrics.subscribeLatencyMsMax) metrics.subscribeLatencyMsMax = ms
  }

  const unsubscribe = (
    c: ClientConnection,
    entries: readonly UnsubscribeEntry[],
    requestId: unknown,
  ): void => {
    const auth = c.auth
    if (auth === undefined) return
    const broker = auth.manager.broker
    const successful: UnsubscriptionLine[] = []
    const failed: UnsubscriptionLine[] = []
    const items: { ref: SubscribeItem['ref']; mode?: StreamMode }[] = []
    for (const e of entries) {
      if (!e.ok) {
        failed.push({
          symbol: e.symbol,
          exchange: e.exchange,
          status: 'error',
          message: e.message,
          code:
            e.message.startsWith('Invalid mode') || e.message.startsWith('Mode must')
              ? 'INVALID_MODE'
              : 'INVALID_PARAMETERS',
          broker,
        })
        continue
      }
      const ref = { symbol: e.symbol, exchange: e.exchange as SubscribeItem['ref']['exchange'] }
      items.push(e.mode === undefined ? { ref } : { ref, mode: e.mode })
      successful.push({ symbol: e.symbol, exchange: e.exchange, status: 'success', broker })
    }
    auth.manager.unsubscribe(c, items)
    send(c, unsubscribeFrame(successful, failed, broker, requestId))
  }

  const handle = async (c: ClientConnection, cmd: ClientCommand): Promise<void> => {
    switch (cmd.action) {
      case 'ping':
        send(c, pongFrame(clock.now(), cmd.timestamp, cmd.pingId))
        return
      case 'get_supported_brokers':
        send(c, supportedBrokersFrame(options.validBrokers))
        return
      case 'authenticate':
        await authenticate(c, cmd.apiKey, cmd.feedToken)
        return
      default:
        break
    }
    const auth = c.auth
    if (auth === undefined) {
      fail(c, 'NOT_AUTHENTICATED', 'You must authenticate first')
      return
    }
    switch (cmd.action) {
      case 'subscribe':
        await subscribe(c, cmd)
        return
      case 'unsubscribe':
        unsubscribe(c, cmd.entries, cmd.requestId)
        return
      case 'unsubscribe_all': {
        const held = auth.manager.subscriptionsOf(c)
        auth.manager.unsubscribeAll(c)
        const broker = auth.manager.broker
        send(
          c,
          unsubscribeFrame(
            held.map((s) => ({
              symbol: s.ref.symbol,
              exchange: s.ref.exchange,
              status: 'success' as const,
              broker,
            })),
            [],
            broker,
            cmd.requestId,
          ),
        )
        return
      }
      case 'subscribe_orders': {
        if (auth.grant.feedToken) {
          fail(
            c,
            'NOT_AUTHENTICATED',
            'Order updates need an API key; a feed token carries market data only',
          )
          return
        }
        c.ordersSubscribed = true
        const set = orderSubscribers.get(auth.username) ?? new Set()
        set.add(c)
        orderSubscribers.set(auth.username, set)
        send(c, ordersAckFrame('subscribe_orders', cmd.requestId))
        if (cmd.afterSeq !== undefined) router.replay(c, auth.username, cmd.afterSeq)
        return
      }
      case 'unsubscribe_orders':
        c.ordersSubscribed = false
        orderSubscribers.get(auth.username)?.delete(c)
        send(c, ordersAckFrame('unsubscribe_orders', cmd.requestId))
        return
      case 'get_broker_info':
        send(c, brokerInfoFrame(auth.manager.broker, auth.manager.status, auth.username))
        return
    }
  }

  const onFrame = async (c: ClientConnection, text: string | undefined): Promise<void> => {
    if (text === undefined) {
      metrics.badFrames++
      fail(c, 'INVALID_JSON', 'Binary frames must hold UTF-8 JSON text')
      return
    }
    const parsed = parseClientMessage(text)
    if (!parsed.ok) {
      metrics.badFrames++
      fail(c, parsed.code, parsed.message)
      return
    }
    try {
      await handle(c, parsed.command)
    } catch (cause) {
      logger.error(
        { err: cause instanceof Error ? cause.stack : String(cause), client: c.id },
        'handler failed',
      )
      fail(c, 'SERVER_ERROR', 'The server could not process this message')
    }
  }

  const onClose = (c: ClientConnection): void => {
    clients.delete(c)
    const grace = graceTimers.get(c)
    if (grace !== undefined) timers.clearTimeout(grace)
    graceTimers.delete(c)
    detach(c)
  }

  // ---- periodic work ------------------------------------------------------------------------

  const loops: { handle: TimerHandle | undefined }[] = []
  const every = (ms: number, fn: () => void): void => {
    const loop: { handle: TimerHandle | undefined } = { handle: undefined }
    const run = (): void => {
      loop.handle = undefined
      if (closing) return
      try {
        fn()
      } catch (cause) {
        logger.error({ err: String(cause) }, 'periodic task failed')
      }
      loop.handle = timers.setTimeout(run, ms)
    }
    loop.handle = timers.setTimeout(run, ms)
    loops.push(loop)
  }

  let checking = false
  const credentialsChanged = async (username?: string): Promise<void> => {
    if (username !== undefined) identity.invalidate(username)
    const byGrant = new Map<string, ClientConnection[]>()
    for (const c of clients) {
      if (c.auth === undefined) continue
      if (username !== undefined && c.auth.username !== username) continue
      const list = byGrant.get(c.auth.grant.lookup) ?? []
      list.push(c)
      byGrant.set(c.auth.grant.lookup, list)
    }
    for (const list of byGrant.values()) {
      const grant = list[0]?.auth?.grant
      if (grant === undefined) continue
      if (await identity.isGrantValid(grant)) continue
      for (const c of list) {
        if (c.state !== 'open') continue
        metrics.keyRevocations++
        logger.info({ client: c.id, username: grant.username }, 'api key revoked: closing socket')
        c.closeWith(
          errorFrame(
            'AUTHENTICATION_ERROR',
            'Your API key was rotated or deleted; authenticate again with the new key',
          ),
          CLOSE.authFailed,
          'api key revoked',
        )
      }
    }
    hub.refresh((u) => identity.brokerOf(u))
  }

  const sweepSlow = (): void => {
    const now = clock.now()
    for (const c of clients) {
      const since = c.overSince
      if (since !== undefined && now - since >= limits.slowConsumerMs) {
        logger.warn({ client: c.id, overMs: now - since }, 'slow consumer evicted')
        c.evictSlow()
      }
    }
  }

  // ---- stats --------------------------------------------------------------------------------

  const stats = (): ProxyStats => {
    let queued = 0
    let maxQueued = 0
    let authenticated = 0
    let buffered = 0
    let maxBuffered = 0
    for (const c of clients) {
      queued += c.queued
      if (c.queued > maxQueued) maxQueued = c.queued
      buffered += c.bufferedBytes
      if (c.bufferedBytes > maxBuffered) maxBuffered = c.bufferedBytes
      if (c.auth !== undefined) authenticated++
    }
    return {
      ...metrics,
      clients: clients.size,
      authenticated,
      queuedFrames: queued,
      maxQueuedFrames: maxQueued,
      bufferedBytes: buffered,
      maxBufferedBytes: maxBuffered,
      feeds: hub.managers().map((m) => m.stats()),
    }
  }

  const onHttp = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' || (path !== '/health' && path !== '/metrics')) {
      res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' })
      res.end('This is the OpenAlgo WebSocket feed: connect with a WebSocket client.\n')
      return
    }
    const s = stats()
    const feeds = s.feeds.map(({ username: _u, ...rest }) => rest)
    const degraded = feeds.some((f) => f.status !== 'connected')
    const body =
      path === '/health'
        ? { status: degraded ? 'degraded' : 'ok', clients: s.clients, feeds }
        : { ...s, feeds }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(JSON.stringify(body))
  }

  return new Promise((resolve, reject) => {
    const http = createServer(onHttp)
    const wss = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxPayloadBytes,
      clientTracking: false,
      perMessageDeflate: false,
    })
    http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      if (closing) {
        socket.destroy()
        return
      }
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        const conn = createClientConnection(ws, socket, socket.remoteAddress ?? '', {
          clock,
          timers,
          metrics,
          limits,
          scheduleFlush,
          onFrame,
          onClose,
        })
        clients.add(conn)
        graceTimers.set(
          conn,
          timers.setTimeout(() => {
            graceTimers.delete(conn)
            if (conn.auth !== undefined || conn.state !== 'open') return
            metrics.authFailures++
            conn.closeWith(undefined, CLOSE.authFailed, 'auth timeout')
          }, limits.authGraceMs),
        )
      })
    })
    http.once('error', reject)
    http.listen(options.port, options.host, () => {
      http.off('error', reject)
      http.on('error', (cause) => logger.error({ err: String(cause) }, 'listener error'))
      every(limits.pingIntervalMs, () => {
        for (const c of clients) c.keepAlive(limits.pingTimeoutMs)
      })
      every(Math.max(50, Math.min(250, Math.floor(limits.slowConsumerMs / 4))), sweepSlow)
      every(limits.identityPollMs, () => {
        if (checking) return
        if (!identity.poll()) return
        checking = true
        void credentialsChanged()
          .catch((cause) => logger.error({ err: String(cause) }, 'credential check failed'))
          .finally(() => {
            checking = false
          })
      })
      const server: FeedServer = {
        address: http.address() as AddressInfo,
        metrics,
        stats,
        deliverOrderEvent: (username, seq, event) => router.deliver(username, seq, event),
        credentialsChanged,
        feeds: () => hub.managers(),
        async close() {
          if (closing) return
          closing = true
          for (const loop of loops) if (loop.handle !== undefined) timers.clearTimeout(loop.handle)
          for (const t of graceTimers.values()) timers.clearTimeout(t)
          graceTimers.clear()
          for (const c of [...clients])
            c.closeWith(undefined, CLOSE.goingAway, 'server shutting down')
          await hub.close()
          // the close handshakes get `closeGraceMs` (real time: this is I/O, not a time rule)
          const deadline = Date.now() + limits.closeGraceMs
          while (sockets.size > 0 && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 10))
          }
          for (const socket of sockets) socket.destroy()
          await new Promise<void>((done) => {
            http.close(() => done())
            http.closeAllConnections()
          })
        },
      }
      resolve(server)
    })
  })
}
