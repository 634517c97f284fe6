import { describe, expect, it } from 'vitest'
import {
  FUTURE_SYMBOL_PATTERN,
  OPTION_SYMBOL_PATTERN,
  expiryFromEpochMs,
  formatExpiry,
  formatFutureSymbol,
  formatOptionSymbol,
  formatStrike,
  parseExpiry,
  parseSymbol,
  stripSeriesSuffix,
} from './symbol-grammar.js'

describe('parseSymbol', () => {
  it.each([
    ['NIFTY28MAR2420800CE', 'NIFTY', { year: 2024, month: 3, day: 28 }, 20800, 'CE'],
    ['VEDL25APR24292.5CE', 'VEDL', { year: 2024, month: 4, day: 25 }, 292.5, 'CE'],
    ['USDINR19APR2482CE', 'USDINR', { year: 2024, month: 4, day: 19 }, 82, 'CE'],
    ['USDINR19APR2482.25PE', 'USDINR', { year: 2024, month: 4, day: 19 }, 82.25, 'PE'],
    ['NIFTYNXT5025APR2465000PE', 'NIFTYNXT50', { year: 2024, month: 4, day: 25 }, 65000, 'PE'],
    ['M&M25APR242500CE', 'M&M', { year: 2024, month: 4, day: 25 }, 2500, 'CE'],
  ])('reads option %s', (symbol, base, expiry, strike, optionType) => {
    expect(parseSymbol(symbol)).toMatchObject({ kind: 'option', base, expiry, strike, optionType })
    expect(OPTION_SYMBOL_PATTERN.test(symbol)).toBe(true)
  })

  it.each([
    ['BANKNIFTY24APR24FUT', 'BANKNIFTY', { year: 2024, month: 4, day: 24 }],
    ['CRUDEOILM20MAY24FUT', 'CRUDEOILM', { year: 2024, month: 5, day: 20 }],
    ['USDINR10MAY24FUT', 'USDINR', { year: 2024, month: 5, day: 10 }],
    ['BAJAJ-AUTO25APR24FUT', 'BAJAJ-AUTO', { year: 2024, month: 4, day: 25 }],
  ])('reads future %s', (symbol, base, expiry) => {
    expect(parseSymbol(symbol)).toEqual({ kind: 'future', base, expiry })
    expect(FUTURE_SYMBOL_PATTERN.test(symbol)).toBe(true)
  })

  it('keeps underlyings with & and digits as equities', () => {
    expect(parseSymbol('M&M')).toEqual({ kind: 'equity', base: 'M&M' })
    expect(parseSymbol('726GS2033')).toEqual({ kind: 'equity', base: '726GS2033' })
    expect(parseSymbol('BSEOIL&GAS', 'BSE_INDEX')).toEqual({ kind: 'index', base: 'BSEOIL&GAS' })
  })

  it('calls canonical index names indices, or follows the exchange when given', () => {
    expect(parseSymbol('NIFTY')).toEqual({ kind: 'index', base: 'NIFTY' })
    expect(parseSymbol('SENSEX50')).toEqual({ kind: 'index', base: 'SENSEX50' })
    expect(parseSymbol('NIFTY', 'NSE_INDEX')?.kind).toBe('index')
    expect(parseSymbol('SBIN', 'NSE')?.kind).toBe('equity')
  })

  it('refuses lower case, spaces and impossible expiry dates', () => {
    expect(parseSymbol('sbin')).toBeUndefined()
    expect(parseSymbol('NIFTY 50')).toBeUndefined()
    expect(parseSymbol('')).toBeUndefined()
    // 31 APR does not exist: a derivative-shaped symbol with an impossible expiry is refused
    expect(parseSymbol('NIFTY31APR24FUT')).toBeUndefined()
  })
})

describe('formatting', () => {
  const apr25 = { year: 2024, month: 4, day: 25 }

  it('writes the shortest decimal strike', () => {
    expect(formatStrike(22500)).toBe('22500')
    expect(formatStrike(22500.0)).toBe('22500')
    expect(formatStrike('22500.000000')).toBe('22500')
    expect(formatStrike(292.5)).toBe('292.5')
    expect(formatStrike('82.2500')).toBe('82.25')
    expect(formatStrike(0.0025)).toBe('0.0025')
    expect(() => formatStrike(-1)).toThrow()
    expect(() => formatStrike('1,000')).toThrow()
  })

  it('zero-pads the day and upper-cases the month', () => {
    expect(formatFutureSymbol('nifty', { year: 2024, month: 4, day: 4 })).toBe('NIFTY04APR24FUT')
    expect(formatOptionSymbol('VEDL', apr25, 292.5, 'CE')).toBe('VEDL25APR24292.5CE')
    expect(formatOptionSymbol('USDINR', { year: 2024, month: 4, day: 19 }, '82.000', 'CE')).toBe(
      'USDINR19APR2482CE',
    )
    expect(formatExpiry(apr25)).toBe('25-APR-24')
    expect(formatExpiry({ year: 2025, month: 1, day: 2 })).toBe('02-JAN-25')
  })

  it('round-trips every spec example through parse and format', () => {
    for (const symbol of ['NIFTY28MAR2420800CE', 'VEDL25APR24292.5CE', 'USDINR19APR2482CE']) {
      const p = parseSymbol(symbol)
      if (p?.kind !== 'option') throw new Error(`not an option: ${symbol}`)
      expect(formatOptionSymbol(p.base, p.expiry, p.strikeText, p.optionType)).toBe(symbol)
    }
    for (const symbol of ['BANKNIFTY24APR24FUT', 'CRUDEOILM20MAY24FUT', 'USDINR10MAY24FUT']) {
      const p = parseSymbol(symbol)
      if (p?.kind !== 'future') throw new Error(`not a future: ${symbol}`)
      expect(formatFutureSymbol(p.base, p.expiry)).toBe(symbol)
    }
  })

  it('refuses to format an impossible date', () => {
    expect(() => formatExpiry({ year: 2024, month: 2, day: 30 })).toThrow(/calendar date/)
  })
})

describe('master-contract expiry spellings', () => {
  it.each([
    ['25-APR-24', { year: 2024, month: 4, day: 25 }],
    ['25-Apr-2024', { year: 2024, month: 4, day: 25 }],
    ['25APR2024', { year: 2024, month: 4, day: 25 }],
    ['28-AUG-2025', { year: 2025, month: 8, day: 28 }],
    ['2024-04-25', { year: 2024, month: 4, day: 25 }],
    ['2024-04-25 14:30:00', { year: 2024, month: 4, day: 25 }],
  ])('reads %s', (text, expiry) => {
    expect(parseExpiry(text)).toEqual(expiry)
  })

  it('answers undefined for non-derivative placeholders', () => {
    expect(parseExpiry('-1')).toBeUndefined()
    expect(parseExpiry('')).toBeUndefined()
    expect(parseExpiry('31-APR-24')).toBeUndefined()
  })

  it('reads epoch expiries on the IST calendar', () => {
    // Fyers FY3: 1714039200 s is 25 Apr 2024 15:30 IST
    expect(formatExpiry(expiryFromEpochMs(1_714_039_200_000))).toBe('25-APR-24')
    // 18:30 UTC on the 24th is already the 25th in IST
    expect(expiryFromEpochMs(Date.UTC(2024, 3, 24, 18, 30))).toEqual({
      year: 2024,
      month: 4,
      day: 25,
    })
  })

  it('strips equity series suffixes', () => {
    expect(stripSeriesSuffix('SBIN-EQ')).toBe('SBIN')
    expect(stripSeriesSuffix('GOLDBEES-BE')).toBe('GOLDBEES')
    expect(stripSeriesSuffix('BAJAJ-AUTO')).toBe('BAJAJ-AUTO')
  })
})
