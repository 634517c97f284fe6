// Time without timers: tests move a manual clock and call runDue().
import { describe, expect, it } from 'vitest'
import {
  createCountingIds,
  createInstrumentTable,
  createManualClock,
  createPriceBook,
  createSandboxEngine,
} from '../src/index.js'
import { INSTRUMENTS, openSqliteStore, order, p, setup, tempDbPath } from './helpers.js'

const U = 'u1'

describe('MIS auto square-off', () => {
  it('squares off an MIS position open at 15:14:59 IST at 15:15:00, not before', async () => {
    const { engine, prices, clock } = setup({ at: '2025-04-17T15:14:00+05:30' })
    prices.set('SBIN', 'NSE', p('800'))
    await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 10))
    clock.set('2025-04-17T15:14:59+05:30')
    expect((await engine.runDue()).squaredOff).toEqual([])
    expect(await engine.openPosition(U, 'SBIN', 'NSE', 'MIS')).toBe(10)
    clock.advance(1_000)
    const due = await engine.runDue()
    expect(due.squaredOff).toHaveLength(1)
    expect(await engine.openPosition(U, 'SBIN', 'NSE', 'MIS')).toBe(0)
    expect((await engine.runDue()).squaredOff).toEqual([])
  })

  it('uses the configured time per exchange', async () => {
    const { engine, prices, clock } = setup({
      at: '2025-04-17T15:00:00+05:30',
      config: { squareOffTimes: { NSE: '15:20' } },
    })
    prices.set('SBIN', 'NSE', p('800'))
    await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 10))
    clock.set('2025-04-17T15:19:59+05:30')
    expect((await engine.runDue()).squaredOff).toEqual([])
    clock.set('2025-04-17T15:20:00+05:30')
    expect((await engine.runDue()).squaredOff).toHaveLength(1)
  })

  it('leaves NRML and CNC positions alone', async () => {
    const { engine, prices, clock } = setup()
    prices.set('SBIN', 'NSE', p('800'))
    prices.set('NIFTY', 'NSE_INDEX', p('24000'))
    prices.set('NIFTY24APR25FUT', 'NFO', p('24000'))
    await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 10, { product: 'CNC' }))
    await engine.placeOrder(U, order('NIFTY24APR25FUT', 'NFO', 'BUY', 75, { product: 'NRML' }))
    clock.set('2025-04-15T15:16:00+05:30')
    expect((await engine.runDue()).squaredOff).toEqual([])
  })
})

describe('T+1 settlement', () => {
  it('turns a CNC buy into a holding at the start of the next trading day (Friday → Monday)', async () => {
    const { engine, prices, clock } = setup({ at: '2025-04-18T11:00:00+05:30' })
    prices.set('SBIN', 'NSE', p('800'))
    await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 10, { product: 'CNC' }))
    clock.set('2025-04-19T00:00:00+05:30')
    expect((await engine.runDue()).settledToHoldings).toEqual([])
    clock.set('2025-04-20T23:59:59+05:30')
    expect((await engine.runDue()).settledToHoldings).toEqual([])
    expect((await engine.holdings(U)).holdings).toEqual([])
    clock.set('2025-04-21T00:00:00+05:30')
    expect((await engine.runDue()).settledToHoldings).toHaveLength(1)
    expect((await engine.holdings(U)).holdings).toEqual([
      expect.objectContaining({
        quantity: 10,
        averagePrice: p('800'),
        settlementDay: '2025-04-21',
      }),
    ])
    expect(await engine.funds(U)).toMatchObject({ utilisedDebits: 0, holdingsCost: p('8000') })
  })

  it('settles with the position’s real margin when CNC leverage is above 1 (original moves qty × avg, §16.7)', async () => {
    const { engine, prices, clock } = setup({ config: { equityCncLeverage: 2 } })
    prices.set('SBIN', 'NSE', p('800'))
    await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 10, { product: 'CNC' }))
    expect((await engine.funds(U)).utilisedDebits).toBe(p('4000'))
    clock.set('2025-04-16T00:00:00+05:30')
    await engine.runDue()
    expect(await engine.funds(U)).toMatchObject({
      utilisedDebits: 0,
      holdingsCost: p('8000'),
      availableCash: p('9992000'),
    })
    expect((await engine.audit(U)).identityHolds).toBe(true)
  })
})

describe('funds reset and sessions', () => {
  it('resets on the configured weekday, once, catching up a reset missed while down', async () => {
    const { engine, prices, clock } = setup({
      at: '2025-04-18T10:00:00+05:30',
      config: { resetDay: 'Monday', resetTime: '00:00' },
    })
    prices.set('SBIN', 'NSE', p('800'))
    await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 10, { product: 'CNC' }))
    await engine.placeOrder(
      U,
      order('SBIN', 'NSE', 'BUY', 10, { priceType: 'LIMIT', price: p('700') }),
    )
    clock.set('2025-04-22T09:00:00+05:30')
    const due = await engine.runDue()
    expect(due.resets).toEqual([U])
    expect(due.cancelled).toHaveLength(1)
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('10000000'),
      utilisedDebits: 0,
      holdingsCost: 0,
      resetCount: 1,
    })
    expect(await engine.positions(U)).toEqual([])
    expect((await engine.runDue()).resets).toEqual([])
    clock.set('2025-04-28T00:00:00+05:30')
    expect((await engine.runDue()).resets).toEqual([U])
  })

  it('starts a new session of realized PnL at the 03:00 boundary', async () => {
    const { engine, prices, clock } = setup()
    prices.set('SBIN', 'NSE', p('800'))
    await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 10))
    prices.set('SBIN', 'NSE', p('810'))
    await engine.placeOrder(U, order('SBIN', 'NSE', 'SELL', 10))
    clock.set('2025-04-16T02:59:59+05:30')
    expect((await engine.funds(U)).m2mRealized).toBe(p('100'))
    clock.set('2025-04-16T03:00:00+05:30')
    expect(await engine.funds(U)).toMatchObject({ m2mRealized: 0, totalRealizedPnl: p('100') })
    expect(await engine.positions(U)).toEqual([])
    expect(await engine.orders(U)).toEqual([])
    expect(await engine.orders(U, { sinceMs: 0 })).toHaveLength(2)
  })
})

describe('catch-up on start', () => {
  it('settles T+1 and squares off stale MIS exactly once after a restart over a settlement day', async () => {
    const path = tempDbPath()
    const clock = createManualClock('2025-04-15T14:00:00+05:30')
    const prices = createPriceBook()
    const instruments = createInstrumentTable(INSTRUMENTS)
    const open = async () => {
      const s = await openSqliteStore(path)
      const engine = createSandboxEngine({
        clock,
        prices,
        instruments,
        store: s.store,
        ids: createCountingIds(),
      })
      return { engine, s }
    }
    prices.set('SBIN', 'NSE', p('800'))
    prices.set('RELIANCE', 'NSE', p('2500'))
    let { engine, s } = await open()
    await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 10, { product: 'CNC' }))
    await engine.placeOrder(U, order('RELIANCE', 'NSE', 'BUY', 4))
    await engine.close()
    await s.close()

    // down from Tuesday 14:00 to Thursday 10:00: the 15:15 square-off and Wednesday's T+1 missed
    clock.set('2025-04-17T10:00:00+05:30')
    prices.set('RELIANCE', 'NSE', p('2600'))
    ;({ engine, s } = await open())
    const caught = await engine.start()
    expect(caught.settledToHoldings).toEqual([
      expect.objectContaining({ symbol: 'SBIN', quantity: 10, day: '2025-04-17' }),
    ])
    // a stale MIS position closes at its last known price, not at a later day's quote
    expect(caught.squaredOff).toEqual([
      expect.objectContaining({ symbol: 'RELIANCE', quantity: 4, averagePrice: p('2500') }),
    ])
    const again = await engine.runDue()
    expect(again.settledToHoldings).toEqual([])
    expect(again.squaredOff).toEqual([])
    await engine.close()
    await s.close()

    ;({ engine, s } = await open())
    const third = await engine.start()
    expect(third.settledToHoldings).toEqual([])
    expect(third.squaredOff).toEqual([])
    expect(await engine.funds(U)).toMatchObject({
      holdingsCost: p('8000'),
      utilisedDebits: 0,
      availableCash: p('9992000'),
    })
    const runs = (await s.store.listJobRuns(U)).map((j) => j.jobKey)
    expect(runs.filter((k) => k.startsWith('t1:'))).toEqual(['t1:2025-04-17'])
    expect(runs.filter((k) => k.startsWith('squareoff:'))).toEqual(['squareoff:NSE:2025-04-15'])
    await engine.close()
    await s.close()
  })
})

describe('F&O expiry', () => {
  it('settles a short call at intrinsic value from the underlying and releases its SPAN margin', async () => {
    const { engine, prices, clock } = setup({ config: { optionExpirySettlement: 'intrinsic' } })
    const CE = 'NIFTY17APR2524000CE'
    prices.set('NIFTY', 'NSE_INDEX', p('24000'))
    prices.set(CE, 'NFO', p('150'))
    await engine.placeOrder(U, order(CE, 'NFO', 'SELL', 75, { product: 'NRML' }))
    expect((await engine.funds(U)).utilisedDebits).toBe(p('198000'))
    const resting = await engine.placeOrder(
      U,
      order(CE, 'NFO', 'BUY', 75, { product: 'NRML', priceType: 'LIMIT', price: p('50') }),
    )
    clock.set('2025-04-17T15:30:00+05:30')
    prices.set('NIFTY', 'NSE_INDEX', p('24100'))
    await engine.onPrice(CE, 'NFO', { ltp: p('101') })
    clock.set('2025-04-17T15:40:00+05:30')
    const due = await engine.runDue()
    expect(due.cancelled.map((o) => o.orderId)).toEqual([resting.ok ? resting.order.orderId : ''])
    expect(due.expirySettlements).toEqual([
      expect.objectContaining({ action: 'BUY', quantity: 75, averagePrice: p('100') }),
    ])
    // (150 − 100) × 75
    expect(await engine.funds(U)).toMatchObject({
      totalRealizedPnl: p('3750'),
      utilisedDebits: 0,
      availableCash: p('10003750'),
    })
    expect((await engine.runDue()).expirySettlements).toEqual([])
  })
})
