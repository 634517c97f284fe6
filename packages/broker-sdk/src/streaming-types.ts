import type { StreamMode } from './enums.js'
import type { BrokerErrorCode } from './errors.js'
import type { Inr4 } from './money.js'
import type { InstrumentRef, OrderUpdate } from './models.js'
import type { Result } from './result.js'

/** One level of streamed depth. */
export interface TickLevel {
  price: Inr4
  quantity: number
  /** number of orders at the level; 0 when the broker does not send it */
  orders: number
}

/**
 * The canonical tick every adapter emits (streaming.md §1.6). The proxy derives each client's
 * mode view from it; prices are {@link Inr4}, converted to rupees only on the wire.
 */
export interface Tick {
  symbol: string
  exchange: InstrumentRef['exchange']
  /** the richest mode this packet carries (a Depth packet also updates LTP and Quote views) */
  mode: StreamMode
  ltp: Inr4
  /** exchange timestamp of the last trade or packet, epoch ms; null when the broker omits it */
  exchangeTs: number | null
  /** when the adapter received the packet, epoch ms from the injected clock */
  receivedTs: number
  lastQty: number | null
  avgPrice: Inr4 | null
  volume: number | null
  open: Inr4 | null
  high: Inr4 | null
  low: Inr4 | null
  /** previous session close (the wire's `close`) */
  prevClose: Inr4 | null
  totalBuyQty: number | null
  totalSellQty: number | null
  oi: number | null
  change: Inr4 | null
  /** percent, display only */
  changePct: number | null
  depth?: { buy: TickLevel[]; sell: TickLevel[] }
  depthLevels?: number
}

/**
 * Adapter connection states (streaming.md §2.2). `auth_failed` is terminal until a new session
 * arrives; `closed` after `close()`.
 */
export type AdapterStatus =
  'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed' | 'auth_failed'

/** Status events an adapter reports; the proxy logs them and decides eviction. */
export type AdapterEvent =
  | { type: 'connected'; atMs: number }
  | { type: 'disconnected'; atMs: number; reason: string; willReconnect: boolean }
  | { type: 'reconnecting'; atMs: number; attempt: number; delayMs: number }
  | { type: 'stale'; atMs: number; silentMs: number }
  | { type: 'auth_failed'; atMs: number; message: string }
  | { type: 'resubscribed'; atMs: number; instruments: number }

/**
 * Per-instrument subscription codes (streaming.md §1.8), lower snake_case; the proxy forwards them
 * upper-cased on the v1 wire.
 */
export type SubscriptionErrorCode =
  | 'symbol_not_found'
  | 'max_capacity_reached'
  | 'invalid_depth'
  | 'exchange_not_supported'
  | 'not_subscribed'
  | 'subscription_error'
  | BrokerErrorCode

/** The answer for one instrument of a subscribe/unsubscribe call. */
export type SubscriptionAck =
  | { ref: InstrumentRef; ok: true; mode: StreamMode; depth?: number }
  | { ref: InstrumentRef; ok: false; code: SubscriptionErrorCode; message: string }

/** Removes the listener it was returned for. */
export type Unsubscribe = () => void

/**
 * A broker market-data socket (streaming.md §2.2). One adapter per (broker, user) connection; the
 * host's subscription manager decides the effective mode per instrument and calls `subscribe`
 * with it, so an adapter only frames, batches and decodes.
 */
export interface MarketDataAdapter {
  /** current connection state */
  readonly status: AdapterStatus
  /** Opens the socket; resolves once the broker acknowledged the session (or failed). */
  connect(): Promise<Result<void>>
  /**
   * Subscribes instruments at `mode` (a higher mode replaces a lower one for that instrument).
   * Batches to the manifest's `subscribeBatchSize`; answers per instrument, refusing beyond
   * `maxSymbolsPerConnection` with `max_capacity_reached`.
   */
  subscribe(
    refs: readonly InstrumentRef[],
    mode: StreamMode,
    depth?: number,
  ): Promise<SubscriptionAck[]>
  /** Unsubscribes instruments (all modes of them: the manager re-subscribes lower modes it keeps). */
  unsubscribe(refs: readonly InstrumentRef[]): Promise<SubscriptionAck[]>
  /** Drops every subscription but keeps the session (Flattrade/Shoonya prefer this to closing). */
  unsubscribeAll(): Promise<void>
  /** Closes the socket, cancels timers and rejects nothing later; idempotent. */
  close(): Promise<void>
  /** Registers a tick listener. */
  onTick(listener: (tick: Tick) => void): Unsubscribe
  /** Registers a status listener. */
  onEvent(listener: (event: AdapterEvent) => void): Unsubscribe
  /** instruments currently subscribed, with their mode (what a reconnect resubscribes) */
  subscriptions(): ReadonlyMap<string, { ref: InstrumentRef; mode: StreamMode; depth: number }>
}

/** A broker's push stream of order updates (streaming.md §2.7). */
export interface OrderUpdateSource {
  readonly status: AdapterStatus
  /** Opens the stream; resolves once the broker accepted the session. */
  start(): Promise<Result<void>>
  /** Stops the stream; idempotent. */
  close(): Promise<void>
  onUpdate(listener: (update: OrderUpdate) => void): Unsubscribe
  onEvent(listener: (event: AdapterEvent) => void): Unsubscribe
}
