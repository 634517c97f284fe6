/**
 * `@oa/broker-sdk`: the broker plugin contract of oa (brokers.md §1.7), the normalized models,
 * OpenAlgo symbol grammar, shared helpers (HTTP, rate limiting, quotes batching, history chunking,
 * smart orders, streaming bookkeeping) and, under `@oa/broker-sdk/testing`, a mock broker server
 * and conformance suites.
 *
 * @example
 * ```ts
 * import { defineBroker, ok } from '@oa/broker-sdk'
 *
 * export const acme = defineBroker({
 *   manifest: acmeManifest,                 // validated here; throws when invalid
 *   createBroker: (ctx) => ({ ...acmeDriver(ctx) }),
 * })
 * const broker = acme.createBroker(ctx)      // host side: ctx carries http, clock, logger, symbols…
 * const placed = await broker.orders.placeSmart({ ...req, positionSize: 0 })
 * if (!placed.ok) log.warn({ code: placed.error.code }, placed.error.message)
 * ```
 */

// contract
export type {
  AuthFacet,
  BooksFacet,
  Broker,
  BrokerContext,
  BrokerCredentials,
  BrokerDefinition,
  BrokerDriver,
  BrokerPlugin,
  BrokerSession,
  CancelAllOutcome,
  CredentialLogin,
  DownloadProgress,
  HistoryOptions,
  InstrumentsFacet,
  LoginInput,
  MarketDataFacet,
  OAuthCallback,
  OrderUpdatesFacet,
  OrdersFacet,
  ParsedApiKey,
  PlacedOrder,
  QuoteBatchItem,
  SmartOrderOutcome,
  StreamingFacet,
} from './contract.js'
export {
  composeBroker,
  defineBroker,
  parseApiKeyWithFormat,
  parseManifest,
} from './define-broker.js'
export {
  ALL_EXCHANGES,
  AUTH_KINDS,
  apiKeyFormatSchema,
  brokerManifestSchema,
  rateLimitSchema,
  streamingLimitsSchema,
} from './manifest.js'
export type {
  ApiKeyFormat,
  AuthKind,
  BrokerManifest,
  BrokerManifestInput,
  RateLimit,
  StreamingLimits,
} from './manifest.js'

// injected dependencies
export { createSystemTimers, silentLogger, sleep } from './deps.js'
export type { Clock, LogFn, Logger, Random, TimerHandle, Timers } from './deps.js'

// results and errors
export { err, ok } from './result.js'
export type { Result } from './result.js'
export { BROKER_ERROR_CODES, BrokerError, isBrokerError } from './errors.js'
export type { BrokerErrorCode, BrokerErrorOptions } from './errors.js'
export { REDACTED, createRedactor, defaultRedactor } from './redact.js'
export type { Redactor, RedactorOptions } from './redact.js'

// money and dates
export {
  DECIMAL4_PATTERN,
  INR4_PER_RUPEE,
  ZERO_INR4,
  asInr4,
  divRound,
  formatInr,
  fromRupees,
  notional,
  parseInr4,
  toRupees,
  tryParseInr4,
} from './money.js'
export type { Inr4 } from './money.js'
export {
  IST_OFFSET_MS,
  dailyCandleTimestamp,
  formatIsoDate,
  istDayOf,
  istMidnightMs,
  parseIsoDate,
} from './dates.js'
export type { DayNumber } from './dates.js'

// enums
export {
  ACTIONS,
  EXCHANGES,
  FNO_EXCHANGES,
  INTERVALS,
  ORDER_STATUSES,
  PRICE_TYPES,
  PRODUCTS,
  QUOTE_ONLY_EXCHANGES,
  STREAM_MODES,
  TRADABLE_EXCHANGES,
  WORKING_ORDER_STATUSES,
  actionSchema,
  exchangeSchema,
  groupIntervals,
  intervalSchema,
  intervalSeconds,
  isExchange,
  orderStatusSchema,
  priceTypeSchema,
  productSchema,
  streamModeSchema,
  toWireOrderStatus,
} from './enums.js'
export type {
  Action,
  Exchange,
  Interval,
  OrderStatus,
  PriceType,
  Product,
  StreamMode,
} from './enums.js'

// models
export {
  candleSchema,
  depthLevelSchema,
  depthSchema,
  fundsSchema,
  holdingRowSchema,
  holdingStatsSchema,
  inr4Schema,
  instrumentKey,
  instrumentRefSchema,
  marginLegSchema,
  marginResultSchema,
  modifyRequestSchema,
  orderRequestSchema,
  orderRowSchema,
  orderStatsSchema,
  orderUpdateSchema,
  padDepth,
  positionRowSchema,
  priceSchema,
  quoteSchema,
  smartOrderRequestSchema,
  tradeRowSchema,
} from './models.js'
export type {
  Candle,
  Depth,
  DepthLevel,
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
  OrderUpdate,
  PositionRow,
  Quote,
  SmartOrderRequest,
  TradeRow,
} from './models.js'

// symbols
export { symbolRowSchema } from './symbols.js'
export type { SymbolResolver, SymbolRow } from './symbols.js'

// symbol grammar
export {
  CANONICAL_INDEX_NAMES,
  FUTURE_SYMBOL_PATTERN,
  MONTHS,
  OPTION_SYMBOL_PATTERN,
  expiryFromEpochMs,
  formatExpiry,
  formatExpiryCompact,
  formatFutureSymbol,
  formatOptionSymbol,
  formatStrike,
  isDerivativeSymbol,
  isValidExpiry,
  parseExpiry,
  parseSymbol,
  stripSeriesSuffix,
} from './symbol-grammar.js'
export type { ExpiryDate, ParsedSymbol } from './symbol-grammar.js'

// http
export { classifyHttpStatus, createHttpClient, parseRetryAfterMs, readJson } from './http-client.js'
export type { HttpClientOptions, PayloadSource } from './http-client.js'
export { createRateLimiter } from './rate-limiter.js'
export type { RateLimiterOptions } from './rate-limiter.js'
export { accountSecrets, createBrokerContext } from './runtime.js'
export type { BrokerContextOptions } from './runtime.js'
export type {
  HttpBody,
  HttpClient,
  HttpMethod,
  HttpRequest,
  HttpResponse,
  HttpStreamResponse,
  RateLimiter,
} from './http-types.js'

// streaming
export type {
  AdapterEvent,
  AdapterStatus,
  MarketDataAdapter,
  OrderUpdateSource,
  SubscriptionAck,
  SubscriptionErrorCode,
  Tick,
  TickLevel,
  Unsubscribe,
} from './streaming-types.js'

export { createSubscriptionBook } from './subscription-book.js'
export type { Subscriber, SubscriptionBook, SubscriptionChange } from './subscription-book.js'
export { createReconnectPolicy } from './reconnect-policy.js'
export type { ReconnectPolicy, ReconnectPolicyOptions } from './reconnect-policy.js'
export { createSocketAdapter } from './socket-adapter.js'
export type {
  DecodedFrame,
  ResolvedInstrument,
  SocketAdapterOptions,
  SocketFrame,
  SocketProtocol,
  TickData,
} from './socket-adapter.js'

// helpers
export { createKeyedMutex } from './keyed-mutex.js'
export type { KeyedMutex } from './keyed-mutex.js'
export {
  SMART_ORDER_MESSAGES,
  decideSmartOrder,
  netPosition,
  smartOrderKey,
} from './smart-order.js'
export type { SmartOrderDecision } from './smart-order.js'
export { computeHoldingStats, computeOrderStats, percentOf } from './stats.js'
export { fetchQuotes, symbolNotFoundMessage, toBatches } from './quotes.js'
export type { QuotesDeps } from './quotes.js'
export { estimateCandles, fetchHistory, mergeCandles, planHistoryChunks } from './history.js'
export type { HistoryChunk, HistoryDeps } from './history.js'

// OpenAlgo wire shapes (API edge)
export {
  toWireCandle,
  toWireDepth,
  toWireFunds,
  toWireHoldingRow,
  toWireHoldingStats,
  toWireMargin,
  toWireMultiQuoteItem,
  toWireOrderRow,
  toWireOrderStats,
  toWireOrderUpdate,
  toWirePositionRow,
  toWireQuote,
  toWireTickData,
  toWireTradeRow,
} from './wire.js'
