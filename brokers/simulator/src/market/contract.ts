/**
 * The master contract for a seed and an IST trading date: every listed instrument as a
 * {@link SymbolRow} in OpenAlgo format. Streaming (a generator) so a host can insert rows while
 * they are produced; `generateContract` collects them.
 */
import { createBusinessTime, type BusinessTime } from './business-time.js'
import { formatExpiry, parseIsoDate } from './calendar.js'
import { optionExpiryFor, upcomingMonths, upcomingWeekly } from './expiry.js'
import { pathSpecOf } from './paths.js'
import { createPathEvaluator } from './price-path.js'
import { hash4, hashString } from './prng.js'
import {
  brDerivativePrefix,
  derivativePrefix,
  formatStrike,
  futureBrSymbol,
  futureSymbol,
} from './symbols.js'
import type { SymbolRow } from './types.js'
import {
  buildUniverse,
  type ChainClass,
  type DerivativeSeries,
  type StrikeGrid,
  type Universe,
} from './universe.js'

/** The simulator's broker exchange (segment) code of each OpenAlgo exchange. */
export const BR_EXCHANGE: Readonly<Record<string, string>> = {
  NSE: 'NSE_EQ',
  BSE: 'BSE_EQ',
  NFO: 'NSE_FO',
  BFO: 'BSE_FO',
  CDS: 'NSE_CD',
  MCX: 'MCX_FO',
  NSE_INDEX: 'NSE_IDX',
  BSE_INDEX: 'BSE_IDX',
}

/** Token prefix digit per exchange: tokens are unique per exchange and across exchanges. */
const TOKEN_PREFIX: Readonly<Record<string, number>> = {
  NSE: 1,
  BSE: 2,
  NFO: 3,
  BFO: 4,
  CDS: 5,
  MCX: 6,
  NSE_INDEX: 7,
  BSE_INDEX: 8,
}

/** One option expiry with the chain class that sets its strike grid. */
export interface ListedExpiry {
  day: number
  chain: ChainClass
}

/**
 * How long before expiry a chain class is listed: the strike grid is centred on the underlying's
 * price at that time (capped at the trading day), so strikes do not shift from day to day.
 */
const LISTING_LEAD_DAYS: Readonly<Record<ChainClass, number>> = {
  weekly: 35,
  monthly: 100,
  quarterly: 370,
  halfyearly: 1200,
}

/** Option expiries listed on a trading day for a series, ascending. */
export function listedOptionExpiries(series: DerivativeSeries, day: number): ListedExpiry[] {
  const o = series.options
  if (o === undefined) return []
  const byDay = new Map<number, ChainClass>()
  const rank: Record<ChainClass, number> = { weekly: 0, monthly: 1, quarterly: 2, halfyearly: 3 }
  const put = (d: number, chain: ChainClass): void => {
    const had = byDay.get(d)
    if (had === undefined || rank[chain] > rank[had]) byDay.set(d, chain)
  }
  if (o.weekly !== undefined) {
    for (const d of upcomingWeekly(o.weekly.weekday, series.family, day, o.weekly.count)) {
      put(d, 'weekly')
    }
  }
  const monthlyDays = (count: number, months?: readonly number[]): number[] =>
    upcomingMonths(
      series.futures.rule,
      series.family,
      day,
      count + 2,
      months ?? series.futures.months,
    )
      .map((m) => optionExpiryFor(o.offset, series.family, m.futuresExpiry))
      .filter((d) => d >= day)
      .slice(0, count)
  const monthly = monthlyDays(o.monthlyCount)
  for (const d of monthly) put(d, 'monthly')
  const lastMonthly = monthly[monthly.length - 1] ?? day
  const beyond = (count: number, months: readonly number[]): number[] =>
    monthlyDays(count + o.monthlyCount + 4, months)
      .filter((d) => d > lastMonthly)
      .slice(0, count)
  if (o.quarterlyCount !== undefined) {
    for (const d of beyond(o.quarterlyCount, [3, 6, 9, 12])) put(d, 'quarterly')
  }
  if (o.halfYearlyCount !== undefined) {
    const quarterly = [...byDay].filter(([, c]) => c === 'quarterly').map(([d]) => d)
    const after = Math.max(lastMonthly, ...quarterly)
    for (const d of monthlyDays(o.halfYearlyCount + 12, [6, 12])
      .filter((x) => x > after)
      .slice(0, o.halfYearlyCount)) {
      put(d, 'halfyearly')
    }
  }
  return [...byDay].map(([d, chain]) => ({ day: d, chain })).sort((a, b) => a.day - b.day)
}

/** Strikes (rupees) of one option chain, ascending. */
export function chainStrikes(center: number, grid: StrikeGrid): number[] {
  const mid = Math.round(center / grid.step)
  const out: number[] = []
  for (let i = mid - grid.perSide; i <= mid + grid.perSide; i++) {
    if (i > 0) out.push(roundStrike(i * grid.step))
  }
  return out
}

function roundStrike(x: number): number {
  // steps are multiples of 0.25 or 0.5, exact in binary; this only guards against drift
  return Math.round(x * 10_000) / 10_000
}

/** Reference price of a series' underlying on a day: its price at that day's open. */
export function referencePrice(
  universe: Universe,
  time: BusinessTime,
  series: DerivativeSeries,
  day: number,
): number {
  const u = series.underlying
  const path = createPathEvaluator(pathSpecOf(universe.seed, u, time))
  return path.price(time.openTau(u.family, day))
}

/** A trading date as an IST day number or `YYYY-MM-DD`. */
export type TradingDate = number | string

function toDay(date: TradingDate): number {
  if (typeof date === 'number') return date
  const day = parseIsoDate(date)
  if (day === undefined) throw new Error(`trading date must be YYYY-MM-DD, got "${date}"`)
  return day
}

/**
 * Streams the master contract of a seed on an IST trading date in batches (one per segment of
 * equities or indices, one per future list or option chain): indices, NSE and BSE equities, then
 * futures and options per underlying. Every symbol follows brokers.md §2.2; tokens are unique per
 * exchange (and across exchanges) and stable from day to day for the same instrument. With the
 * universe's `extraStrikes`, the extra strikes of each chain come last, one batch per chain, so
 * every other row is exactly what it is without them (token included).
 */
export function* contractBatches(
  seed: number,
  date: TradingDate,
  universe: Universe = buildUniverse(seed),
): Generator<SymbolRow[]> {
  const day = toDay(date)
  const time = createBusinessTime(false)
  const used = new Map<string, Set<number>>()
  const token = (exchange: string, hash: number): string => {
    let set = used.get(exchange)
    if (set === undefined) {
      set = new Set()
      used.set(exchange, set)
    }
    let t = hash % 100_000_000
    while (set.has(t)) t = (t + 1) % 100_000_000
    set.add(t)
    return String((TOKEN_PREFIX[exchange] ?? 9) * 100_000_000 + t)
  }

  yield universe.indices.map((l) => ({
    symbol: l.symbol,
    brSymbol: l.brSymbol,
    name: l.underlying.displayName,
    exchange: l.exchange,
    brExchange: BR_EXCHANGE[l.exchange] ?? l.exchange,
    token: token(l.exchange, hashString(`${l.exchange}:${l.symbol}`, universe.seed)),
    expiry: null,
    strike: null,
    lotSize: 1,
    instrumentType: 'INDEX',
    tickSize: l.underlying.spotTick,
    contractValue: null,
  }))
  yield universe.equities.map((l) => ({
    symbol: l.symbol,
    brSymbol: `${l.symbol}-EQ`,
    name: l.underlying.displayName.toUpperCase(),
    exchange: l.exchange,
    brExchange: BR_EXCHANGE[l.exchange] ?? l.exchange,
    token: token(l.exchange, hashString(`${l.exchange}:${l.symbol}`, universe.seed)),
    expiry: null,
    strike: null,
    lotSize: 1,
    instrumentType: 'EQ',
    tickSize: l.tick,
    contractValue: null,
  }))
  // strikes beyond the default grid (extraStrikes) take their tokens after every default row, so
  // the default rows keep the tokens they have without them (probing depends on the order)
  const extra = universe.extraStrikes
  const deferred: { rows: SymbolRow[]; hashes: number[] }[] = []
  for (const s of universe.series) {
    const base = s.underlying.name
    const brExchange = BR_EXCHANGE[s.exchange] ?? s.exchange
    // derivative tokens hash numbers (series, expiry, strike, type): no per-row string hashing
    const seriesKey = hashString(`${s.exchange}:${base}`, universe.seed)
    const months = upcomingMonths(s.futures.rule, s.family, day, s.futures.count, s.futures.months)
    yield months.map((m) => ({
      symbol: futureSymbol(base, m.futuresExpiry),
      brSymbol: futureBrSymbol(base, m.futuresExpiry),
      name: base,
      exchange: s.exchange,
      brExchange,
      token: token(s.exchange, hash4(seriesKey, m.futuresExpiry, 0, 0)),
      expiry: formatExpiry(m.futuresExpiry),
      strike: null,
      lotSize: s.lotSize(m.futuresExpiry, day),
      instrumentType: 'FUT',
      tickSize: s.futuresTick,
      contractValue: null,
    }))
    const o = s.options
    if (o === undefined) continue
    for (const e of listedOptionExpiries(s, day)) {
      const grid = o.grid[e.chain] ?? o.grid.monthly
      const refDay = Math.min(day, e.day - LISTING_LEAD_DAYS[e.chain])
      const centerPrice = referencePrice(universe, time, s, refDay)
      const strikes = chainStrikes(centerPrice, grid)
      // strikes further than this many steps from the centre are the extra ones
      const defaultSide = grid.perSide - extra
      const centre = Math.round(centerPrice / grid.step)
      const expiry = formatExpiry(e.day)
      const lotSize = s.lotSize(e.day, day)
      // symbol text per expiry once; per strike only the strike and type are appended
      const prefix = derivativePrefix(base, e.day)
      const brPrefix = brDerivativePrefix(base, e.day)
      const batch: SymbolRow[] = []
      const later: { rows: SymbolRow[]; hashes: number[] } = { rows: [], hashes: [] }
      for (const strike of strikes) {
        const k = formatStrike(strike)
        const strikeKey = Math.round(strike * 10_000)
        const isExtra = extra > 0 && Math.abs(Math.round(strike / grid.step) - centre) > defaultSide
        for (let t = 0; t < 2; t++) {
          const type = t === 0 ? 'CE' : 'PE'
          const hash = hash4(seriesKey, e.day, strikeKey, t + 1)
          const row: SymbolRow = {
            symbol: `${prefix}${k}${type}`,
            brSymbol: `${brPrefix}${k}:${type}`,
            name: base,
            exchange: s.exchange,
            brExchange,
            token: isExtra ? '' : token(s.exchange, hash),
            expiry,
            strike,
            lotSize,
            instrumentType: type,
            tickSize: s.optionTick,
            contractValue: null,
          }
          if (isExtra) {
            later.rows.push(row)
            later.hashes.push(hash)
          } else batch.push(row)
        }
      }
      yield batch
      if (later.rows.length > 0) deferred.push(later)
    }
  }
  for (const { rows, hashes } of deferred) {
    rows.forEach((row, i) => {
      row.token = token(row.exchange, hashes[i] ?? 0)
    })
    yield rows
  }
}

/**
 * Streams the master contract row by row (see {@link contractBatches}); about 120,000 rows
 * (about 2,700 more per extra strike).
 *
 * @example
 * ```ts
 * for (const row of contractRows(1, '2025-04-17')) if (row.exchange === 'MCX') console.log(row.symbol)
 * ```
 */
export function* contractRows(
  seed: number,
  date: TradingDate,
  universe?: Universe,
): Generator<SymbolRow> {
  for (const batch of contractBatches(seed, date, universe)) yield* batch
}

/** The whole master contract as an array (see {@link contractBatches}). */
export function generateContract(
  seed: number,
  date: TradingDate,
  universe?: Universe,
): SymbolRow[] {
  const out: SymbolRow[] = []
  for (const batch of contractBatches(seed, date, universe)) {
    for (const row of batch) out.push(row)
  }
  return out
}
