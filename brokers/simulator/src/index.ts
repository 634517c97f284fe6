/**
 * `@oa/broker-simulator`: a deterministic, offline Indian market. The same seed and instant always
 * give the same master contract, quotes, depth, candles and ticks, with no network and no account.
 *
 * @example
 * ```ts
 * import { createMarket, generateContract } from '@oa/broker-simulator'
 *
 * const rows = generateContract(1, '2025-04-17')          // ~120,000 SymbolRows
 * const market = createMarket({ seed: 1 })
 * const nifty = market.resolve('NIFTY', 'NSE_INDEX')
 * if (nifty.ok) {
 *   const t = Date.parse('2025-04-17T10:30:00+05:30')
 *   console.log(market.quote(nifty.value, t).ltp / 10_000)  // rupees
 *   console.log(market.history(nifty.value, '5m', 20195, 20195, t).length)
 * }
 * ```
 */

// market core
export { createMarket, HISTORY_INTERVALS } from './market/market.js'
export type {
  HistoryInterval,
  Instrument,
  InstrumentKind,
  Market,
  MarketError,
  MarketErrorCode,
  MarketOptions,
  Resolution,
  Snapshot,
} from './market/market.js'
export { createTickGenerator } from './market/ticks.js'
export type { TickGenerator, TickGeneratorOptions } from './market/ticks.js'
export type {
  Candle as MarketCandle,
  Depth as MarketDepth,
  DepthLevel as MarketDepthLevel,
  Quote as MarketQuote,
  Tick as MarketTick,
  TickLevel as MarketTickLevel,
  TickMode,
} from './market/types.js'

// master contract
export {
  BR_EXCHANGE,
  contractBatches,
  contractRows,
  generateContract,
  listedOptionExpiries,
} from './market/contract.js'
export type { ListedExpiry, TradingDate } from './market/contract.js'

// universe, sessions, calendar
export { MAX_EXTRA_STRIKES, RISK_FREE_RATE, buildUniverse } from './market/universe.js'
export type {
  ChainClass,
  DerivativeSeries,
  EquityListing,
  IndexListing,
  StrikeGrid,
  Underlying,
  Universe,
  UniverseOptions,
} from './market/universe.js'
export { createSessionCalendar, isUsDaylightTime, sessionFamilyOf } from './market/sessions.js'
export type {
  SessionCalendar,
  SessionCalendarOptions,
  SessionFamily,
  SessionWindow,
} from './market/sessions.js'
export { HOLIDAYS, holidayOn } from './market/holidays.js'
export type { Holiday } from './market/holidays.js'
export { dayOf, formatExpiry, istDayOf, parseIsoDate } from './market/calendar.js'

// broker plugin (@oa/broker-sdk)
export { createSimulatorPlugin } from './broker/plugin.js'
export type { SimulatorOptions, SimulatorPlugin } from './broker/plugin.js'
export { DEFAULT_ACCOUNT, brokerTimestamp, createLiveOrders } from './broker/live-orders.js'
export type { LiveOrders, LiveOrdersOptions } from './broker/live-orders.js'
export {
  createMarketCalendar,
  createMarketInstruments,
  createMarketPrices,
} from './broker/sandbox-ports.js'
export { SIMULATED_EXCHANGES, simulatorManifest } from './broker/manifest.js'
export { createSimulatorDriver } from './broker/driver.js'
export type { SimulatorDriverOptions } from './broker/driver.js'
export { createSimulatorAdapter } from './broker/stream-adapter.js'
export type { SimulatorAdapter, SimulatorAdapterOptions } from './broker/stream-adapter.js'
