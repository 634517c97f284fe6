/**
 * The sandbox engine's models → OpenAlgo's analyzer-mode JSON (sandbox.md §8, §10, api.md §8):
 * rupee numbers (exact, up to 4 decimals), IST timestamps `YYYY-MM-DD HH:MM:SS`, `trigger pending`
 * spelt as the wire does, and `pricetype` (plus `price_type` in `/orderstatus`, W-16).
 */
import { formatInr, toRupees } from '@oa/broker-sdk'
import type { FundsView, HoldingsView, Inr4, Order, PositionView, Trade } from '@oa/sandbox-engine'

const r = (v: Inr4): number => toRupees(v)
const s2 = (v: Inr4): string => formatInr(v)
const round2 = (x: number): number => Math.round(x * 100) / 100

/** `2025-04-17 10:00:00` in IST (the original's sandbox timestamp) */
export function istTimestamp(epochMs: number): string {
  return new Date(epochMs + 19_800_000).toISOString().slice(0, 19).replace('T', ' ')
}

/** `trigger_pending` → `trigger pending` (the wire's spelling) */
export function wireStatus(status: Order['status']): string {
  return status === 'trigger_pending' ? 'trigger pending' : status
}

/** One `/orderbook` row (sandbox.md §8.3). MARKET orders show price 0, as the server forces it. */
export function orderRow(o: Order): Record<string, unknown> {
  return {
    orderid: o.orderId,
    symbol: o.symbol,
    exchange: o.exchange,
    action: o.action,
    quantity: o.quantity,
    price: o.priceType === 'MARKET' ? 0 : r(o.price),
    trigger_price: r(o.triggerPrice),
    pricetype: o.priceType,
    product: o.product,
    order_status: wireStatus(o.status),
    average_price: r(o.averagePrice),
    filled_quantity: o.filledQuantity,
    pending_quantity: o.pendingQuantity,
    rejection_reason: o.rejectionReason ?? '',
    timestamp: istTimestamp(o.placedAtMs),
    strategy: o.strategy,
  }
}

/** `/orderbook` statistics (cancelled orders count in no status bucket). */
export function orderStats(orders: readonly Order[]): Record<string, number> {
  const count = (f: (o: Order) => boolean): number => orders.filter(f).length
  return {
    total_buy_orders: count((o) => o.action === 'BUY'),
    total_sell_orders: count((o) => o.action === 'SELL'),
    total_completed_orders: count((o) => o.status === 'complete'),
    total_open_orders: count((o) => o.status === 'open'),
    total_rejected_orders: count((o) => o.status === 'rejected'),
    total_trigger_pending_orders: count((o) => o.status === 'trigger_pending'),
  }
}

/** `/orderstatus` data: the order-book row with `pricetype` and, for old clients, `price_type` (W-16). */
export function orderStatusData(o: Order): Record<string, unknown> {
  const { rejection_reason: _omit, ...row } = orderRow(o)
  return { ...row, price_type: o.priceType }
}

/** One `/tradebook` row (sandbox.md §8.2). */
export function tradeRow(t: Trade): Record<string, unknown> {
  return {
    tradeid: t.tradeId,
    orderid: t.orderId,
    symbol: t.symbol,
    exchange: t.exchange,
    action: t.action,
    quantity: t.quantity,
    average_price: r(t.price),
    price: r(t.price),
    trade_value: r((t.price * t.quantity) as Inr4),
    product: t.product,
    strategy: t.strategy,
    timestamp: istTimestamp(t.tradedAtMs),
  }
}

/** `/positionbook` data and totals (sandbox.md §8.1); `pnl` is the session's (realized + open). */
export function positionBook(rows: readonly PositionView[]): Record<string, unknown> {
  let total = 0
  let unrealized = 0
  let realized = 0
  const data = rows.map((p) => {
    total += p.sessionPnl
    unrealized += p.unrealizedPnl
    realized += p.sessionRealizedPnl
    return {
      symbol: p.symbol,
      exchange: p.exchange,
      product: p.product,
      quantity: p.quantity,
      average_price: p.quantity === 0 ? 0 : r(p.averagePrice),
      ltp: r(p.ltp),
      pnl: r(p.sessionPnl),
      pnlpercent: round2(p.pnlPercent),
      unrealized_pnl: r(p.unrealizedPnl),
      today_realized_pnl: r(p.sessionRealizedPnl),
      total_pnl_today: r(p.sessionPnl),
      lot_size: p.contractValue,
    }
  })
  return {
    data,
    total_pnl: r(total as Inr4),
    total_unrealized_pnl: r(unrealized as Inr4),
    total_today_realized_pnl: r(realized as Inr4),
    total_pnl_today: r(total as Inr4),
  }
}

/** `/holdings` data (sandbox.md §10.3). */
export function holdingsData(h: HoldingsView): Record<string, unknown> {
  return {
    holdings: h.holdings.map((row) => ({
      symbol: row.symbol,
      exchange: row.exchange,
      product: 'CNC',
      quantity: row.quantity,
      average_price: r(row.averagePrice),
      ltp: r(row.ltp),
      pnl: r(row.pnl),
      pnlpercent: round2(row.pnlPercent),
      current_value: r(row.currentValue),
      settlement_date: row.settlementDay,
    })),
    statistics: {
      totalholdingvalue: r(h.totalHoldingValue),
      totalinvvalue: r(h.totalInvestedValue),
      totalprofitandloss: r(h.totalPnl),
      totalpnlpercentage: round2(h.totalPnlPercent),
    },
  }
}

/**
 * `/funds` data (sandbox.md §10.2): the five OpenAlgo fields as 2-decimal strings, like a live
 * broker's, plus the sandbox's extras (`grossexposure`, realized PnL, `last_reset`, `reset_count`).
 */
export function fundsData(f: FundsView): Record<string, unknown> {
  return {
    availablecash: s2(f.availableCash),
    collateral: s2(f.collateral),
    m2mrealized: s2(f.m2mRealized),
    m2munrealized: s2(f.m2mUnrealized),
    utiliseddebits: s2(f.utilisedDebits),
    grossexposure: s2(f.utilisedDebits),
    total_realized_pnl: s2(f.totalRealizedPnl),
    today_realized_pnl: s2(f.m2mRealized),
    totalpnl: s2(f.totalPnl),
    last_reset: istTimestamp(f.lastResetAtMs),
    reset_count: f.resetCount,
  }
}
