/**
 * What the simulated market lists: indices, equities on NSE and BSE, and the derivatives on
 * indices, stocks, commodities and currencies, with the parameters of each price process.
 * Everything here depends on the seed only (not on the date): the date decides which contracts
 * are live (see contract.ts).
 */
import { dayOf } from './calendar.js'
import type { MonthlyRule, OptionOffset } from './expiry.js'
import { generateCompanies } from './names.js'
import { createStream, hashString, unit } from './prng.js'
import type { SessionFamily } from './sessions.js'
import { FNO_STOCKS, stockLotSize } from './stocks.js'

/** Annual risk-free rate used for discounting and index/stock carry. */
export const RISK_FREE_RATE = 0.065

/** The price process and listing facts of one underlying. */
export interface Underlying {
  /** OpenAlgo base name: `NIFTY`, `RELIANCE`, `CRUDEOIL`, `USDINR` */
  name: string
  kind: 'index' | 'stock' | 'commodity' | 'currency'
  /** company or index display name */
  displayName: string
  /** session family the price moves in */
  family: SessionFamily
  /** identity of the price path; minis share their big contract's path (`CRUDEOILM` → `CRUDEOIL`) */
  pathName: string
  /** long-run anchor of the price, rupees */
  basePrice: number
  /** annualized volatility of the price process */
  annualVol: number
  /** correlation with the equity market factor (NIFTY's own noise); 0 outside equities */
  rho: number
  /** annual cost of carry of its futures (futures = spot × e^(carry·T)) */
  carry: number
  /** at-the-money implied volatility level of its options */
  ivBase: number
  /** smile: skew (negative = puts richer) and curvature in standardized moneyness */
  skew: number
  smile: number
  /** tick of the spot (equity, index), rupees */
  spotTick: number
  /** typical day volume of the spot in units (index: a synthetic constituent volume) */
  dayVolume: number
}

/** Which class of expiry an option chain belongs to (decides strike step and width). */
export type ChainClass = 'weekly' | 'monthly' | 'quarterly' | 'halfyearly'

/** Strike grid of one chain class: step (rupees) and strikes on each side of the centre. */
export interface StrikeGrid {
  step: number
  perSide: number
}

/** The futures and options listed on one underlying on one exchange. */
export interface DerivativeSeries {
  exchange: 'NFO' | 'BFO' | 'MCX' | 'CDS'
  underlying: Underlying
  /** family of the trading calendar that moves expiries over holidays */
  family: SessionFamily
  /** units per lot for a contract expiring on `expiryDay`, listed on `tradingDay` */
  lotSize(expiryDay: number, tradingDay: number): number
  futuresTick: number
  optionTick: number
  futures: { rule: MonthlyRule; months?: readonly number[]; count: number }
  options?: {
    weekly?: { weekday: number; count: number }
    monthlyCount: number
    quarterlyCount?: number
    halfYearlyCount?: number
    offset: OptionOffset
    grid: Readonly<Partial<Record<ChainClass, StrikeGrid>>> & { monthly: StrikeGrid }
  }
}

/** One equity listing (the same company may list on NSE and BSE with one price path). */
export interface EquityListing {
  exchange: 'NSE' | 'BSE'
  symbol: string
  underlying: Underlying
  tick: number
}

/** One index listing. */
export interface IndexListing {
  exchange: 'NSE_INDEX' | 'BSE_INDEX'
  symbol: string
  /** the exchange's display name, used as the simulator's broker symbol */
  brSymbol: string
  underlying: Underlying
}

/** Options of {@link buildUniverse}. */
export interface UniverseOptions {
  /**
   * Strikes added on each side of every option chain (`OA_SIMULATOR_EXTRA_STRIKES`), a whole
   * number from 0 (the default, the market as listed) to {@link MAX_EXTRA_STRIKES}. Each one adds
   * about 2,700 instruments to a day's contract (12 lists about 153,000): a bigger contract to test
   * memory and load times against. Steps, prices and tokens of the strikes listed without it do
   * not change.
   */
  extraStrikes?: number
}

/** The largest {@link UniverseOptions.extraStrikes}. */
export const MAX_EXTRA_STRIKES = 200

/** Everything the market lists for a seed. */
export interface Universe {
  seed: number
  /** strikes added on each side of every option chain (see {@link UniverseOptions}) */
  extraStrikes: number
  indices: readonly IndexListing[]
  equities: readonly EquityListing[]
  series: readonly DerivativeSeries[]
  /** listings by `EXCHANGE:SYMBOL` */
  listingByKey: ReadonlyMap<string, IndexListing | EquityListing>
  /** derivative series by `EXCHANGE:BASE` */
  seriesByKey: ReadonlyMap<string, DerivativeSeries>
  /** underlying of the equity market factor (NIFTY) */
  marketFactor: Underlying
  /** INDIAVIX, which sets the level of implied volatility */
  vix: Underlying
}

const TUESDAY = 2
const THURSDAY = 4
const FRIDAY = 5
const NSE_MONTHLY: MonthlyRule = { kind: 'last-weekday', weekday: TUESDAY }
const BSE_MONTHLY: MonthlyRule = { kind: 'last-weekday', weekday: THURSDAY }

// [symbol, display name, level, annual vol, rho]
type IndexRow = readonly [string, string, number, number, number]

const NSE_INDICES: readonly IndexRow[] = [
  ['NIFTY', 'NIFTY 50', 24500, 0.14, 1],
  ['BANKNIFTY', 'NIFTY BANK', 55000, 0.17, 0.85],
  ['FINNIFTY', 'NIFTY FIN SERVICE', 26000, 0.16, 0.88],
  ['MIDCPNIFTY', 'NIFTY MID SELECT', 12800, 0.19, 0.8],
  ['NIFTYNXT50', 'NIFTY NEXT 50', 67000, 0.17, 0.85],
  ['INDIAVIX', 'INDIA VIX', 13.5, 0.85, -0.6],
  ['NIFTYIT', 'NIFTY IT', 37000, 0.22, 0.6],
  ['NIFTYAUTO', 'NIFTY AUTO', 23500, 0.18, 0.75],
  ['NIFTYPHARMA', 'NIFTY PHARMA', 21500, 0.17, 0.55],
  ['NIFTYFMCG', 'NIFTY FMCG', 56000, 0.13, 0.6],
  ['NIFTYMETAL', 'NIFTY METAL', 9200, 0.24, 0.7],
  ['NIFTYREALTY', 'NIFTY REALTY', 950, 0.3, 0.7],
  ['NIFTYENERGY', 'NIFTY ENERGY', 36000, 0.2, 0.7],
  ['NIFTYMEDIA', 'NIFTY MEDIA', 1750, 0.25, 0.6],
  ['NIFTYPSUBANK', 'NIFTY PSU BANK', 6900, 0.25, 0.7],
  ['NIFTYPVTBANK', 'NIFTY PVT BANK', 27000, 0.17, 0.85],
  ['NIFTY100', 'NIFTY 100', 25300, 0.14, 0.98],
  ['NIFTY200', 'NIFTY 200', 13700, 0.145, 0.97],
  ['NIFTY500', 'NIFTY 500', 22800, 0.15, 0.96],
  ['NIFTYMIDCAP50', 'NIFTY MIDCAP 50', 16000, 0.19, 0.8],
  ['NIFTYMIDCAP100', 'NIFTY MIDCAP 100', 57000, 0.19, 0.8],
  ['NIFTYSMLCAP100', 'NIFTY SMLCAP 100', 18000, 0.22, 0.75],
  ['NIFTYINFRA', 'NIFTY INFRA', 9000, 0.17, 0.8],
  ['NIFTYCPSE', 'NIFTY CPSE', 6500, 0.22, 0.7],
  ['NIFTYCOMMODITIES', 'NIFTY COMMODITIES', 8900, 0.18, 0.75],
  ['NIFTYCONSUMPTION', 'NIFTY CONSUMPTION', 11500, 0.15, 0.75],
  ['NIFTYMNC', 'NIFTY MNC', 29000, 0.14, 0.7],
  ['NIFTYPSE', 'NIFTY PSE', 9800, 0.22, 0.7],
  ['NIFTYSERVSECTOR', 'NIFTY SERV SECTOR', 32000, 0.15, 0.9],
  ['NIFTYDIVOPPS50', 'NIFTY DIV OPPS 50', 6000, 0.14, 0.85],
]

const BSE_INDICES: readonly IndexRow[] = [
  ['SENSEX', 'SENSEX', 80500, 0.135, 0.98],
  ['BANKEX', 'BANKEX', 62000, 0.17, 0.85],
  ['SENSEX50', 'SNSX50', 26000, 0.14, 0.98],
  ['BSE100', 'BSE100', 26000, 0.14, 0.97],
  ['BSE200', 'BSE200', 11200, 0.145, 0.96],
  ['BSE500', 'BSE500', 36000, 0.15, 0.95],
  ['BSEMIDCAP', 'MIDCAP', 46000, 0.19, 0.8],
  ['BSESMALLCAP', 'SMLCAP', 53000, 0.21, 0.75],
  ['BSEAUTO', 'AUTO', 54000, 0.18, 0.75],
  ['BSEIT', 'IT', 36000, 0.22, 0.6],
  ['BSEFMCG', 'FMC', 20500, 0.13, 0.6],
  ['BSEHEALTHCARE', 'HC', 44000, 0.17, 0.55],
  ['BSEMETAL', 'METAL', 31000, 0.24, 0.7],
  ['BSEOIL&GAS', 'OILGAS', 27000, 0.2, 0.7],
  ['BSEPOWER', 'POWER', 6800, 0.22, 0.7],
  ['BSEREALTY', 'REALTY', 7400, 0.3, 0.7],
  ['BSECG', 'CG', 70000, 0.2, 0.75],
  ['BSECD', 'CD', 60000, 0.18, 0.7],
  ['BSEPSU', 'PSU', 19000, 0.22, 0.7],
  ['BSETECK', 'TECK', 17500, 0.2, 0.65],
]

/**
 * Index lot sizes. NSE cut its index lots for contracts expiring from January 2026 (and for every
 * contract traded from 31 December 2025); earlier revisions are not modelled.
 */
const NSE_LOT_CUT_EXPIRY = dayOf(2026, 1, 1)
const NSE_LOT_CUT_TRADING = dayOf(2025, 12, 31)
const INDEX_LOTS: Readonly<Record<string, readonly [before: number, after: number]>> = {
  NIFTY: [75, 65],
  BANKNIFTY: [35, 30],
  FINNIFTY: [65, 60],
  MIDCPNIFTY: [140, 120],
  NIFTYNXT50: [25, 25],
  SENSEX: [20, 20],
  BANKEX: [30, 30],
  SENSEX50: [75, 75],
}

function indexLot(name: string): (expiryDay: number, tradingDay: number) => number {
  const lots = INDEX_LOTS[name]
  if (lots === undefined) throw new Error(`no lot size for index ${name}`)
  return (expiryDay, tradingDay) =>
    expiryDay >= NSE_LOT_CUT_EXPIRY || tradingDay >= NSE_LOT_CUT_TRADING ? lots[1] : lots[0]
}

/** Strike step of a stock option chain by the stock's anchor price (decimal steps below ₹300). */
export function stockStrikeStep(price: number): number {
  if (price < 50) return 0.5
  if (price < 150) return 1
  if (price < 300) return 2.5
  if (price < 600) return 5
  if (price < 1200) return 10
  if (price < 2500) return 20
  if (price < 5000) return 50
  if (price < 10_000) return 100
  if (price < 25_000) return 250
  return 500
}

/** Equity tick size by anchor price: ₹0.01 below ₹250, ₹0.05 from there (a documented simplification). */
export function equityTick(price: number): number {
  return price < 250 ? 0.01 : 0.05
}

const NSE_EQUITY_COUNT = 2300
const BSE_ONLY_COUNT = 600
const BSE_DUAL_SHARE = 0.85

/**
 * Builds the universe for a seed. Pure; about 10 ms.
 *
 * @throws Error when `extraStrikes` is not a whole number from 0 to {@link MAX_EXTRA_STRIKES}.
 */
export function buildUniverse(seed: number, options: UniverseOptions = {}): Universe {
  const s = seed >>> 0
  const extraStrikes = options.extraStrikes ?? 0
  if (!Number.isSafeInteger(extraStrikes) || extraStrikes < 0 || extraStrikes > MAX_EXTRA_STRIKES) {
    throw new Error(
      `extraStrikes must be a whole number from 0 to ${MAX_EXTRA_STRIKES}, got ${extraStrikes}`,
    )
  }
  const indices: IndexListing[] = []
  const equities: EquityListing[] = []
  const series: DerivativeSeries[] = []

  const indexUnderlying = (row: IndexRow): Underlying => {
    const [name, displayName, level, vol, rho] = row
    const iv = name === 'INDIAVIX' ? 0.9 : vol * 0.95
    return {
      name,
      kind: 'index',
      displayName,
      family: 'equity',
      pathName: name,
      basePrice: level,
      annualVol: vol,
      rho,
      carry: RISK_FREE_RATE,
      ivBase: iv,
      skew: -0.09,
      smile: 0.035,
      spotTick: name === 'INDIAVIX' ? 0.0025 : 0.05,
      dayVolume: name === 'INDIAVIX' ? 1 : Math.round(2e8 * (0.3 + unit(hashString(name, s)))),
    }
  }
  const byIndexName = new Map<string, Underlying>()
  for (const row of NSE_INDICES) {
    const u = indexUnderlying(row)
    byIndexName.set(u.name, u)
    indices.push({ exchange: 'NSE_INDEX', symbol: u.name, brSymbol: row[1], underlying: u })
  }
  for (const row of BSE_INDICES) {
    const u = indexUnderlying(row)
    byIndexName.set(u.name, u)
    indices.push({ exchange: 'BSE_INDEX', symbol: u.name, brSymbol: row[1], underlying: u })
  }
  const idx = (name: string): Underlying => {
    const u = byIndexName.get(name)
    if (u === undefined) throw new Error(`unknown index ${name}`)
    return u
  }

  // Index derivatives (NFO: last Tuesday; BFO: last Thursday).
  const indexSeries = (
    exchange: 'NFO' | 'BFO',
    name: string,
    grid: NonNullable<DerivativeSeries['options']>['grid'],
    extra: { weeklyWeekday?: number; quarterly?: number; halfYearly?: number },
  ): DerivativeSeries => {
    const monthly = exchange === 'NFO' ? NSE_MONTHLY : BSE_MONTHLY
    return {
      exchange,
      underlying: idx(name),
      family: 'equity',
      lotSize: indexLot(name),
      futuresTick: 0.05,
      optionTick: 0.05,
      futures: { rule: monthly, count: 3 },
      options: {
        ...(extra.weeklyWeekday === undefined
          ? {}
          : { weekly: { weekday: extra.weeklyWeekday, count: 4 } }),
        monthlyCount: 3,
        ...(extra.quarterly === undefined ? {} : { quarterlyCount: extra.quarterly }),
        ...(extra.halfYearly === undefined ? {} : { halfYearlyCount: extra.halfYearly }),
        offset: { kind: 'same' },
        grid,
      },
    }
  }
  series.push(
    indexSeries(
      'NFO',
      'NIFTY',
      {
        weekly: { step: 50, perSide: 100 },
        monthly: { step: 50, perSide: 100 },
        quarterly: { step: 100, perSide: 50 },
        halfyearly: { step: 500, perSide: 12 },
      },
      { weeklyWeekday: TUESDAY, quarterly: 3, halfYearly: 4 },
    ),
    indexSeries(
      'NFO',
      'BANKNIFTY',
      { monthly: { step: 100, perSide: 80 }, quarterly: { step: 500, perSide: 16 } },
      { quarterly: 3 },
    ),
    indexSeries('NFO', 'FINNIFTY', { monthly: { step: 50, perSide: 60 } }, {}),
    indexSeries('NFO', 'MIDCPNIFTY', { monthly: { step: 25, perSide: 60 } }, {}),
    indexSeries('NFO', 'NIFTYNXT50', { monthly: { step: 100, perSide: 50 } }, {}),
    indexSeries(
      'BFO',
      'SENSEX',
      { weekly: { step: 100, perSide: 100 }, monthly: { step: 100, perSide: 100 } },
      { weeklyWeekday: THURSDAY },
    ),
    indexSeries('BFO', 'BANKEX', { monthly: { step: 100, perSide: 60 } }, {}),
    indexSeries('BFO', 'SENSEX50', { monthly: { step: 100, perSide: 40 } }, {}),
  )

  // Equities: the F&O names first (same tickers on both exchanges), then the long tail.
  const taken = new Set<string>(FNO_STOCKS.map((r) => r[0]))
  for (const r of indices) taken.add(r.symbol)
  const stockUnderlying = (ticker: string, displayName: string, price: number, fno: boolean) => {
    const h = hashString(`stock:${ticker}`, s)
    const vol = fno ? 0.2 + 0.18 * unit(h) : 0.28 + 0.32 * unit(h)
    const u: Underlying = {
      name: ticker,
      kind: 'stock',
      displayName,
      family: 'equity',
      pathName: ticker,
      basePrice: price,
      annualVol: vol,
      rho: 0.3 + 0.4 * unit(hashString(`rho:${ticker}`, s)),
      carry: RISK_FREE_RATE,
      ivBase: vol * 1.05,
      skew: -0.06,
      smile: 0.04,
      spotTick: equityTick(price),
      dayVolume: dayVolumeFor(price, fno, hashString(`vol:${ticker}`, s)),
    }
    return u
  }

  const rnd = createStream(hashString('equities', s))
  for (const [ticker, displayName, price, lot] of FNO_STOCKS) {
    const u = stockUnderlying(ticker, displayName, price, true)
    equities.push({ exchange: 'NSE', symbol: ticker, underlying: u, tick: u.spotTick })
    equities.push({ exchange: 'BSE', symbol: ticker, underlying: u, tick: u.spotTick })
    const step = stockStrikeStep(price)
    const lotSize = lot > 0 ? lot : stockLotSize(price)
    series.push({
      exchange: 'NFO',
      underlying: u,
      family: 'equity',
      lotSize: () => lotSize,
      futuresTick: 0.05,
      optionTick: 0.05,
      futures: { rule: NSE_MONTHLY, count: 3 },
      options: {
        monthlyCount: 3,
        offset: { kind: 'same' },
        grid: { monthly: { step, perSide: 40 } },
      },
    })
  }
  const tail = generateCompanies(
    hashString('companies', s),
    NSE_EQUITY_COUNT - FNO_STOCKS.length + BSE_ONLY_COUNT,
    taken,
  )
  tail.forEach((c, i) => {
    const price = roundPrice(Math.exp(Math.log(8) + rnd.next() ** 1.6 * Math.log(6000 / 8)))
    const u = stockUnderlying(c.ticker, c.name, price, false)
    const nseListed = i < NSE_EQUITY_COUNT - FNO_STOCKS.length
    if (nseListed)
      equities.push({ exchange: 'NSE', symbol: c.ticker, underlying: u, tick: u.spotTick })
    if (!nseListed || rnd.next() < BSE_DUAL_SHARE) {
      equities.push({ exchange: 'BSE', symbol: c.ticker, underlying: u, tick: u.spotTick })
    }
  })

  series.push(...commoditySeries(), ...currencySeries())
  if (extraStrikes > 0) {
    series.splice(0, series.length, ...series.map((d) => widenChains(d, extraStrikes)))
  }

  const listingByKey = new Map<string, IndexListing | EquityListing>()
  for (const l of indices) listingByKey.set(`${l.exchange}:${l.symbol}`, l)
  for (const l of equities) listingByKey.set(`${l.exchange}:${l.symbol}`, l)
  const seriesByKey = new Map<string, DerivativeSeries>()
  for (const d of series) seriesByKey.set(`${d.exchange}:${d.underlying.name}`, d)

  return {
    seed: s,
    extraStrikes,
    indices,
    equities,
    series,
    listingByKey,
    seriesByKey,
    marketFactor: idx('NIFTY'),
    vix: idx('INDIAVIX'),
  }
}

/** The series with `extra` more strikes on each side of every chain class's grid. */
function widenChains(series: DerivativeSeries, extra: number): DerivativeSeries {
  const o = series.options
  if (o === undefined) return series
  const wider = (g: StrikeGrid): StrikeGrid => ({ step: g.step, perSide: g.perSide + extra })
  const grid: Partial<Record<ChainClass, StrikeGrid>> = {}
  for (const [chain, g] of Object.entries(o.grid) as [ChainClass, StrikeGrid | undefined][]) {
    if (g !== undefined) grid[chain] = wider(g)
  }
  return { ...series, options: { ...o, grid: { ...grid, monthly: wider(o.grid.monthly) } } }
}

function dayVolumeFor(price: number, fno: boolean, h: number): number {
  // traded value per day: ₹50 crore – ₹2,000 crore for F&O names, ₹10 lakh – ₹50 crore for the tail
  const lo = fno ? 5e8 : 1e6
  const hi = fno ? 2e10 : 5e8
  const value = Math.exp(Math.log(lo) + unit(h) * Math.log(hi / lo))
  return Math.max(500, Math.round(value / price))
}

function roundPrice(p: number): number {
  return p < 100 ? Math.round(p * 20) / 20 : Math.round(p)
}

interface CommodityRow {
  name: string
  display: string
  path: string
  price: number
  vol: number
  tick: number
  optionTick: number
  lot: number
  rule: MonthlyRule
  months?: readonly number[]
  offset: OptionOffset
  grid: StrikeGrid
  iv: number
  skew: number
  volume: number
}

function commoditySeries(): DerivativeSeries[] {
  const bullionOptions: OptionOffset = { kind: 'prior-month-last-trading-day' }
  const dayBefore: OptionOffset = { kind: 'trading-days-before', tradingDays: 1 }
  const rows: CommodityRow[] = [
    {
      name: 'CRUDEOIL',
      display: 'Crude Oil',
      path: 'CRUDEOIL',
      price: 6000,
      vol: 0.35,
      tick: 1,
      optionTick: 0.1,
      lot: 100,
      rule: { kind: 'day-of-month', day: 19 },
      offset: dayBefore,
      grid: { step: 50, perSide: 20 },
      iv: 0.36,
      skew: -0.04,
      volume: 12_000_000,
    },
    {
      name: 'CRUDEOILM',
      display: 'Crude Oil Mini',
      path: 'CRUDEOIL',
      price: 6000,
      vol: 0.35,
      tick: 1,
      optionTick: 0.1,
      lot: 10,
      rule: { kind: 'day-of-month', day: 19 },
      offset: dayBefore,
      grid: { step: 50, perSide: 20 },
      iv: 0.36,
      skew: -0.04,
      volume: 2_000_000,
    },
    {
      name: 'NATURALGAS',
      display: 'Natural Gas',
      path: 'NATURALGAS',
      price: 300,
      vol: 0.55,
      tick: 0.1,
      optionTick: 0.05,
      lot: 1250,
      rule: { kind: 'day-of-month', day: 25 },
      offset: dayBefore,
      grid: { step: 5, perSide: 20 },
      iv: 0.55,
      skew: 0.02,
      volume: 60_000_000,
    },
    {
      name: 'GOLD',
      display: 'Gold',
      path: 'GOLD',
      price: 97000,
      vol: 0.15,
      tick: 1,
      optionTick: 0.5,
      lot: 100,
      rule: { kind: 'day-of-month', day: 5 },
      months: [2, 4, 6, 8, 10, 12],
      offset: bullionOptions,
      grid: { step: 500, perSide: 20 },
      iv: 0.15,
      skew: 0.03,
      volume: 60_000,
    },
    {
      name: 'GOLDM',
      display: 'Gold Mini',
      path: 'GOLD',
      price: 97000,
      vol: 0.15,
      tick: 1,
      optionTick: 0.5,
      lot: 10,
      rule: { kind: 'day-of-month', day: 5 },
      offset: bullionOptions,
      grid: { step: 500, perSide: 20 },
      iv: 0.15,
      skew: 0.03,
      volume: 80_000,
    },
    {
      name: 'SILVER',
      display: 'Silver',
      path: 'SILVER',
      price: 110000,
      vol: 0.25,
      tick: 1,
      optionTick: 0.5,
      lot: 30,
      rule: { kind: 'day-of-month', day: 5 },
      months: [3, 5, 7, 9, 12],
      offset: bullionOptions,
      grid: { step: 1000, perSide: 20 },
      iv: 0.26,
      skew: 0.02,
      volume: 30_000,
    },
    {
      name: 'SILVERM',
      display: 'Silver Mini',
      path: 'SILVER',
      price: 110000,
      vol: 0.25,
      tick: 1,
      optionTick: 0.5,
      lot: 5,
      rule: { kind: 'last-trading-day' },
      months: [2, 4, 6, 8, 11],
      offset: dayBefore,
      grid: { step: 1000, perSide: 20 },
      iv: 0.26,
      skew: 0.02,
      volume: 40_000,
    },
    {
      name: 'COPPER',
      display: 'Copper',
      path: 'COPPER',
      price: 880,
      vol: 0.2,
      tick: 0.05,
      optionTick: 0.05,
      lot: 2500,
      rule: { kind: 'last-trading-day' },
      offset: dayBefore,
      grid: { step: 5, perSide: 20 },
      iv: 0.2,
      skew: -0.02,
      volume: 8_000_000,
    },
  ]
  return rows.map((r) => ({
    exchange: 'MCX' as const,
    underlying: {
      name: r.name,
      kind: 'commodity' as const,
      displayName: r.display,
      family: 'commodity' as const,
      pathName: r.path,
      basePrice: r.price,
      annualVol: r.vol,
      rho: 0,
      carry: RISK_FREE_RATE,
      ivBase: r.iv,
      skew: r.skew,
      smile: 0.03,
      spotTick: r.tick,
      dayVolume: r.volume,
    },
    family: 'commodity' as const,
    lotSize: () => r.lot,
    futuresTick: r.tick,
    optionTick: r.optionTick,
    futures: { rule: r.rule, ...(r.months === undefined ? {} : { months: r.months }), count: 3 },
    options: { monthlyCount: 2, offset: r.offset, grid: { monthly: r.grid } },
  }))
}

function currencySeries(): DerivativeSeries[] {
  // [name, display, price, vol, carry (INR rate minus the foreign rate), day volume in units]
  const rows = [
    ['USDINR', 'US Dollar - Indian Rupee', 86.5, 0.045, 0.022, 2_000_000_000],
    ['EURINR', 'Euro - Indian Rupee', 99.5, 0.07, 0.045, 150_000_000],
    ['GBPINR', 'Pound Sterling - Indian Rupee', 116, 0.075, 0.025, 120_000_000],
    ['JPYINR', 'Japanese Yen (100) - Indian Rupee', 58, 0.09, 0.06, 80_000_000],
  ] as const
  const rule: MonthlyRule = { kind: 'before-last-trading-day', tradingDays: 2 }
  return rows.map(([name, display, price, vol, carry, volume]) => ({
    exchange: 'CDS' as const,
    underlying: {
      name,
      kind: 'currency' as const,
      displayName: display,
      family: 'currency' as const,
      pathName: name,
      basePrice: price,
      annualVol: vol,
      rho: 0,
      carry,
      ivBase: vol * 1.1,
      skew: 0.05,
      smile: 0.03,
      spotTick: 0.0025,
      dayVolume: volume,
    },
    family: 'currency' as const,
    lotSize: () => 1000,
    futuresTick: 0.0025,
    optionTick: 0.0025,
    futures: { rule, count: 6 },
    options: {
      ...(name === 'USDINR' ? { weekly: { weekday: FRIDAY, count: 4 } } : {}),
      monthlyCount: 3,
      offset: { kind: 'same' as const },
      grid: { monthly: { step: 0.25, perSide: 20 }, weekly: { step: 0.25, perSide: 20 } },
    },
  }))
}
