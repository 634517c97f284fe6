import { describe, expect, it } from 'vitest'
import { createMarket, type Instrument, type Market } from './market.js'
import { createTickGenerator } from './ticks.js'
import type { Tick } from './types.js'
import { buildUniverse } from './universe.js'

const at = (iso: string): number => Date.parse(iso)
const universe = buildUniverse(1)

function get(m: Market, symbol: string, exchange: string): Instrument {
  const r = m.resolve(symbol, exchange)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

function collect(m: Market, mode: 1 | 2 | 3, startIso: string, seconds: number): Tick[] {
  const g = createTickGenerator(m, { startMs: at(startIso), ticksPerSecond: 4 })
  g.set(get(m, 'RELIANCE', 'NSE'), mode)
  g.set(get(m, 'NIFTY29APR2524500CE', 'NFO'), mode)
  g.set(get(m, 'NIFTY', 'NSE_INDEX'), mode)
  const out: Tick[] = []
  g.advanceTo(at(startIso) + seconds * 1000, (t) => out.push(t))
  return out
}

describe('tick generator', () => {
  const market = createMarket({ seed: 1, universe })

  it('ticks each instrument at the configured rate, in time order', () => {
    const ticks = collect(market, 1, '2025-04-22T10:00:00+05:30', 10)
    // 3 instruments × 4 per second × 10 s (the first period starts at the start instant)
    expect(ticks.length).toBeGreaterThanOrEqual(120)
    expect(ticks.length).toBeLessThanOrEqual(123)
    for (let i = 1; i < ticks.length; i++) {
      expect(ticks[i]!.exchangeTs!).toBeGreaterThan(ticks[i - 1]!.exchangeTs!)
    }
    expect(ticks.filter((t) => t.symbol === 'RELIANCE').length).toBeGreaterThanOrEqual(40)
  })

  it('sends only the last price in LTP mode, at the price a quote gives', () => {
    for (const t of collect(market, 1, '2025-04-22T10:00:00+05:30', 2)) {
      expect(t.mode).toBe(1)
      expect(t.volume).toBeNull()
      expect(t.depth).toBeUndefined()
      const i = get(market, t.symbol, t.exchange)
      expect(t.ltp).toBe(market.quote(i, t.exchangeTs!).ltp)
    }
  })

  it('adds OHLC, volume and open interest in Quote mode', () => {
    const ticks = collect(market, 2, '2025-04-22T10:00:00+05:30', 3)
    for (const t of ticks) {
      const q = market.quote(get(market, t.symbol, t.exchange), t.exchangeTs!)
      expect(t).toMatchObject({
        mode: 2,
        ltp: q.ltp,
        open: q.open,
        high: q.high,
        low: q.low,
        prevClose: q.prevClose,
        volume: q.volume,
        oi: q.oi,
      })
      expect(t.change).toBe(q.ltp - q.prevClose)
      expect(t.depth).toBeUndefined()
    }
    const option = ticks.filter((t) => t.exchange === 'NFO')
    for (let i = 1; i < option.length; i++)
      expect(option[i]!.volume!).toBeGreaterThanOrEqual(option[i - 1]!.volume!)
  })

  it('adds five levels of depth in Depth mode', () => {
    const ticks = collect(market, 3, '2025-04-22T10:00:00+05:30', 2)
    for (const t of ticks.filter((x) => x.exchange !== 'NSE_INDEX')) {
      expect(t.depthLevels).toBe(5)
      expect(t.depth?.buy).toHaveLength(5)
      expect(t.depth?.sell).toHaveLength(5)
      expect(t.depth!.buy[0]!.price).toBeLessThanOrEqual(t.ltp)
      expect(t.depth!.sell[0]!.price).toBeGreaterThanOrEqual(t.ltp)
      expect(t.totalBuyQty).toBe(t.depth!.buy.reduce((s, l) => s + l.quantity, 0))
    }
  })

  it('is silent while the market is closed and resumes at the next open', () => {
    const g = createTickGenerator(market, {
      startMs: at('2025-04-19T10:00:00+05:30'),
      ticksPerSecond: 2,
    })
    g.set(get(market, 'SBIN', 'NSE'), 1)
    const weekend: Tick[] = []
    g.advanceTo(at('2025-04-21T09:14:59+05:30'), (t) => weekend.push(t))
    expect(weekend).toEqual([])
    const monday: Tick[] = []
    g.advanceTo(at('2025-04-21T09:15:10+05:30'), (t) => monday.push(t))
    expect(monday.length).toBeGreaterThanOrEqual(19)
    expect(monday[0]!.exchangeTs).toBe(at('2025-04-21T09:15:00+05:30'))
  })

  it('gives the same ticks for the same seed and start, and stops ticking what was removed', () => {
    expect(collect(createMarket({ seed: 1, universe }), 2, '2025-04-22T11:00:00+05:30', 2)).toEqual(
      collect(market, 2, '2025-04-22T11:00:00+05:30', 2),
    )
    const g = createTickGenerator(market, { startMs: at('2025-04-22T11:00:00+05:30') })
    const sbin = get(market, 'SBIN', 'NSE')
    g.set(sbin, 1)
    g.set(get(market, 'TCS', 'NSE'), 1)
    g.remove(sbin)
    const out: Tick[] = []
    g.take(20, (t) => out.push(t))
    expect(out.every((t) => t.symbol === 'TCS')).toBe(true)
  })
})
