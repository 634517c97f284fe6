/**
 * The simulator's market-data adapter (streaming.md §2.2): a "socket" with no socket. Subscribed
 * instruments tick from the market core's tick generator, pumped on the injected timers, so a
 * test drives it with a manual clock. `forceDisconnect` lets tests exercise the host's handling of
 * a dropped feed: the adapter reports the drop, reconnects after a delay and resubscribes all.
 */
import {
  ok,
  type AdapterEvent,
  type AdapterStatus,
  type Clock,
  type InstrumentRef,
  type Logger,
  type MarketDataAdapter,
  type Result,
  type StreamMode,
  type SubscriptionAck,
  type SymbolResolver,
  type Tick,
  type TimerHandle,
  type Timers,
  type Unsubscribe,
} from '@oa/broker-sdk'
import type { Instrument, Market } from '../market/market.js'
import { createTickGenerator, type TickGenerator } from '../market/ticks.js'
import type { Tick as MarketTick } from '../market/types.js'

/** The simulator's adapter: a {@link MarketDataAdapter} that tests can disconnect. */
export interface SimulatorAdapter extends MarketDataAdapter {
  /**
   * Drops the connection as a broker would: `disconnected` (will reconnect) and `reconnecting`
   * now, then after `delayMs` `connected` and `resubscribed`, with every subscription kept. Ticks
   * of the outage are not replayed. A no-op unless the adapter is open.
   */
  forceDisconnect(reason?: string, delayMs?: number): void
}

/** Options of {@link createSimulatorAdapter}. */
export interface SimulatorAdapterOptions {
  market: Market
  clock: Clock
  timers: Timers
  logger: Logger
  /** ticks per second per instrument */
  ticksPerSecond: number
  /**
   * The host's symbol table. An instrument it lists but the market cannot price (a row the host
   * added itself) is accepted and stays silent, as a real feed accepts any valid token.
   */
  symbols?: SymbolResolver
  /** instruments one adapter accepts; default 3,000 (the manifest's cap) */
  maxSymbols?: number
  /** how often ticks are pumped out, ms; default 100 */
  pumpIntervalMs?: number
  /** delay before a forced disconnect reconnects, ms; default 1,000 */
  reconnectDelayMs?: number
}

/** A feed that fell behind (a paused process) skips ahead rather than replaying more than this. */
const MAX_BACKLOG_MS = 2_000

interface Subscription {
  ref: InstrumentRef
  /** undefined: listed by the host only, never ticks */
  instrument: Instrument | undefined
  mode: StreamMode
  depth: number
}

/** Creates a {@link SimulatorAdapter}; it starts nothing until `connect()`. */
export function createSimulatorAdapter(options: SimulatorAdapterOptions): SimulatorAdapter {
  const { market, clock, timers } = options
  const log = options.logger.child({ adapter: 'simulator' })
  const maxSymbols = options.maxSymbols ?? 3000
  const pumpMs = options.pumpIntervalMs ?? 100
  const reconnectDelayMs = options.reconnectDelayMs ?? 1000
  let status: AdapterStatus = 'idle'
  let generator: TickGenerator | undefined
  let pumpHandle: TimerHandle | undefined
  let reconnectHandle: TimerHandle | undefined
  const subs = new Map<string, Subscription>()
  const tickListeners = new Set<(tick: Tick) => void>()
  const eventListeners = new Set<(event: AdapterEvent) => void>()

  const emitEvent = (event: AdapterEvent): void => {
    for (const l of eventListeners) {
      try {
        l(event)
      } catch (cause) {
        log.error({ err: String(cause), event: event.type }, 'adapter event listener threw')
      }
    }
  }

  const emitTick = (t: MarketTick): void => {
    t.receivedTs = clock.now()
    const tick = asSdkTick(t)
    for (const l of tickListeners) {
      try {
        l(tick)
      } catch (cause) {
        log.error({ err: String(cause), symbol: t.symbol }, 'tick listener threw')
      }
    }
  }

  const pump = (): void => {
    pumpHandle = undefined
    if (status !== 'open' || generator === undefined) return
    const now = clock.now()
    if (now - generator.cursorMs > MAX_BACKLOG_MS) generator.skipTo(now - MAX_BACKLOG_MS)
    generator.advanceTo(now, emitTick)
    pumpHandle = timers.setTimeout(pump, pumpMs)
  }

  const stopPump = (): void => {
    if (pumpHandle !== undefined) timers.clearTimeout(pumpHandle)
    pumpHandle = undefined
  }

  const open = (): void => {
    const now = clock.now()
    if (generator === undefined) {
      generator = createTickGenerator(market, {
        startMs: now,
        ticksPerSecond: options.ticksPerSecond,
      })
      for (const s of subs.values())
        if (s.instrument !== undefined) generator.set(s.instrument, s.mode)
    } else {
      generator.skipTo(now)
    }
    status = 'open'
    emitEvent({ type: 'connected', atMs: now })
    stopPump()
    pumpHandle = timers.setTimeout(pump, pumpMs)
  }

  const keyOf = (ref: InstrumentRef): string => `${ref.exchange}:${ref.symbol}`

  return {
    get status() {
      return status
    },
    connect(): Promise<Result<void>> {
      if (status === 'closed') {
        status = 'idle'
        generator = undefined
      }
      if (status === 'idle') {
        status = 'connecting'
        open()
      }
      return Promise.resolve(ok(undefined))
    },
    subscribe(refs, mode, depth) {
      const acks: SubscriptionAck[] = []
      for (const ref of refs) {
        const key = keyOf(ref)
        const r = market.resolve(ref.symbol, ref.exchange)
        const listed = options.symbols?.getToken(ref.symbol, ref.exchange) !== undefined
        if (!r.ok && !listed) {
          const unsupported = r.error.code === 'exchange_not_supported'
          acks.push({
            ref,
            ok: false,
            code: unsupported ? 'exchange_not_supported' : 'symbol_not_found',
            message: unsupported
              ? r.error.message
              : `Symbol ${ref.symbol} not found for exchange ${ref.exchange}`,
          })
          continue
        }
        // an unknown symbol is never blamed on capacity (streaming.md §2.8)
        if (!subs.has(key) && subs.size >= maxSymbols) {
          acks.push({
            ref,
            ok: false,
            code: 'max_capacity_reached',
            message: `the simulator streams at most ${maxSymbols} instruments per connection`,
          })
          continue
        }
        const instrument = r.ok ? r.value : undefined
        // the simulator books five levels; a request for more is served five (as the reference does)
        const levels = mode === 3 ? Math.min(depth ?? 5, 5) : 5
        subs.set(key, {
          ref: { symbol: ref.symbol, exchange: ref.exchange },
          instrument,
          mode,
          depth: levels,
        })
        if (instrument !== undefined) generator?.set(instrument, mode)
        acks.push(mode === 3 ? { ref, ok: true, mode, depth: levels } : { ref, ok: true, mode })
      }
      return Promise.resolve(acks)
    },
    unsubscribe(refs) {
      const acks: SubscriptionAck[] = refs.map((ref) => {
        const s = subs.get(keyOf(ref))
        if (s === undefined) {
          return {
            ref,
            ok: false,
            code: 'not_subscribed',
            message: `${ref.exchange}:${ref.symbol} is not subscribed`,
          }
        }
        subs.delete(keyOf(ref))
        if (s.instrument !== undefined) generator?.remove(s.instrument)
        return { ref, ok: true, mode: s.mode }
      })
      return Promise.resolve(acks)
    },
    unsubscribeAll() {
      subs.clear()
      generator?.clear()
      return Promise.resolve()
    },
    close() {
      if (status === 'closed') return Promise.resolve()
      const wasConnected = status === 'open' || status === 'reconnecting'
      stopPump()
      if (reconnectHandle !== undefined) timers.clearTimeout(reconnectHandle)
      reconnectHandle = undefined
      status = 'closed'
      if (wasConnected) {
        emitEvent({
          type: 'disconnected',
          atMs: clock.now(),
          reason: 'closed',
          willReconnect: false,
        })
      }
      return Promise.resolve()
    },
    onTick(listener): Unsubscribe {
      tickListeners.add(listener)
      return () => tickListeners.delete(listener)
    },
    onEvent(listener): Unsubscribe {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    subscriptions() {
      const out = new Map<string, { ref: InstrumentRef; mode: StreamMode; depth: number }>()
      for (const [key, s] of subs) out.set(key, { ref: s.ref, mode: s.mode, depth: s.depth })
      return out
    },
    forceDisconnect(reason = 'simulated disconnect', delayMs = reconnectDelayMs) {
      if (status !== 'open') return
      stopPump()
      status = 'reconnecting'
      const now = clock.now()
      log.warn({ reason, delayMs }, 'simulated feed dropped')
      emitEvent({ type: 'disconnected', atMs: now, reason, willReconnect: true })
      emitEvent({ type: 'reconnecting', atMs: now, attempt: 1, delayMs })
      reconnectHandle = timers.setTimeout(() => {
        reconnectHandle = undefined
        if (status !== 'reconnecting') return
        open()
        emitEvent({ type: 'resubscribed', atMs: clock.now(), instruments: subs.size })
      }, delayMs)
    },
  }
}

/**
 * The market core's tick is the SDK's canonical tick field for field, with prices already integer
 * 1/10,000 rupee; only the `Inr4` brand and the exchange union differ, so it is passed as is.
 */
function asSdkTick(t: MarketTick): Tick {
  return t as unknown as Tick
}
