// sandbox.md §15, one test per worked example, with the exact funds, margins and PnL. Where the
// original's number comes from a bug listed in §16 (or from the premium-only option margin this
// package replaces), the test asserts the corrected number and says so in its name.
import { describe, expect, it } from 'vitest'
import { order, p, setup } from './helpers.js'

const U = 'u1'

describe('§15.1 MIS round trip (RELIANCE, NSE)', () => {
  it('blocks value/5, fills at the touch, books 100 realized and returns the margin', async () => {
    const { engine, prices } = setup()
    prices.set('RELIANCE', 'NSE', { ltp: p('2500'), bid: p('2499.9'), ask: p('2500') })
    const buy = await engine.placeOrder(U, order('RELIANCE', 'NSE', 'BUY', 10))
    expect(buy.ok && buy.order).toMatchObject({
      status: 'complete',
      averagePrice: p('2500'),
      filledQuantity: 10,
    })
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('9995000'),
      utilisedDebits: p('5000'),
    })

    prices.set('RELIANCE', 'NSE', p('2508'))
    const [pos] = await engine.positions(U)
    expect(pos).toMatchObject({ quantity: 10, averagePrice: p('2500'), unrealizedPnl: p('80') })
    expect(pos?.pnlPercent).toBeCloseTo(0.32, 10)
    expect(await engine.funds(U)).toMatchObject({ m2mUnrealized: p('80'), totalPnl: p('80') })

    prices.set('RELIANCE', 'NSE', { ltp: p('2510'), bid: p('2510'), ask: p('2510.5') })
    const sell = await engine.placeOrder(U, order('RELIANCE', 'NSE', 'SELL', 10))
    expect(sell.ok && sell.order.averagePrice).toBe(p('2510'))
    // §16.13 fixed: totalPnl is 100 at once (the original shows a stale 180 until a book read)
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('10000100'),
      utilisedDebits: 0,
      totalRealizedPnl: p('100'),
      m2mRealized: p('100'),
      m2mUnrealized: 0,
      totalPnl: p('100'),
    })
    expect(await engine.positions(U)).toEqual([
      expect.objectContaining({
        quantity: 0,
        averagePrice: 0,
        ltp: p('2510'),
        sessionRealizedPnl: p('100'),
        sessionPnl: p('100'),
      }),
    ])
  })
})

describe('§15.2 LIMIT resting vs marketable (SBIN, NSE, MIS)', () => {
  it('rests a BUY LIMIT 800 at LTP 805 and fills it at the limit when LTP trades at 799.5', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('805'))
    const r = await engine.placeOrder(
      U,
      order('SBIN', 'NSE', 'BUY', 100, { priceType: 'LIMIT', price: p('800') }),
    )
    expect(r.ok && r.order).toMatchObject({ status: 'open', reservedMargin: p('16000') })
    expect((await engine.funds(U)).utilisedDebits).toBe(p('16000'))
    const trades = await engine.onPrice('SBIN', 'NSE', { ltp: p('799.5') })
    expect(trades).toEqual([expect.objectContaining({ price: p('800'), quantity: 100 })])
    expect((await engine.audit(U)).positionMargin).toBe(p('16000'))
  })

  it('fills a marketable BUY LIMIT 810 at once at LTP 805 and keeps the margin sized at the limit', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('805'))
    const r = await engine.placeOrder(
      U,
      order('SBIN', 'NSE', 'BUY', 100, { priceType: 'LIMIT', price: p('810') }),
    )
    expect(r.ok && r.order).toMatchObject({ status: 'complete', averagePrice: p('805') })
    expect(await engine.audit(U)).toMatchObject({
      positionMargin: p('16200'),
      utilised: p('16200'),
    })
  })

  it('fills a marketable short SELL LIMIT 790 at LTP 805 with margin 15800', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('805'))
    const r = await engine.placeOrder(
      U,
      order('SBIN', 'NSE', 'SELL', 100, { priceType: 'LIMIT', price: p('790') }),
    )
    expect(r.ok && r.order).toMatchObject({ status: 'complete', averagePrice: p('805') })
    expect((await engine.funds(U)).utilisedDebits).toBe(p('15800'))
  })
})

describe('§15.3 futures with an SL-M exit (NIFTY FUT, NFO, NRML, lot 75)', () => {
  const FUT = 'NIFTY24APR25FUT'
  const legacy = { marginRates: { 'NFO:index': { spanBps: 1000, exposureBps: 0 } } }

  it('blocks 180000 with a 10 % SPAN and no exposure (the original 10x leverage), exits at 23895 for −7950', async () => {
    const { engine, prices } = setup({ config: legacy })
    prices.set('NIFTY', 'NSE_INDEX', p('24000'))
    prices.set(FUT, 'NFO', { ltp: p('24000'), ask: p('24001') })
    const buy = await engine.placeOrder(U, order(FUT, 'NFO', 'BUY', 75, { product: 'NRML' }))
    expect(buy.ok && buy.order.averagePrice).toBe(p('24001'))
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('9820000'),
      utilisedDebits: p('180000'),
    })

    prices.set(FUT, 'NFO', p('24010'))
    const sl = await engine.placeOrder(
      U,
      order(FUT, 'NFO', 'SELL', 75, {
        product: 'NRML',
        priceType: 'SL-M',
        triggerPrice: p('23900'),
      }),
    )
    expect(sl.ok && sl.order).toMatchObject({ status: 'trigger_pending', reservedMargin: 0 })

    const trades = await engine.onPrice(FUT, 'NFO', { ltp: p('23895') })
    expect(trades).toEqual([expect.objectContaining({ price: p('23895'), action: 'SELL' })])
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('9992050'),
      utilisedDebits: 0,
      totalRealizedPnl: p('-7950'),
    })
  })

  it('blocks SPAN 9 % + exposure 2 % of the underlying notional by default: 198000', async () => {
    const { engine, prices } = setup()
    prices.set('NIFTY', 'NSE_INDEX', p('24000'))
    prices.set(FUT, 'NFO', { ltp: p('24000'), ask: p('24001') })
    await engine.placeOrder(U, order(FUT, 'NFO', 'BUY', 75, { product: 'NRML' }))
    expect((await engine.funds(U)).utilisedDebits).toBe(p('198000'))
  })

  it('refuses 50 units: "Quantity must be in multiples of lot size 75"', async () => {
    const { engine, prices } = setup()
    prices.set(FUT, 'NFO', p('24000'))
    const r = await engine.placeOrder(U, order(FUT, 'NFO', 'BUY', 50, { product: 'NRML' }))
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error).toMatchObject({
      code: 'lot_size_mismatch',
      message: 'Quantity must be in multiples of lot size 75',
    })
  })
})

describe('§15.4 an SL limit that triggers but cannot fill at once', () => {
  const FUT = 'NIFTY24APR25FUT'
  const start = async () => {
    const s = setup()
    s.prices.set('NIFTY', 'NSE_INDEX', p('24000'))
    s.prices.set(FUT, 'NFO', p('24000'))
    await s.engine.placeOrder(U, order(FUT, 'NFO', 'BUY', 75, { product: 'NRML' }))
    const sl = await s.engine.placeOrder(
      U,
      order(FUT, 'NFO', 'SELL', 75, {
        product: 'NRML',
        priceType: 'SL',
        triggerPrice: p('23900'),
        price: p('23880'),
      }),
    )
    expect(sl.ok && sl.order.status).toBe('trigger_pending')
    expect(await s.engine.onPrice(FUT, 'NFO', { ltp: p('23870') })).toEqual([])
    const id = sl.ok ? sl.order.orderId : ''
    expect(await s.engine.orderStatus(U, id)).toMatchObject({ status: 'open' })
    return { ...s, id }
  }

  it('triggers at 23870, rests as a limit at 23880, fills at the limit 23880 on a tick at 23885 (original: 23885)', async () => {
    const { engine, id } = await start()
    // a triggered stop-limit is an ordinary resting limit: the passive side trades at its own
    // price (§16.14 asymmetry resolved to exchange semantics)
    const trades = await engine.onPrice(FUT, 'NFO', { ltp: p('23885') })
    expect(trades).toEqual([expect.objectContaining({ orderId: id, price: p('23880') })])
  })

  it('fills on a tick at 23905 too: the trigger is not re-checked once the order is open (original: no fill)', async () => {
    const { engine, id } = await start()
    const trades = await engine.onPrice(FUT, 'NFO', { ltp: p('23905') })
    expect(trades).toEqual([expect.objectContaining({ orderId: id, price: p('23880') })])
  })
})

describe('§15.5 reversal (RELIANCE MIS)', () => {
  it('keeps the full 10080 margin on the reversed −20 position (original under-margins to 6720)', async () => {
    const { engine, prices } = setup()
    prices.set('RELIANCE', 'NSE', p('2500'))
    await engine.placeOrder(U, order('RELIANCE', 'NSE', 'BUY', 10))
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('9995000'),
      utilisedDebits: p('5000'),
    })
    prices.set('RELIANCE', 'NSE', { ltp: p('2520'), bid: p('2520') })
    const r = await engine.placeOrder(U, order('RELIANCE', 'NSE', 'SELL', 30))
    expect(r.ok && r.order.averagePrice).toBe(p('2520'))
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('9990120'),
      utilisedDebits: p('10080'),
      totalRealizedPnl: p('200'),
    })
    expect(await engine.positions(U)).toEqual([
      expect.objectContaining({ quantity: -20, averagePrice: p('2520') }),
    ])
    expect((await engine.audit(U)).positionMargin).toBe(p('10080'))

    prices.set('RELIANCE', 'NSE', p('2520'))
    await engine.placeOrder(U, order('RELIANCE', 'NSE', 'BUY', 20))
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('10000200'),
      utilisedDebits: 0,
    })
  })
})

describe('§15.6 partial reduce (ZEEL, NSE, CNC)', () => {
  it('releases exactly half the margin (5618.5) with 131.5 realized', async () => {
    const { engine, prices } = setup()
    prices.set('ZEEL', 'NSE', p('112.37'))
    await engine.placeOrder(U, order('ZEEL', 'NSE', 'BUY', 100, { product: 'CNC' }))
    expect((await engine.funds(U)).utilisedDebits).toBe(p('11237'))
    prices.set('ZEEL', 'NSE', p('115'))
    await engine.placeOrder(U, order('ZEEL', 'NSE', 'SELL', 50, { product: 'CNC' }))
    expect(await engine.funds(U)).toMatchObject({
      utilisedDebits: p('5618.5'),
      availableCash: p('9994513'),
      totalRealizedPnl: p('131.5'),
    })
    expect(await engine.positions(U)).toEqual([
      expect.objectContaining({ quantity: 50, averagePrice: p('112.37') }),
    ])
    expect((await engine.audit(U)).positionMargin).toBe(p('5618.5'))
  })
})

describe('§15.7 CNC delivery and T+1 (SBIN, NSE)', () => {
  it('moves the buy into holdings at T+1 and books the 2000 gain of the sale at its T+1 (original books 0 realized)', async () => {
    const { engine, prices, clock } = setup()
    prices.set('SBIN', 'NSE', p('620'))
    await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 100, { product: 'CNC' }))
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('9938000'),
      utilisedDebits: p('62000'),
    })

    clock.set('2025-04-16T00:00:00+05:30')
    const t1 = await engine.runDue()
    expect(t1.settledToHoldings).toEqual([
      { userId: U, symbol: 'SBIN', exchange: 'NSE', quantity: 100, day: '2025-04-16' },
    ])
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('9938000'),
      utilisedDebits: 0,
      holdingsCost: p('62000'),
    })
    prices.set('SBIN', 'NSE', p('630'))
    const h = await engine.holdings(U)
    expect(h.holdings).toEqual([
      expect.objectContaining({
        quantity: 100,
        averagePrice: p('620'),
        pnl: p('1000'),
        currentValue: p('63000'),
        settlementDay: '2025-04-16',
      }),
    ])
    expect(h.holdings[0]?.pnlPercent).toBeCloseTo(1.6129, 4)
    expect(h.totalInvestedValue).toBe(p('62000'))

    clock.set('2025-04-16T10:00:00+05:30')
    prices.set('SBIN', 'NSE', { ltp: p('640'), bid: p('640') })
    const tooMany = await engine.placeOrder(
      U,
      order('SBIN', 'NSE', 'SELL', 101, { product: 'CNC' }),
    )
    expect(!tooMany.ok && tooMany.error.message).toBe(
      'Cannot sell 101 shares of SBIN in CNC. Only 100 shares available (Position: 0, Holdings: 100)',
    )
    expect(!tooMany.ok && tooMany.order?.status).toBe('rejected')

    const sell = await engine.placeOrder(U, order('SBIN', 'NSE', 'SELL', 100, { product: 'CNC' }))
    expect(sell.ok && sell.order.averagePrice).toBe(p('640'))
    expect(await engine.positions(U)).toEqual([
      expect.objectContaining({ quantity: -100, averagePrice: p('640') }),
    ])
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('9938000'),
      utilisedDebits: 0,
    })
    const again = await engine.placeOrder(U, order('SBIN', 'NSE', 'SELL', 10, { product: 'CNC' }))
    expect(!again.ok && again.error.message).toBe(
      'Cannot sell SBIN in CNC. No positions or holdings available. CNC (delivery) requires existing shares. Use MIS for intraday short selling.',
    )

    clock.set('2025-04-17T00:00:00+05:30')
    await engine.runDue()
    expect((await engine.holdings(U)).holdings).toEqual([])
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('10002000'),
      holdingsCost: 0,
      totalRealizedPnl: p('2000'),
    })
  })
})

describe('§15.8 option writing (NIFTY CE, NFO, NRML, lot 75)', () => {
  it('blocks SPAN + exposure on the underlying (198000, original: premium 9000), fills at the limit 120, closes for 1462.5', async () => {
    const { engine, prices } = setup()
    const CE = 'NIFTY24APR2524000CE'
    prices.set('NIFTY', 'NSE_INDEX', p('24000'))
    prices.set(CE, 'NFO', p('118'))
    const r = await engine.placeOrder(
      U,
      order(CE, 'NFO', 'SELL', 75, { product: 'NRML', priceType: 'LIMIT', price: p('120') }),
    )
    expect(r.ok && r.order).toMatchObject({ status: 'open', reservedMargin: p('198000') })
    const trades = await engine.onPrice(CE, 'NFO', { ltp: p('120.5') })
    expect(trades).toEqual([expect.objectContaining({ price: p('120') })])
    expect(await engine.funds(U)).toMatchObject({
      utilisedDebits: p('198000'),
      availableCash: p('9802000'),
    })
    prices.set(CE, 'NFO', { ltp: p('100'), ask: p('100.5') })
    const close = await engine.placeOrder(U, order(CE, 'NFO', 'BUY', 75, { product: 'NRML' }))
    expect(close.ok && close.order.averagePrice).toBe(p('100.5'))
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('10001462.5'),
      utilisedDebits: 0,
      totalRealizedPnl: p('1462.5'),
    })
  })
})

describe('§15.9 insufficient funds (starting capital 100000)', () => {
  it('refuses a CNC buy of 125000 with the shortage and records nothing; accepts the same as MIS (25000)', async () => {
    const { engine, prices } = setup({ config: { startingCapital: p('100000') } })
    prices.set('RELIANCE', 'NSE', p('2510'))
    const cnc = await engine.placeOrder(
      U,
      order('RELIANCE', 'NSE', 'BUY', 50, {
        product: 'CNC',
        priceType: 'LIMIT',
        price: p('2500'),
      }),
    )
    expect(!cnc.ok && cnc.error).toMatchObject({
      code: 'insufficient_funds',
      message:
        'Insufficient funds. Required: ₹125000.00, Available: ₹100000.00, Shortage: ₹25000.00',
    })
    expect(!cnc.ok && cnc.order).toBeUndefined()
    expect(await engine.orders(U)).toEqual([])
    expect(await engine.funds(U)).toMatchObject({ availableCash: p('100000'), utilisedDebits: 0 })

    const mis = await engine.placeOrder(
      U,
      order('RELIANCE', 'NSE', 'BUY', 50, { priceType: 'LIMIT', price: p('2500') }),
    )
    expect(mis.ok && mis.order).toMatchObject({ status: 'open', reservedMargin: p('25000') })
  })
})

describe('§15.10 MIS after the cut-off', () => {
  const closed =
    'MIS orders cannot be placed after square-off time (15:15 IST). Trading resumes at 09:00 AM IST.'

  it('refuses a new MIS position at 15:20 and at 08:59', async () => {
    for (const at of ['2025-04-15T15:20:00+05:30', '2025-04-15T08:59:00+05:30']) {
      const { engine, prices } = setup({ at })
      prices.set('RELIANCE', 'NSE', p('2500'))
      const r = await engine.placeOrder(U, order('RELIANCE', 'NSE', 'BUY', 10))
      expect(!r.ok && r.error).toMatchObject({ code: 'market_closed', message: closed })
    }
  })

  it('lets a reducing MIS SELL through after the cut-off but not a reversal (original allows any size)', async () => {
    const { engine, prices, clock } = setup({ at: '2025-04-15T15:00:00+05:30' })
    prices.set('RELIANCE', 'NSE', p('2500'))
    await engine.placeOrder(U, order('RELIANCE', 'NSE', 'BUY', 10))
    clock.set('2025-04-15T15:20:00+05:30')
    const reversal = await engine.placeOrder(U, order('RELIANCE', 'NSE', 'SELL', 20))
    expect(!reversal.ok && reversal.error.code).toBe('market_closed')
    const reduce = await engine.placeOrder(U, order('RELIANCE', 'NSE', 'SELL', 10))
    expect(reduce.ok && reduce.order.status).toBe('complete')
  })

  it('at 15:15 cancels resting MIS orders (margin released) and squares off MIS positions with AUTO_SQUARE_OFF orders', async () => {
    const { engine, prices, clock } = setup({ at: '2025-04-15T14:00:00+05:30' })
    prices.set('RELIANCE', 'NSE', p('2500'))
    prices.set('SBIN', 'NSE', p('800'))
    await engine.placeOrder(U, order('RELIANCE', 'NSE', 'BUY', 10))
    const resting = await engine.placeOrder(
      U,
      order('SBIN', 'NSE', 'BUY', 100, { priceType: 'LIMIT', price: p('790') }),
    )
    expect((await engine.funds(U)).utilisedDebits).toBe(p('5000') + p('15800'))
    prices.set('RELIANCE', 'NSE', { ltp: p('2510'), bid: p('2509.5') })
    clock.set('2025-04-15T15:15:00+05:30')
    const due = await engine.runDue()
    expect(due.cancelled.map((o) => o.orderId)).toEqual([resting.ok ? resting.order.orderId : ''])
    expect(due.squaredOff).toEqual([
      expect.objectContaining({
        strategy: 'AUTO_SQUARE_OFF',
        action: 'SELL',
        quantity: 10,
        averagePrice: p('2509.5'),
      }),
    ])
    expect(await engine.funds(U)).toMatchObject({
      utilisedDebits: 0,
      availableCash: p('10000095'),
      totalRealizedPnl: p('95'),
    })
  })
})

describe('§15.11 expiry settlement of a long option', () => {
  const CE = 'NIFTY17APR2524000CE'
  const run = async (mode: 'ltp' | 'zero') => {
    const { engine, prices, clock } = setup({ config: { optionExpirySettlement: mode } })
    prices.set('NIFTY', 'NSE_INDEX', p('24000'))
    prices.set(CE, 'NFO', p('100'))
    await engine.placeOrder(U, order(CE, 'NFO', 'BUY', 75, { product: 'NRML' }))
    expect((await engine.funds(U)).utilisedDebits).toBe(p('7500'))
    clock.set('2025-04-17T15:30:00+05:30')
    await engine.onPrice(CE, 'NFO', { ltp: p('0.05') })
    prices.delete(CE, 'NFO')
    clock.set('2025-04-17T15:39:59+05:30')
    expect((await engine.runDue()).expirySettlements).toEqual([])
    clock.set('2025-04-17T15:40:00+05:30')
    const due = await engine.runDue()
    expect(due.expirySettlements).toEqual([
      expect.objectContaining({ strategy: 'EXPIRY_SETTLEMENT', action: 'SELL', quantity: 75 }),
    ])
    return engine
  }

  it('settles at the last price 0.05 at the NFO close 15:40: −7496.25 realized', async () => {
    const engine = await run('ltp')
    expect(await engine.funds(U)).toMatchObject({
      totalRealizedPnl: p('-7496.25'),
      availableCash: p('9992503.75'),
      utilisedDebits: 0,
    })
  })

  it('settles at zero when configured: −7500', async () => {
    const engine = await run('zero')
    expect((await engine.funds(U)).totalRealizedPnl).toBe(p('-7500'))
  })
})
