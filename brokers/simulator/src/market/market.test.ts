import { describe, expect, it } from 'vitest'
import { dayOf, istMinuteOfDay } from './calendar.js'
import { createMarket, type Instrument, type Market } from './market.js'
import { RISK_FREE_RATE, buildUniverse } from './universe.js'

const at = (iso: string): number => Date.parse(iso)
const universe = buildUniverse(1)
const market = createMarket({ seed: 1, universe })

function get(m: Market, symbol: string, exchange: string): Instrument {
  const r = m.resolve(symbol, exchange)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

const years = (fromMs: number, toMs: number): number => (toMs - fromMs) / (365 * 86_400_000)

describe('simulated market', () => {
  it('quotes the same numbers for the same seed and instant, and others for another seed', () => {
    const t = at('2025-04-22T10:47:13.250+05:30')
    const symbols: [string, string][] = [
      ['NIFTY', 'NSE_INDEX'],
      ['RELIANCE', 'NSE'],
      ['NIFTY29APR2524500CE', 'NFO'],
      ['CRUDEOIL19MAY25FUT', 'MCX'],
      ['USDINR28APR25FUT', 'CDS'],
    ]
    // a fresh market asked in another order (other cache state) must agree
    const fresh = createMarket({ seed: 1 })
    const first = symbols.map(([s, e]) => market.quote(get(market, s, e), t))
    const second = [...symbols].reverse().map(([s, e]) => fresh.quote(get(fresh, s, e), t))
    expect(second.reverse()).toEqual(first)
    const other = createMarket({ seed: 2 })
    const third = symbols.map(([s, e]) => other.quote(get(other, s, e), t))
    for (let i = 0; i < symbols.length; i++) expect(third[i]!.ltp).not.toBe(first[i]!.ltp)
  })

  it('keeps NIFTY 5-minute candles over five days inside market hours and consistent', () => {
    const nifty = get(market, 'NIFTY', 'NSE_INDEX')
    const from = dayOf(2025, 4, 21)
    const to = dayOf(2025, 4, 25)
    const now = at('2025-05-01T12:00:00+05:30')
    const candles = market.history(nifty, '5m', from, to, now)
    expect(candles).toHaveLength(5 * 75)
    let previous = 0
    for (const c of candles) {
      const minute = istMinuteOfDay(c.timestamp * 1000)
      expect(minute).toBeGreaterThanOrEqual(9 * 60 + 15)
      expect(minute).toBeLessThan(15 * 60 + 30)
      expect((minute - (9 * 60 + 15)) % 5).toBe(0)
      expect(c.timestamp).toBeGreaterThan(previous)
      previous = c.timestamp
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close))
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close))
      expect(c.volume).toBeGreaterThan(0)
      for (const p of [c.open, c.high, c.low, c.close]) expect(p % 500).toBe(0) // ₹0.05 ticks
    }
    // the same range always gives the same candles, from any cache state
    expect(market.history(nifty, '5m', from, to, now)).toEqual(candles)
    const fresh = createMarket({ seed: 1 })
    expect(fresh.history(get(fresh, 'NIFTY', 'NSE_INDEX'), '5m', from, to, now)).toEqual(candles)
  })

  it('builds daily candles that agree with the intraday ones', () => {
    const sbin = get(market, 'SBIN', 'NSE')
    const day = dayOf(2025, 4, 23)
    const now = at('2025-05-01T12:00:00+05:30')
    const minutes = market.history(sbin, '1m', day, day, now)
    const hourly = market.history(sbin, '1h', day, day, now)
    const [daily] = market.history(sbin, 'D', day, day, now)
    expect(minutes).toHaveLength(375)
    expect(hourly).toHaveLength(7) // 09:15 … 15:15, the last one 15 minutes long
    expect(daily).toEqual({
      timestamp: day * 86_400, // 00:00 UTC of the IST date (brokers.md §1.3.11)
      open: minutes[0]!.open,
      high: Math.max(...minutes.map((c) => c.high)),
      low: Math.min(...minutes.map((c) => c.low)),
      close: minutes[374]!.close,
      volume: minutes.reduce((s, c) => s + c.volume, 0),
      oi: 0,
    })
    expect(hourly.reduce((s, c) => s + c.volume, 0)).toBe(daily!.volume)
    const weekly = market.history(sbin, 'W', dayOf(2025, 4, 21), dayOf(2025, 4, 25), now)
    expect(weekly).toHaveLength(1)
    expect(weekly[0]!.timestamp).toBe(dayOf(2025, 4, 21) * 86_400)
  })

  it('ends history at now with the forming candle, agreeing with the quote', () => {
    const infy = get(market, 'INFY', 'NSE')
    const now = at('2025-04-22T11:07:31+05:30')
    const day = dayOf(2025, 4, 22)
    const candles = market.history(infy, '5m', day, day + 3, now)
    const last = candles[candles.length - 1]!
    expect(istMinuteOfDay(last.timestamp * 1000)).toBe(11 * 60 + 5)
    const q = market.quote(infy, now)
    expect(last.close).toBe(q.ltp)
    const [daily] = market.history(infy, 'D', day, day, now)
    expect(daily).toMatchObject({
      open: q.open,
      high: q.high,
      low: q.low,
      close: q.ltp,
      volume: q.volume,
    })
  })

  it('quotes a previous close equal to the previous session close', () => {
    const monday = at('2025-04-21T12:00:00+05:30')
    for (const [s, e] of [
      ['NIFTY', 'NSE_INDEX'],
      ['TCS', 'NSE'],
      ['BANKNIFTY29APR25FUT', 'NFO'],
      ['NIFTY29APR2524000PE', 'NFO'],
    ] as const) {
      const i = get(market, s, e)
      // the previous session was Thursday 17 April (Friday was Good Friday)
      const [thursday] = market.history(i, 'D', dayOf(2025, 4, 17), dayOf(2025, 4, 17), monday)
      expect(market.quote(i, monday).prevClose, s).toBe(thursday!.close)
    }
  })

  it('keeps put-call parity within the spread', () => {
    const t = at('2025-04-22T13:21:45+05:30')
    const expiryMs = at('2025-04-29T15:30:00+05:30')
    const df = Math.exp(-RISK_FREE_RATE * years(t, expiryMs))
    const check = (spot: number, base: string, strikes: number[], exchange: string): void => {
      for (const k of strikes) {
        const c = market.quote(get(market, `${base}29APR25${k}CE`, exchange), t)
        const p = market.quote(get(market, `${base}29APR25${k}PE`, exchange), t)
        const parity = (spot - k * df) * 10_000
        const spread = c.ask - c.bid + (p.ask - p.bid)
        expect(Math.abs(c.ltp - p.ltp - parity), `${base} ${k}`).toBeLessThanOrEqual(spread)
        // no arbitrage between the quotes either
        expect(c.bid - p.ask).toBeLessThanOrEqual(parity + 500)
        expect(c.ask - p.bid).toBeGreaterThanOrEqual(parity - 500)
      }
    }
    const nifty = market.quote(get(market, 'NIFTY', 'NSE_INDEX'), t).ltp / 10_000
    const atm = Math.round(nifty / 50) * 50
    check(nifty, 'NIFTY', [atm - 200, atm - 50, atm, atm + 100, atm + 250], 'NFO')
    const reliance = market.quote(get(market, 'RELIANCE', 'NSE'), t).ltp / 10_000
    const ratm = Math.round(reliance / 20) * 20
    check(reliance, 'RELIANCE', [ratm - 40, ratm, ratm + 20], 'NFO')
  })

  it('prices futures above spot by the cost of carry', () => {
    const t = at('2025-04-22T10:00:00+05:30')
    const spot = market.quote(get(market, 'NIFTY', 'NSE_INDEX'), t).ltp
    const near = market.quote(get(market, 'NIFTY29APR25FUT', 'NFO'), t).ltp
    const far = market.quote(get(market, 'NIFTY24JUN25FUT', 'NFO'), t).ltp
    const carry = spot * (Math.exp(RISK_FREE_RATE * years(t, at('2025-06-24T15:30:00+05:30'))) - 1)
    expect(near).toBeGreaterThan(spot)
    expect(far).toBeGreaterThan(near)
    expect(Math.abs(far - spot - carry)).toBeLessThan(2 * 500)
  })

  it('builds five-level depth a tick apart, in lots, matching the quote', () => {
    const t = at('2025-04-22T14:02:09+05:30')
    for (const [s, e] of [
      ['NIFTY29APR2524500CE', 'NFO'],
      ['HDFCBANK', 'NSE'],
      ['GOLD05JUN25FUT', 'MCX'],
      ['USDINR28APR25FUT', 'CDS'],
    ] as const) {
      const i = get(market, s, e)
      const d = market.depth(i, t)
      const q = market.quote(i, t)
      expect(d.bids).toHaveLength(5)
      expect(d.asks).toHaveLength(5)
      expect(d.bids[0]!.price).toBe(q.bid)
      expect(d.asks[0]!.price).toBe(q.ask)
      expect(q.bid).toBeLessThanOrEqual(q.ltp)
      expect(q.ask).toBeGreaterThanOrEqual(q.ltp)
      expect(q.bid).toBeLessThan(q.ask)
      for (let k = 1; k < 5; k++) {
        expect(d.bids[k - 1]!.price - d.bids[k]!.price).toBe(i.tickE4)
        expect(d.asks[k]!.price - d.asks[k - 1]!.price).toBe(i.tickE4)
      }
      for (const l of [...d.bids, ...d.asks]) {
        expect(l.quantity).toBeGreaterThan(0)
        expect(l.quantity % i.lotSize).toBe(0)
        expect(l.orders).toBeGreaterThan(0)
      }
      expect(d.totalBuyQty).toBe(d.bids.reduce((s, l) => s + l.quantity, 0))
      expect(d.totalSellQty).toBe(d.asks.reduce((s, l) => s + l.quantity, 0))
      expect(d.ltp).toBe(q.ltp)
      expect(d.volume).toBe(q.volume)
    }
  })

  it('quotes indices without bid, ask or depth', () => {
    const t = at('2025-04-22T14:02:09+05:30')
    const sensex = get(market, 'SENSEX', 'BSE_INDEX')
    const q = market.quote(sensex, t)
    expect(q).toMatchObject({ bid: 0, ask: 0, oi: 0 })
    expect(q.ltp).toBeGreaterThan(0)
    const d = market.depth(sensex, t)
    expect(d.bids.every((l) => l.price === 0 && l.quantity === 0)).toBe(true)
  })

  it('only ever raises the day volume and widens the day range', () => {
    const option = get(market, 'BANKNIFTY29APR2555000PE', 'NFO')
    let last = market.quote(option, at('2025-04-22T09:15:00+05:30'))
    for (
      let t = at('2025-04-22T09:15:07+05:30');
      t < at('2025-04-22T15:40:00+05:30');
      t += 97_000
    ) {
      const q = market.quote(option, t)
      expect(q.volume).toBeGreaterThanOrEqual(last.volume)
      expect(q.high).toBeGreaterThanOrEqual(last.high)
      expect(q.low).toBeLessThanOrEqual(last.low)
      expect(q.open).toBe(last.open)
      expect(q.oi).toBeGreaterThan(0)
      expect(q.oi % option.lotSize).toBe(0)
      last = q
    }
  })

  it('shows the previous session before the open', () => {
    const i = get(market, 'ITC', 'BSE')
    const before = market.quote(i, at('2025-04-22T08:00:00+05:30'))
    const close = market.quote(i, at('2025-04-21T15:30:00+05:30'))
    expect({ ...before, bid: 0, ask: 0 }).toEqual({ ...close, bid: 0, ask: 0 })
    expect(market.snapshot(i, at('2025-04-22T08:00:00+05:30'), blank()).trading).toBe(false)
    expect(market.snapshot(i, at('2025-04-22T10:00:00+05:30'), blank()).trading).toBe(true)
  })

  it('freezes an expired contract at its expiry close', () => {
    const option = get(market, 'NIFTY22APR2524000CE', 'NFO')
    const atClose = market.quote(option, at('2025-04-22T15:30:00+05:30'))
    const later = market.quote(option, at('2025-05-05T11:00:00+05:30'))
    expect(later.ltp).toBe(atClose.ltp)
    expect(later.volume).toBe(atClose.volume)
  })

  it('trades MCX only in the evening on an equity holiday', () => {
    const crude = get(market, 'CRUDEOIL19MAY25FUT', 'MCX')
    const day = dayOf(2025, 4, 14)
    const candles = market.history(crude, '15m', day, day, at('2025-04-20T00:00:00+05:30'))
    expect(candles.length).toBeGreaterThan(0)
    expect(Math.min(...candles.map((c) => istMinuteOfDay(c.timestamp * 1000)))).toBe(17 * 60)
  })

  it('refuses unknown symbols, made-up expiries and unsimulated exchanges', () => {
    const fails = (s: string, e: string): string | undefined => {
      const r = market.resolve(s, e)
      return r.ok ? undefined : r.error.code
    }
    expect(fails('NOSUCHCO', 'NSE')).toBe('symbol_not_found')
    expect(fails('NIFTY30APR25FUT', 'NFO')).toBe('symbol_not_found') // a Wednesday
    expect(fails('NIFTY29APR2524510CE', 'NFO')).toBe('symbol_not_found') // off the strike grid
    expect(fails('RELIANCE', 'NCDEX')).toBe('exchange_not_supported')
    expect(fails('NIFTY29APR2524500CE', 'NFO')).toBeUndefined()
    expect(fails('TATASTEEL29APR25162.5CE', 'NFO')).toBeUndefined() // ₹2.5 strike step
  })

  it('moves stocks with the market and keeps the index volatility realistic', () => {
    const now = at('2026-01-01T00:00:00+05:30')
    const from = dayOf(2024, 1, 1)
    const to = dayOf(2025, 12, 31)
    const returns = (s: string, e: string): number[] => {
      const d = market.history(get(market, s, e), 'D', from, to, now)
      return d.slice(1).map((c, i) => Math.log(c.close / d[i]!.close))
    }
    const nifty = returns('NIFTY', 'NSE_INDEX')
    const bank = returns('HDFCBANK', 'NSE')
    const sd = (x: number[]): number => {
      const mean = x.reduce((a, b) => a + b, 0) / x.length
      return Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length)
    }
    const annual = sd(nifty) * Math.sqrt(250)
    expect(annual).toBeGreaterThan(0.09)
    expect(annual).toBeLessThan(0.22)
    let cov = 0
    for (let i = 0; i < nifty.length; i++) cov += nifty[i]! * bank[i]!
    expect(cov / nifty.length / (sd(nifty) * sd(bank))).toBeGreaterThan(0.2)
  })

  it('keeps every market open and moving with alwaysOpen', () => {
    const always = createMarket({ seed: 1, alwaysOpen: true, universe })
    const nifty = get(always, 'NIFTY', 'NSE_INDEX')
    const sunday = at('2025-04-20T03:00:00+05:30')
    expect(always.snapshot(nifty, sunday, blank()).trading).toBe(true)
    expect(always.ltp(nifty, sunday + 5 * 60_000)).not.toBe(always.ltp(nifty, sunday))
    const day = dayOf(2025, 4, 20)
    expect(always.history(nifty, '1h', day, day, at('2025-04-21T00:00:00+05:30'))).toHaveLength(24)
  })
})

function blank() {
  return {
    day: 0,
    ltp: 0,
    open: 0,
    high: 0,
    low: 0,
    prevClose: 0,
    volume: 0,
    avgPrice: 0,
    oi: 0,
    trading: false,
  }
}
