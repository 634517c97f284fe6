/**
 * Normalized models → OpenAlgo's v1 JSON shapes (api.md §8, §9, streaming.md §1.6–1.7), for the API
 * edge (apps/server, the sandbox's analyze mode, apps/ws-proxy). The one place wire names live on
 * the way out. Prices become rupee numbers exactly (4 decimals at most, not the reference's 2-dp
 * rounding, so CDS ticks of ₹0.0025 survive); funds are 2-dp strings as OpenAlgo sends them.
 */
import type { StreamMode } from './enums.js'
import { toWireOrderStatus } from './enums.js'
import type {
  Candle,
  Depth,
  Funds,
  HoldingRow,
  HoldingStats,
  MarginResult,
  MultiQuoteItem,
  OrderRow,
  OrderStats,
  OrderUpdate,
  PositionRow,
  Quote,
  TradeRow,
} from './models.js'
import { formatInr, toRupees } from './money.js'
import type { Inr4 } from './money.js'
import type { Tick, TickLevel } from './streaming-types.js'

const r = (v: Inr4): number => toRupees(v)
const rn = (v: Inr4 | null): number | null => (v === null ? null : toRupees(v))

/** `/orderbook` row; `price` is 0 for MARKET orders as the reference service forces it. */
export function toWireOrderRow(row: OrderRow): Record<string, unknown> {
  return {
    action: row.action,
    symbol: row.symbol,
    exchange: row.exchange,
    orderid: row.orderId,
    product: row.product,
    quantity: row.quantity,
    price: row.priceType === 'MARKET' ? 0 : r(row.price),
    pricetype: row.priceType,
    order_status: toWireOrderStatus(row.status, row.rawStatus),
    trigger_price: r(row.triggerPrice),
    timestamp: row.timestamp,
    ...(row.averagePrice === undefined ? {} : { average_price: r(row.averagePrice) }),
    ...(row.filledQuantity === undefined ? {} : { filled_quantity: row.filledQuantity }),
  }
}

/** `/orderbook` statistics. */
export function toWireOrderStats(stats: OrderStats): Record<string, number> {
  return {
    total_buy_orders: stats.totalBuyOrders,
    total_sell_orders: stats.totalSellOrders,
    total_completed_orders: stats.totalCompletedOrders,
    total_open_orders: stats.totalOpenOrders,
    total_rejected_orders: stats.totalRejectedOrders,
  }
}

/** `/tradebook` row. */
export function toWireTradeRow(row: TradeRow): Record<string, unknown> {
  return {
    action: row.action,
    symbol: row.symbol,
    exchange: row.exchange,
    orderid: row.orderId,
    product: row.product,
    quantity: row.quantity,
    average_price: r(row.averagePrice),
    timestamp: row.timestamp,
    trade_value: r(row.tradeValue),
  }
}

/** `/positionbook` row (numbers, not the strings some reference brokers emit). */
export function toWirePositionRow(row: PositionRow): Record<string, unknown> {
  return {
    symbol: row.symbol,
    exchange: row.exchange,
    product: row.product,
    quantity: row.quantity,
    average_price: r(row.averagePrice),
    ltp: r(row.ltp),
    pnl: r(row.pnl),
  }
}

/** `/holdings` row. */
export function toWireHoldingRow(row: HoldingRow): Record<string, unknown> {
  return {
    symbol: row.symbol,
    exchange: row.exchange,
    product: row.product,
    quantity: row.quantity,
    pnl: r(row.pnl),
    pnlpercent: row.pnlPercent,
    average_price: r(row.averagePrice),
    ltp: r(row.ltp),
  }
}

/** `/holdings` statistics. */
export function toWireHoldingStats(stats: HoldingStats): Record<string, number> {
  return {
    totalholdingvalue: r(stats.totalHoldingValue),
    totalinvvalue: r(stats.totalInvValue),
    totalprofitandloss: r(stats.totalProfitAndLoss),
    totalpnlpercentage: stats.totalPnlPercentage,
  }
}

/** `/funds` data: the five fields as 2-dp strings (api.md §8.7). */
export function toWireFunds(funds: Funds): Record<string, string> {
  return {
    availablecash: formatInr(funds.availableCash),
    collateral: formatInr(funds.collateral),
    m2mrealized: formatInr(funds.m2mRealized),
    m2munrealized: formatInr(funds.m2mUnrealized),
    utiliseddebits: formatInr(funds.utilisedDebits),
  }
}

/** `/quotes` data. */
export function toWireQuote(quote: Quote): Record<string, number> {
  return {
    open: r(quote.open),
    high: r(quote.high),
    low: r(quote.low),
    ltp: r(quote.ltp),
    ask: r(quote.ask),
    bid: r(quote.bid),
    prev_close: r(quote.prevClose),
    volume: quote.volume,
    oi: quote.oi,
  }
}

/** `/multiquotes` result item. */
export function toWireMultiQuoteItem(item: MultiQuoteItem): Record<string, unknown> {
  return 'data' in item
    ? { symbol: item.symbol, exchange: item.exchange, data: toWireQuote(item.data) }
    : { symbol: item.symbol, exchange: item.exchange, error: item.error }
}

/** `/depth` data. */
export function toWireDepth(depth: Depth): Record<string, unknown> {
  const level = (l: { price: Inr4; quantity: number }) => ({
    price: r(l.price),
    quantity: l.quantity,
  })
  return {
    open: r(depth.open),
    high: r(depth.high),
    low: r(depth.low),
    ltp: r(depth.ltp),
    ltq: depth.ltq,
    prev_close: r(depth.prevClose),
    volume: depth.volume,
    oi: depth.oi,
    totalbuyqty: depth.totalBuyQty,
    totalsellqty: depth.totalSellQty,
    asks: depth.asks.map(level),
    bids: depth.bids.map(level),
  }
}

/** `/history` row: epoch seconds, rupees, `oi` always present. */
export function toWireCandle(candle: Candle): Record<string, number> {
  return {
    timestamp: candle.timestamp,
    open: r(candle.open),
    high: r(candle.high),
    low: r(candle.low),
    close: r(candle.close),
    volume: candle.volume,
    oi: candle.oi,
  }
}

/** `/margin` data, broker extras flattened in. */
export function toWireMargin(result: MarginResult): Record<string, number> {
  const extras: Record<string, number> = {}
  for (const [name, value] of Object.entries(result.extras ?? {})) extras[name] = r(value)
  return {
    total_margin_required: r(result.totalMarginRequired),
    span_margin: r(result.spanMargin),
    exposure_margin: r(result.exposureMargin),
    ...extras,
  }
}

/** The fields of an `order_update` frame (streaming.md §1.7); the host adds type, user_id, mode, broker. */
export function toWireOrderUpdate(update: OrderUpdate): Record<string, unknown> {
  return {
    orderid: update.orderId,
    symbol: update.symbol,
    exchange: update.exchange,
    action: update.action,
    quantity: update.quantity,
    price: r(update.price),
    trigger_price: r(update.triggerPrice),
    pricetype: update.priceType,
    product: update.product,
    order_status: toWireOrderStatus(update.status, update.rawStatus),
    filled_quantity: update.filledQuantity,
    pending_quantity: update.pendingQuantity,
    average_price: r(update.averagePrice),
    rejection_reason: update.status === 'rejected' ? update.rejectionReason : '',
  }
}

/**
 * The `data` object of a v1 `market_data` frame for a client's `mode` (streaming.md §1.6):
 * snake_case keys, `close` = previous close, `timestamp` = receive time in ms. Fields the tick
 * lacks are left out rather than sent as null.
 */
export function toWireTickData(tick: Tick, mode: StreamMode): Record<string, unknown> {
  const out: Record<string, unknown> = {
    symbol: tick.symbol,
    exchange: tick.exchange,
    mode,
    ltp: r(tick.ltp),
    timestamp: tick.receivedTs,
  }
  if (tick.exchangeTs !== null) out['ltt'] = tick.exchangeTs
  if (mode >= 2) {
    const put = (key: string, value: number | null): void => {
      if (value !== null) out[key] = value
    }
    put('open', rn(tick.open))
    put('high', rn(tick.high))
    put('low', rn(tick.low))
    put('close', rn(tick.prevClose))
    put('volume', tick.volume)
    put('average_price', rn(tick.avgPrice))
    put('last_trade_quantity', tick.lastQty)
    put('total_buy_quantity', tick.totalBuyQty)
    put('total_sell_quantity', tick.totalSellQty)
    put('oi', tick.oi)
    put('change', rn(tick.change))
    put('change_percent', tick.changePct)
  }
  if (mode === 3 && tick.depth !== undefined) {
    const level = (l: TickLevel) => ({ price: r(l.price), quantity: l.quantity, orders: l.orders })
    out['depth'] = { buy: tick.depth.buy.map(level), sell: tick.depth.sell.map(level) }
    if (tick.depthLevels !== undefined && tick.depthLevels !== 5)
      out['depth_level'] = tick.depthLevels
  }
  return out
}
