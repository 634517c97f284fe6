import { beforeAll, describe, expect, it } from 'vitest'
import { dayOf, parseSymbolExpiry, weekdayOf } from './calendar.js'
import { contractRows, generateContract } from './contract.js'
import { onOrBeforeTradingDay } from './expiry.js'
import { createMarket } from './market.js'
import { FUTURE_SYMBOL, OPTION_SYMBOL, parseDerivativeSymbol } from './symbols.js'
import type { SymbolRow } from './types.js'
import { buildUniverse } from './universe.js'

const DATE = '2025-04-17'
let rows: SymbolRow[]

beforeAll(() => {
  rows = generateContract(1, DATE)
})

const count = (p: (r: SymbolRow) => boolean): number => rows.filter(p).length
const expiryDay = (r: SymbolRow): number => {
  const [dd, mmm, yy] = (r.expiry ?? '').split('-')
  const day = parseSymbolExpiry(dd ?? '', mmm ?? '', yy ?? '')
  if (day === undefined) throw new Error(`bad expiry ${r.expiry}`)
  return day
}

describe('master contract', () => {
  it('lists more than 100,000 instruments across every simulated exchange', () => {
    expect(rows.length).toBeGreaterThanOrEqual(100_000)
    const by = (ex: string): number => count((r) => r.exchange === ex)
    expect(by('NSE')).toBeGreaterThanOrEqual(2000)
    expect(by('BSE')).toBeGreaterThanOrEqual(2000)
    expect(by('NFO')).toBeGreaterThanOrEqual(80_000)
    expect(by('BFO')).toBeGreaterThanOrEqual(2000)
    expect(by('MCX')).toBeGreaterThanOrEqual(1000)
    expect(by('CDS')).toBeGreaterThanOrEqual(1000)
    expect(by('NSE_INDEX')).toBeGreaterThanOrEqual(6)
    expect(by('BSE_INDEX')).toBeGreaterThanOrEqual(3)
  })

  it('includes the well-known equities and indices', () => {
    const has = (symbol: string, exchange: string): boolean =>
      rows.some((r) => r.symbol === symbol && r.exchange === exchange)
    for (const s of [
      'RELIANCE',
      'SBIN',
      'INFY',
      'TCS',
      'HDFCBANK',
      'ICICIBANK',
      'TATAMOTORS',
      'M&M',
      'BAJAJ-AUTO',
      'ITC',
    ]) {
      expect(has(s, 'NSE'), s).toBe(true)
      expect(has(s, 'BSE'), s).toBe(true)
    }
    for (const s of ['NIFTY', 'BANKNIFTY', 'FINNIFTY', 'MIDCPNIFTY', 'NIFTYNXT50', 'INDIAVIX']) {
      expect(has(s, 'NSE_INDEX'), s).toBe(true)
    }
    for (const s of ['SENSEX', 'BANKEX', 'SENSEX50']) expect(has(s, 'BSE_INDEX'), s).toBe(true)
  })

  it('writes every symbol in the OpenAlgo grammar of brokers.md §2.2', () => {
    // plain checks collected, one assertion at the end: 120,000 expect() calls take seconds
    const bad: string[] = []
    for (const r of rows) {
      const type = r.instrumentType
      if (type === 'FUT') {
        if (!FUTURE_SYMBOL.test(r.symbol)) bad.push(`future ${r.symbol}`)
      } else if (type === 'CE' || type === 'PE') {
        if (
          !OPTION_SYMBOL.test(r.symbol) ||
          !r.symbol.endsWith(type) ||
          /\.0(CE|PE)$/.test(r.symbol)
        ) {
          bad.push(`option ${r.symbol}`)
        }
      } else if (!/^[A-Z0-9&-]+$/.test(r.symbol) || r.expiry !== null) {
        bad.push(`spot ${r.symbol}`)
      }
      if (r.expiry !== null) {
        if (!/^\d{2}-[A-Z]{3}-\d{2}$/.test(r.expiry)) bad.push(`expiry ${r.expiry}`)
        // the symbol carries the same expiry, and the name is its base
        const parsed = parseDerivativeSymbol(r.symbol)
        if (parsed?.base !== r.name || parsed.expiryDay !== expiryDay(r))
          bad.push(`parts ${r.symbol}`)
      }
    }
    expect(bad.slice(0, 10)).toEqual([])
  })

  it('gives every instrument a token unique in its exchange (and across exchanges)', () => {
    const tokens = new Set(rows.map((r) => r.token))
    expect(tokens.size).toBe(rows.length)
    expect(rows.every((r) => /^\d+$/.test(r.token))).toBe(true)
  })

  it('keeps broker symbols and segments in the simulator style', () => {
    const row = (s: string, e: string): SymbolRow | undefined =>
      rows.find((r) => r.symbol === s && r.exchange === e)
    expect(row('SBIN', 'NSE')).toMatchObject({
      brSymbol: 'SBIN-EQ',
      brExchange: 'NSE_EQ',
      lotSize: 1,
      instrumentType: 'EQ',
    })
    expect(row('NIFTY', 'NSE_INDEX')).toMatchObject({
      brSymbol: 'NIFTY 50',
      brExchange: 'NSE_IDX',
      instrumentType: 'INDEX',
    })
    expect(row('NIFTY29APR25FUT', 'NFO')).toMatchObject({
      brSymbol: 'NIFTY:2025-04-29:FUT',
      brExchange: 'NSE_FO',
      expiry: '29-APR-25',
    })
  })

  it('uses the current index lot sizes and strike steps', () => {
    const lot = (name: string, ex: string): Set<number | null> =>
      new Set(rows.filter((r) => r.name === name && r.exchange === ex).map((r) => r.lotSize))
    expect(lot('NIFTY', 'NFO')).toContain(75)
    expect(lot('BANKNIFTY', 'NFO')).toEqual(new Set([35, 30]))
    expect(lot('FINNIFTY', 'NFO')).toContain(65)
    expect(lot('MIDCPNIFTY', 'NFO')).toContain(140)
    expect(lot('SENSEX', 'BFO')).toEqual(new Set([20]))
    expect(lot('BANKEX', 'BFO')).toEqual(new Set([30]))
    // contracts expiring from January 2026 carry NSE's reduced lots
    expect(rows.find((r) => r.name === 'NIFTY' && r.expiry === '29-DEC-26')?.lotSize).toBe(65)
    const steps: Record<string, number> = {
      NIFTY: 50,
      BANKNIFTY: 100,
      FINNIFTY: 50,
      MIDCPNIFTY: 25,
      SENSEX: 100,
      BANKEX: 100,
    }
    for (const [name, step] of Object.entries(steps)) {
      const nearest = rows.filter((r) => r.name === name && r.instrumentType === 'CE')
      const first = nearest[0]?.expiry
      const strikes = nearest.filter((r) => r.expiry === first).map((r) => r.strike ?? 0)
      expect(strikes[1]! - strikes[0]!, name).toBe(step)
    }
  })

  it('lists decimal strikes where the step is fractional', () => {
    expect(rows.some((r) => r.exchange === 'NFO' && /\d\.5(CE|PE)$/.test(r.symbol))).toBe(true)
    const usdinr = rows.filter((r) => r.name === 'USDINR' && r.instrumentType === 'CE')
    expect(usdinr.some((r) => /\.25CE$/.test(r.symbol))).toBe(true)
    for (const r of usdinr) {
      expect(Number.isInteger((r.strike ?? 0) * 4)).toBe(true)
      expect(r.tickSize).toBe(0.0025)
    }
  })

  it('lists MCX futures and options on crude, gold, silver, gas and copper', () => {
    for (const base of [
      'CRUDEOIL',
      'CRUDEOILM',
      'GOLD',
      'GOLDM',
      'SILVER',
      'SILVERM',
      'NATURALGAS',
      'COPPER',
    ]) {
      expect(
        count((r) => r.exchange === 'MCX' && r.name === base && r.instrumentType === 'FUT'),
        base,
      ).toBeGreaterThan(0)
      expect(
        count((r) => r.exchange === 'MCX' && r.name === base && r.instrumentType === 'CE'),
        base,
      ).toBeGreaterThan(0)
    }
    for (const base of ['USDINR', 'EURINR', 'GBPINR', 'JPYINR']) {
      expect(
        count((r) => r.exchange === 'CDS' && r.name === base && r.instrumentType === 'FUT'),
        base,
      ).toBeGreaterThan(0)
    }
  })

  it('expires NFO contracts on Tuesdays and BFO contracts on Thursdays, or the trading day before', () => {
    const check = (exchange: string, weekday: number): void => {
      const expiries = new Set(
        rows.filter((r) => r.exchange === exchange && r.expiry !== null).map(expiryDay),
      )
      for (const day of expiries) {
        const nextTarget = day + ((weekday - weekdayOf(day) + 7) % 7)
        expect(onOrBeforeTradingDay('equity', nextTarget)).toBe(day)
      }
    }
    check('NFO', 2)
    check('BFO', 4)
  })

  it('lists only expiries on or after the trading date, NIFTY weekly and monthly', () => {
    const day = dayOf(2025, 4, 17)
    const expired = rows.filter((r) => r.expiry !== null && expiryDay(r) < day)
    expect(expired.map((r) => r.symbol).slice(0, 5)).toEqual([])
    const nifty = [
      ...new Set(
        rows.filter((r) => r.name === 'NIFTY' && r.instrumentType === 'CE').map((r) => r.expiry),
      ),
    ]
    expect(nifty.slice(0, 5)).toEqual([
      '22-APR-25',
      '29-APR-25',
      '06-MAY-25',
      '13-MAY-25',
      '27-MAY-25',
    ])
    // then quarterlies and half-yearlies
    expect(nifty).toContain('30-SEP-25')
    expect(nifty).toContain('30-DEC-25')
  })

  it('is the same for the same seed and date, and different for another seed', () => {
    // compared as text: toEqual over 120,000 objects takes seconds
    const again = generateContract(1, DATE)
    expect(JSON.stringify(again) === JSON.stringify(rows)).toBe(true)
    const other = generateContract(2, DATE)
    const tokens = (list: SymbolRow[]): string =>
      list
        .slice(0, 500)
        .map((r) => `${r.symbol}:${r.token}`)
        .join()
    expect(tokens(other)).not.toBe(tokens(rows))
  })

  it('streams the same rows it returns as an array', () => {
    const streamed = Array.from(contractRows(1, DATE))
    expect(JSON.stringify(streamed) === JSON.stringify(rows)).toBe(true)
  })
})

describe('master contract with extra strikes', () => {
  let wide: SymbolRow[]
  beforeAll(() => {
    wide = generateContract(1, DATE, buildUniverse(1, { extraStrikes: 12 }))
  })
  const key = (r: SymbolRow): string => `${r.exchange}:${r.symbol}`

  it('lists at least 150,000 instruments with 12 extra strikes, on any date', () => {
    expect(wide.length).toBeGreaterThanOrEqual(150_000)
    for (const date of ['2026-01-05', '2026-06-30']) {
      const n = generateContract(1, date, buildUniverse(1, { extraStrikes: 12 })).length
      expect(n, date).toBeGreaterThanOrEqual(150_000)
    }
  })

  it('keeps every default row as it was (symbol, token, lot, tick) and adds only options', () => {
    const byKey = new Map(wide.map((r) => [key(r), JSON.stringify(r)]))
    expect(rows.filter((r) => byKey.get(key(r)) !== JSON.stringify(r))).toEqual([])
    const defaults = new Set(rows.map(key))
    const added = wide.filter((r) => !defaults.has(key(r)))
    expect(added.length).toBe(wide.length - rows.length)
    expect(new Set(added.map((r) => r.instrumentType))).toEqual(new Set(['CE', 'PE']))
  })

  it('adds the strikes on both sides of the chain, on the chain step', () => {
    const nifty = (r: SymbolRow[]): number[] =>
      r
        .filter((x) => x.exchange === 'NFO' && x.name === 'NIFTY' && x.instrumentType === 'CE')
        .filter((x) => x.expiry === rows.find((y) => y.name === 'NIFTY' && y.strike)?.expiry)
        .map((x) => x.strike as number)
        .sort((a, b) => a - b)
    const narrow = nifty(rows)
    const wider = nifty(wide)
    expect(wider.length).toBe(narrow.length + 24)
    expect(wider[0]).toBe((narrow[0] as number) - 12 * 50)
    expect(wider[wider.length - 1]).toBe((narrow[narrow.length - 1] as number) + 12 * 50)
  })

  it('gives unique tokens and well-formed symbols the market resolves', () => {
    expect(new Set(wide.map((r) => r.token)).size).toBe(wide.length)
    expect(new Set(wide.map(key)).size).toBe(wide.length)
    const options = wide.filter((r) => r.instrumentType === 'CE' || r.instrumentType === 'PE')
    const malformed = options.filter((r) => {
      const parsed = parseDerivativeSymbol(r.symbol)
      return (
        !OPTION_SYMBOL.test(r.symbol) || parsed?.kind !== 'option' || parsed.strike !== r.strike
      )
    })
    expect(malformed).toEqual([])
    const market = createMarket({ seed: 1, extraStrikes: 12 })
    const unresolved = wide
      .filter((_, i) => i % 97 === 0)
      .filter((r) => !market.resolve(r.symbol, r.exchange).ok)
    expect(unresolved).toEqual([])
  })

  it('is deterministic: the same seed and date give the same rows', () => {
    const again = generateContract(1, DATE, buildUniverse(1, { extraStrikes: 12 }))
    expect(again).toEqual(wide)
  })

  it('refuses a count that is not a whole number from 0 to 200', () => {
    for (const bad of [-1, 1.5, 201, Number.NaN]) {
      expect(() => buildUniverse(1, { extraStrikes: bad }), String(bad)).toThrow(/extraStrikes/)
    }
    expect(buildUniverse(1, { extraStrikes: 200 }).extraStrikes).toBe(200)
    expect(() => createMarket({ universe: buildUniverse(1), extraStrikes: 3 })).toThrow(
      /extraStrikes/,
    )
  })
})
