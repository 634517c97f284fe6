/**
 * Normalized models (brokers.md §1.3) as zod schemas with inferred types. Inside oa we use
 * camelCase names and integer money ({@link Inr4}); OpenAlgo's wire names (`pricetype`,
 * `trigger_price`) and 2-dp strings live only at the API edge (apps/server, `toWire*` helpers).
 *
 * Why prices are {@link Inr4} and not numbers: currency options tick at ₹0.0025 and books sum
 * prices × quantities; integers keep both exact (STYLE.md §8). Fields that stay plain numbers:
 * quantities (integer units, never lots), volumes and open interest (integer counts), percentages
 * (`pnlPercent`, `changePct`: display-only ratios) and timestamps (epoch seconds or ms, named so).
 */
import { z } from 'zod'
import {
  actionSchema,
  exchangeSchema,
  orderStatusSchema,
  priceTypeSchema,
  productSchema,
} from './enums.js'
import type { Inr4 } from './money.js'

/** Any amount in {@link Inr4}: a safe integer (negative allowed, for P&L and funds). */
export const inr4Schema = z.custom<Inr4>(
  (value) => typeof value === 'number' && Number.isSafeInteger(value),
  { message: 'expected an integer amount in 1/10,000 rupee (Inr4)' },
)

/** A non-negative {@link Inr4} (prices, trigger prices). */
export const priceSchema = z.custom<Inr4>(
  (value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0,
  { message: 'expected a non-negative integer amount in 1/10,000 rupee (Inr4)' },
)

const quantity = z.number().int().positive()
const count = z.number().int().nonnegative()
const signedQuantity = z.number().int()

/** An instrument in OpenAlgo terms: OA symbol plus OA exchange. */
export const instrumentRefSchema = z.object({
  symbol: z.string().min(1),
  exchange: exchangeSchema,
})
/** An instrument in OpenAlgo terms: OA symbol plus OA exchange. */
export type InstrumentRef = z.infer<typeof instrumentRefSchema>

/** The key an instrument is filed under in maps: `'NSE:SBIN'`. */
export function instrumentKey(ref: InstrumentRef): string {
  return `${ref.exchange}:${ref.symbol}`
}

/**
 * An order to place (brokers.md §1.3.1). `apikey` is deliberately absent: it authenticates the
 * caller at the API edge and brokers must not read it (they use `ctx.credentials`). `strategy`
 * is a tag only.
 */
export const orderRequestSchema = z.object({
  strategy: z.string(),
  symbol: z.string().min(1),
  exchange: exchangeSchema,
  action: actionSchema,
  priceType: priceTypeSchema,
  product: productSchema,
  /** units, not lots */
  quantity,
  price: priceSchema,
  triggerPrice: priceSchema,
  disclosedQuantity: count,
})
/** An order to place (brokers.md §1.3.1). */
export type OrderRequest = z.infer<typeof orderRequestSchema>

/**
 * A position-aware order (api.md §7.2): bring the net position of (symbol, exchange, product) to
 * `positionSize`. `quantity` may be 0 here.
 */
export const smartOrderRequestSchema = orderRequestSchema.extend({
  quantity: count,
  /** signed target net quantity: positive long, negative short, 0 flat */
  positionSize: signedQuantity,
})
/** A position-aware order (api.md §7.2). */
export type SmartOrderRequest = z.infer<typeof smartOrderRequestSchema>

/** A modification of a working order (brokers.md §1.3.2): every field is required. */
export const modifyRequestSchema = orderRequestSchema.extend({
  orderId: z.string().min(1),
})
/** A modification of a working order (brokers.md §1.3.2). */
export type ModifyRequest = z.infer<typeof modifyRequestSchema>

/**
 * One normalized order-book row (brokers.md §1.3.3). `rawStatus` keeps the broker's text so an
 * `unknown` status still shows what the broker said; `symbolResolved` is false when the symbol
 * table had no match and `symbol` holds the broker's symbol (brokers.md §4 row 10).
 */
export const orderRowSchema = z.object({
  orderId: z.string().min(1),
  symbol: z.string().min(1),
  exchange: exchangeSchema,
  action: actionSchema,
  quantity: count,
  price: priceSchema,
  triggerPrice: priceSchema,
  priceType: priceTypeSchema,
  product: productSchema,
  status: orderStatusSchema,
  rawStatus: z.string(),
  /** broker's own timestamp text, not normalized (api.md §6.7) */
  timestamp: z.string(),
  filledQuantity: count.optional(),
  averagePrice: priceSchema.optional(),
  rejectionReason: z.string().optional(),
  symbolResolved: z.boolean(),
})
/** One normalized order-book row (brokers.md §1.3.3). */
export type OrderRow = z.infer<typeof orderRowSchema>

/** Order-book statistics (brokers.md §1.3.3). */
export const orderStatsSchema = z.object({
  totalBuyOrders: count,
  totalSellOrders: count,
  totalCompletedOrders: count,
  totalOpenOrders: count,
  totalRejectedOrders: count,
})
/** Order-book statistics (brokers.md §1.3.3). */
export type OrderStats = z.infer<typeof orderStatsSchema>

/** One trade (fill) (brokers.md §1.3.4). `tradeValue` = average price × quantity. */
export const tradeRowSchema = z.object({
  orderId: z.string().min(1),
  symbol: z.string().min(1),
  exchange: exchangeSchema,
  product: productSchema,
  action: actionSchema,
  quantity,
  averagePrice: priceSchema,
  tradeValue: priceSchema,
  timestamp: z.string(),
  tradeId: z.string().optional(),
  symbolResolved: z.boolean(),
})
/** One trade (fill) (brokers.md §1.3.4). */
export type TradeRow = z.infer<typeof tradeRowSchema>

/** One position (brokers.md §1.3.5); `quantity` is the signed net, 0 for closed positions. */
export const positionRowSchema = z.object({
  symbol: z.string().min(1),
  exchange: exchangeSchema,
  product: productSchema,
  quantity: signedQuantity,
  averagePrice: priceSchema,
  ltp: priceSchema,
  pnl: inr4Schema,
  symbolResolved: z.boolean(),
})
/** One position (brokers.md §1.3.5). */
export type PositionRow = z.infer<typeof positionRowSchema>

/** One demat holding (brokers.md §1.3.6); `pnlPercent` is a display ratio (e.g. `-11.1`). */
export const holdingRowSchema = z.object({
  symbol: z.string().min(1),
  exchange: exchangeSchema,
  product: productSchema,
  quantity: count,
  averagePrice: priceSchema,
  ltp: priceSchema,
  pnl: inr4Schema,
  pnlPercent: z.number().finite(),
  symbolResolved: z.boolean(),
})
/** One demat holding (brokers.md §1.3.6). */
export type HoldingRow = z.infer<typeof holdingRowSchema>

/** Holdings statistics (brokers.md §1.3.6). */
export const holdingStatsSchema = z.object({
  totalHoldingValue: inr4Schema,
  totalInvValue: inr4Schema,
  totalProfitAndLoss: inr4Schema,
  totalPnlPercentage: z.number().finite(),
})
/** Holdings statistics (brokers.md §1.3.6). */
export type HoldingStats = z.infer<typeof holdingStatsSchema>

/**
 * Account funds (brokers.md §1.3.8): the five OpenAlgo fields as integers; the API edge formats
 * them as 2-dp strings. `availableCash` is free cash, not total margin.
 */
export const fundsSchema = z.object({
  availableCash: inr4Schema,
  collateral: inr4Schema,
  m2mUnrealized: inr4Schema,
  m2mRealized: inr4Schema,
  utilisedDebits: inr4Schema,
})
/** Account funds (brokers.md §1.3.8). */
export type Funds = z.infer<typeof fundsSchema>

/** A snapshot quote (brokers.md §1.3.9); `prevClose` is the previous session's close. */
export const quoteSchema = z.object({
  ltp: priceSchema,
  open: priceSchema,
  high: priceSchema,
  low: priceSchema,
  prevClose: priceSchema,
  bid: priceSchema,
  ask: priceSchema,
  volume: count,
  oi: count,
})
/** A snapshot quote (brokers.md §1.3.9). */
export type Quote = z.infer<typeof quoteSchema>

/** One multiquote answer: a quote, or the reason there is none (unresolved symbols come first). */
export type MultiQuoteItem =
  | { symbol: string; exchange: InstrumentRef['exchange']; data: Quote }
  | { symbol: string; exchange: InstrumentRef['exchange']; error: string; code: string }

/** One order-book level; `orders` is the number of orders at the level when the broker sends it. */
export const depthLevelSchema = z.object({
  price: priceSchema,
  quantity: count,
  orders: count.optional(),
})
/** One order-book level. */
export type DepthLevel = z.infer<typeof depthLevelSchema>

/**
 * Market depth (brokers.md §1.3.10): at least 5 levels per side, missing levels padded with
 * `{ price: 0, quantity: 0 }` (see `padDepth`).
 */
export const depthSchema = z.object({
  bids: z.array(depthLevelSchema).min(5),
  asks: z.array(depthLevelSchema).min(5),
  ltp: priceSchema,
  ltq: count,
  open: priceSchema,
  high: priceSchema,
  low: priceSchema,
  prevClose: priceSchema,
  volume: count,
  oi: count,
  totalBuyQty: count,
  totalSellQty: count,
})
/** Market depth (brokers.md §1.3.10). */
export type Depth = z.infer<typeof depthSchema>

/**
 * One OHLCV candle (brokers.md §1.3.11). `timestamp` is integer epoch seconds of the candle open;
 * daily candles use 00:00 UTC of the IST trading date. `oi` is 0 when absent.
 */
export const candleSchema = z.object({
  timestamp: z.number().int(),
  open: priceSchema,
  high: priceSchema,
  low: priceSchema,
  close: priceSchema,
  volume: count,
  oi: count,
})
/** One OHLCV candle (brokers.md §1.3.11). */
export type Candle = z.infer<typeof candleSchema>

/** One leg of a basket-margin request (brokers.md §1.3.12). */
export const marginLegSchema = z.object({
  symbol: z.string().min(1),
  exchange: exchangeSchema,
  action: actionSchema,
  product: productSchema,
  priceType: priceTypeSchema,
  quantity,
  price: priceSchema,
  triggerPrice: priceSchema,
})
/** One leg of a basket-margin request (brokers.md §1.3.12). */
export type MarginLeg = z.infer<typeof marginLegSchema>

/** A basket-margin answer (brokers.md §1.3.12); `extras` carries broker additions (`margin_benefit`). */
export const marginResultSchema = z.object({
  totalMarginRequired: inr4Schema,
  spanMargin: inr4Schema,
  exposureMargin: inr4Schema,
  extras: z.record(z.string(), inr4Schema).optional(),
})
/** A basket-margin answer (brokers.md §1.3.12). */
export type MarginResult = z.infer<typeof marginResultSchema>

/**
 * A pushed order-state change (brokers.md §1.3.7). The envelope fields (`mode`, `broker`,
 * `user_id`) are added by the host. `rejectionReason` is empty unless the status is `rejected`.
 */
export const orderUpdateSchema = z.object({
  orderId: z.string().min(1),
  symbol: z.string().min(1),
  exchange: exchangeSchema,
  action: actionSchema,
  quantity: count,
  price: priceSchema,
  triggerPrice: priceSchema,
  priceType: priceTypeSchema,
  product: productSchema,
  status: orderStatusSchema,
  rawStatus: z.string(),
  filledQuantity: count,
  pendingQuantity: count,
  averagePrice: priceSchema,
  rejectionReason: z.string(),
  /** when the broker stamped the change, epoch ms; null when it did not */
  atEpochMs: z.number().int().nullable(),
})
/** A pushed order-state change (brokers.md §1.3.7). */
export type OrderUpdate = z.infer<typeof orderUpdateSchema>

/**
 * Pads (or trims) one side of a book to `levels` entries with `{ price: 0, quantity: 0 }`, as
 * OpenAlgo clients expect exactly five (brokers.md §1.3.10).
 */
export function padDepth(side: readonly DepthLevel[], levels = 5): DepthLevel[] {
  const out = side.slice(0, levels).map((l) => ({ ...l }))
  while (out.length < levels) out.push({ price: 0 as Inr4, quantity: 0 })
  return out
}
