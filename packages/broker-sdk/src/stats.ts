import { divRound, notional } from './money.js'
import type { Inr4 } from './money.js'
import type { HoldingRow, HoldingStats, OrderRow, OrderStats } from './models.js'

/**
 * Order-book statistics (brokers.md §1.3.3), computed from normalized rows so every broker counts
 * the same way. As in the reference, `totalOpenOrders` counts `open` only (not `trigger_pending`).
 */
export function computeOrderStats(rows: readonly OrderRow[]): OrderStats {
  const stats: OrderStats = {
    totalBuyOrders: 0,
    totalSellOrders: 0,
    totalCompletedOrders: 0,
    totalOpenOrders: 0,
    totalRejectedOrders: 0,
  }
  for (const row of rows) {
    if (row.action === 'BUY') stats.totalBuyOrders += 1
    else stats.totalSellOrders += 1
    if (row.status === 'complete') stats.totalCompletedOrders += 1
    else if (row.status === 'open') stats.totalOpenOrders += 1
    else if (row.status === 'rejected') stats.totalRejectedOrders += 1
  }
  return stats
}

/**
 * Holdings statistics (brokers.md §1.3.6): value at LTP, invested value at average price, summed
 * P&L, and P&L as a percentage of invested value (0 when nothing is invested).
 */
export function computeHoldingStats(rows: readonly HoldingRow[]): HoldingStats {
  let holding = 0
  let invested = 0
  let pnl = 0
  for (const row of rows) {
    holding += notional(row.ltp, row.quantity)
    invested += notional(row.averagePrice, row.quantity)
    pnl += row.pnl
  }
  if (
    !Number.isSafeInteger(holding) ||
    !Number.isSafeInteger(invested) ||
    !Number.isSafeInteger(pnl)
  ) {
    throw new Error('holding statistics overflow the safe-integer range')
  }
  return {
    totalHoldingValue: holding as Inr4,
    totalInvValue: invested as Inr4,
    totalProfitAndLoss: pnl as Inr4,
    // basis points first (exact integer maths), then a display ratio with 2 decimals
    totalPnlPercentage: percentOf(pnl, invested),
  }
}

/** `part / whole` as a percentage with 2 decimals (display only); 0 when `whole` is 0. */
export function percentOf(part: number, whole: number): number {
  if (whole === 0) return 0
  const scaled = part * 10_000
  // exact integer rounding while it fits, float above ~₹90 crore of P&L where 1e-2 % cannot matter
  return Number.isSafeInteger(scaled)
    ? divRound(scaled, whole) / 100
    : Math.round((part / whole) * 10_000) / 100
}
