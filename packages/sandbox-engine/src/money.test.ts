import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SandboxError } from './errors.js'
import {
  divRound,
  formatInr4,
  type Inr4,
  isTickMultiple,
  mulDiv,
  notional,
  parseInr4,
  toRupees,
} from './money.js'

describe('parseInr4', () => {
  it('reads decimal text without float arithmetic', () => {
    expect(parseInr4('245.55')).toBe(2_455_500)
    expect(parseInr4('0.0025')).toBe(25)
    expect(parseInr4('100')).toBe(1_000_000)
    expect(parseInr4('-7496.25')).toBe(-74_962_500)
    expect(parseInr4('0.3')).toBe(3_000)
    // float arithmetic leaks digits; the parser refuses them instead of rounding silently
    expect(() => parseInr4(0.1 + 0.2)).toThrow(SandboxError)
  })

  it('reads JSON numbers through String(n)', () => {
    expect(parseInr4(245.55)).toBe(2_455_500)
    expect(parseInr4(2499.9)).toBe(24_999_000)
  })

  it('rejects more than 4 decimals, exponents and junk with invalid_price', () => {
    for (const bad of ['1.00001', '1e3', '', ' 1', 'abc', '1.', '.5', 'NaN', '1,000']) {
      expect(() => parseInr4(bad)).toThrow(SandboxError)
    }
    expect(() => parseInr4(1e21)).toThrow(/at most 4 decimals/)
    try {
      parseInr4('1.23456')
    } catch (e) {
      expect((e as SandboxError).code).toBe('invalid_price')
    }
  })

  it('round-trips through formatInr4 for any amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), (v) => {
        expect(parseInr4(formatInr4(v as Inr4))).toBe(v)
      }),
    )
  })
})

describe('formatInr4 / toRupees', () => {
  it('prints exact decimals with at least two places', () => {
    expect(formatInr4(1_250_000_000 as Inr4)).toBe('125000.00')
    expect(formatInr4(600_060 as Inr4)).toBe('60.006')
    expect(formatInr4(-74_962_500 as Inr4)).toBe('-7496.25')
    expect(formatInr4(5 as Inr4)).toBe('0.0005')
    expect(toRupees(2_455_500 as Inr4)).toBe(245.55)
  })
})

describe('divRound', () => {
  it('rounds half away from zero at the .5 boundary, both signs', () => {
    expect(divRound(5, 2)).toBe(3)
    expect(divRound(-5, 2)).toBe(-3)
    expect(divRound(5, -2)).toBe(-3)
    expect(divRound(7, 2)).toBe(4)
    expect(divRound(25, 10)).toBe(3)
    expect(divRound(-25, 10)).toBe(-3)
    expect(divRound(24, 10)).toBe(2)
    expect(divRound(-24, 10)).toBe(-2)
    expect(divRound(1, 3)).toBe(0)
    expect(divRound(2, 3)).toBe(1)
  })

  it('supports ceil and floor', () => {
    expect(divRound(7, 2, 'ceil')).toBe(4)
    expect(divRound(-7, 2, 'ceil')).toBe(-3)
    expect(divRound(7, 2, 'floor')).toBe(3)
    expect(divRound(-7, 2, 'floor')).toBe(-4)
    expect(divRound(8, 2, 'ceil')).toBe(4)
  })

  it('matches exact BigInt division for every safe integer, near 2^53 too', () => {
    const big = (n: bigint, d: bigint): bigint => {
      const q = n / d
      const r = n - q * d
      const s = n < 0n !== d < 0n ? -1n : 1n
      const ar = r < 0n ? -r : r
      const ad = d < 0n ? -d : d
      return 2n * ar >= ad ? q + s : q
    }
    fc.assert(
      fc.property(
        fc.maxSafeInteger(),
        fc.maxSafeInteger().filter((d) => d !== 0),
        (n, d) => {
          expect(divRound(n, d)).toBe(Number(big(BigInt(n), BigInt(d))))
        },
      ),
      { numRuns: 2000 },
    )
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 1e6 }), (n, d) => {
        expect(divRound(n, d)).toBe(Number(big(BigInt(n), BigInt(d))))
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses a zero divisor and non-integers', () => {
    expect(() => divRound(1, 0)).toThrow()
    expect(() => divRound(1.5, 2)).toThrow()
  })
})

describe('mulDiv and notional', () => {
  it('computes a × b / c exactly even when a × b overflows', () => {
    const a = 2 ** 40
    expect(mulDiv(a, 3 * 2 ** 20, 2 ** 20)).toBe(3 * a)
    expect(mulDiv(10, 3, 4)).toBe(8)
    expect(mulDiv(10, 3, 4, 'floor')).toBe(7)
  })

  it('throws on a notional beyond the safe-integer range', () => {
    expect(notional(2_455_500 as Inr4, 100)).toBe(245_550_000)
    expect(() => notional((2 ** 52) as Inr4, 4)).toThrow(/notional overflow/)
  })
})

describe('isTickMultiple', () => {
  it('accepts prices on the tick grid only', () => {
    expect(isTickMultiple(parseInr4('100.05'), parseInr4('0.05'))).toBe(true)
    expect(isTickMultiple(parseInr4('100.03'), parseInr4('0.05'))).toBe(false)
    expect(isTickMultiple(parseInr4('82.0025'), parseInr4('0.0025'))).toBe(true)
    expect(isTickMultiple(parseInr4('1.23'), 0 as Inr4)).toBe(true)
  })
})
