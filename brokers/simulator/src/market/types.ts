/**
 * Shapes the market core produces. They mirror `@oa/broker-sdk`'s models field for field (so the
 * broker facade maps them without copying), but the core declares its own copies to stay a pure,
 * dependency-free module. Prices are integers in 1/10,000 rupee (STYLE.md §8); quantities are units.
 */

/** One master-contract row (brokers.md §2.3), exactly the SDK's `SymbolRow`. */
export interface SymbolRow {
  symbol: string
  brSymbol: string
  name: string
  exchange: string
  brExchange: string
  token: string
  /** `DD-MMM-YY` upper case, null for non-derivatives */
  expiry: string | null
  /** rupees; null for non-options */
  strike: number | null
  lotSize: number | null
  instrumentType: string | null
  /** rupees per tick */
  tickSize: number | null
  contractValue: number | null
}

/** A snapshot quote; prices in 1/10,000 rupee. */
export interface Quote {
  ltp: number
  open: number
  high: number
  low: number
  prevClose: number
  bid: number
  ask: number
  volume: number
  oi: number
}

/** One depth level; price in 1/10,000 rupee. */
export interface DepthLevel {
  price: number
  quantity: number
  orders: number
}

/** Five-level market depth; prices in 1/10,000 rupee. */
export interface Depth {
  bids: DepthLevel[]
  asks: DepthLevel[]
  ltp: number
  ltq: number
  open: number
  high: number
  low: number
  prevClose: number
  volume: number
  oi: number
  totalBuyQty: number
  totalSellQty: number
}

/**
 * One candle: `timestamp` in epoch seconds of the candle open (daily and longer: 00:00 UTC of the
 * IST date, brokers.md §1.3.11); prices in 1/10,000 rupee.
 */
export interface Candle {
  timestamp: number
  open: number
  high: number
  low: number
  close: number
  volume: number
  oi: number
}

/** Streaming modes: 1 LTP, 2 Quote, 3 Depth (streaming.md §1.4). */
export type TickMode = 1 | 2 | 3

/** One level of streamed depth. */
export interface TickLevel {
  price: number
  quantity: number
  orders: number
}

/** The canonical tick (streaming.md §1.6), the SDK's `Tick`; prices in 1/10,000 rupee. */
export interface Tick {
  symbol: string
  exchange: string
  mode: TickMode
  ltp: number
  exchangeTs: number | null
  receivedTs: number
  lastQty: number | null
  avgPrice: number | null
  volume: number | null
  open: number | null
  high: number | null
  low: number | null
  prevClose: number | null
  totalBuyQty: number | null
  totalSellQty: number | null
  oi: number | null
  change: number | null
  changePct: number | null
  depth?: { buy: TickLevel[]; sell: TickLevel[] }
  depthLevels?: number
}
