/**
 * The simulated market: quotes, depth, history and per-instant snapshots for every instrument of
 * the universe, as pure functions of (seed, instant). Nothing here reads a clock; callers pass the
 * instant. Caches (bounded LRUs of per-day arrays) only make repeated questions cheap; they never
 * change an answer.
 *
 * Per trading day and underlying, the engine lays out each traded minute's path (open, three
 * interior points, close) from the price process. An instrument maps the underlying price through
 * a function that is monotone in it within a minute (identity for spot, carry for futures, Black-76
 * with a sticky-strike smile for options), so each minute's high and low are the images of the
 * underlying's, every candle is consistent, and put-call parity holds by construction.
 */
import { black76Call, black76Put, smileVolatility, type SmileParams } from './black-scholes.js'
import { createBusinessTime, type BusinessTime } from './business-time.js'
import { DAY_MS, MINUTE_MS, istDayOf, istEpochMs, ymdOf } from './calendar.js'
import { isOptionExpiry, isFutureExpiry } from './expiry-check.js'
import { createLru } from './lru.js'
import { pathSpecOf } from './paths.js'
import {
  KEYS_PER_MINUTE,
  createPathEvaluator,
  minuteKeys,
  minuteRange,
  priceInMinute,
  type PathEvaluator,
  type PathSpec,
} from './price-path.js'
import { hash2, hash3, hash4, hashString, signedUnit, unit } from './prng.js'
import {
  createSessionCalendar,
  regularWindows,
  type SessionCalendar,
  type SessionFamily,
  type SessionWindow,
} from './sessions.js'
import { parseDerivativeSymbol } from './symbols.js'
import type { Candle, Depth, DepthLevel, Quote } from './types.js'
import {
  RISK_FREE_RATE,
  buildUniverse,
  stockStrikeStep,
  type DerivativeSeries,
  type Underlying,
  type Universe,
} from './universe.js'

/** Codes of a failed instrument lookup. */
export type MarketErrorCode = 'symbol_not_found' | 'exchange_not_supported'

/** Why an instrument could not be resolved. */
export interface MarketError {
  code: MarketErrorCode
  message: string
}

/** An instrument lookup: the instrument, or why there is none. */
export type Resolution = { ok: true; value: Instrument } | { ok: false; error: MarketError }

/** What an instrument is. */
export type InstrumentKind = 'index' | 'equity' | 'future' | 'option'

/** A resolved instrument (created only by {@link Market.resolve}). */
export interface Instrument {
  readonly symbol: string
  readonly exchange: string
  readonly kind: InstrumentKind
  readonly underlying: Underlying
  /** session family the instrument trades in */
  readonly family: SessionFamily
  /** tick size in 1/10,000 rupee */
  readonly tickE4: number
  /** units per lot (1 for spot) */
  readonly lotSize: number
  /** IST day number of expiry; null for spot */
  readonly expiryDay: number | null
  /** rupees; null unless an option */
  readonly strike: number | null
  readonly optionType: 'CE' | 'PE' | null
}

/** A history interval the simulator serves. */
export type HistoryInterval =
  | '1m'
  | '2m'
  | '3m'
  | '5m'
  | '10m'
  | '15m'
  | '20m'
  | '30m'
  | '1h'
  | '2h'
  | '3h'
  | '4h'
  | 'D'
  | 'W'
  | 'M'

/** Every interval the simulator serves, in OpenAlgo's spelling (api.md §6.6). */
export const HISTORY_INTERVALS: readonly HistoryInterval[] = [
  '1m',
  '2m',
  '3m',
  '5m',
  '10m',
  '15m',
  '20m',
  '30m',
  '1h',
  '2h',
  '3h',
  '4h',
  'D',
  'W',
  'M',
]

const INTERVAL_MINUTES: Readonly<Record<string, number>> = {
  '1m': 1,
  '2m': 2,
  '3m': 3,
  '5m': 5,
  '10m': 10,
  '15m': 15,
  '20m': 20,
  '30m': 30,
  '1h': 60,
  '2h': 120,
  '3h': 180,
  '4h': 240,
}

/**
 * The state of an instrument at an instant (filled in place by {@link Market.snapshot}); prices in
 * 1/10,000 rupee.
 */
export interface Snapshot {
  /** IST trading day whose figures these are */
  day: number
  ltp: number
  open: number
  high: number
  low: number
  prevClose: number
  /** cumulative day volume, units */
  volume: number
  /** volume-weighted average price of the day */
  avgPrice: number
  /** open interest, units (0 for spot) */
  oi: number
  /** whether the instrument's market is trading at the instant */
  trading: boolean
}

/** Options of {@link createMarket}. */
export interface MarketOptions {
  /** market seed (`OA_SIMULATOR_SEED`); default 1 */
  seed?: number
  /** one 24-hour session every day (tests, demos); default false */
  alwaysOpen?: boolean
  /** instrument-days kept in memory, about 30 KB each; default 2,048 */
  dayCacheSize?: number
  /**
   * strikes added on each side of every option chain (`OA_SIMULATOR_EXTRA_STRIKES`, see
   * `UniverseOptions`); default 0, or the given universe's
   */
  extraStrikes?: number
  /** a universe already built for the same seed (shared between markets to save memory) */
  universe?: Universe
}

/** The simulated market. Every method is a pure function of its arguments and the seed. */
export interface Market {
  readonly seed: number
  readonly alwaysOpen: boolean
  readonly universe: Universe
  readonly calendar: SessionCalendar
  /** Resolves an OpenAlgo symbol and exchange; `symbol_not_found` / `exchange_not_supported` otherwise. */
  resolve(symbol: string, exchange: string): Resolution
  /** The instrument's state at an instant, written into `out` (allocation-free hot path). */
  snapshot(instrument: Instrument, atMs: number, out: Snapshot): Snapshot
  /** Last traded price at an instant, 1/10,000 rupee. */
  ltp(instrument: Instrument, atMs: number): number
  /** A quote at an instant. Indices quote no bid/ask (0). */
  quote(instrument: Instrument, atMs: number): Quote
  /** Five-level depth at an instant; sizes in units, multiples of the lot. Indices: zero levels. */
  depth(instrument: Instrument, atMs: number): Depth
  /**
   * Candles of `interval` for the IST days `fromDay..toDay` (inclusive), ascending, none after
   * `nowMs` (the forming candle is included, up to `nowMs`). Intraday candles are aligned to the
   * session open (09:15 for NSE) and lie inside trading hours only.
   */
  history(
    instrument: Instrument,
    interval: HistoryInterval,
    fromDay: number,
    toDay: number,
    nowMs: number,
  ): Candle[]
  /** Best bid and ask at an instant for a given last price (0, 0 for indices). */
  topOfBook(instrument: Instrument, ltpE4: number, atMs: number): { bid: number; ask: number }
  /**
   * Sums of the five bid and ask quantities `depthLevels` would give, written into `out` without
   * building the levels (Quote-mode ticks carry the totals only).
   */
  bookTotals(
    instrument: Instrument,
    ltpE4: number,
    atMs: number,
    out: { buy: number; sell: number },
  ): void
  /** Five depth levels per side at an instant around a last price. */
  depthLevels(
    instrument: Instrument,
    ltpE4: number,
    atMs: number,
  ): { bids: DepthLevel[]; asks: DepthLevel[] }
  /** A last-trade quantity at an instant (a whole number of lots). */
  lastTradeQuantity(instrument: Instrument, atMs: number): number
}

/** Milliseconds per year of 365 days, the option-pricing year. */
const YEAR_MS = 365 * DAY_MS
/** Day numbers stay below this (year 2243), so serial × DAY_KEY + day is a unique cache key. */
const DAY_KEY = 100_000
/** INDIAVIX anchor; implied volatilities of equity options scale with VIX / this. */
const VIX_ANCHOR = 13.5

interface PathHandle {
  /** small per-market number, part of numeric cache keys */
  readonly serial: number
  readonly name: string
  readonly spec: PathSpec
  readonly evaluator: PathEvaluator
  readonly family: SessionFamily
}

interface DayFrame {
  readonly day: number
  readonly windows: readonly SessionWindow[]
  /** traded minutes */
  readonly n: number
  /** minutes traded before each window */
  readonly cum: readonly number[]
  /** epoch ms of each window's start and end */
  readonly startMs: readonly number[]
  readonly endMs: readonly number[]
  readonly openTau: number
}

interface UnderlyingDay {
  readonly frame: DayFrame
  /** KEYS_PER_MINUTE values per minute, see minuteKeys */
  readonly keys: Float64Array
  /** underlying price at the previous trading day's close, rupees */
  readonly prevClose: number
}

interface Pricing {
  /** e^(carry·T), e^(−r·T) and T (years) per minute; empty for spot */
  readonly growth: Float64Array
  readonly discount: Float64Array
  readonly years: Float64Array
  /** options: implied volatility of the strike for the day */
  readonly sigma: number
  /** options: log-moneyness in standard deviations (drives open interest) */
  readonly moneyness: number
}

const SPOT_PRICING: Pricing = {
  growth: new Float64Array(0),
  discount: new Float64Array(0),
  years: new Float64Array(0),
  sigma: 0,
  moneyness: 0,
}

interface InstrumentDay {
  readonly day: number
  readonly frame: DayFrame
  readonly und: UnderlyingDay
  readonly pricing: Pricing
  /** per-minute candles, 1/10,000 rupee */
  readonly open: Float64Array
  readonly high: Float64Array
  readonly low: Float64Array
  readonly close: Float64Array
  /** per-minute volume (units) and running totals */
  readonly vol: Float64Array
  readonly cumVol: Float64Array
  readonly cumHigh: Float64Array
  readonly cumLow: Float64Array
  readonly cumValue: Float64Array
  readonly prevCloseE4: number
  readonly oiDay: number
  readonly oiDrift: number
}

interface Inst extends Instrument {
  readonly key: string
  /** small per-market number, part of numeric cache keys */
  readonly serial: number
  /** hash of the key, the instrument's own randomness */
  readonly id: number
  readonly path: PathHandle
  readonly series: DerivativeSeries | null
  /** regular-calendar close of the expiry day, epoch ms; +∞ for spot */
  readonly expiryCloseMs: number
  readonly carry: number
}

/**
 * Builds a {@link Market}.
 *
 * @example
 * ```ts
 * const market = createMarket({ seed: 1 })
 * const nifty = market.resolve('NIFTY', 'NSE_INDEX')
 * if (nifty.ok) console.log(market.quote(nifty.value, Date.parse('2025-04-17T10:00:00+05:30')))
 * ```
 */
export function createMarket(options: MarketOptions = {}): Market {
  const seed = (options.seed ?? 1) >>> 0
  const alwaysOpen = options.alwaysOpen === true
  const universe =
    options.universe ?? buildUniverse(seed, { extraStrikes: options.extraStrikes ?? 0 })
  if (universe.seed !== seed) throw new Error('universe was built for another seed')
  if (options.extraStrikes !== undefined && universe.extraStrikes !== options.extraStrikes) {
    throw new Error('universe was built with another extraStrikes')
  }
  const calendar = createSessionCalendar({ alwaysOpen })
  const time: BusinessTime = createBusinessTime(alwaysOpen)
  const dayCacheSize = options.dayCacheSize ?? 2048

  const paths = new Map<string, PathHandle>()
  const frames = createLru<number, DayFrame>(512)
  const underlyingDays = createLru<number, UnderlyingDay>(Math.max(64, dayCacheSize >> 1))
  const instrumentDays = createLru<number, InstrumentDay>(dayCacheSize)
  let serials = 0
  const instruments = createLru<string, Inst>(Math.max(1024, dayCacheSize * 4))
  const vixCloses = createLru<number, number>(256)
  const scratch = new Float64Array(2)

  const familyCode = (f: SessionFamily): number => (f === 'equity' ? 0 : f === 'currency' ? 1 : 2)

  const pathOf = (u: Underlying): PathHandle => {
    let p = paths.get(u.pathName)
    if (p === undefined) {
      const spec = pathSpecOf(seed, u, time)
      p = {
        serial: ++serials,
        name: u.pathName,
        spec,
        evaluator: createPathEvaluator(spec),
        family: u.family,
      }
      paths.set(u.pathName, p)
    }
    return p
  }

  const frameOf = (family: SessionFamily, day: number): DayFrame => {
    const key = day * 4 + familyCode(family)
    let f = frames.get(key)
    if (f === undefined) {
      const windows = calendar.windows(family, day)
      const cum: number[] = []
      const startMs: number[] = []
      const endMs: number[] = []
      let n = 0
      for (const w of windows) {
        cum.push(n)
        startMs.push(istEpochMs(day, w.startMinute))
        endMs.push(istEpochMs(day, w.endMinute))
        n += w.endMinute - w.startMinute
      }
      f = { day, windows, n, cum, startMs, endMs, openTau: time.openTau(family, day) }
      frames.set(key, f)
    }
    return f
  }

  const minuteStartMs = (f: DayFrame, m: number): number => {
    for (let w = f.windows.length - 1; w >= 0; w--) {
      const c = f.cum[w] as number
      if (m >= c) return (f.startMs[w] as number) + (m - c) * MINUTE_MS
    }
    return f.startMs[0] as number
  }

  /** Minute of the day's frame at an instant: m and fraction u ∈ [0, 1] (1: minute complete). */
  const locate = (f: DayFrame, t: number, out: { m: number; u: number }): void => {
    for (let w = 0; w < f.windows.length; w++) {
      const start = f.startMs[w] as number
      const end = f.endMs[w] as number
      if (t < start) {
        // before this window: the previous window is complete (or, before the first, nothing traded)
        out.m = Math.max(0, (f.cum[w] as number) - 1)
        out.u = w === 0 ? 0 : 1
        return
      }
      if (t < end) {
        const offset = (t - start) / MINUTE_MS
        const whole = Math.floor(offset)
        out.m = (f.cum[w] as number) + whole
        out.u = offset - whole
        return
      }
    }
    out.m = f.n - 1
    out.u = 1
  }

  const closeOfDay = (p: PathHandle, day: number): number => {
    const f = frameOf(p.family, day)
    return p.evaluator.price(f.openTau + f.n)
  }

  const underlyingDay = (p: PathHandle, day: number, cache: boolean): UnderlyingDay => {
    const key = p.serial * DAY_KEY + day
    const hit = cache ? underlyingDays.get(key) : underlyingDays.peek(key)
    if (hit !== undefined) return hit
    const frame = frameOf(p.family, day)
    const n = frame.n
    const keys = new Float64Array(Math.max(1, n) * KEYS_PER_MINUTE)
    let logOpen = p.evaluator.logPrice(frame.openTau)
    for (let m = 0; m < n; m++) {
      const tau = frame.openTau + m
      const logClose = p.evaluator.logPrice(tau + 1)
      minuteKeys(p.spec, tau, logOpen, logClose, keys, m * KEYS_PER_MINUTE)
      logOpen = logClose
    }
    const prevDay = calendar.previousTradingDay(p.family, day)
    const d: UnderlyingDay = { frame, keys, prevClose: closeOfDay(p, prevDay) }
    if (cache) underlyingDays.set(key, d)
    return d
  }

  const vixPrevClose = (day: number): number => {
    let v = vixCloses.get(day)
    if (v === undefined) {
      const p = pathOf(universe.vix)
      v = closeOfDay(p, calendar.previousTradingDay('equity', day))
      vixCloses.set(day, v)
    }
    return v
  }

  const atmVolatility = (u: Underlying, key: number, day: number): number => {
    const level = u.family === 'equity' ? clamp(vixPrevClose(day) / VIX_ANCHOR, 0.6, 2.5) : 1
    return u.ivBase * level * (1 + 0.06 * signedUnit(hash2(key ^ 0x5a5a, day)))
  }

  const toE4 = (inst: Inst, price: number): number => {
    const ticks = Math.round((price * 10_000) / inst.tickE4)
    return ticks < 1 ? inst.tickE4 : ticks * inst.tickE4
  }

  /**
   * What maps the underlying to the instrument on one day: per-minute carry, discount and time to
   * expiry, and the option's volatility for the day (sticky strike: fixed from the previous close).
   */
  const pricingOf = (inst: Inst, frame: DayFrame, prevCloseS: number): Pricing => {
    if (inst.kind !== 'future' && inst.kind !== 'option') return SPOT_PRICING
    const n = Math.max(1, frame.n)
    const growth = new Float64Array(n)
    const discount = new Float64Array(n)
    const years = new Float64Array(n)
    for (let m = 0; m < n; m++) {
      const t = Math.max(0, inst.expiryCloseMs - minuteStartMs(frame, m)) / YEAR_MS
      years[m] = t
      growth[m] = Math.exp(inst.carry * t)
      discount[m] = Math.exp(-RISK_FREE_RATE * t)
    }
    if (inst.kind === 'future') return { growth, discount, years, sigma: 0, moneyness: 0 }
    const t0 = years[0]!
    const atm = atmVolatility(inst.underlying, inst.path.spec.key, frame.day)
    const smile: SmileParams = {
      atm,
      skew: inst.underlying.skew,
      curvature: inst.underlying.smile,
      forward: prevCloseS * Math.exp(inst.carry * t0),
      years: t0,
    }
    const k = inst.strike as number
    const moneyness = Math.log(k / smile.forward) / (atm * Math.sqrt(Math.max(t0, 2 / 365)))
    return { growth, discount, years, sigma: smileVolatility(smile, k), moneyness }
  }

  /** Price of the instrument (rupees, unrounded) for underlying price s in minute m of a day. */
  const priceOf = (inst: Inst, p: Pricing, m: number, s: number): number => {
    switch (inst.kind) {
      case 'index':
      case 'equity':
        return s
      case 'future':
        return s * p.growth[m]!
      case 'option': {
        const df = p.discount[m]!
        const f = s * p.growth[m]!
        const k = inst.strike as number
        const t = p.years[m]!
        // puts by parity from the same call: C − P = df·(F − K) holds to the last float
        return inst.optionType === 'CE'
          ? black76Call(df, f, k, p.sigma, t)
          : black76Put(df, f, k, p.sigma, t)
      }
    }
  }

  /**
   * The instrument's close on the trading day before `day`, 1/10,000 rupee: exactly the close of
   * that day's last candle (same underlying close, same pricing), computed without building it.
   */
  const previousClose = (inst: Inst, day: number, prevCloseS: number): number => {
    if (inst.kind === 'index' || inst.kind === 'equity') return toE4(inst, prevCloseS)
    const prevDay = calendar.previousTradingDay(inst.family, day)
    const frame = frameOf(inst.family, prevDay)
    const before = closeOfDay(inst.path, calendar.previousTradingDay(inst.family, prevDay))
    const pricing = pricingOf(inst, frame, before)
    return toE4(inst, priceOf(inst, pricing, Math.max(0, frame.n - 1), prevCloseS))
  }

  const instrumentDay = (inst: Inst, day: number, cache: boolean): InstrumentDay => {
    const key = inst.serial * DAY_KEY + day
    const hit = cache ? instrumentDays.get(key) : instrumentDays.peek(key)
    if (hit !== undefined) return hit
    const und = underlyingDay(inst.path, day, cache)
    const frame = und.frame
    const n = Math.max(1, frame.n)
    const pricing = pricingOf(inst, frame, und.prevClose)
    const open = new Float64Array(n)
    const high = new Float64Array(n)
    const low = new Float64Array(n)
    const close = new Float64Array(n)
    const vol = new Float64Array(n)
    const cumVol = new Float64Array(n)
    const cumHigh = new Float64Array(n)
    const cumLow = new Float64Array(n)
    const cumValue = new Float64Array(n)
    const keys = und.keys
    for (let m = 0; m < frame.n; m++) {
      const b = m * KEYS_PER_MINUTE
      minuteRange(keys, b, 1, scratch)
      const a = toE4(inst, priceOf(inst, pricing, m, scratch[0]!))
      const z = toE4(inst, priceOf(inst, pricing, m, scratch[1]!))
      open[m] = toE4(inst, priceOf(inst, pricing, m, keys[b + 3]!))
      close[m] = toE4(inst, priceOf(inst, pricing, m, keys[b + 7]!))
      high[m] = a > z ? a : z
      low[m] = a > z ? z : a
    }
    // volume: a U-shaped intraday profile with per-minute noise, every minute at least one lot
    const oi = openInterest(inst, day, pricing.moneyness, pricing.years[0] ?? 0)
    const dayVolume = dailyVolume(inst, day, oi.units)
    let weightSum = 0
    for (let m = 0; m < frame.n; m++) {
      const w = intradayWeight((m + 0.5) / frame.n) * (0.4 + 1.2 * unit(hash3(inst.id, day, m)))
      vol[m] = w
      weightSum += w
    }
    const lot = inst.lotSize
    let runVol = 0
    let runValue = 0
    let runHigh = 0
    let runLow = Number.POSITIVE_INFINITY
    for (let m = 0; m < frame.n; m++) {
      const v = Math.max(lot, Math.round((dayVolume * vol[m]!) / weightSum / lot) * lot)
      vol[m] = v
      runVol += v
      runValue += (v * (open[m]! + high[m]! + low[m]! + close[m]!)) / 4
      if (high[m]! > runHigh) runHigh = high[m]!
      if (low[m]! < runLow) runLow = low[m]!
      cumVol[m] = runVol
      cumValue[m] = runValue
      cumHigh[m] = runHigh
      cumLow[m] = runLow
    }
    const d: InstrumentDay = {
      day,
      frame,
      und,
      pricing,
      open,
      high,
      low,
      close,
      vol,
      cumVol,
      cumHigh,
      cumLow,
      cumValue,
      prevCloseE4: previousClose(inst, day, und.prevClose),
      oiDay: oi.units,
      oiDrift: oi.drift,
    }
    if (cache) instrumentDays.set(key, d)
    return d
  }

  const openInterest = (
    inst: Inst,
    day: number,
    moneyness: number,
    years: number,
  ): { units: number; drift: number } => {
    if (inst.kind !== 'future' && inst.kind !== 'option') return { units: 0, drift: 0 }
    const kind = inst.underlying.kind
    const nearness = Math.max(0.05, Math.exp((-years * 365) / 45))
    // a slowly varying level: hashed values every 3 days, interpolated between
    const bucket = Math.floor(day / 3)
    const f = (day - bucket * 3) / 3
    const a = unit(hash2(inst.id, bucket))
    const b = unit(hash2(inst.id, bucket + 1))
    const slow = 0.7 + 0.6 * (a + (b - a) * f)
    let lots: number
    if (inst.kind === 'future') {
      const base =
        kind === 'index'
          ? 60_000
          : kind === 'stock'
            ? 15_000
            : kind === 'commodity'
              ? 8_000
              : 150_000
      lots = base * nearness * slow
    } else {
      const base =
        kind === 'index' ? 90_000 : kind === 'stock' ? 1_500 : kind === 'commodity' ? 800 : 6_000
      lots = base * nearness * slow * Math.exp((-moneyness * moneyness) / 2) + 1
    }
    const units = Math.max(1, Math.round(lots)) * inst.lotSize
    return { units, drift: -0.15 + 0.4 * unit(hash3(inst.id, day, 0x01)) }
  }

  const dailyVolume = (inst: Inst, day: number, oiUnits: number): number => {
    const noise = 0.6 + 0.8 * unit(hash3(inst.id, day, 0x02))
    if (inst.kind === 'index' || inst.kind === 'equity') return inst.underlying.dayVolume * noise
    return Math.max(inst.lotSize, oiUnits * (inst.kind === 'future' ? 0.5 : 1.8) * noise)
  }

  const oiAt = (inst: Inst, d: InstrumentDay, m: number): number => {
    if (d.oiDay === 0) return 0
    const n = Math.max(1, d.frame.n)
    const units = d.oiDay * (1 + (d.oiDrift * (m + 1)) / n)
    return Math.max(inst.lotSize, Math.round(units / inst.lotSize) * inst.lotSize)
  }

  const resolveInstant = (inst: Inst, atMs: number): number =>
    atMs > inst.expiryCloseMs ? inst.expiryCloseMs : atMs

  const loc = { m: 0, u: 0 }
  const range = new Float64Array(2)

  /**
   * The trading window a family was last seen trading in, per family: an instant inside it needs
   * no calendar lookup (the hot path of quotes and ticks).
   */
  const windowMemo: (
    { startMs: number; endMs: number; day: number; firstMinute: number } | undefined
  )[] = [undefined, undefined, undefined]

  /** Where an instrument stands at an instant: its day, minute m and fraction u (see locate). */
  const pos = { day: 0, m: 0, u: 0, trading: false }
  const position = (inst: Inst, atMs: number): InstrumentDay => {
    const t = resolveInstant(inst, atMs)
    const code = familyCode(inst.family)
    const w = windowMemo[code]
    if (w !== undefined && t >= w.startMs && t < w.endMs) {
      const offset = (t - w.startMs) / MINUTE_MS
      const whole = Math.floor(offset)
      pos.day = w.day
      pos.m = w.firstMinute + whole
      pos.u = offset - whole
      pos.trading = t === atMs
      return instrumentDay(inst, w.day, true)
    }
    const day = calendar.sessionDayAt(inst.family, t)
    const d = instrumentDay(inst, day, true)
    locate(d.frame, t, loc)
    pos.day = day
    pos.m = loc.m
    pos.u = loc.u
    pos.trading = false
    if (loc.u < 1 && day === istDayOf(t)) {
      const f = d.frame
      for (let i = 0; i < f.windows.length; i++) {
        if (t >= f.startMs[i]! && t < f.endMs[i]!) {
          windowMemo[code] = {
            startMs: f.startMs[i]!,
            endMs: f.endMs[i]!,
            day,
            firstMinute: f.cum[i]!,
          }
          pos.trading = t === atMs
        }
      }
    }
    return d
  }

  const ltpAt = (instrument: Instrument, atMs: number): number => {
    const inst = asInst(instrument)
    const d = position(inst, atMs)
    const m = pos.m
    if (pos.u >= 1 || d.frame.n === 0) return d.close[m]!
    return toE4(
      inst,
      priceOf(inst, d.pricing, m, priceInMinute(d.und.keys, m * KEYS_PER_MINUTE, pos.u)),
    )
  }

  const snapshot = (instrument: Instrument, atMs: number, out: Snapshot): Snapshot => {
    const inst = asInst(instrument)
    const d = position(inst, atMs)
    const m = pos.m
    const u = pos.u
    let ltp: number
    let hi: number
    let lo: number
    let volM: number
    if (u >= 1 || d.frame.n === 0) {
      ltp = d.close[m]!
      hi = d.high[m]!
      lo = d.low[m]!
      volM = d.vol[m]!
    } else {
      const b = m * KEYS_PER_MINUTE
      ltp = toE4(inst, priceOf(inst, d.pricing, m, priceInMinute(d.und.keys, b, u)))
      minuteRange(d.und.keys, b, u, range)
      const a = toE4(inst, priceOf(inst, d.pricing, m, range[0]!))
      const z = toE4(inst, priceOf(inst, d.pricing, m, range[1]!))
      hi = a > z ? a : z
      lo = a > z ? z : a
      volM = formingVolume(d.vol[m]!, u, inst.lotSize)
    }
    const prevVol = m > 0 ? d.cumVol[m - 1]! : 0
    const prevValue = m > 0 ? d.cumValue[m - 1]! : 0
    out.day = pos.day
    out.ltp = ltp
    out.open = d.open[0]!
    out.high = m > 0 && d.cumHigh[m - 1]! > hi ? d.cumHigh[m - 1]! : hi
    out.low = m > 0 && d.cumLow[m - 1]! < lo ? d.cumLow[m - 1]! : lo
    out.prevClose = d.prevCloseE4
    out.volume = prevVol + volM
    out.avgPrice = out.volume > 0 ? Math.round((prevValue + volM * ltp) / out.volume) : ltp
    out.oi = oiAt(inst, d, m)
    out.trading = pos.trading
    return out
  }

  const snap: Snapshot = {
    day: 0,
    ltp: 0,
    open: 0,
    high: 0,
    low: 0,
    prevClose: 0,
    volume: 0,
    avgPrice: 0,
    oi: 0,
    trading: false,
  }

  const spreadTicks = (inst: Inst, ltpE4: number, h: number): number => {
    switch (inst.kind) {
      case 'index':
        return 0
      case 'equity': {
        const liquid = inst.underlying.dayVolume * inst.underlying.basePrice > 5e8
        return 1 + (h % (liquid ? 2 : 6))
      }
      case 'future':
        return 1 + (h % 3)
      case 'option': {
        const rupees = ltpE4 / 10_000
        if (inst.underlying.kind === 'currency') return 1 + (h % 2)
        return rupees < 10 ? 1 + (h % 2) : rupees < 100 ? 1 + (h % 3) : 2 + (h % 5)
      }
    }
  }

  const topOfBook = (instrument: Instrument, ltpE4: number, atMs: number) => {
    const inst = asInst(instrument)
    const second = Math.floor(atMs / 1000)
    const h = hash3(inst.id, second, 0x0b)
    const spread = spreadTicks(inst, ltpE4, h)
    if (spread === 0) return { bid: 0, ask: 0 }
    const below = (h >>> 8) % (spread + 1)
    const bid = Math.max(0, ltpE4 - below * inst.tickE4)
    return { bid, ask: ltpE4 - below * inst.tickE4 + spread * inst.tickE4 }
  }

  const levelQuantity = (inst: Inst, h: number): number => {
    if (inst.kind === 'equity') {
      const typical = 200_000 / inst.underlying.basePrice
      return Math.max(1, Math.round(typical * Math.exp(3 * unit(h) - 1)))
    }
    return inst.lotSize * (1 + Math.floor(Math.exp(4.2 * unit(h))))
  }

  const depthLevels = (instrument: Instrument, ltpE4: number, atMs: number) => {
    const inst = asInst(instrument)
    const bids: DepthLevel[] = []
    const asks: DepthLevel[] = []
    const { bid, ask } = topOfBook(inst, ltpE4, atMs)
    const second = Math.floor(atMs / 1000)
    for (let i = 0; i < 5; i++) {
      if (inst.kind === 'index') {
        bids.push({ price: 0, quantity: 0, orders: 0 })
        asks.push({ price: 0, quantity: 0, orders: 0 })
        continue
      }
      const bp = bid - i * inst.tickE4
      const hb = hash4(inst.id, second, i, 0x0c)
      const ha = hash4(inst.id, second, i, 0x0d)
      if (bp > 0) {
        const q = levelQuantity(inst, hb)
        bids.push({ price: bp, quantity: q, orders: ordersFor(inst, q, hb) })
      } else {
        bids.push({ price: 0, quantity: 0, orders: 0 })
      }
      const q = levelQuantity(inst, ha)
      asks.push({ price: ask + i * inst.tickE4, quantity: q, orders: ordersFor(inst, q, ha) })
    }
    return { bids, asks }
  }

  const bookTotals = (
    instrument: Instrument,
    ltpE4: number,
    atMs: number,
    out: { buy: number; sell: number },
  ): void => {
    const inst = asInst(instrument)
    out.buy = 0
    out.sell = 0
    if (inst.kind === 'index') return
    const { bid } = topOfBook(inst, ltpE4, atMs)
    const second = Math.floor(atMs / 1000)
    for (let i = 0; i < 5; i++) {
      if (bid - i * inst.tickE4 > 0) out.buy += levelQuantity(inst, hash4(inst.id, second, i, 0x0c))
      out.sell += levelQuantity(inst, hash4(inst.id, second, i, 0x0d))
    }
  }

  const lastTradeQuantity = (instrument: Instrument, atMs: number): number => {
    const inst = asInst(instrument)
    const h = hash3(inst.id, Math.floor(atMs / 1000), 0x0e)
    if (inst.kind === 'index') return 0
    if (inst.kind === 'equity')
      return 1 + (h % Math.max(1, Math.round(50_000 / inst.underlying.basePrice)))
    return inst.lotSize * (1 + (h % 10))
  }

  const quote = (instrument: Instrument, atMs: number): Quote => {
    const inst = asInst(instrument)
    snapshot(inst, atMs, snap)
    const t = resolveInstant(inst, atMs)
    const book = topOfBook(inst, snap.ltp, t)
    return {
      ltp: snap.ltp,
      open: snap.open,
      high: snap.high,
      low: snap.low,
      prevClose: snap.prevClose,
      bid: book.bid,
      ask: book.ask,
      volume: snap.volume,
      oi: snap.oi,
    }
  }

  const depth = (instrument: Instrument, atMs: number): Depth => {
    const inst = asInst(instrument)
    snapshot(inst, atMs, snap)
    const t = resolveInstant(inst, atMs)
    const levels = depthLevels(inst, snap.ltp, t)
    let totalBuyQty = 0
    let totalSellQty = 0
    for (const l of levels.bids) totalBuyQty += l.quantity
    for (const l of levels.asks) totalSellQty += l.quantity
    return {
      bids: levels.bids,
      asks: levels.asks,
      ltp: snap.ltp,
      ltq: lastTradeQuantity(inst, t),
      open: snap.open,
      high: snap.high,
      low: snap.low,
      prevClose: snap.prevClose,
      volume: snap.volume,
      oi: snap.oi,
      totalBuyQty,
      totalSellQty,
    }
  }

  const history = (
    instrument: Instrument,
    interval: HistoryInterval,
    fromDay: number,
    toDay: number,
    nowMs: number,
  ): Candle[] => {
    const inst = asInst(instrument)
    const out: Candle[] = []
    const lastMs = resolveInstant(inst, nowMs)
    const lastDay = Math.min(toDay, istDayOf(lastMs), inst.expiryDay ?? Number.POSITIVE_INFINITY)
    const bucketMinutes = INTERVAL_MINUTES[interval]
    const dailies: Candle[] = []
    for (let day = fromDay; day <= lastDay; day++) {
      const frame = frameOf(inst.family, day)
      if (frame.n === 0) continue
      const firstStart = frame.startMs[0]!
      if (lastMs <= firstStart) continue
      const d = instrumentDay(inst, day, false)
      // how far this day has traded: minutes [0, mEnd) complete, then minute mEnd up to uEnd
      locate(frame, lastMs, loc)
      const mEnd = loc.m
      const uEnd = loc.u
      if (bucketMinutes === undefined) {
        const c = aggregate(inst, d, 0, mEnd, uEnd)
        c.timestamp = day * 86_400
        dailies.push(c)
        continue
      }
      let m = 0
      while (m <= mEnd) {
        const startMs = minuteStartMs(frame, m)
        const bucket = Math.floor((startMs - firstStart) / MINUTE_MS / bucketMinutes)
        // extend to the last minute of the same bucket (and the same window)
        let last = m
        while (
          last + 1 <= mEnd &&
          Math.floor((minuteStartMs(frame, last + 1) - firstStart) / MINUTE_MS / bucketMinutes) ===
            bucket &&
          minuteStartMs(frame, last + 1) === minuteStartMs(frame, last) + MINUTE_MS
        ) {
          last++
        }
        if (last === mEnd && uEnd === 0) {
          // the forming minute has not traded yet
          if (last > m) out.push(stamp(aggregate(inst, d, m, last - 1, 1), startMs))
        } else {
          out.push(stamp(aggregate(inst, d, m, last, last === mEnd ? uEnd : 1), startMs))
        }
        m = last + 1
      }
    }
    if (bucketMinutes !== undefined) return out
    if (interval === 'D') return dailies
    return rollUp(dailies, interval)
  }

  /** Candle over minutes m0..m1 of a day, the last one traded up to fraction u1. */
  const aggregate = (inst: Inst, d: InstrumentDay, m0: number, m1: number, u1: number): Candle => {
    let high = 0
    let low = Number.POSITIVE_INFINITY
    let volume = 0
    for (let m = m0; m < m1; m++) {
      if (d.high[m]! > high) high = d.high[m]!
      if (d.low[m]! < low) low = d.low[m]!
      volume += d.vol[m]!
    }
    let close: number
    if (u1 >= 1) {
      if (d.high[m1]! > high) high = d.high[m1]!
      if (d.low[m1]! < low) low = d.low[m1]!
      volume += d.vol[m1]!
      close = d.close[m1]!
    } else {
      const b = m1 * KEYS_PER_MINUTE
      close = toE4(inst, priceOf(inst, d.pricing, m1, priceInMinute(d.und.keys, b, u1)))
      minuteRange(d.und.keys, b, u1, range)
      const a = toE4(inst, priceOf(inst, d.pricing, m1, range[0]!))
      const z = toE4(inst, priceOf(inst, d.pricing, m1, range[1]!))
      high = Math.max(high, a, z)
      low = Math.min(low, a, z)
      volume += formingVolume(d.vol[m1]!, u1, inst.lotSize)
    }
    return { timestamp: 0, open: d.open[m0]!, high, low, close, volume, oi: oiAt(inst, d, m1) }
  }

  const instrumentFor = (
    key: string,
    symbol: string,
    exchange: string,
    build: () => Omit<Inst, 'key' | 'serial' | 'id' | 'symbol' | 'exchange'>,
  ): Inst => {
    let inst = instruments.get(key)
    if (inst === undefined) {
      inst = { key, serial: ++serials, id: hashString(key, seed), symbol, exchange, ...build() }
      instruments.set(key, inst)
    }
    return inst
  }

  const resolve = (symbol: string, exchange: string): Resolution => {
    const key = `${exchange}:${symbol}`
    const cached = instruments.get(key)
    if (cached !== undefined) return { ok: true, value: cached }
    const notFound = (): Resolution => ({
      ok: false,
      error: {
        code: 'symbol_not_found',
        message: `Symbol '${symbol}' not found for exchange '${exchange}'`,
      },
    })
    switch (exchange) {
      case 'NSE':
      case 'BSE':
      case 'NSE_INDEX':
      case 'BSE_INDEX': {
        const listing = universe.listingByKey.get(key)
        if (listing === undefined) return notFound()
        const u = listing.underlying
        const isIndex = exchange === 'NSE_INDEX' || exchange === 'BSE_INDEX'
        const inst = instrumentFor(key, symbol, exchange, () => ({
          kind: isIndex ? 'index' : 'equity',
          underlying: u,
          family: u.family,
          tickE4: Math.round(u.spotTick * 10_000),
          lotSize: 1,
          expiryDay: null,
          strike: null,
          optionType: null,
          path: pathOf(u),
          series: null,
          expiryCloseMs: Number.POSITIVE_INFINITY,
          carry: 0,
        }))
        return { ok: true, value: inst }
      }
      case 'NFO':
      case 'BFO':
      case 'MCX':
      case 'CDS': {
        const parsed = parseDerivativeSymbol(symbol)
        if (parsed === undefined) return notFound()
        const series = universe.seriesByKey.get(`${exchange}:${parsed.base}`)
        if (series === undefined) return notFound()
        const expiryDay = parsed.expiryDay
        if (
          parsed.kind === 'future'
            ? !isFutureExpiry(series, expiryDay)
            : !isOptionExpiry(series, expiryDay)
        ) {
          return notFound()
        }
        if (parsed.kind === 'option') {
          const step = minimumStep(series)
          const ratio = parsed.strike / step
          if (Math.abs(ratio - Math.round(ratio)) > 1e-9 || series.options === undefined)
            return notFound()
        }
        const u = series.underlying
        const closeMinute = regularCloseMinute(series.family, expiryDay)
        const inst = instrumentFor(key, symbol, exchange, () => ({
          kind: parsed.kind,
          underlying: u,
          family: series.family,
          tickE4: Math.round(
            (parsed.kind === 'future' ? series.futuresTick : series.optionTick) * 10_000,
          ),
          lotSize: series.lotSize(expiryDay, expiryDay),
          expiryDay,
          strike: parsed.kind === 'option' ? parsed.strike : null,
          optionType: parsed.kind === 'option' ? parsed.optionType : null,
          path: pathOf(u),
          series,
          expiryCloseMs: istEpochMs(expiryDay, closeMinute),
          carry: u.carry,
        }))
        return { ok: true, value: inst }
      }
      default:
        return {
          ok: false,
          error: {
            code: 'exchange_not_supported',
            message: `exchange '${exchange}' is not simulated; use one of NSE, BSE, NFO, BFO, CDS, MCX, NSE_INDEX, BSE_INDEX`,
          },
        }
    }
  }

  const asInst = (instrument: Instrument): Inst => {
    const inst = instrument as Partial<Inst>
    if (inst.path === undefined || inst.key === undefined) {
      throw new Error(
        `instrument ${instrument.exchange}:${instrument.symbol} was not resolved by this market`,
      )
    }
    return inst as Inst
  }

  return {
    seed,
    alwaysOpen,
    universe,
    calendar,
    resolve,
    snapshot,
    ltp: ltpAt,
    quote,
    depth,
    history,
    topOfBook,
    bookTotals,
    depthLevels,
    lastTradeQuantity,
  }
}

function stamp(c: Candle, startMs: number): Candle {
  c.timestamp = Math.floor(startMs / 1000)
  return c
}

/** Weekly (Monday-dated) or monthly (1st-dated) candles from daily ones. */
function rollUp(dailies: readonly Candle[], interval: HistoryInterval): Candle[] {
  const out: Candle[] = []
  let current: Candle | undefined
  let currentKey = Number.NaN
  for (const c of dailies) {
    const day = c.timestamp / 86_400
    let key: number
    if (interval === 'W') {
      key = day - ((day - 4 + 7 * 1000) % 7) // Monday on or before
    } else {
      const { year, month } = ymdOf(day)
      key = Date.UTC(year, month - 1, 1) / DAY_MS
    }
    if (current === undefined || key !== currentKey) {
      current = { ...c, timestamp: key * 86_400 }
      currentKey = key
      out.push(current)
    } else {
      if (c.high > current.high) current.high = c.high
      if (c.low < current.low) current.low = c.low
      current.close = c.close
      current.volume += c.volume
      current.oi = c.oi
    }
  }
  return out
}

/** Volume of a minute traded up to fraction u: a lot as soon as it trades, all of it at u = 1. */
function formingVolume(minuteVolume: number, u: number, lot: number): number {
  if (u <= 0) return 0
  return Math.min(minuteVolume, Math.max(lot, Math.floor((minuteVolume * u) / lot) * lot))
}

function intradayWeight(x: number): number {
  return 0.7 + 1.6 * Math.exp(-x / 0.07) + 1.0 * Math.exp(-(1 - x) / 0.1)
}

function ordersFor(inst: Instrument, quantity: number, h: number): number {
  const lots = Math.max(1, Math.round(quantity / inst.lotSize))
  return 1 + ((h >>> 12) % Math.min(lots, 40))
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x
}

function minimumStep(series: DerivativeSeries): number {
  const grids = series.options?.grid
  if (grids === undefined) return stockStrikeStep(series.underlying.basePrice)
  let step = Number.POSITIVE_INFINITY
  for (const g of Object.values(grids)) if (g !== undefined && g.step < step) step = g.step
  return step
}

/** Regular session close of a family on a day (the expiry instant of its contracts). */
function regularCloseMinute(family: SessionFamily, day: number): number {
  const windows = regularWindows(family, day)
  return windows[windows.length - 1]?.endMinute ?? 24 * 60
}
