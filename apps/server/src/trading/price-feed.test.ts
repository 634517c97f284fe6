import { createMarket, createSimulatorAdapter } from '@oa/broker-simulator'
import { silentLogger } from '@oa/broker-sdk'
import { createManualClock as createSdkClock, flushAsync } from '@oa/broker-sdk/testing'
import {
  createInstrumentTable,
  createMemoryStore,
  createPriceBook,
  createSandboxEngine,
  parseInr4,
  type PriceSource,
} from '@oa/sandbox-engine'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createLogger } from '../logger.js'
import { createComputedFeed, createStreamingFeed } from './price-feed.js'

const logger = createLogger({ level: 'fatal', pretty: false })
const p = parseInr4
const SBIN = { symbol: 'SBIN', exchange: 'NSE' }
const buyLimit = (price: string) => ({
  ...SBIN,
  action: 'BUY' as const,
  quantity: 10,
  priceType: 'LIMIT' as const,
  product: 'CNC' as const,
  price: p(price),
})

function engineAt(iso: string, prices: PriceSource) {
  const clock = createSdkClock(iso)
  const engine = createSandboxEngine({
    clock,
    prices,
    instruments: createInstrumentTable([
      { ...SBIN, lotSize: 1, tickSize: p('0.05'), instrumentType: 'EQ' },
      {
        symbol: 'RELIANCE',
        exchange: 'NSE',
        lotSize: 1,
        tickSize: p('0.05'),
        instrumentType: 'EQ',
      },
    ]),
    store: createMemoryStore(),
  })
  return { clock, engine }
}

describe('computed price feed', () => {
  it('quotes only instruments with resting orders and fills what the price crosses', async () => {
    const book = createPriceBook()
    const asked: string[] = []
    const prices: PriceSource = {
      quote: (symbol, exchange) => {
        asked.push(symbol)
        return book.quote(symbol, exchange)
      },
    }
    const { engine } = engineAt('2025-04-15T10:00:00+05:30', prices)
    book.set('SBIN', 'NSE', p('805'))
    book.set('RELIANCE', 'NSE', p('2500'))
    const feed = createComputedFeed({ engine, prices, logger })
    await feed.tick()
    expect(asked).toEqual([]) // nothing rests: nothing is priced
    const placed = await engine.placeOrder('u', buyLimit('800'))
    asked.length = 0
    await feed.tick()
    expect(asked).toEqual(['SBIN'])
    book.set('SBIN', 'NSE', p('799.5'))
    await feed.tick()
    const id = placed.ok ? placed.order.orderId : ''
    expect(await engine.orderStatus('u', id)).toMatchObject({
      status: 'complete',
      averagePrice: p('800'),
    })
    asked.length = 0
    await feed.tick()
    expect(asked).toEqual([])
  })
})

describe('streaming price feed', () => {
  it('subscribes the resting instruments on the broker socket, fills on its ticks, then lets go', async () => {
    const market = createMarket({ seed: 1 })
    // placement sees a scripted SBIN at 10,000, so a BUY LIMIT at 5,000 rests; the socket then
    // streams the simulator's real SBIN (~800), which trades through it
    const book = createPriceBook()
    book.set('SBIN', 'NSE', p('10000'))
    const { clock, engine } = engineAt('2025-04-22T11:30:00+05:30', book)
    const adapter = createSimulatorAdapter({
      market,
      clock,
      timers: clock,
      logger: silentLogger,
      ticksPerSecond: 4,
    })
    const feed = createStreamingFeed({ engine, adapter, logger })
    onTestFinished(() => feed.stop())
    const placed = await engine.placeOrder('u', buyLimit('5000'))
    expect(placed.ok && placed.order.status).toBe('open')
    feed.start()
    await feed.tick()
    expect([...adapter.subscriptions().keys()]).toEqual(['NSE:SBIN'])
    clock.advance(1_000)
    await flushAsync()
    const id = placed.ok ? placed.order.orderId : ''
    expect(await engine.orderStatus('u', id)).toMatchObject({
      status: 'complete',
      averagePrice: p('5000'),
    })
    await feed.tick()
    expect([...adapter.subscriptions().keys()]).toEqual([])
  })
})
