/**
 * The broker plugin contract (brokers.md §1.7, STYLE.md §15). A broker author writes a
 * {@link BrokerDriver}; `defineBroker` wraps it into the {@link Broker} the host uses, adding what
 * is implemented once for everyone: smart orders, quote batching with fallback, history chunking,
 * order statistics, cancel-all and close-all defaults, and the guarantee that nothing throws.
 */
import type { Clock, Logger, Timers } from './deps.js'
import type { Interval } from './enums.js'
import type { HttpClient, RateLimiter } from './http-types.js'
import type { BrokerError } from './errors.js'
import type { BrokerManifest, BrokerManifestInput } from './manifest.js'
import type {
  Candle,
  Depth,
  Funds,
  HoldingRow,
  HoldingStats,
  InstrumentRef,
  MarginLeg,
  MarginResult,
  ModifyRequest,
  MultiQuoteItem,
  OrderRequest,
  OrderRow,
  OrderStats,
  PositionRow,
  Quote,
  SmartOrderRequest,
  TradeRow,
} from './models.js'
import type { Result } from './result.js'
import type { MarketDataAdapter, OrderUpdateSource } from './streaming-types.js'
import type { SymbolResolver, SymbolRow } from './symbols.js'

/** The account's broker credentials (`BROKER_API_KEY` etc.), handed in by the host. */
export interface BrokerCredentials {
  /** `BROKER_API_KEY`, possibly compound (`client_id:::api_key`; see `parseApiKey`) */
  apiKey: string
  /** `BROKER_API_SECRET` */
  apiSecret: string
  /** separate market-data key pair, for brokers that issue one */
  marketApiKey?: string
  marketApiSecret?: string
}

/** The per-day broker session persisted after login (brokers.md §1.5). */
export interface BrokerSession {
  /** the stored auth token, in the broker's documented composition (Zerodha `api_key:access_token`) */
  authToken: string
  /** market-data token where the broker issues a second one (Angel) */
  feedToken?: string
  /** broker-side user/client id where requests need it (Dhan, Angel) */
  brokerUserId?: string
  /** when the broker says the session ends, epoch ms */
  expiresAtMs?: number
}

/** The parts of a compound `BROKER_API_KEY`, by the names in `manifest.apiKeyFormat.parts`. */
export type ParsedApiKey = Readonly<Record<string, string>>

/**
 * Everything a broker touches, injected (brokers.md §1.7). Nothing else: no `process.env`, no
 * module state, no global fetch.
 */
export interface BrokerContext {
  /** HTTP with the manifest's endpoints (overridable), retries, limiter and redaction */
  http: HttpClient
  clock: Clock
  timers: Timers
  logger: Logger
  /** the account's limiter, also used by `http`; exposed for WebSocket subscribe pacing */
  limiter?: RateLimiter
  credentials: BrokerCredentials
  symbols: SymbolResolver
  /** the current session; absent before login (calls needing it answer `auth_required`) */
  session?: BrokerSession
  /**
   * Re-reads the stored session, bypassing caches (brokers.md §1.5 "a single refresh hook"):
   * streaming adapters call it before reconnecting, since tokens roll over around 03:00 IST.
   * Resolves `undefined` when there is no session any more.
   */
  refreshSession?: () => Promise<BrokerSession | undefined>
  /** resolved endpoints (manifest defaults merged with host overrides), for WebSocket URLs */
  endpoints: Readonly<Record<string, string>>
}

/** The broker's redirect back to us after an OAuth login. */
export interface OAuthCallback {
  kind: 'oauth'
  /** the callback's query parameters (`request_token`, `code`, `auth_code`, `tokenId`, `state`…) */
  params: Readonly<Record<string, string>>
  redirectUri: string
}

/** A credentials + TOTP login (Angel, 5paisa). */
export interface CredentialLogin {
  kind: 'credentials'
  clientCode: string
  /** PIN or password, as the broker calls it */
  secret: string
  totp: string
}

/** The login input `completeLogin` accepts. */
export type LoginInput = OAuthCallback | CredentialLogin

/** Login and session checks. */
export interface AuthFacet {
  /** The URL to send the trader to, or null for non-redirect logins. Must match brokers.md §3 byte for byte. */
  loginUrl(redirectUri: string, state: string): string | null
  /** Exchanges the callback or credentials for a session; auth failures are `auth_required`. */
  completeLogin(input: LoginInput): Promise<Result<BrokerSession>>
  /** Checks a stored session still works; `auth_expired` when the broker refuses it. */
  validateSession(session: BrokerSession): Promise<Result<void>>
}

/** What a successful `place` returns: success means a non-empty broker order id. */
export interface PlacedOrder {
  orderId: string
  /** the broker's answer, redacted, for audit logs */
  raw?: unknown
}

/** The answer of a smart order: an order id when an order was needed, and a message for the trader. */
export interface SmartOrderOutcome {
  orderId?: string
  message: string
  /** the order the SDK placed, if any */
  placed?: { action: OrderRequest['action']; quantity: number }
}

/** The outcome of cancel-all: ids cancelled, and ids that failed with why. */
export interface CancelAllOutcome {
  cancelled: string[]
  failed: { orderId: string; reason: string }[]
}

/** Orders facet as the host sees it. */
export interface OrdersFacet {
  place(req: OrderRequest): Promise<Result<PlacedOrder>>
  /** Position-aware order (brokers.md §1.6), serialized per symbol:exchange:product. */
  placeSmart(req: SmartOrderRequest): Promise<Result<SmartOrderOutcome>>
  modify(req: ModifyRequest): Promise<Result<{ orderId: string }>>
  cancel(orderId: string): Promise<Result<{ orderId: string }>>
  cancelAll(): Promise<Result<CancelAllOutcome>>
  closeAllPositions(): Promise<Result<{ message: string; closed: number; failed: number }>>
}

/** Books facet as the host sees it. */
export interface BooksFacet {
  orderBook(): Promise<Result<{ orders: OrderRow[]; statistics: OrderStats }>>
  tradeBook(): Promise<Result<TradeRow[]>>
  positions(): Promise<Result<PositionRow[]>>
  holdings(): Promise<Result<{ holdings: HoldingRow[]; statistics: HoldingStats }>>
}

/** Options of a history call. */
export interface HistoryOptions {
  /**
   * When the range is estimated to exceed `manifest.historyMaxCandles`: `false` (default) answers
   * `invalid_input`; `true` moves `from` forward so the newest candles that fit are returned.
   */
  clamp?: boolean
}

/** Market data as the host sees it. */
export interface MarketDataFacet {
  /** the advertised intervals (manifest) */
  intervals(): Interval[]
  quote(ref: InstrumentRef): Promise<Result<Quote>>
  /** Quotes for many instruments, batched by `quoteBatchSize`, falling back per symbol; never fails as a whole. */
  quotes(refs: readonly InstrumentRef[]): Promise<MultiQuoteItem[]>
  depth(ref: InstrumentRef): Promise<Result<Depth>>
  /** Candles for `from..to` (`YYYY-MM-DD`, IST dates, inclusive), chunked, merged, ascending. */
  history(
    ref: InstrumentRef,
    interval: Interval,
    from: string,
    to: string,
    options?: HistoryOptions,
  ): Promise<Result<Candle[]>>
}

/** Progress of a master-contract download. */
export interface DownloadProgress {
  /** which file/segment is being read */
  stage: string
  rows: number
}

/** Master contract. */
export interface InstrumentsFacet {
  /** Streams the master contract as rows; the host owns the table swap. */
  downloadMaster(progress?: (p: DownloadProgress) => void): AsyncIterable<SymbolRow>
}

/** Market-data streaming. */
export interface StreamingFacet {
  createMarketDataAdapter(session: BrokerSession): MarketDataAdapter
}

/** Order updates: a push source, or `'poll'` to have the host diff the order book. */
export type OrderUpdatesFacet =
  { createOrderUpdateSource(session: BrokerSession): OrderUpdateSource } | 'poll'

/** The broker as the host uses it (built by `defineBroker`). */
export interface Broker {
  readonly id: string
  readonly manifest: BrokerManifest
  readonly auth: AuthFacet
  readonly orders: OrdersFacet
  readonly books: BooksFacet
  funds(): Promise<Result<Funds>>
  /** basket margin, when the broker has a margin API */
  readonly margin?: { basketMargin(legs: readonly MarginLeg[]): Promise<Result<MarginResult>> }
  readonly marketData: MarketDataFacet
  readonly instruments: InstrumentsFacet
  readonly streaming?: StreamingFacet
  readonly orderUpdates: OrderUpdatesFacet
}

/** One item of a driver's batched quote answer; items the driver leaves out are fetched one by one. */
export type QuoteBatchItem =
  { ref: InstrumentRef; quote: Quote } | { ref: InstrumentRef; error: BrokerError }

/**
 * What a broker author implements. Everything with a default in the SDK is optional; every
 * method answers a {@link Result} (throwing is a bug: the SDK logs it and answers `unknown`).
 */
export interface BrokerDriver {
  auth: AuthFacet
  orders: {
    place(req: OrderRequest): Promise<Result<PlacedOrder>>
    modify(req: ModifyRequest): Promise<Result<{ orderId: string }>>
    cancel(orderId: string): Promise<Result<{ orderId: string }>>
    /** optional: default cancels each open/trigger-pending order of the order book */
    cancelAll?(): Promise<Result<CancelAllOutcome>>
    /** optional: default places a MARKET order against each non-zero position */
    closeAllPositions?(): Promise<Result<{ message: string; closed: number; failed: number }>>
  }
  books: {
    /** rows only; the SDK computes statistics */
    orderBook(): Promise<Result<OrderRow[]>>
    tradeBook(): Promise<Result<TradeRow[]>>
    positions(): Promise<Result<PositionRow[]>>
    /** rows, and statistics when the broker reports its own (else the SDK computes them) */
    holdings(): Promise<Result<{ holdings: HoldingRow[]; statistics?: HoldingStats }>>
  }
  funds(): Promise<Result<Funds>>
  margin?: { basketMargin(legs: readonly MarginLeg[]): Promise<Result<MarginResult>> }
  marketData: {
    quote(ref: InstrumentRef): Promise<Result<Quote>>
    /** optional batch endpoint; called with at most `quoteBatchSize` resolved instruments */
    quotesBatch?(refs: readonly InstrumentRef[]): Promise<Result<QuoteBatchItem[]>>
    depth(ref: InstrumentRef): Promise<Result<Depth>>
    /** one chunk: `from..to` inclusive IST dates no longer than `historyChunkDays[interval]` */
    history(
      ref: InstrumentRef,
      interval: Interval,
      from: string,
      to: string,
    ): Promise<Result<Candle[]>>
  }
  instruments: InstrumentsFacet
  streaming?: StreamingFacet
  orderUpdates: OrderUpdatesFacet
}

/** What `defineBroker` takes. */
export interface BrokerDefinition {
  /** the manifest as written; validated (and defaults applied) by `defineBroker` */
  manifest: BrokerManifestInput
  createBroker(ctx: BrokerContext): BrokerDriver
  /** splits `BROKER_API_KEY`; defaults to splitting by `manifest.apiKeyFormat` */
  parseApiKey?(raw: string): Result<ParsedApiKey>
}

/** A registered broker package: its manifest, a factory for the host, and the raw driver factory. */
export interface BrokerPlugin {
  readonly manifest: BrokerManifest
  /** Builds the host-facing {@link Broker} around the author's driver. */
  createBroker(ctx: BrokerContext): Broker
  /** The author's factory, unwrapped (the conformance kit instruments it). */
  createDriver(ctx: BrokerContext): BrokerDriver
  parseApiKey(raw: string): Result<ParsedApiKey>
}
