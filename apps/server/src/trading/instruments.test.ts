import { createMarket, createMarketInstruments, generateContract } from '@oa/broker-simulator'
import { parseInr4 } from '@oa/sandbox-engine'
import { createSymbolCache } from '@oa/symbol-cache'
import { describe, expect, it } from 'vitest'
import { instrumentsFromSymbols } from './instruments.js'

describe('the sandbox instruments from the symbol cache', () => {
  it('describe equity, index, future and option as the simulator market does', () => {
    const cache = createSymbolCache({
      clock: { now: () => Date.parse('2025-04-17T10:00:00+05:30') },
    })
    const loaded = cache.loadSync(generateContract(1, '2025-04-17'), { broker: 'simulator' })
    expect(loaded.ok).toBe(true)
    const fromCache = instrumentsFromSymbols(cache)
    const fromMarket = createMarketInstruments(createMarket({ seed: 1 }))
    const option = fromCache.get('NIFTY29APR2524000CE', 'NFO')
    expect(option).toEqual({
      lotSize: 75,
      tickSize: parseInr4('0.05'),
      instrumentType: 'CE',
      expiry: '2025-04-29',
      underlying: { symbol: 'NIFTY', exchange: 'NSE_INDEX' },
      contractValue: undefined,
      strike: parseInr4('24000'),
      freezeQty: undefined,
    })
    for (const [symbol, exchange] of [
      ['RELIANCE', 'NSE'],
      ['NIFTY', 'NSE_INDEX'],
      ['NIFTY29APR25FUT', 'NFO'],
      ['NIFTY29APR2524000CE', 'NFO'],
      ['RELIANCE29APR25FUT', 'NFO'],
      ['USDINR28APR25FUT', 'CDS'],
    ] as const) {
      const a = fromCache.get(symbol, exchange)
      const b = fromMarket.get(symbol, exchange)
      expect(a, `${exchange}:${symbol}`).toBeDefined()
      expect({ ...a, contractValue: undefined, freezeQty: undefined }).toEqual({
        ...b,
        contractValue: undefined,
        freezeQty: undefined,
      })
    }
    expect(fromCache.get('NOSUCH', 'NSE')).toBeUndefined()
  })
})
