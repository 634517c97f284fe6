import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extractUnderlying } from './underlying.js'

// The rules as the spec states them (platform.md §4.9), as regular expressions: the oracle
// for the hand-written scanner.
const INDIAN =
  /^(.+?)(\d{2}(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\d{2})(?:\d+(?:\.\d+)?)?(?:FUT|CE|PE)?$/
const CRYPTO_DATED = /^([A-Z0-9]+?)(?=\d{2}[A-Z]{3}\d{2})/

function oracle(symbol: string, exchange: string): string | null {
  const s = symbol.toUpperCase()
  if (exchange === 'CRYPTO') {
    const m = CRYPTO_DATED.exec(s)
    if (m) return m[1] ?? null
    const base = s.endsWith('.P') ? s.slice(0, -2) : s
    for (const q of ['USDT', 'USD', '_INR', 'INR']) {
      if (base.endsWith(q) && base.length > q.length) return base.slice(0, -q.length)
    }
    return base
  }
  return INDIAN.exec(s)?.[1] ?? null
}

describe('extractUnderlying', () => {
  it.each([
    ['NIFTY28MAR2420800CE', 'NFO', 'NIFTY'],
    ['BANKNIFTY24APR24FUT', 'NFO', 'BANKNIFTY'],
    ['VEDL25APR24292.5CE', 'NFO', 'VEDL'],
    ['USDINR19APR2482.25PE', 'CDS', 'USDINR'],
    ['CRUDEOILM20MAY24FUT', 'MCX', 'CRUDEOILM'],
    ['M&M25APR243000CE', 'NFO', 'M&M'],
    ['BAJAJ-AUTO24APR259000PE', 'NFO', 'BAJAJ-AUTO'],
    ['NIFTYNXT5024APR2566000CE', 'NFO', 'NIFTYNXT50'],
    ['SENSEX5029APR2524500CE', 'BFO', 'SENSEX50'],
    ['nifty28mar2420800ce', 'NFO', 'NIFTY'],
  ])('derives %s on %s as %s', (symbol, exchange, expected) => {
    expect(extractUnderlying(symbol, exchange)).toBe(expected)
  })

  it('derives crypto dated roots that start with a digit (1INCH28FEB25FUT → 1INCH)', () => {
    expect(extractUnderlying('1INCH28FEB25FUT', 'CRYPTO')).toBe('1INCH')
    expect(extractUnderlying('BTC28FEB2580000CE', 'CRYPTO')).toBe('BTC')
  })

  it('strips crypto perpetual suffixes: .P, then USDT, USD, _INR, INR', () => {
    expect(extractUnderlying('BTCUSD.P', 'CRYPTO')).toBe('BTC')
    expect(extractUnderlying('ETHUSDT', 'CRYPTO')).toBe('ETH')
    expect(extractUnderlying('BTC_INR.P', 'CRYPTO')).toBe('BTC')
    expect(extractUnderlying('SOLINR', 'CRYPTO')).toBe('SOL')
    expect(extractUnderlying('USDT', 'CRYPTO')).toBe('USDT') // nothing left before the quote
    expect(extractUnderlying('XYZ.P', 'CRYPTO')).toBe('XYZ')
  })

  it('gives null outside F&O exchanges and for symbols off the grammar', () => {
    expect(extractUnderlying('NIFTY28MAR2420800CE', 'NSE')).toBeNull()
    expect(extractUnderlying('RELIANCE', 'NFO')).toBeNull()
    expect(extractUnderlying('NIFTY28XYZ2420800CE', 'NFO')).toBeNull() // not a month
    expect(extractUnderlying('NIFTY28MAR2420800XX', 'NFO')).toBeNull()
    expect(extractUnderlying('28MAR24FUT', 'NFO')).toBeNull() // root needs a character
    expect(extractUnderlying('', 'NFO')).toBeNull()
  })

  it('takes the shortest root whose remainder still fits the grammar', () => {
    expect(extractUnderlying('AB12JAN2512JAN25FUT', 'NFO')).toBe('AB12JAN25')
    // the first date at "X" leaves "10APR25", which is not a strike, so the root grows
    expect(extractUnderlying('X10APR2510APR25', 'NFO')).toBe('X10APR25')
    expect(extractUnderlying('NIFTY10APR252400010APR25', 'NFO')).toBe(
      oracle('NIFTY10APR252400010APR25', 'NFO'),
    )
  })

  it('agrees with the spec regex on generated symbols', () => {
    const part = fc.constantFrom(
      'NIFTY',
      'M&M',
      '1INCH',
      '12',
      '28',
      'MAR',
      'MAY',
      'XYZ',
      '24',
      '2420800',
      '292.5',
      '.',
      '5',
      'CE',
      'PE',
      'FUT',
      '_INR',
      'USDT',
      '.P',
      '-',
    )
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 7 }),
        fc.constantFrom('NFO', 'CRYPTO', 'MCX'),
        (parts, exchange) => {
          const symbol = parts.join('')
          expect(extractUnderlying(symbol, exchange)).toBe(oracle(symbol, exchange))
        },
      ),
      { numRuns: 3000 },
    )
  })
})
