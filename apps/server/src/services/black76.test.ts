import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  black76Greeks,
  black76Price,
  blackScholesPrice,
  impliedVolatility,
  normCdf,
} from './black76.js'
import { calculateGreeks } from './option-greeks.js'

describe('Black-76 and implied volatility', () => {
  it('reproduces the spec example: NIFTY 26000 CE at 435 with the forward at 25966.05, 28.5 days out', () => {
    const t = 28.5071 / 365
    const iv = impliedVolatility(435, 25966.05, 26000, 0, t, 'c')
    expect(iv.ok).toBe(true)
    if (!iv.ok) return
    expect(iv.sigma * 100).toBeCloseTo(15.6, 1)
    const g = black76Greeks('c', 25966.05, 26000, t, 0, iv.sigma)
    expect(g.delta).toBeCloseTo(0.4967, 2)
    expect(g.gamma).toBeCloseTo(0.000352, 5)
    expect(g.theta).toBeCloseTo(-7.919, 0)
    expect(g.vega).toBeCloseTo(28.9489, 0)
    expect(g.rho).toBeCloseTo(-0.339742, 3)
  })

  it('recovers the volatility it priced with, deep in and out of the money and on expiry day', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'c' | 'p'>('c', 'p'),
        fc.double({ min: 0.5, max: 1.5, noNaN: true }),
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        fc.double({ min: 0.5 / 365, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        (flag, moneyness, sigma, t, r) => {
          const f = 25_000
          const k = f * moneyness
          const price = black76Price(flag, f, k, t, r, sigma)
          const df = Math.exp(-r * t)
          const intrinsic = df * Math.max(flag === 'c' ? f - k : k - f, 0)
          // prices indistinguishable from intrinsic carry no volatility information
          if (price - intrinsic < 1e-6 * f) return
          const iv = impliedVolatility(price, f, k, r, t, flag)
          expect(iv.ok).toBe(true)
          if (iv.ok)
            expect(Math.abs(black76Price(flag, f, k, t, r, iv.sigma) - price)).toBeLessThan(
              1e-6 * price + 1e-9,
            )
        },
      ),
      { numRuns: 2_000 },
    )
  })

  it('refuses prices below intrinsic or above the discounted forward', () => {
    expect(impliedVolatility(90, 25_100, 25_000, 0, 0.01, 'c')).toEqual({
      ok: false,
      reason: 'below_intrinsic',
    })
    expect(impliedVolatility(25_200, 25_100, 25_000, 0, 0.01, 'c')).toEqual({
      ok: false,
      reason: 'above_maximum',
    })
  })

  it('agrees with Black-Scholes on spot when the forward is spot·e^{rt}', () => {
    const s = 1000
    const r = 0.07
    const t = 0.25
    expect(blackScholesPrice('c', s, 1000, t, r, 0.2)).toBeCloseTo(
      black76Price('c', s * Math.exp(r * t), 1000, t, r, 0.2),
      10,
    )
    expect(normCdf(-8)).toBeGreaterThan(0)
    expect(normCdf(0)).toBeCloseTo(0.5, 15)
  })
})

describe('option greeks answers', () => {
  const now = Date.parse('2026-07-28T03:20:00Z')
  it('answers theoretical Greeks for an option with no time value', () => {
    const out = calculateGreeks({
      symbol: 'NIFTY25AUG2624000CE',
      exchange: 'NFO',
      underlyingPrice: 25_000,
      optionPrice: 1_000,
      nowMs: now,
    })
    expect(out.status).toBe(200)
    expect(out.body).toMatchObject({
      implied_volatility: 0,
      greeks: { delta: 1, gamma: 0 },
      note: 'Deep ITM option with no time value - theoretical Greeks returned',
    })
  })
  it('says when the option expired', () => {
    const out = calculateGreeks({
      symbol: 'NIFTY25AUG2524000CE',
      exchange: 'NFO',
      underlyingPrice: 25_000,
      optionPrice: 10,
      nowMs: now,
    })
    expect(out).toEqual({
      status: 400,
      body: { status: 'error', message: 'Option has expired on 25-Aug-2025' },
    })
  })
  it('reports days to expiry to the 15:30 IST cut-off and the expiry as DD-Mon-YYYY', () => {
    const out = calculateGreeks({
      symbol: 'NIFTY25AUG2626000CE',
      exchange: 'NFO',
      underlyingPrice: 25_966.05,
      optionPrice: 435,
      nowMs: now,
    })
    expect(out.body).toMatchObject({
      expiry_date: '25-Aug-2026',
      option_type: 'CE',
      strike: 26000,
      underlying: 'NIFTY',
    })
    expect(out.body['days_to_expiry']).toBe(28.2778)
  })
})
