import { describe, expect, it } from 'vitest'
import { parsePyFloat, splitTerms } from './search.js'
import { createSymbolCache, type SymbolCache } from './symbol-cache.js'
import { createManualClock } from './test-helpers/clock.js'
import { future, option, row } from './test-helpers/rows.js'
import type { SymbolRow } from './types.js'

function cacheOf(rows: readonly SymbolRow[]): SymbolCache {
  const cache = createSymbolCache({
    clock: createManualClock('2025-04-17T10:00:00+05:30'),
    freezeQty: { 'NFO:NIFTY': 1800, 'NFO:BANKNIFTY': 900 },
  })
  const outcome = cache.loadSync(rows)
  if (!outcome.ok) throw outcome.error
  return cache
}

const symbols = (rows: readonly { symbol: string; exchange: string }[]): string[] =>
  rows.map((r) => `${r.exchange}:${r.symbol}`)

describe('search terms', () => {
  it('splits on any whitespace and upper-cases', () => {
    expect(splitTerms('  nifty\t24000   ce ')).toEqual(['NIFTY', '24000', 'CE'])
    expect(splitTerms('   ')).toEqual([])
  })

  it("reads numbers the way Python's float() does", () => {
    expect(parsePyFloat('24000')).toBe(24000)
    expect(parsePyFloat('292.50')).toBe(292.5)
    expect(parsePyFloat('.5')).toBe(0.5)
    expect(parsePyFloat('5.')).toBe(5)
    expect(parsePyFloat('1E3')).toBe(1000)
    expect(parsePyFloat('24_000')).toBe(24000)
    expect(parsePyFloat('-1')).toBe(-1)
    expect(parsePyFloat('INF')).toBe(Infinity)
    expect(parsePyFloat('NAN')).toBeNaN()
    for (const t of ['CE', '24_', '_1', '1__0', '0X10', '1E', '', '24000CE']) {
      expect(parsePyFloat(t)).toBeUndefined()
    }
  })
})

describe('general search (spec §4.4)', () => {
  const rows = [
    row({ symbol: 'NIFTY', exchange: 'NSE_INDEX', token: '99926000', instrumentType: 'INDEX' }),
    row({ symbol: 'NIFTYBEES', name: 'NIP IND ETF NIFTY BEES', token: '10576' }),
    future('NIFTY', '24-APR-25'),
    row({ symbol: 'BANKNIFTY', exchange: 'NSE_INDEX', token: '99926009' }),
    row({ symbol: 'SETFNIFBK', name: 'SBI ETF NIFTY BANK', token: '11439' }),
    option('NIFTY', '24-APR-25', 24000, 'CE', { brSymbol: 'NIFTY25APR24000CE', token: '9026' }),
    option('NIFTY', '24-APR-25', 24000, 'PE', { brSymbol: 'NIFTY25APR24000PE', token: '9027' }),
    option('NIFTY', '17-APR-25', 24000, 'CE', { brSymbol: 'NIFTY2541724000CE', token: '7001' }),
    option('FINNIFTY', '24-APR-25', 24000, 'CE', { token: '24000123' }),
    option('VEDL', '24-APR-25', 292.5, 'CE', { token: '41300' }),
    row({ symbol: 'SBIN', token: '3045' }),
    row({ symbol: 'SBIN', exchange: 'BSE', token: '500112' }),
  ]
  const cache = cacheOf(rows)

  it('answers nothing for an empty query or a non-positive limit', () => {
    expect(cache.search('')).toEqual([])
    expect(cache.search('   ')).toEqual([])
    expect(cache.search('NIFTY', { limit: 0 })).toEqual([])
  })

  it('ranks exact symbol, then prefix, then all terms in the symbol, then other fields', () => {
    expect(symbols(cache.search('nifty'))).toEqual([
      'NSE_INDEX:NIFTY', // 0: equals the query
      'NSE:NIFTYBEES', // 1: starts with it, shorter first
      'NFO:NIFTY24APR25FUT', // 1
      'NFO:NIFTY17APR2524000CE', // 1, same length: by symbol
      'NFO:NIFTY24APR2524000CE',
      'NFO:NIFTY24APR2524000PE',
      'NSE_INDEX:BANKNIFTY', // 2: inside the symbol
      'NFO:FINNIFTY24APR2524000CE', // 2, longer
      'NSE:SETFNIFBK', // 3: matched through the name only
    ])
  })

  it('requires every term and lets a term match the broker symbol, the name or the token', () => {
    expect(symbols(cache.search('NIFTY 24000 CE'))).toEqual([
      'NFO:NIFTY17APR2524000CE',
      'NFO:NIFTY24APR2524000CE',
      'NFO:FINNIFTY24APR2524000CE',
    ])
    expect(symbols(cache.search('25APR24000'))).toEqual([
      'NFO:NIFTY24APR2524000CE', // broker symbol NIFTY25APR24000CE, score 3
      'NFO:NIFTY24APR2524000PE',
    ])
    expect(symbols(cache.search('ETF BANK'))).toEqual(['NSE:SETFNIFBK'])
    expect(symbols(cache.search('9926000'))).toEqual(['NSE_INDEX:NIFTY'])
  })

  it('lets a numeric term equal the strike (292.50 finds the 292.5 strike)', () => {
    expect(symbols(cache.search('VEDL 292.50'))).toEqual(['NFO:VEDL24APR25292.5CE'])
    expect(symbols(cache.search('2.925E2'))).toEqual(['NFO:VEDL24APR25292.5CE'])
    // a zero strike never matches by value (Python: `strike and ...`)
    expect(cache.search('NIFTY24APR25FUT 0.0')).toEqual([])
  })

  it('keeps load order between equal symbols on two exchanges', () => {
    expect(symbols(cache.search('SBIN'))).toEqual(['NSE:SBIN', 'BSE:SBIN'])
  })

  it('restricts to an exchange, and searches everything for an exchange with no rows', () => {
    expect(symbols(cache.search('SBIN', { exchange: 'BSE' }))).toEqual(['BSE:SBIN'])
    expect(symbols(cache.search('SBIN', { exchange: 'MCX' }))).toEqual(['NSE:SBIN', 'BSE:SBIN'])
  })

  it('takes the top `limit` of the full order', () => {
    const all = symbols(cache.search('NIFTY'))
    for (const limit of [1, 2, 3, 5, 8]) {
      expect(symbols(cache.search('NIFTY', { limit }))).toEqual(all.slice(0, limit))
    }
  })

  it('returns full records with the derived underlying', () => {
    expect(cache.search('VEDL24APR25292.5CE')[0]).toMatchObject({
      symbol: 'VEDL24APR25292.5CE',
      strike: 292.5,
      expiry: '24-APR-25',
      underlying: 'VEDL',
      token: '41300',
    })
  })
})

describe('F&O search (spec §4.4)', () => {
  const rows = [
    future('NIFTY', '24-APR-25', { strike: null }),
    option('NIFTY', '24-APR-25', 23950, 'CE'),
    option('NIFTY', '24-APR-25', 24000, 'CE'),
    option('NIFTY', '24-APR-25', 24000, 'PE'),
    option('NIFTY', '24-APR-25', 24050, 'CE'),
    option('NIFTY', '29-MAY-25', 24000, 'CE'),
    future('BANKNIFTY', '24-APR-25'),
    option('BANKNIFTY', '24-APR-25', 52000, 'CE'),
    option('FINNIFTY', '24-APR-25', 24000, 'CE'),
    option('SENSEX', '22-APR-25', 77000, 'CE', { exchange: 'BFO', brExchange: 'BFO' }),
    row({
      symbol: 'BTCUSD.P',
      exchange: 'CRYPTO',
      instrumentType: 'PERPFUT',
      contractValue: 0.001,
      token: '27',
      name: 'BTC',
    }),
    row({ symbol: 'NIFTY', exchange: 'NSE_INDEX', token: '99926000' }),
  ]
  const cache = cacheOf(rows)

  it('filters by derived underlying exactly (NIFTY is not BANKNIFTY or FINNIFTY)', () => {
    expect(symbols(cache.fnoSearch({ underlying: ' nifty ', expiry: '24-APR-25' }))).toEqual([
      'NFO:NIFTY24APR2523950CE',
      'NFO:NIFTY24APR2524000CE',
      'NFO:NIFTY24APR2524000PE',
      'NFO:NIFTY24APR2524050CE',
      'NFO:NIFTY24APR25FUT',
    ])
    expect(cache.fnoSearch({ underlying: 'NIFTY50' })).toEqual([])
  })

  it('filters by the exact expiry string', () => {
    expect(symbols(cache.fnoSearch({ underlying: 'NIFTY', expiry: '29-MAY-25' }))).toEqual([
      'NFO:NIFTY29MAY2524000CE',
    ])
    expect(cache.fnoSearch({ expiry: '29-may-25' })).toEqual([])
  })

  it('filters FUT/CE/PE by symbol suffix and PERPFUT by the stored type', () => {
    expect(symbols(cache.fnoSearch({ instrumentType: 'fut' }))).toEqual([
      'NFO:BANKNIFTY24APR25FUT',
      'NFO:NIFTY24APR25FUT',
    ])
    expect(symbols(cache.fnoSearch({ underlying: 'NIFTY', instrumentType: 'PE' }))).toEqual([
      'NFO:NIFTY24APR2524000PE',
    ])
    expect(symbols(cache.fnoSearch({ instrumentType: 'PERPFUT' }))).toEqual(['CRYPTO:BTCUSD.P'])
    // an unknown type does not filter
    expect(cache.fnoSearch({ instrumentType: 'OPTIDX' })).toHaveLength(rows.length)
  })

  it('keeps strikes within an inclusive range and drops rows without a strike', () => {
    expect(
      symbols(cache.fnoSearch({ underlying: 'NIFTY', strikeMin: 24000, strikeMax: 24000 })),
    ).toEqual(['NFO:NIFTY24APR2524000CE', 'NFO:NIFTY24APR2524000PE', 'NFO:NIFTY29MAY2524000CE'])
    expect(
      symbols(cache.fnoSearch({ underlying: 'NIFTY', expiry: '24-APR-25', strikeMax: 23999 })),
    ).toEqual(['NFO:NIFTY24APR2523950CE']) // the future has no strike and drops out
  })

  it('rescues a row whose strike equals a numeric term even when other terms miss (OR)', () => {
    expect(symbols(cache.fnoSearch({ query: 'SENSEX 24000' }))).toEqual([
      // SENSEX matches nothing here; every 24000 strike is rescued by value
      'NFO:FINNIFTY24APR2524000CE',
      'NFO:NIFTY24APR2524000CE',
      'NFO:NIFTY24APR2524000PE',
      'NFO:NIFTY29MAY2524000CE',
    ])
  })

  it('sorts underlying equal to the first term, then underlying prefix, then symbol prefix', () => {
    expect(symbols(cache.fnoSearch({ query: 'NIFTY 24000 CE', exchange: 'NFO' }))).toEqual([
      'NFO:NIFTY24APR2524000CE', // underlying == NIFTY
      'NFO:NIFTY24APR2524000PE', // rescued by strike; still underlying NIFTY
      'NFO:NIFTY29MAY2524000CE',
      'NFO:FINNIFTY24APR2524000CE', // underlying contains NIFTY but neither equals nor starts
    ])
    expect(symbols(cache.fnoSearch({ query: 'BANK', exchange: 'NFO' }))).toEqual([
      'NFO:BANKNIFTY24APR2552000CE', // underlying starts with BANK, then by symbol
      'NFO:BANKNIFTY24APR25FUT',
    ])
  })

  it('adds the freeze quantity of each contract, 1 when none is configured', () => {
    const r = cache.fnoSearch({ underlying: 'BANKNIFTY', instrumentType: 'CE' })
    expect(r.map((x) => [x.symbol, x.freezeQty])).toEqual([['BANKNIFTY24APR2552000CE', 900]])
    expect(cache.fnoSearch({ underlying: 'SENSEX' })[0]?.freezeQty).toBe(1)
    cache.setFreezeQuantities({ 'BFO:SENSEX': 1000 })
    expect(cache.fnoSearch({ underlying: 'SENSEX' })[0]?.freezeQty).toBe(1000)
    expect(cache.getFreezeQty('SENSEX22APR2577000CE', 'BFO')).toBe(1000)
  })

  it('returns contract value and underlying with each result, and honours the limit', () => {
    expect(cache.fnoSearch({ query: 'BTC' })[0]).toMatchObject({
      symbol: 'BTCUSD.P',
      contractValue: 0.001,
      underlying: 'BTC',
      instrumentType: 'PERPFUT',
    })
    expect(symbols(cache.fnoSearch({ underlying: 'NIFTY', limit: 2 }))).toEqual([
      'NFO:NIFTY24APR2523950CE',
      'NFO:NIFTY24APR2524000CE',
    ])
  })
})
