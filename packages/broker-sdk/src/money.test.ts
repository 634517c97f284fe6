import { describe, expect, it } from 'vitest'
import {
  DECIMAL4_PATTERN,
  asInr4,
  divRound,
  formatInr,
  fromRupees,
  notional,
  parseInr4,
  toRupees,
  tryParseInr4,
} from './money.js'

describe('Inr4', () => {
  it('parses decimal text exactly', () => {
    expect(parseInr4('245.55')).toBe(2_455_500)
    expect(parseInr4('0.0025')).toBe(25)
    expect(parseInr4('-3.1')).toBe(-31_000)
    expect(parseInr4('765.500000')).toBe(7_655_000)
    expect(parseInr4('0')).toBe(0)
    expect(Object.is(parseInr4('-0.0'), 0)).toBe(true)
  })

  it('refuses a significant fifth decimal and non-decimal text', () => {
    expect(() => parseInr4('0.00001')).toThrow(/at most 4 decimals/)
    expect(() => parseInr4('1e3')).toThrow()
    expect(() => parseInr4('')).toThrow()
    expect(() => parseInr4('12,50')).toThrow()
  })

  it('accepts exactly what DECIMAL4_PATTERN accepts for prices', () => {
    for (const text of ['1', '1.5', '245.5500', '0.0025']) {
      expect(DECIMAL4_PATTERN.test(text)).toBe(true)
      expect(() => parseInr4(text)).not.toThrow()
    }
    expect(DECIMAL4_PATTERN.test('0.00025')).toBe(false)
  })

  it('converts JSON numbers through their decimal text, never by multiplying floats', () => {
    // 1.1 * 10000 === 11000.000000000002 in floating point
    expect(fromRupees(1.1)).toBe(11_000)
    expect(fromRupees(0.07)).toBe(700)
    expect(fromRupees(1e-4)).toBe(1)
    expect(fromRupees(1e11)).toBe(1e15)
    expect(() => fromRupees(1e15)).toThrow(/not an exact rupee amount/)
    expect(() => fromRupees(0.1 + 0.2)).toThrow(/not an exact rupee amount/)
    expect(fromRupees(0.1 + 0.2, { round: true })).toBe(3000)
    expect(() => fromRupees(Number.NaN)).toThrow()
  })

  it('rounds broker averages half away from zero on their decimal digits', () => {
    expect(tryParseInr4('1283.123456', { round: true })).toBe(12_831_235)
    expect(tryParseInr4('1283.12345', { round: true })).toBe(12_831_235)
    expect(tryParseInr4('1283.12344', { round: true })).toBe(12_831_234)
    expect(tryParseInr4('-0.00005', { round: true })).toBe(-1)
    expect(tryParseInr4('1283.123456')).toBeUndefined()
    expect(tryParseInr4('abc')).toBeUndefined()
    expect(tryParseInr4(Number.POSITIVE_INFINITY)).toBeUndefined()
  })

  it('goes back to rupees for the wire', () => {
    expect(toRupees(parseInr4('245.55'))).toBe(245.55)
    expect(toRupees(parseInr4('0.0025'))).toBe(0.0025)
  })

  it('formats two-decimal strings as OpenAlgo funds show them', () => {
    expect(formatInr(parseInr4('320.66'))).toBe('320.66')
    expect(formatInr(parseInr4('0'))).toBe('0.00')
    expect(formatInr(parseInr4('-7.88'))).toBe('-7.88')
    expect(formatInr(parseInr4('0.005'))).toBe('0.01')
    expect(formatInr(parseInr4('-0.005'))).toBe('-0.01')
    expect(formatInr(parseInr4('-0.004'))).toBe('0.00')
    expect(formatInr(parseInr4('12.3456'), 4)).toBe('12.3456')
    expect(formatInr(parseInr4('12.5'), 0)).toBe('13')
  })

  it('divides once, rounding half away from zero at the .5 boundary', () => {
    expect(divRound(5, 2)).toBe(3)
    expect(divRound(-5, 2)).toBe(-3)
    expect(divRound(4, 3)).toBe(1)
    expect(divRound(-4, 3)).toBe(-1)
    expect(divRound(7, -2)).toBe(-4)
    expect(() => divRound(1, 0)).toThrow(/division by zero/)
  })

  it('multiplies price by quantity exactly and refuses overflow', () => {
    expect(notional(parseInr4('245.55'), 3)).toBe(7_366_500)
    expect(() => notional(asInr4(Number.MAX_SAFE_INTEGER), 2)).toThrow(/overflow/)
    expect(() => asInr4(1.5)).toThrow(/safe integer/)
  })
})
