import { z } from 'zod'

/**
 * OpenAlgo exchange codes in the API schema's order (api.md §6.1; used verbatim in
 * `Must be one of:` messages).
 */
export const EXCHANGES = [
  'NSE',
  'NFO',
  'CDS',
  'BSE',
  'BFO',
  'BCD',
  'MCX',
  'NCDEX',
  'NCO',
  'NSE_INDEX',
  'BSE_INDEX',
  'MCX_INDEX',
  'GLOBAL_INDEX',
  'CRYPTO',
] as const

/** An OpenAlgo exchange code (brokers.md §2.1). */
export type Exchange = (typeof EXCHANGES)[number]

/** zod schema of {@link Exchange}. */
export const exchangeSchema = z.enum(EXCHANGES)

/** Exchanges that accept orders (brokers.md §2.1 "Tradable"). */
export const TRADABLE_EXCHANGES: ReadonlySet<Exchange> = new Set([
  'NSE',
  'BSE',
  'NFO',
  'BFO',
  'CDS',
  'BCD',
  'MCX',
  'NCDEX',
  'NCO',
  'CRYPTO',
])

/** Index exchanges: quotes, depth and history only, never orders. */
export const QUOTE_ONLY_EXCHANGES: ReadonlySet<Exchange> = new Set([
  'NSE_INDEX',
  'BSE_INDEX',
  'MCX_INDEX',
  'GLOBAL_INDEX',
])

/** Derivative exchanges (`F_AND_O_EXCHANGES`, api.md §6.1): futures and options live here. */
export const FNO_EXCHANGES: ReadonlySet<Exchange> = new Set([
  'NFO',
  'BFO',
  'MCX',
  'CDS',
  'NCO',
  'BCD',
  'NCDEX',
  'CRYPTO',
])

/** True when `value` is an OpenAlgo exchange code. */
export function isExchange(value: string): value is Exchange {
  return (EXCHANGES as readonly string[]).includes(value)
}

/** Order products (brokers.md §1.3.1). */
export const PRODUCTS = ['CNC', 'NRML', 'MIS'] as const
/** `CNC` delivery equity, `NRML` carry-forward derivatives, `MIS` intraday. */
export type Product = (typeof PRODUCTS)[number]
/** zod schema of {@link Product}. */
export const productSchema = z.enum(PRODUCTS)

/** Price types (brokers.md §1.3.1). */
export const PRICE_TYPES = ['MARKET', 'LIMIT', 'SL', 'SL-M'] as const
/** `SL` is stop-limit, `SL-M` stop-market. */
export type PriceType = (typeof PRICE_TYPES)[number]
/** zod schema of {@link PriceType}. */
export const priceTypeSchema = z.enum(PRICE_TYPES)

/** Order sides. */
export const ACTIONS = ['BUY', 'SELL'] as const
/** `BUY` or `SELL`. */
export type Action = (typeof ACTIONS)[number]
/** zod schema of {@link Action}. */
export const actionSchema = z.enum(ACTIONS)

/**
 * Normalized order statuses (brokers.md §1.7). `trigger_pending` is spelled `trigger pending` on
 * the OpenAlgo wire (see {@link toWireOrderStatus}); `unknown` is what a total status mapper
 * returns for text it does not recognise.
 */
export const ORDER_STATUSES = [
  'open',
  'complete',
  'rejected',
  'cancelled',
  'trigger_pending',
  'expired',
  'unknown',
] as const
/** One of {@link ORDER_STATUSES}. */
export type OrderStatus = (typeof ORDER_STATUSES)[number]
/** zod schema of {@link OrderStatus}. */
export const orderStatusSchema = z.enum(ORDER_STATUSES)

/** Statuses an order can still change from (cancel-all targets these). */
export const WORKING_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set(['open', 'trigger_pending'])

/**
 * The OpenAlgo wire form of a status: `trigger_pending` → `'trigger pending'`; `unknown` passes the
 * broker's raw text through lower-cased (brokers.md §1.3.3), or `'unknown'` when there is none.
 */
export function toWireOrderStatus(status: OrderStatus, rawStatus?: string): string {
  if (status === 'trigger_pending') return 'trigger pending'
  if (status === 'unknown') {
    const raw = rawStatus?.trim().toLowerCase()
    return raw === undefined || raw === '' ? 'unknown' : raw
  }
  return status
}

/** Streaming modes (streaming.md §1.4): 1 LTP, 2 Quote, 3 Depth; Depth ⊇ Quote ⊇ LTP. */
export const STREAM_MODES = [1, 2, 3] as const
/** One of {@link STREAM_MODES}. */
export type StreamMode = (typeof STREAM_MODES)[number]
/** zod schema of {@link StreamMode}. */
export const streamModeSchema = z.union([z.literal(1), z.literal(2), z.literal(3)])

/**
 * History intervals: the API schema's list (api.md §6.6) plus `25m` (Dhan) and `60m` (Zerodha,
 * Upstox), which brokers advertise. A broker supports the subset in its manifest.
 */
export const INTERVALS = [
  '1s',
  '5s',
  '10s',
  '15s',
  '30s',
  '45s',
  '1m',
  '2m',
  '3m',
  '5m',
  '10m',
  '15m',
  '20m',
  '25m',
  '30m',
  '60m',
  '1h',
  '2h',
  '3h',
  '4h',
  'D',
  'W',
  'M',
  'Q',
  'Y',
] as const
/** One of {@link INTERVALS}. */
export type Interval = (typeof INTERVALS)[number]
/** zod schema of {@link Interval}. */
export const intervalSchema = z.enum(INTERVALS)

/**
 * Length of one candle in seconds; calendar intervals use nominal lengths (W 7 d, M 30 d, Q 91 d,
 * Y 365 d), good enough for range estimates, never for bucketing.
 */
export function intervalSeconds(interval: Interval): number {
  const unit = interval.slice(-1)
  const n = Number(interval.slice(0, -1)) || 1
  switch (unit) {
    case 's':
      return n
    case 'm':
      return n * 60
    case 'h':
      return n * 3600
    case 'D':
      return 86_400
    case 'W':
      return 7 * 86_400
    case 'M':
      return 30 * 86_400
    case 'Q':
      return 91 * 86_400
    default:
      return 365 * 86_400
  }
}

/** Groups intervals the way `/intervals` answers (api.md §9.5), by suffix. */
export function groupIntervals(intervals: readonly Interval[]): {
  seconds: Interval[]
  minutes: Interval[]
  hours: Interval[]
  days: Interval[]
  weeks: Interval[]
  months: Interval[]
} {
  const out = {
    seconds: [] as Interval[],
    minutes: [] as Interval[],
    hours: [] as Interval[],
    days: [] as Interval[],
    weeks: [] as Interval[],
    months: [] as Interval[],
  }
  for (const interval of intervals) {
    const unit = interval.slice(-1)
    if (unit === 's') out.seconds.push(interval)
    else if (unit === 'm') out.minutes.push(interval)
    else if (unit === 'h') out.hours.push(interval)
    else if (unit === 'D') out.days.push(interval)
    else if (unit === 'W') out.weeks.push(interval)
    else if (unit === 'M') out.months.push(interval)
  }
  return out
}
