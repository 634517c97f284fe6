import type { MarginRate, ResolvedConfig } from './config.js'
import { type Inr4, mulDiv, notional } from './money.js'
import type { InstrumentInfo } from './ports.js'
import type { Product } from './types.js'

/**
 * The margin model (README "Margin model"):
 * - cash equity: value / leverage (MIS 5, CNC 1 by default), rounded up;
 * - long options: the premium, in full;
 * - futures and short options: SPAN-like `underlying × units × contractValue × spanBps` plus
 *   exposure `… × exposureBps`, computed per underlying over all its legs, where a short leg
 *   covered by a long option (a spread) or a future protected by a long option pays at most the
 *   hedge's maximum loss instead of SPAN (exposure is still charged).
 */

/** One leg of an F&O margin group (a position, or an order as if filled). */
export interface MarginLeg {
  readonly type: 'FUT' | 'CE' | 'PE'
  /** signed units */
  readonly quantity: number
  /** Σ price × units of the open quantity (premium paid for long options, entry for futures) */
  readonly cost: Inr4
  /** option strike (0 for futures) */
  readonly strike: Inr4
  /** `YYYY-MM-DD`, absent for perpetuals */
  readonly expiry: string | undefined
  /** contract value × 10,000 */
  readonly cvE4: number
}

/** A group's margin, broken down the way `/api/v1/margin` reports it. */
export interface MarginBreakdown {
  /** SPAN-like part after hedge benefit */
  readonly span: Inr4
  readonly exposure: Inr4
  /** premium of long options */
  readonly premium: Inr4
  /** how much SPAN the hedges saved (naked SPAN − hedged SPAN) */
  readonly hedgeBenefit: Inr4
  /** span + exposure + premium */
  readonly total: Inr4
}

const ZERO = 0 as Inr4
const BPS = 10_000
const E4 = 10_000

/** contract value (≤ 4 decimals) × 10,000 as an integer; 10,000 when absent. */
export function contractValueE4(info: InstrumentInfo): number {
  const cv = info.contractValue ?? 1
  const v = Math.round(cv * E4)
  if (!(cv > 0) || Math.abs(v - cv * E4) > 1e-6) {
    throw new Error(`contractValue must be positive with at most 4 decimals, got ${cv}`)
  }
  return v
}

/** Applies a contract value (× 10,000) to an amount, half away from zero. */
export function applyCv(amount: number, cvE4: number): Inr4 {
  return (cvE4 === E4 ? amount : mulDiv(amount, cvE4, E4)) as Inr4
}

/**
 * Margin of a cash-equity order or position: `price × qty / leverage`, rounded up to 1/10,000 ₹.
 */
export function equityMargin(price: Inr4, qty: number, leverage: number): Inr4 {
  return mulDiv(notional(price, qty), 1, leverage, 'ceil') as Inr4
}

/** Leverage of a cash-equity product. */
export function equityLeverage(config: ResolvedConfig, product: Product): number {
  return product === 'MIS' ? config.equityMisLeverage : config.equityCncLeverage
}

const INDEX_ROOTS = new Set([
  'NIFTY',
  'BANKNIFTY',
  'FINNIFTY',
  'MIDCPNIFTY',
  'NIFTYNXT50',
  'SENSEX',
  'BANKEX',
  'SENSEX50',
])

const ROOT = /^(.+?)\d{2}[A-Z]{3}\d{2}/

/** The underlying root of an OpenAlgo F&O symbol (`NIFTY28MAR2420800CE` → `NIFTY`). */
export function underlyingRoot(symbol: string, info: InstrumentInfo): string {
  return info.underlying?.symbol ?? ROOT.exec(symbol)?.[1] ?? symbol
}

/** The margin group of an F&O instrument: all legs on one underlying, across products. */
export function marginGroupKey(symbol: string, exchange: string, info: InstrumentInfo): string {
  return `${exchange}:${underlyingRoot(symbol, info)}`
}

/** The rate for an instrument: `EXCH:index|stock`, then `EXCH`, then `default`. */
export function marginRateFor(
  config: ResolvedConfig,
  symbol: string,
  exchange: string,
  info: InstrumentInfo,
): MarginRate {
  const kind = isIndexUnderlying(symbol, info) ? 'index' : 'stock'
  const r =
    config.marginRates[`${exchange}:${kind}`] ??
    config.marginRates[exchange] ??
    config.marginRates['default']
  if (!r) throw new Error('marginRates has no default entry')
  return r
}

function isIndexUnderlying(symbol: string, info: InstrumentInfo): boolean {
  if (info.underlying) return info.underlying.exchange.endsWith('_INDEX')
  return INDEX_ROOTS.has(underlyingRoot(symbol, info))
}

interface Slot {
  readonly leg: MarginLeg
  left: number
}

/**
 * The SPAN-like margin of one group of F&O legs at underlying price `u`.
 * Deterministic and exact: every rounding is up, to 1/10,000 ₹.
 */
export function groupMargin(
  legs: readonly MarginLeg[],
  u: Inr4,
  rate: MarginRate,
  hedgeBenefit: boolean,
): MarginBreakdown {
  let premium = 0
  let span = 0
  let naked = 0
  let exposure = 0
  const perUnits = (n: number, leg: MarginLeg, bps: number): number =>
    bps === 0 ? 0 : mulDiv(notional(u, n), leg.cvE4 * bps, E4 * BPS, 'ceil')

  const shortCe: Slot[] = []
  const shortPe: Slot[] = []
  const longCe: Slot[] = []
  const longPe: Slot[] = []
  const shortFut: Slot[] = []
  const longFut: Slot[] = []
  for (const leg of legs) {
    if (leg.quantity === 0) continue
    const n = Math.abs(leg.quantity)
    const slot = { leg, left: n }
    if (leg.type === 'FUT') {
      ;(leg.quantity > 0 ? longFut : shortFut).push(slot)
    } else if (leg.quantity > 0) {
      premium += mulDiv(leg.cost, leg.cvE4, E4, 'ceil')
      ;(leg.type === 'CE' ? longCe : longPe).push(slot)
      continue
    } else {
      ;(leg.type === 'CE' ? shortCe : shortPe).push(slot)
    }
    exposure += perUnits(n, leg, rate.exposureBps)
  }

  const charge = (short: Slot, n: number, width: number | null): void => {
    const full = perUnits(n, short.leg, rate.spanBps)
    naked += full
    if (width === null) {
      span += full
      return
    }
    const cap = mulDiv(Math.max(0, width), short.leg.cvE4, E4, 'ceil')
    span += Math.min(full, cap)
  }

  const pair = (
    shorts: Slot[],
    longs: Slot[],
    widthOf: (short: Slot, long: Slot, n: number) => number,
  ): void => {
    for (const s of shorts) {
      if (hedgeBenefit) {
        for (const l of longs) {
          if (s.left === 0) break
          if (l.left === 0 || !coversExpiry(l.leg, s.leg) || l.leg.cvE4 !== s.leg.cvE4) continue
          const n = Math.min(s.left, l.left)
          charge(s, n, widthOf(s, l, n))
          s.left -= n
          l.left -= n
        }
      }
    }
  }
  const asc = (a: Slot, b: Slot): number => a.leg.strike - b.leg.strike
  const desc = (a: Slot, b: Slot): number => b.leg.strike - a.leg.strike
  // sorted-to-sorted matching minimises Σ max(0, width) (the width is convex in the strikes)
  shortCe.sort(asc)
  longCe.sort(asc)
  shortPe.sort(desc)
  longPe.sort(desc)
  pair(shortCe, longCe, (s, l, n) => (l.leg.strike - s.leg.strike) * n)
  pair(shortPe, longPe, (s, l, n) => (s.leg.strike - l.leg.strike) * n)
  // a short future loses above the call's strike no more than (K − entry); a long future below
  // the put's strike no more than (entry − K)
  pair(shortFut, longCe, (s, l, n) => l.leg.strike * n - entryCost(s, n))
  pair(longFut, longPe, (s, l, n) => entryCost(s, n) - l.leg.strike * n)
  for (const s of [...shortCe, ...shortPe, ...shortFut, ...longFut]) {
    if (s.left > 0) charge(s, s.left, null)
  }
  const total = span + exposure + premium
  return {
    span: span as Inr4,
    exposure: exposure as Inr4,
    premium: premium as Inr4,
    hedgeBenefit: (naked - span) as Inr4,
    total: total as Inr4,
  }
}

function entryCost(s: Slot, n: number): number {
  return mulDiv(s.leg.cost, n, Math.abs(s.leg.quantity))
}

function coversExpiry(long: MarginLeg, short: MarginLeg): boolean {
  return long.expiry === undefined || short.expiry === undefined || long.expiry >= short.expiry
}

/** An empty breakdown. */
export const NO_MARGIN: MarginBreakdown = {
  span: ZERO,
  exposure: ZERO,
  premium: ZERO,
  hedgeBenefit: ZERO,
  total: ZERO,
}
