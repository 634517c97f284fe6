// A realistic, deterministic master contract for this package's tests and benchmarks: NSE/BSE
// equities, indices, NFO/BFO index and stock derivatives over weekly and monthly expiries, MCX,
// CDS/BCD with decimal strikes, a few global indices and crypto contracts. Same seed and options,
// same rows. Not part of the public API (the simulator broker generates its own contract).
import type { SymbolRow } from '../types.js'

/** Options of {@link generateSymbolRows}. */
export interface FixtureOptions {
  /** PRNG seed; default 1 */
  readonly seed?: number
  /** exact number of rows; default 150 000 */
  readonly count?: number
  /** IST trading day the contract is "downloaded" on, `YYYY-MM-DD`; default 2025-04-17 */
  readonly asOf?: string
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAY_MS = 86_400_000

/** mulberry32: small, fast, good enough for fixtures. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

interface Expiry {
  readonly dayMs: number // UTC midnight of the expiry day
  readonly text: string // DD-MMM-YY
  readonly code: string // DDMMMYY
  readonly monthly: boolean
}

function expiryOf(dayMs: number, monthly: boolean): Expiry {
  const d = new Date(dayMs)
  const dd = String(d.getUTCDate()).padStart(2, '0')
  const mmm = MONTHS[d.getUTCMonth()] ?? 'JAN'
  const yy = String(d.getUTCFullYear() % 100).padStart(2, '0')
  return { dayMs, text: `${dd}-${mmm}-${yy}`, code: `${dd}${mmm}${yy}`, monthly }
}

/** Last `weekday` (0 = Sunday) of the month containing `dayMs`. */
function lastWeekdayOfMonth(year: number, month: number, weekday: number): number {
  let t = Date.UTC(year, month + 1, 0)
  while (new Date(t).getUTCDay() !== weekday) t -= DAY_MS
  return t
}

/** Weekly expiries on `weekday` (the first one possibly already past) plus `months` monthlies. */
function calendar(asOfMs: number, weekday: number, weeks: number, months: number): Expiry[] {
  const out = new Map<number, Expiry>()
  const asOf = new Date(asOfMs)
  // one expired weekly, as master contracts carry recently expired rows for a few days
  let t = asOfMs - 7 * DAY_MS
  while (new Date(t).getUTCDay() !== weekday) t += DAY_MS
  for (let w = 0; w <= weeks; w++) out.set(t + w * 7 * DAY_MS, expiryOf(t + w * 7 * DAY_MS, false))
  for (let m = 0; m < months; m++) {
    const e = lastWeekdayOfMonth(asOf.getUTCFullYear(), asOf.getUTCMonth() + m, weekday)
    if (e >= asOfMs) out.set(e, expiryOf(e, true))
  }
  return [...out.values()].sort((a, b) => a.dayMs - b.dayMs)
}

function monthlies(asOfMs: number, weekday: number, months: number): Expiry[] {
  return calendar(asOfMs, weekday, -1, months + 1)
    .filter((e) => e.monthly)
    .slice(0, months)
}

/** Zerodha-style weekly trading symbol code: YY + month (1-9, O, N, D) + DD. */
function zerodhaWeekly(e: Expiry): string {
  const d = new Date(e.dayMs)
  const m = d.getUTCMonth() + 1
  const mc = m <= 9 ? String(m) : m === 10 ? 'O' : m === 11 ? 'N' : 'D'
  return `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${mc}${String(d.getUTCDate()).padStart(2, '0')}`
}

function zerodhaMonthly(e: Expiry): string {
  const d = new Date(e.dayMs)
  return `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${MONTHS[d.getUTCMonth()] ?? 'JAN'}`
}

/** Strike text in shortest decimal form (brokers.md §2.2): 22500, 292.5, 82.25. */
function strikeText(hundredths: number): string {
  return String(hundredths / 100)
}

const REAL_STOCKS: readonly (readonly [string, string, number])[] = [
  ['RELIANCE', 'RELIANCE INDUSTRIES LTD', 2900],
  ['TCS', 'TATA CONSULTANCY SERV LT', 3500],
  ['HDFCBANK', 'HDFC BANK LTD', 1800],
  ['INFY', 'INFOSYS LIMITED', 1450],
  ['ICICIBANK', 'ICICI BANK LTD.', 1350],
  ['SBIN', 'STATE BANK OF INDIA', 770],
  ['M&M', 'MAHINDRA & MAHINDRA LTD', 2800],
  ['BAJAJ-AUTO', 'BAJAJ AUTO LIMITED', 8100],
  ['VEDL', 'VEDANTA LIMITED', 292],
  ['TATAMOTORS', 'TATA MOTORS LIMITED', 640],
  ['TATASTEEL', 'TATA STEEL LIMITED', 140],
  ['ITC', 'ITC LTD', 425],
  ['LT', 'LARSEN & TOUBRO LTD.', 3300],
  ['AXISBANK', 'AXIS BANK LIMITED', 1150],
  ['KOTAKBANK', 'KOTAK MAHINDRA BANK LTD', 2150],
  ['BHARTIARTL', 'BHARTI AIRTEL LIMITED', 1800],
  ['HINDUNILVR', 'HINDUSTAN UNILEVER LTD.', 2350],
  ['MARUTI', 'MARUTI SUZUKI INDIA LTD.', 11800],
  ['SUNPHARMA', 'SUN PHARMACEUTICAL IND L', 1750],
  ['WIPRO', 'WIPRO LTD', 245],
  ['ONGC', 'OIL AND NATURAL GAS CORP.', 245],
  ['NTPC', 'NTPC LTD', 355],
  ['POWERGRID', 'POWER GRID CORP. LTD.', 300],
  ['COALINDIA', 'COAL INDIA LTD', 395],
  ['ADANIENT', 'ADANI ENTERPRISES LIMITED', 2350],
  ['IDEA', 'VODAFONE IDEA LIMITED', 7],
  ['YESBANK', 'YES BANK LIMITED', 17],
  ['IRFC', 'INDIAN RAILWAY FIN CORP L', 125],
  ['NIFTYBEES', 'NIP IND ETF NIFTY BEES', 265],
  ['BANKBEES', 'NIP IND ETF BANK BEES', 530],
]

const SYLLABLES = ['AB', 'AR', 'BA', 'CO', 'DI', 'EN', 'FI', 'GA', 'HI', 'IN', 'JA', 'KO', 'LA']
const SYLLABLES2 = ['MA', 'NE', 'OR', 'PA', 'QU', 'RA', 'SA', 'TE', 'UN', 'VI', 'WA', 'XE', 'ZE']
const SUFFIXES = ['', 'TECH', 'IND', 'FIN', 'POWER', 'CHEM', 'PHARMA', 'INFRA', 'LTD']

/** Synthetic ticker number `i`: unique, upper case, letters only. */
function syntheticTicker(i: number): string {
  const a = SYLLABLES[i % SYLLABLES.length] ?? 'AB'
  const b = SYLLABLES2[Math.floor(i / SYLLABLES.length) % SYLLABLES2.length] ?? 'MA'
  const c = SYLLABLES[Math.floor(i / 169) % SYLLABLES.length] ?? 'AB'
  const s = SUFFIXES[Math.floor(i / 2197) % SUFFIXES.length] ?? ''
  return `${a}${b}${c}${s}`
}

const NSE_INDICES: readonly (readonly [string, string])[] = [
  ['NIFTY', '99926000'],
  ['BANKNIFTY', '99926009'],
  ['FINNIFTY', '99926037'],
  ['MIDCPNIFTY', '99926074'],
  ['NIFTYNXT50', '99926013'],
  ['INDIAVIX', '99926017'],
  ['NIFTYIT', '99926008'],
  ['NIFTYAUTO', '99926029'],
  ['NIFTYPHARMA', '99926023'],
  ['NIFTYMETAL', '99926030'],
  ['NIFTYFMCG', '99926021'],
  ['NIFTYREALTY', '99926018'],
]
const BSE_INDICES: readonly (readonly [string, string])[] = [
  ['SENSEX', '99919000'],
  ['BANKEX', '99919012'],
  ['SENSEX50', '99919017'],
  ['BSEAUTO', '99919001'],
  ['BSEOIL&GAS', '99919009'],
]

interface Underlying {
  readonly root: string
  readonly name: string
  readonly spotH: number // hundredths of a rupee
  readonly stepH: number
  readonly lot: number
  readonly tick: number
}

function stepFor(price: number): number {
  if (price < 50) return 50 // 0.5
  if (price < 250) return 250 // 2.5
  if (price < 500) return 250
  if (price < 1000) return 1000
  if (price < 2500) return 2000
  if (price < 5000) return 5000
  return 10000
}

/**
 * Generates `count` master-contract rows, deterministic from `seed` and `asOf`.
 *
 * Layout (per 150 000 rows, roughly): 2 200 NSE and 3 000 BSE equities, indices, NIFTY weekly
 * and monthly chains (step 50), BANKNIFTY/FINNIFTY/MIDCPNIFTY/NIFTYNXT50 monthly chains, SENSEX
 * weekly and BANKEX/SENSEX50 monthly chains on BFO, MCX futures and options, CDS/BCD currency
 * derivatives (strikes like 85.25), a few crypto contracts (`BTCUSD.P`, `1INCH28FEB25FUT`), and
 * stock futures and options (decimal strikes such as `VEDL…292.5CE`) filling the rest. NFO
 * broker symbols are Zerodha-style (`NIFTY2542424000CE`), so they differ from the OpenAlgo symbol;
 * elsewhere they are equal. A few CDS tokens repeat NSE tokens (cross-exchange collisions, W-24).
 */
export function generateSymbolRows(options: FixtureOptions = {}): SymbolRow[] {
  const seed = options.seed ?? 1
  const count = options.count ?? 150_000
  const asOf = options.asOf ?? '2025-04-17'
  const asOfMs = Date.parse(`${asOf}T00:00:00Z`)
  if (!Number.isFinite(asOfMs)) throw new Error(`asOf must be YYYY-MM-DD, got "${asOf}"`)
  const rnd = createRandom(seed)
  const rows: SymbolRow[] = []
  let tokenSeq = 1000

  const push = (r: SymbolRow): void => {
    rows.push(r)
  }
  const base = {
    expiry: null,
    strike: null,
    lotSize: 1,
    contractValue: null,
  } as const

  // --- equities -------------------------------------------------------------------------------
  const stocks: Underlying[] = []
  const nseCount = 2200
  for (let i = 0; i < nseCount; i++) {
    const real = REAL_STOCKS[i]
    const root = real ? real[0] : syntheticTicker(i)
    const name = real ? real[1] : `${root} LIMITED`
    const price = real ? real[2] : Math.round(20 + rnd() * 3000)
    const token = String((tokenSeq += 1 + Math.floor(rnd() * 5)))
    push({
      ...base,
      symbol: root,
      brSymbol: `${root}-EQ`,
      name,
      exchange: 'NSE',
      brExchange: 'NSE',
      token,
      strike: 0,
      instrumentType: 'EQ',
      tickSize: price < 250 ? 0.01 : 0.05,
    })
    if (i < 220) {
      const stepH = stepFor(price)
      const spotH = Math.round((price * 100) / stepH) * stepH
      stocks.push({
        root,
        name,
        spotH,
        stepH,
        lot: Math.max(1, Math.round(300_000 / price)),
        tick: 0.05,
      })
    }
  }
  for (let i = 0; i < 3000; i++) {
    const root = i < nseCount ? (REAL_STOCKS[i]?.[0] ?? syntheticTicker(i)) : syntheticTicker(i)
    push({
      ...base,
      symbol: root,
      brSymbol: root,
      name: `${root} LTD`,
      exchange: 'BSE',
      brExchange: 'BSE',
      token: String(500_000 + i * 3),
      instrumentType: 'EQ',
      tickSize: 0.05,
    })
  }

  // --- indices --------------------------------------------------------------------------------
  for (const [sym, token] of NSE_INDICES) {
    push({
      ...base,
      symbol: sym,
      brSymbol: sym,
      name: sym,
      exchange: 'NSE_INDEX',
      brExchange: 'NSE',
      token,
      instrumentType: 'INDEX',
      tickSize: 0.05,
      lotSize: null,
    })
  }
  for (const [sym, token] of BSE_INDICES) {
    push({
      ...base,
      symbol: sym,
      brSymbol: sym,
      name: sym,
      exchange: 'BSE_INDEX',
      brExchange: 'BSE',
      token,
      instrumentType: 'INDEX',
      tickSize: 0.05,
      lotSize: null,
    })
  }
  push({
    ...base,
    symbol: 'MCXBULLDEX',
    brSymbol: 'MCXBULLDEX',
    name: 'MCXBULLDEX',
    exchange: 'MCX_INDEX',
    brExchange: 'MCX',
    token: '264969',
    instrumentType: 'INDEX',
    tickSize: 0.01,
    lotSize: null,
  })
  push({
    ...base,
    symbol: 'GIFTNIFTY',
    brSymbol: 'GIFT NIFTY',
    name: 'GIFTNIFTY',
    exchange: 'GLOBAL_INDEX',
    brExchange: 'NSEIX',
    token: '291849',
    instrumentType: 'INDEX',
    tickSize: 0.5,
    lotSize: null,
  })

  // --- crypto (Delta Exchange style) ----------------------------------------------------------
  push({
    ...base,
    symbol: 'BTCUSD.P',
    brSymbol: 'BTCUSD',
    name: 'BTC',
    exchange: 'CRYPTO',
    brExchange: 'DELTA',
    token: '27',
    instrumentType: 'PERPFUT',
    tickSize: 0.5,
    contractValue: 0.001,
  })
  push({
    ...base,
    symbol: 'ETHUSDT',
    brSymbol: 'ETHUSDT',
    name: 'ETH',
    exchange: 'CRYPTO',
    brExchange: 'DELTA',
    token: '3136',
    instrumentType: 'PERPFUT',
    tickSize: 0.05,
    contractValue: 0.01,
  })
  push({
    ...base,
    symbol: 'BTC_INR.P',
    brSymbol: 'BTC_INR',
    name: 'BTC',
    exchange: 'CRYPTO',
    brExchange: 'DELTA',
    token: '9001',
    instrumentType: 'PERPFUT',
    tickSize: 1,
    contractValue: 0.001,
  })
  push({
    ...base,
    symbol: '1INCH28FEB25FUT',
    brSymbol: '1INCH_28FEB25',
    name: '1INCH',
    exchange: 'CRYPTO',
    brExchange: 'DELTA',
    token: '9002',
    expiry: '28-FEB-25',
    instrumentType: 'FUT',
    tickSize: 0.0001,
    contractValue: 1,
  })
  push({
    ...base,
    symbol: 'BTC28FEB2580000CE',
    brSymbol: 'C-BTC-80000-280225',
    name: 'BTC',
    exchange: 'CRYPTO',
    brExchange: 'DELTA',
    token: '9003',
    expiry: '28-FEB-25',
    strike: 80000,
    instrumentType: 'CE',
    tickSize: 0.1,
    contractValue: 0.001,
  })

  // --- derivatives ----------------------------------------------------------------------------
  const nextToken = (): string => String((tokenSeq += 1 + Math.floor(rnd() * 3)))
  const chain = (
    exchange: string,
    brExchange: string,
    u: Underlying,
    expiries: readonly Expiry[],
    halfWidth: (e: Expiry) => number,
    brStyle: 'zerodha' | 'same',
    withFutures: boolean,
  ): void => {
    for (const e of expiries) {
      if (withFutures && e.monthly) {
        const symbol = `${u.root}${e.code}FUT`
        push({
          symbol,
          brSymbol: brStyle === 'zerodha' ? `${u.root}${zerodhaMonthly(e)}FUT` : symbol,
          name: u.root,
          exchange,
          brExchange,
          token: nextToken(),
          expiry: e.text,
          strike: brStyle === 'zerodha' ? 0 : -1,
          lotSize: u.lot,
          instrumentType: 'FUT',
          tickSize: u.tick,
          contractValue: null,
        })
      }
      const w = halfWidth(e)
      for (let k = -w; k <= w; k++) {
        const sH = u.spotH + k * u.stepH
        if (sH <= 0) continue
        const st = strikeText(sH)
        for (const type of ['CE', 'PE'] as const) {
          const symbol = `${u.root}${e.code}${st}${type}`
          const br =
            brStyle === 'same'
              ? symbol
              : `${u.root}${e.monthly ? zerodhaMonthly(e) : zerodhaWeekly(e)}${st}${type}`
          push({
            symbol,
            brSymbol: br,
            name: u.root,
            exchange,
            brExchange,
            token: nextToken(),
            expiry: e.text,
            strike: sH / 100,
            lotSize: u.lot,
            instrumentType: type,
            tickSize: u.tick,
            contractValue: null,
          })
        }
      }
    }
  }

  const THU = 4
  const TUE = 2
  const WED = 3
  const FRI = 5
  const nifty: Underlying = {
    root: 'NIFTY',
    name: 'NIFTY',
    spotH: 2_380_000,
    stepH: 5000,
    lot: 75,
    tick: 0.05,
  }
  chain(
    'NFO',
    'NFO',
    nifty,
    calendar(asOfMs, THU, 4, 3),
    (e) => (e.monthly ? 100 : 60),
    'zerodha',
    true,
  )
  const indexMonthly: Underlying[] = [
    { root: 'BANKNIFTY', name: 'BANKNIFTY', spotH: 5_150_000, stepH: 10000, lot: 30, tick: 0.05 },
    { root: 'FINNIFTY', name: 'FINNIFTY', spotH: 2_480_000, stepH: 5000, lot: 65, tick: 0.05 },
    { root: 'MIDCPNIFTY', name: 'MIDCPNIFTY', spotH: 1_200_000, stepH: 2500, lot: 120, tick: 0.05 },
    { root: 'NIFTYNXT50', name: 'NIFTYNXT50', spotH: 6_600_000, stepH: 10000, lot: 25, tick: 0.05 },
  ]
  for (const u of indexMonthly)
    chain('NFO', 'NFO', u, monthlies(asOfMs, THU, 3), () => 80, 'zerodha', true)

  const sensex: Underlying = {
    root: 'SENSEX',
    name: 'SENSEX',
    spotH: 7_700_000,
    stepH: 10000,
    lot: 20,
    tick: 0.05,
  }
  chain(
    'BFO',
    'BFO',
    sensex,
    calendar(asOfMs, TUE, 4, 2),
    (e) => (e.monthly ? 80 : 60),
    'same',
    true,
  )
  for (const u of [
    { root: 'BANKEX', name: 'BANKEX', spotH: 5_800_000, stepH: 10000, lot: 30, tick: 0.05 },
    { root: 'SENSEX50', name: 'SENSEX50', spotH: 2_450_000, stepH: 5000, lot: 60, tick: 0.05 },
  ]) {
    chain('BFO', 'BFO', u, monthlies(asOfMs, TUE, 2), () => 40, 'same', true)
  }

  // MCX: options on some, futures-only on others (NATGASMINI, LEADMINI, COPPER-style dead ends)
  const mcxOpt: Underlying[] = [
    { root: 'CRUDEOIL', name: 'CRUDEOIL', spotH: 540_000, stepH: 5000, lot: 100, tick: 1 },
    { root: 'GOLDM', name: 'GOLDM', spotH: 9_500_000, stepH: 50000, lot: 10, tick: 1 },
    { root: 'SILVER', name: 'SILVER', spotH: 9_600_000, stepH: 25000, lot: 30, tick: 1 },
    { root: 'NATURALGAS', name: 'NATURALGAS', spotH: 30_000, stepH: 500, lot: 1250, tick: 0.1 },
  ]
  for (const u of mcxOpt) chain('MCX', 'MCX', u, monthlies(asOfMs, FRI, 3), () => 30, 'same', true)
  for (const root of ['CRUDEOILM', 'NATGASMINI', 'LEADMINI', 'ZINC', 'ALUMINIUM', 'COPPER']) {
    const u: Underlying = { root, name: root, spotH: 100_000, stepH: 100, lot: 10, tick: 0.05 }
    chain('MCX', 'MCX', u, monthlies(asOfMs, FRI, 6), () => -1, 'same', true)
  }

  // CDS / BCD: quarter-rupee strikes (85.25), tick 0.0025; tokens reuse NSE ones (W-24)
  const cds: Underlying[] = [
    { root: 'USDINR', name: 'USDINR', spotH: 8550, stepH: 25, lot: 1000, tick: 0.0025 },
    { root: 'EURINR', name: 'EURINR', spotH: 9700, stepH: 25, lot: 1000, tick: 0.0025 },
    { root: 'GBPINR', name: 'GBPINR', spotH: 11_400, stepH: 25, lot: 1000, tick: 0.0025 },
    { root: 'JPYINR', name: 'JPYINR', spotH: 5975, stepH: 25, lot: 1000, tick: 0.0025 },
  ]
  const firstCds = rows.length
  for (const u of cds) chain('CDS', 'CDS', u, calendar(asOfMs, FRI, 3, 3), () => 20, 'same', true)
  chain('BCD', 'BCD', cds[0] as Underlying, monthlies(asOfMs, WED, 2), () => 10, 'same', true)
  for (let i = 0; i < 40; i++) {
    const r = rows[firstCds + i]
    const nse = rows[i]
    if (r && nse) rows[firstCds + i] = { ...r, token: nse.token }
  }

  // stock futures and options fill up to `count`
  const stockExp = monthlies(asOfMs, THU, 3)
  const remaining = Math.max(0, count - rows.length)
  const pairs = stocks.length * stockExp.length
  const perPairOptions = Math.max(0, Math.ceil((remaining - pairs) / pairs / 2))
  const half = Math.max(0, Math.ceil((perPairOptions - 1) / 2))
  for (const u of stocks) chain('NFO', 'NFO', u, stockExp, () => half, 'zerodha', true)

  return rows.length > count ? rows.slice(0, count) : rows
}
