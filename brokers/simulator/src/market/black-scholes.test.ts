import { describe, expect, it } from 'vitest'
import { black76Call, black76Put, normalCdf, smileVolatility } from './black-scholes.js'

describe('Black-76 pricing', () => {
  it('computes the normal CDF to double precision', () => {
    expect(normalCdf(0)).toBe(0.5)
    expect(normalCdf(1)).toBeCloseTo(0.841344746068543, 14)
    expect(normalCdf(-2)).toBeCloseTo(0.0227501319481792, 14)
    expect(normalCdf(3)).toBeCloseTo(0.99865010196837, 14)
    // far tail: relative accuracy (the continued fraction is good to about 1e-8 there)
    expect(Math.abs(normalCdf(-8) / 6.220960574271784e-16 - 1)).toBeLessThan(1e-7)
  })

  it('prices a textbook call (F=100, K=100, σ=20%, 1y, r=5%)', () => {
    const df = Math.exp(-0.05)
    // Black-76 at the money: df·F·(2N(σ√T/2) − 1)
    const expected = df * 100 * (2 * normalCdf(0.1) - 1)
    expect(black76Call(df, 100, 100, 0.2, 1)).toBeCloseTo(expected, 12)
  })

  it('satisfies put-call parity exactly', () => {
    for (const k of [80, 95, 100, 105, 130]) {
      const df = Math.exp(-0.065 * 0.1)
      const c = black76Call(df, 100, k, 0.25, 0.1)
      const p = black76Put(df, 100, k, 0.25, 0.1)
      expect(c - p).toBeCloseTo(df * (100 - k), 10)
      expect(p).toBeGreaterThanOrEqual(0)
    }
  })

  it('is worth intrinsic value at expiry', () => {
    expect(black76Call(1, 110, 100, 0.3, 0)).toBe(10)
    expect(black76Call(1, 90, 100, 0.3, 0)).toBe(0)
  })

  it('prices out-of-the-money puts richer than calls under a negative skew', () => {
    const smile = { atm: 0.14, skew: -0.09, curvature: 0.035, forward: 24500, years: 0.05 }
    expect(smileVolatility(smile, 24500)).toBeCloseTo(0.14, 10)
    expect(smileVolatility(smile, 23500)).toBeGreaterThan(smileVolatility(smile, 25500))
    expect(smileVolatility(smile, 10_000)).toBeGreaterThan(0)
  })
})
