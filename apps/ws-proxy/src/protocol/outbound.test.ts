import { toWireTickData, type StreamMode, type Tick } from '@oa/broker-sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { marketDataOpen } from './outbound.js'

const base: Tick = {
  symbol: 'M&M',
  exchange: 'NSE',
  mode: 3,
  ltp: 29_874_500 as Tick['ltp'],
  exchangeTs: 1_744_864_200_123.5,
  receivedTs: 1_744_864_200_130,
  lastQty: 7,
  avgPrice: 29_800_125 as Tick['ltp'],
  volume: 1_234_567,
  open: 29_500_000 as Tick['ltp'],
  high: 30_000_000 as Tick['ltp'],
  low: 29_400_025 as Tick['ltp'],
  prevClose: 29_600_000 as Tick['ltp'],
  totalBuyQty: 1000,
  totalSellQty: 900,
  oi: 0,
  change: 274_500 as Tick['ltp'],
  changePct: 0.9274,
  depth: {
    buy: [{ price: 29_874_000 as Tick['ltp'], quantity: 10, orders: 2 }],
    sell: [{ price: 29_875_000 as Tick['ltp'], quantity: 5, orders: 1 }],
  },
  depthLevels: 5,
}

describe('market_data serialization', () => {
  it('writes exactly what JSON.stringify of the SDK wire mapping writes, for every mode', () => {
    const ticks: Tick[] = [
      base,
      { ...base, exchangeTs: null, depth: undefined, depthLevels: undefined },
      { ...base, symbol: 'NIFTY 50"\\', exchange: 'NSE_INDEX', volume: null, depthLevels: 20 },
      { ...base, ltp: -5 as Tick['ltp'], oi: null, changePct: null },
    ]
    for (const tick of ticks) {
      for (const mode of [1, 2, 3] as StreamMode[]) {
        const expected = JSON.stringify({
          type: 'market_data',
          symbol: tick.symbol,
          exchange: tick.exchange,
          mode,
          data: toWireTickData(tick, mode),
          broker: 'zerodha',
        })
        expect(`${marketDataOpen(tick, mode, '"zerodha"')}}`).toBe(expected)
      }
    }
  })

  it('formats any integer 1/10,000-rupee price exactly as String(price / 10_000)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.nat(), (price, qty) => {
        const tick = { ...base, ltp: price as Tick['ltp'], lastQty: qty }
        const expected = JSON.stringify({
          type: 'market_data',
          symbol: tick.symbol,
          exchange: tick.exchange,
          mode: 2,
          data: toWireTickData(tick, 2),
          broker: 'x',
        })
        expect(`${marketDataOpen(tick, 2, '"x"')}}`).toBe(expected)
      }),
      { numRuns: 2_000 },
    )
  })
})
