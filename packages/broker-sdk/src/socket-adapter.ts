import { WebSocket } from 'ws'
import type { RawData } from 'ws'
import type { BrokerSession } from './contract.js'
import type { Clock, Logger, Random, TimerHandle, Timers } from './deps.js'
import type { StreamMode } from './enums.js'
import { BrokerError } from './errors.js'
import type { StreamingLimits } from './manifest.js'
import { instrumentKey } from './models.js'
import type { InstrumentRef } from './models.js'
import type { Inr4 } from './money.js'
import { toBatches } from './quotes.js'
import { createReconnectPolicy } from './reconnect-policy.js'
import { createRedactor } from './redact.js'
import { err, ok } from './result.js'
import type { Result } from './result.js'
import type {
  AdapterEvent,
  AdapterStatus,
  MarketDataAdapter,
  SubscriptionAck,
  Tick,
} from './streaming-types.js'
import type { SymbolResolver } from './symbols.js'

/** A frame to send: text or binary. */
export type SocketFrame = string | Uint8Array

/** An instrument resolved to what the broker socket calls it. */
export interface ResolvedInstrument {
  ref: InstrumentRef
  /** broker token from the symbol table */
  token: string
  /** broker exchange/segment from the symbol table */
  brExchange: string
  /** the key decoded ticks carry to name this instrument (defaults to `token`) */
  key: string
}

/** Tick fields a decoder produces; the adapter adds symbol, exchange and `receivedTs`. */
export type TickData = { mode: StreamMode; ltp: Inr4 } & Partial<
  Omit<Tick, 'symbol' | 'exchange' | 'receivedTs' | 'mode' | 'ltp'>
>

/** What one inbound frame meant. */
export type DecodedFrame =
  /** the broker accepted the session (for protocols with an auth ack) */
  | { type: 'ready' }
  /** the broker refused the session: stop, do not reconnect */
  | { type: 'auth_failed'; message: string }
  | { type: 'tick'; key: string; data: TickData }
  /** liveness only (heartbeats, acks) */
  | { type: 'heartbeat' }
  | { type: 'error'; message: string }

/**
 * The broker-specific half of a market-data socket: where to connect, how to frame subscriptions
 * and how to decode packets. {@link createSocketAdapter} does the rest (lifecycle, batching,
 * capacity, reconnect with backoff and token refresh, resubscription, stall watchdog, heartbeats).
 */
export interface SocketProtocol {
  /** URL (and headers) to open for a session. */
  target(session: BrokerSession): {
    url: string
    headers?: Record<string, string>
    protocols?: string[]
  }
  /** frames to send as soon as the socket opens (login) */
  openFrames?(session: BrokerSession): SocketFrame[]
  /** wait for a decoded `ready` before the adapter counts as open (brokers with an auth ack) */
  awaitReady?: boolean
  /** Decodes one inbound frame into zero or more events; must not throw on garbage (return `[]`). */
  decode(frame: string | Buffer): DecodedFrame[]
  /** frames subscribing a batch (at most `subscribeBatchSize`) at one mode */
  subscribeFrames(
    items: readonly ResolvedInstrument[],
    mode: StreamMode,
    depth: number,
  ): SocketFrame[]
  /** frames unsubscribing a batch that is currently at `mode` */
  unsubscribeFrames(items: readonly ResolvedInstrument[], mode: StreamMode): SocketFrame[]
  /** frames moving a batch between modes; default: unsubscribe at `from`, subscribe at `to` */
  changeModeFrames?(
    items: readonly ResolvedInstrument[],
    from: StreamMode,
    to: StreamMode,
    depth: number,
  ): SocketFrame[]
  /** how to resolve an instrument; default: token and brExchange from the symbol table, key = token */
  resolve?(ref: InstrumentRef, symbols: SymbolResolver): ResolvedInstrument | undefined
  /** an application-level heartbeat (Noren `{"t":"h"}` every 30 s) */
  heartbeat?: { everyMs: number; frame: SocketFrame }
}

/** Options of {@link createSocketAdapter}. */
export interface SocketAdapterOptions {
  brokerId: string
  protocol: SocketProtocol
  session: BrokerSession
  limits: StreamingLimits
  symbols: SymbolResolver
  clock: Clock
  timers: Timers
  logger: Logger
  random?: Random | undefined
  /** re-reads the session before each reconnect (tokens roll over around 03:00 IST) */
  refreshSession?: (() => Promise<BrokerSession | undefined>) | undefined
  /** stall checks run only while this says the market is open; default: always */
  isMarketOpen?: ((nowMs: number) => boolean) | undefined
  /** how long to wait for the broker's auth ack; default 15 000 ms */
  readyTimeoutMs?: number | undefined
}

interface Subscription {
  ref: InstrumentRef
  mode: StreamMode
  depth: number
  resolved: ResolvedInstrument
}

function defaultResolve(
  ref: InstrumentRef,
  symbols: SymbolResolver,
): ResolvedInstrument | undefined {
  const token = symbols.getToken(ref.symbol, ref.exchange)
  if (token === undefined) return undefined
  return {
    ref,
    token,
    brExchange: symbols.getBrExchange(ref.symbol, ref.exchange) ?? ref.exchange,
    key: token,
  }
}

const EMPTY_TICK: Omit<Tick, 'symbol' | 'exchange' | 'mode' | 'ltp' | 'receivedTs'> = {
  exchangeTs: null,
  lastQty: null,
  avgPrice: null,
  volume: null,
  open: null,
  high: null,
  low: null,
  prevClose: null,
  totalBuyQty: null,
  totalSellQty: null,
  oi: null,
  change: null,
  changePct: null,
}

/**
 * Builds a {@link MarketDataAdapter} from a {@link SocketProtocol} on the `ws` client
 * (streaming.md §2.2, §2.5): one socket; subscriptions batched to `subscribeBatchSize` and capped
 * at `maxSymbolsPerConnection` (`max_capacity_reached` per instrument beyond it); reconnect with
 * full-jitter backoff from `limits.reconnect`, a refreshed session, and one resubscription of
 * everything; stop on auth rejection (HTTP 401/403 handshake or a decoded `auth_failed`) with an
 * `auth_failed` event; a stall watchdog that replaces a silent socket; `close()` leaves no timer
 * or socket behind. All timers go through the injected `timers`.
 */
export function createSocketAdapter(options: SocketAdapterOptions): MarketDataAdapter {
  const { protocol, limits, clock, timers, brokerId } = options
  const logger = options.logger.child({ broker: brokerId, component: 'market-data-socket' })
  let session = options.session
  let redactor = createRedactor({ secrets: [session.authToken, session.feedToken] })
  const policy = createReconnectPolicy({ ...limits.reconnect, clock, random: options.random })
  const resolve = (ref: InstrumentRef): ResolvedInstrument | undefined =>
    (protocol.resolve ?? defaultResolve)(ref, options.symbols)
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000

  let status: AdapterStatus = 'idle'
  let socket: WebSocket | undefined
  let closedByUser = false
  let everOpen = false
  let lastFrameAt = clock.now()
  let reconnectTimer: TimerHandle | undefined
  let stallTimer: TimerHandle | undefined
  let heartbeatTimer: TimerHandle | undefined
  const subs = new Map<string, Subscription>()
  const byKey = new Map<string, InstrumentRef[]>()
  const tickListeners = new Set<(tick: Tick) => void>()
  const eventListeners = new Set<(event: AdapterEvent) => void>()

  const emit = (event: AdapterEvent): void => {
    for (const listener of eventListeners) {
      try {
        listener(event)
      } catch (cause) {
        logger.error({ err: cause }, 'adapter event listener threw')
      }
    }
  }

  const send = (frames: readonly SocketFrame[]): void => {
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) return
    for (const frame of frames) socket.send(frame)
  }

  const index = (sub: Subscription): void => {
    const list = byKey.get(sub.resolved.key) ?? []
    if (!list.some((r) => instrumentKey(r) === instrumentKey(sub.ref))) list.push(sub.ref)
    byKey.set(sub.resolved.key, list)
  }
  const unindex = (sub: Subscription): void => {
    const list = (byKey.get(sub.resolved.key) ?? []).filter(
      (r) => instrumentKey(r) !== instrumentKey(sub.ref),
    )
    if (list.length === 0) byKey.delete(sub.resolved.key)
    else byKey.set(sub.resolved.key, list)
  }

  const sendSubscribe = (items: readonly Subscription[]): void => {
    const groups = new Map<string, Subscription[]>()
    for (const sub of items) {
      const key = `${sub.mode}:${sub.depth}`
      groups.set(key, [...(groups.get(key) ?? []), sub])
    }
    for (const group of groups.values()) {
      const first = group[0]
      if (first === undefined) continue
      for (const batch of toBatches(group, limits.subscribeBatchSize)) {
        send(
          protocol.subscribeFrames(
            batch.map((s) => s.resolved),
            first.mode,
            first.depth,
          ),
        )
      }
    }
  }

  const clearTimer = (handle: TimerHandle | undefined): undefined => {
    if (handle !== undefined) timers.clearTimeout(handle)
    return undefined
  }

  const stopLoops = (): void => {
    stallTimer = clearTimer(stallTimer)
    heartbeatTimer = clearTimer(heartbeatTimer)
  }

  const startLoops = (): void => {
    const checkEveryMs = Math.max(1_000, Math.floor(limits.stallTimeoutMs / 3))
    const stallCheck = (): void => {
      stallTimer = timers.setTimeout(stallCheck, checkEveryMs)
      if (status !== 'open' || subs.size === 0) return
      if (options.isMarketOpen !== undefined && !options.isMarketOpen(clock.now())) return
      const silentMs = clock.now() - lastFrameAt
      if (silentMs >= limits.stallTimeoutMs) {
        logger.warn({ silentMs }, 'market data socket stalled, reconnecting')
        emit({ type: 'stale', atMs: clock.now(), silentMs })
        socket?.terminate()
      }
    }
    stallTimer = timers.setTimeout(stallCheck, checkEveryMs)
    const beat = protocol.heartbeat
    if (beat !== undefined) {
      const tick = (): void => {
        send([beat.frame])
        heartbeatTimer = timers.setTimeout(tick, beat.everyMs)
      }
      heartbeatTimer = timers.setTimeout(tick, beat.everyMs)
    }
  }

  const authFailed = (message: string): void => {
    status = 'auth_failed'
    stopLoops()
    reconnectTimer = clearTimer(reconnectTimer)
    logger.warn({ message: redactor.text(message) }, 'market data socket auth rejected')
    emit({ type: 'auth_failed', atMs: clock.now(), message })
  }

  const scheduleReconnect = (): void => {
    const delayMs = policy.nextDelayMs()
    if (delayMs === undefined) {
      status = 'closed'
      logger.error({ attempts: policy.attempts }, 'market data socket gave up reconnecting')
      emit({
        type: 'disconnected',
        atMs: clock.now(),
        reason: 'reconnect attempts exhausted',
        willReconnect: false,
      })
      return
    }
    status = 'reconnecting'
    emit({ type: 'reconnecting', atMs: clock.now(), attempt: policy.attempts, delayMs })
    reconnectTimer = timers.setTimeout(() => {
      reconnectTimer = undefined
      void (async () => {
        if (closedByUser || status !== 'reconnecting') return
        if (options.refreshSession !== undefined) {
          try {
            const fresh = await options.refreshSession()
            if (fresh !== undefined) {
              session = fresh
              redactor = createRedactor({ secrets: [session.authToken, session.feedToken] })
            }
          } catch (cause) {
            logger.warn(
              { err: redactor.value(cause) },
              'session refresh failed, reusing the old session',
            )
          }
        }
        if (closedByUser || status !== 'reconnecting') return
        await open()
      })()
    }, delayMs)
  }

  const open = (): Promise<Result<void>> =>
    new Promise((settleOuter) => {
      let settled = false
      const settle = (result: Result<void>): void => {
        if (!settled) {
          settled = true
          settleOuter(result)
        }
      }
      const target = protocol.target(session)
      const ws = new WebSocket(target.url, target.protocols, {
        headers: target.headers,
        handshakeTimeout: readyTimeoutMs,
      })
      socket = ws
      let readyTimer: TimerHandle | undefined
      let authRejected = false

      const onReady = (): void => {
        if (status === 'open' || socket !== ws) return
        readyTimer = clearTimer(readyTimer)
        const reconnected = everOpen
        everOpen = true
        status = 'open'
        lastFrameAt = clock.now()
        policy.onConnected()
        logger.info({ reconnected, subscriptions: subs.size }, 'market data socket open')
        emit({ type: 'connected', atMs: clock.now() })
        if (subs.size > 0) {
          sendSubscribe([...subs.values()])
          if (reconnected) emit({ type: 'resubscribed', atMs: clock.now(), instruments: subs.size })
        }
        startLoops()
        settle(ok(undefined))
      }

      ws.on('unexpected-response', (_req, res) => {
        const code = res.statusCode ?? 0
        authRejected = code === 401 || code === 403
        res.resume()
        ws.terminate()
        if (authRejected) {
          authFailed(`the broker refused the market data session (HTTP ${code})`)
          settle(
            err(
              new BrokerError(
                'auth_expired',
                `${brokerId} refused the market data session (HTTP ${code})`,
                { httpStatus: code },
              ),
            ),
          )
        } else {
          settle(
            err(
              new BrokerError(
                'broker_down',
                `${brokerId} market data handshake failed (HTTP ${code})`,
                { httpStatus: code },
              ),
            ),
          )
        }
      })
      ws.on('open', () => {
        if (socket !== ws) return
        lastFrameAt = clock.now()
        const frames = protocol.openFrames?.(session) ?? []
        for (const frame of frames) ws.send(frame)
        if (protocol.awaitReady === true) {
          readyTimer = timers.setTimeout(() => {
            logger.warn({ readyTimeoutMs }, 'market data socket got no auth ack')
            ws.terminate()
          }, readyTimeoutMs)
        } else {
          onReady()
        }
      })
      ws.on('message', (data: RawData, isBinary: boolean) => {
        if (socket !== ws) return
        lastFrameAt = clock.now()
        const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
        let decoded: DecodedFrame[]
        try {
          decoded = protocol.decode(isBinary ? buffer : buffer.toString('utf8'))
        } catch (cause) {
          logger.error({ err: redactor.value(cause) }, 'market data decoder threw')
          return
        }
        for (const frame of decoded) {
          if (frame.type === 'ready') onReady()
          else if (frame.type === 'auth_failed') {
            authRejected = true
            authFailed(frame.message)
            settle(err(new BrokerError('auth_expired', frame.message)))
            ws.terminate()
          } else if (frame.type === 'tick') deliver(frame.key, frame.data)
          else if (frame.type === 'error')
            logger.warn({ message: redactor.text(frame.message) }, 'market data socket error frame')
        }
      })
      ws.on('error', (cause) => {
        logger.debug({ err: redactor.value(cause) }, 'market data socket error')
      })
      ws.on('close', (code: number, reason: Buffer) => {
        readyTimer = clearTimer(readyTimer)
        if (!settled) {
          settle(
            err(
              new BrokerError(
                'broker_down',
                `${brokerId} market data socket closed before it was ready (code ${code})`,
              ),
            ),
          )
        }
        if (socket !== ws) return
        socket = undefined
        stopLoops()
        if (closedByUser || authRejected || status === 'auth_failed' || status === 'closed') return
        const wasOpen = status === 'open'
        policy.onDisconnected()
        if (!everOpen) {
          // a first connect that failed: report it to the caller of connect(), do not retry on our own
          status = 'idle'
          return
        }
        if (wasOpen) {
          logger.warn(
            { code, reason: redactor.text(reason.toString('utf8')) },
            'market data socket dropped',
          )
          emit({
            type: 'disconnected',
            atMs: clock.now(),
            reason: `code ${code}`,
            willReconnect: true,
          })
        }
        scheduleReconnect()
      })
    })

  const deliver = (key: string, data: TickData): void => {
    const refs = byKey.get(key)
    if (refs === undefined) return
    const receivedTs = clock.now()
    for (const ref of refs) {
      const tick: Tick = {
        ...EMPTY_TICK,
        ...data,
        symbol: ref.symbol,
        exchange: ref.exchange,
        receivedTs,
      }
      for (const listener of tickListeners) {
        try {
          listener(tick)
        } catch (cause) {
          logger.error({ err: cause }, 'tick listener threw')
        }
      }
    }
  }

  const adapter: MarketDataAdapter = {
    get status() {
      return status
    },
    async connect() {
      if (closedByUser)
        return err(new BrokerError('invalid_input', 'this adapter was closed; create a new one'))
      if (status === 'open') return ok(undefined)
      if (status === 'auth_failed')
        return err(new BrokerError('auth_expired', 'the broker refused this session; log in again'))
      status = 'connecting'
      return open()
    },
    async subscribe(refs, mode, depth = 5) {
      const acks: SubscriptionAck[] = []
      const fresh: Subscription[] = []
      const changed: { sub: Subscription; from: StreamMode }[] = []
      for (const ref of refs) {
        const key = instrumentKey(ref)
        const wanted = mode === 3 ? depth : 5
        if (mode === 3) {
          const allowed = limits.depthLevels[ref.exchange] ?? [5]
          if (!allowed.includes(depth)) {
            acks.push({
              ref,
              ok: false,
              code: 'invalid_depth',
              message: `Invalid depth level ${depth}. Must be ${allowed.join(' or ')}`,
            })
            continue
          }
        }
        const existing = subs.get(key)
        if (existing !== undefined) {
          if (existing.mode !== mode || existing.depth !== wanted) {
            changed.push({ sub: existing, from: existing.mode })
            existing.mode = mode
            existing.depth = wanted
          }
          acks.push({ ref, ok: true, mode, ...(mode === 3 ? { depth: wanted } : {}) })
          continue
        }
        const resolved = resolve(ref)
        if (resolved === undefined) {
          acks.push({
            ref,
            ok: false,
            code: 'symbol_not_found',
            message: `Symbol ${ref.symbol} not found for exchange ${ref.exchange}`,
          })
          continue
        }
        if (subs.size >= limits.maxSymbolsPerConnection) {
          acks.push({
            ref,
            ok: false,
            code: 'max_capacity_reached',
            message: `Maximum capacity reached: ${limits.maxSymbolsPerConnection} symbols per connection. Currently subscribed to ${subs.size} symbols.`,
          })
          continue
        }
        const sub: Subscription = {
          ref: { symbol: ref.symbol, exchange: ref.exchange },
          mode,
          depth: wanted,
          resolved,
        }
        subs.set(key, sub)
        index(sub)
        fresh.push(sub)
        acks.push({ ref, ok: true, mode, ...(mode === 3 ? { depth: wanted } : {}) })
      }
      if (status === 'open') {
        sendSubscribe(fresh)
        for (const { sub, from } of changed) {
          const items = [sub.resolved]
          send(
            protocol.changeModeFrames?.(items, from, sub.mode, sub.depth) ?? [
              ...protocol.unsubscribeFrames(items, from),
              ...protocol.subscribeFrames(items, sub.mode, sub.depth),
            ],
          )
        }
      }
      return acks
    },
    async unsubscribe(refs) {
      const acks: SubscriptionAck[] = []
      const gone: Subscription[] = []
      for (const ref of refs) {
        const sub = subs.get(instrumentKey(ref))
        if (sub === undefined) {
          acks.push({
            ref,
            ok: false,
            code: 'not_subscribed',
            message: `${ref.exchange}:${ref.symbol} is not subscribed`,
          })
          continue
        }
        subs.delete(instrumentKey(ref))
        unindex(sub)
        gone.push(sub)
        acks.push({ ref, ok: true, mode: sub.mode })
      }
      if (status === 'open') {
        for (const mode of [1, 2, 3] as const) {
          const atMode = gone.filter((s) => s.mode === mode)
          for (const batch of toBatches(atMode, limits.subscribeBatchSize)) {
            send(
              protocol.unsubscribeFrames(
                batch.map((s) => s.resolved),
                mode,
              ),
            )
          }
        }
      }
      return acks
    },
    async unsubscribeAll() {
      await adapter.unsubscribe([...subs.values()].map((s) => s.ref))
    },
    close() {
      if (closedByUser && socket === undefined) return Promise.resolve()
      closedByUser = true
      status = 'closed'
      stopLoops()
      reconnectTimer = clearTimer(reconnectTimer)
      const ws = socket
      if (ws === undefined || ws.readyState === WebSocket.CLOSED) {
        socket = undefined
        return Promise.resolve()
      }
      return new Promise<void>((resolveClose) => {
        const fallback = timers.setTimeout(() => ws.terminate(), 1_000)
        ws.once('close', () => {
          timers.clearTimeout(fallback)
          socket = undefined
          resolveClose()
        })
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate()
        else ws.close(1000, 'client closing')
      })
    },
    onTick(listener) {
      tickListeners.add(listener)
      return () => tickListeners.delete(listener)
    },
    onEvent(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    subscriptions() {
      const out = new Map<string, { ref: InstrumentRef; mode: StreamMode; depth: number }>()
      for (const [key, sub] of subs)
        out.set(key, { ref: sub.ref, mode: sub.mode, depth: sub.depth })
      return out
    },
  }
  return adapter
}
