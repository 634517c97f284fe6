/**
 * `@oa/sandbox-engine`: an embeddable paper-trading engine for Indian markets (OpenAlgo's
 * analyzer mode): orders, fills, SPAN-like margins, positions, holdings with T+1, MIS square-off,
 * F&O expiry and funds, exact to 1/10,000 ₹, with the clock, prices, instruments and store
 * injected. It owns no timer: the host calls `runDue()` (or uses `createSandboxCron`).
 *
 * @example
 * ```ts
 * import { createManualClock, createMemoryStore, createPriceBook, createInstrumentTable,
 *   createSandboxEngine, parseInr4 } from '@oa/sandbox-engine'
 * const clock = createManualClock('2025-04-15T10:00:00+05:30')
 * const prices = createPriceBook()
 * prices.set('SBIN', 'NSE', parseInr4('800'))
 * const instruments = createInstrumentTable([
 *   { symbol: 'SBIN', exchange: 'NSE', lotSize: 1, tickSize: parseInr4('0.05'), instrumentType: 'EQ' },
 * ])
 * const engine = createSandboxEngine({ clock, prices, instruments, store: createMemoryStore() })
 * await engine.placeOrder('alice', { symbol: 'SBIN', exchange: 'NSE', action: 'BUY', quantity: 10,
 *   priceType: 'MARKET', product: 'MIS' })
 * console.log(await engine.positions('alice'), await engine.funds('alice'))
 * ```
 */
export { createSandboxEngine } from './engine/engine.js'
export type { CommitScheduler } from './engine/group-commit.js'
export type {
  OrderChanges,
  SandboxEngine,
  SandboxEngineDeps,
  SmartOrderRequest,
} from './engine/engine.js'
export type {
  BasketLegResult,
  CancelAllResult,
  CloseAllResult,
  DueReport,
  FundsAudit,
  FundsView,
  HoldingsView,
  HoldingView,
  MarginEstimate,
  MarginEstimateResult,
  PositionView,
  SettlementRecord,
  SmartOrderResult,
  SplitChunkResult,
  SplitOrderResult,
} from './engine/views.js'
export { SandboxError } from './errors.js'
export type { SandboxErrorCode } from './errors.js'
export {
  asInr4,
  divRound,
  formatInr4,
  INR4_PER_RUPEE,
  isTickMultiple,
  mulDiv,
  notional,
  parseInr4,
  toRupees,
} from './money.js'
export type { Inr4, RoundingMode } from './money.js'
export {
  DERIVATIVE_EXCHANGES,
  defaultSandboxConfig,
  EQUITY_EXCHANGES,
  resolveConfig,
} from './config.js'
export type { MarginRate, ResetDay, SandboxConfig, SandboxConfigInput } from './config.js'
export { groupMargin, marginGroupKey } from './margin.js'
export type { MarginBreakdown, MarginLeg } from './margin.js'
export { createCountingIds, silentLogger } from './ports.js'
export type {
  IdSource,
  InstrumentInfo,
  InstrumentSource,
  InstrumentType,
  Logger,
  PriceSource,
  Quote,
} from './ports.js'
export { createManualClock, IST_OFFSET_MS, istInstant, istParts, weekdayCalendar } from './time.js'
export type { Clock, IstParts, ManualClock, TradingCalendar } from './time.js'
export { createInstrumentTable, createPriceBook } from './sources.js'
export type { InstrumentRow, InstrumentTable, PriceBook } from './sources.js'
export { createSandboxCron } from './cron.js'
export type { SandboxCron, SandboxCronOptions } from './cron.js'
export { createMemoryStore } from './store/memory-store.js'
export { createKyselyStore } from './store/kysely-store.js'
export { createSqliteStore } from './store/sqlite-store.js'
export type { SqliteConnectionLike, SqliteStatementLike } from './store/sqlite-store.js'
export { migrateSandbox } from './store/migrate.js'
export type {
  CommitBatch,
  ListOptions,
  PositionKey,
  SandboxStore,
  UserSnapshot,
} from './store/store.js'
export type { SandboxDatabase } from './store/schema.js'
export type {
  Action,
  Funds,
  Holding,
  JobRun,
  MarginGroup,
  Order,
  OrderRequest,
  OrderResult,
  OrderStatus,
  Position,
  PriceType,
  Product,
  Trade,
} from './types.js'
