import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Inr4 } from '../money.js'
import { averagePrice, netFill } from './netting.js'

describe('netFill', () => {
  it('keeps the average exact from running totals (no rounded average added to)', () => {
    let q = 0
    let cost = 0 as Inr4
    for (const [d, px] of [
      [1, 1_000_000],
      [1, 1_000_100],
      [1, 1_000_100],
    ] as const) {
      const r = netFill(q, cost, d, px as Inr4)
      q = r.quantity
      cost = r.cost
    }
    expect(cost).toBe(3_000_200)
    // ₹100.00666… → ₹100.0067, rounded once, half away from zero
    expect(averagePrice(cost, q)).toBe(1_000_067)
    expect(averagePrice(5 as Inr4, 2)).toBe(3)
    expect(averagePrice(5 as Inr4, -2)).toBe(3)
  })

  it('books realized PnL so that cash flow = realized − signed open cost, exactly, for any fills', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: -500, max: 500 }).filter((d) => d !== 0),
            fc.integer({ min: 1, max: 50_000_000 }),
          ),
          { maxLength: 60 },
        ),
        (fills) => {
          let q = 0
          let cost = 0 as Inr4
          let realized = 0
          let cash = 0
          for (const [d, px] of fills) {
            const r = netFill(q, cost, d, px as Inr4)
            expect(r.closed + r.opened).toBe(Math.abs(d))
            q = r.quantity
            cost = r.cost
            realized += r.realizedRaw
            cash -= d * px
            expect(cost).toBeGreaterThanOrEqual(0)
            if (q === 0) expect(cost).toBe(0)
          }
          expect(cash).toBe(realized - Math.sign(q) * cost)
        },
      ),
      { numRuns: 500 },
    )
  })
})
