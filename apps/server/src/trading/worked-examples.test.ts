// sandbox.md §15 through `/api/v1` in analyzer mode: the same orders as the engine's own worked
// examples (packages/sandbox-engine/test/worked-examples.test.ts), the same funds and positions,
// in the original's response shapes.
import { describe, expect, it } from 'vitest'
import { createTradingHarness, p } from './test-helpers/harness.js'

const order = (over: Record<string, unknown>) => ({
  strategy: 'worked-example',
  exchange: 'NSE',
  action: 'BUY',
  pricetype: 'MARKET',
  product: 'MIS',
  ...over,
})

describe('§15.1 MIS round trip (RELIANCE) through /api/v1', () => {
  it('blocks value/5, fills at the touch, books 100 realized and returns the margin', async () => {
    const h = await createTradingHarness()
    h.prices?.set('RELIANCE', 'NSE', { ltp: p('2500'), bid: p('2499.9'), ask: p('2500') })
    const buy = await h.api('/placeorder', order({ symbol: 'RELIANCE', quantity: '10' }))
    expect(buy).toEqual({
      status: 200,
      body: { status: 'success', orderid: '25041500000001', mode: 'analyze' },
    })
    expect((await h.api('/funds')).body).toMatchObject({
      status: 'success',
      mode: 'analyze',
      data: { availablecash: '9995000.00', utiliseddebits: '5000.00', collateral: '0.00' },
    })
    const status = await h.api('/orderstatus', { strategy: 'x', orderid: '25041500000001' })
    expect(status.body).toEqual({
      status: 'success',
      mode: 'analyze',
      data: {
        orderid: '25041500000001',
        symbol: 'RELIANCE',
        exchange: 'NSE',
        action: 'BUY',
        quantity: 10,
        price: 0,
        trigger_price: 0,
        pricetype: 'MARKET',
        price_type: 'MARKET',
        product: 'MIS',
        order_status: 'complete',
        average_price: 2500,
        filled_quantity: 10,
        pending_quantity: 0,
        timestamp: '2025-04-15 10:00:00',
        strategy: 'worked-example',
      },
    })

    h.prices?.set('RELIANCE', 'NSE', p('2508'))
    const book = await h.api('/positionbook')
    expect(book.body).toMatchObject({
      status: 'success',
      mode: 'analyze',
      data: [
        {
          symbol: 'RELIANCE',
          exchange: 'NSE',
          product: 'MIS',
          quantity: 10,
          average_price: 2500,
          ltp: 2508,
          pnl: 80,
          pnlpercent: 0.32,
          unrealized_pnl: 80,
          today_realized_pnl: 0,
          total_pnl_today: 80,
          lot_size: 1,
        },
      ],
      total_pnl: 80,
    })
    expect((await h.api('/funds')).body['data']).toMatchObject({
      m2munrealized: '80.00',
      totalpnl: '80.00',
    })

    h.prices?.set('RELIANCE', 'NSE', { ltp: p('2510'), bid: p('2510'), ask: p('2510.5') })
    const sell = await h.api(
      '/placeorder',
      order({ symbol: 'RELIANCE', action: 'SELL', quantity: 10 }),
    )
    expect(sell.status).toBe(200)
    expect((await h.api('/funds')).body['data']).toMatchObject({
      availablecash: '10000100.00',
      utiliseddebits: '0.00',
      m2mrealized: '100.00',
      m2munrealized: '0.00',
      total_realized_pnl: '100.00',
      totalpnl: '100.00',
    })
    expect((await h.api('/positionbook')).body['data']).toEqual([
      expect.objectContaining({
        quantity: 0,
        average_price: 0,
        ltp: 2510,
        pnl: 100,
        today_realized_pnl: 100,
      }),
    ])
    const trades = await h.api('/tradebook')
    expect(trades.body['data']).toEqual([
      expect.objectContaining({ action: 'SELL', average_price: 2510, trade_value: 25100 }),
      expect.objectContaining({ action: 'BUY', average_price: 2500, trade_value: 25000 }),
    ])
  })
})

describe('§15.2 LIMIT resting vs marketable (SBIN MIS) through /api/v1', () => {
  it('rests a BUY LIMIT 800 at LTP 805 and the price feed fills it at 800 when LTP trades at 799.5', async () => {
    const h = await createTradingHarness()
    h.prices?.set('SBIN', 'NSE', p('805'))
    const r = await h.api(
      '/placeorder',
      order({ symbol: 'SBIN', quantity: 100, pricetype: 'LIMIT', price: 800 }),
    )
    expect(r.status).toBe(200)
    const id = r.body['orderid'] as string
    const book = await h.api('/orderbook')
    expect(book.body).toMatchObject({
      mode: 'analyze',
      data: {
        orders: [
          {
            orderid: id,
            order_status: 'open',
            price: 800,
            pricetype: 'LIMIT',
            average_price: 0,
            filled_quantity: 0,
            pending_quantity: 100,
            rejection_reason: '',
          },
        ],
        statistics: {
          total_buy_orders: 1,
          total_sell_orders: 0,
          total_completed_orders: 0,
          total_open_orders: 1,
          total_rejected_orders: 0,
          total_trigger_pending_orders: 0,
        },
      },
    })
    expect((await h.api('/funds')).body['data']).toMatchObject({ utiliseddebits: '16000.00' })
    h.prices?.set('SBIN', 'NSE', p('799.5'))
    await h.trading.sandbox.tick()
    const status = await h.api('/orderstatus', { strategy: 's', orderid: id })
    expect(status.body['data']).toMatchObject({ order_status: 'complete', average_price: 800 })
    expect((await h.api('/funds')).body['data']).toMatchObject({ utiliseddebits: '16000.00' })
  })

  it('fills a marketable BUY LIMIT 810 at LTP 805 with the margin sized at the limit (16200)', async () => {
    const h = await createTradingHarness()
    h.prices?.set('SBIN', 'NSE', p('805'))
    await h.api(
      '/placeorder',
      order({ symbol: 'SBIN', quantity: 100, pricetype: 'LIMIT', price: 810 }),
    )
    expect((await h.api('/positionbook')).body['data']).toEqual([
      expect.objectContaining({ quantity: 100, average_price: 805 }),
    ])
    expect((await h.api('/funds')).body['data']).toMatchObject({ utiliseddebits: '16200.00' })
  })
})

describe('§15.3 futures with an SL-M exit (NIFTY FUT NRML) through /api/v1', () => {
  const FUT = 'NIFTY24APR25FUT'
  it('blocks SPAN 9 % + exposure 2 % (198000), rests the SL-M as trigger pending, fills it at 23895', async () => {
    const h = await createTradingHarness()
    h.prices?.set('NIFTY', 'NSE_INDEX', p('24000'))
    h.prices?.set(FUT, 'NFO', { ltp: p('24000'), ask: p('24001') })
    const fut = { symbol: FUT, exchange: 'NFO', product: 'NRML' }
    await h.api('/placeorder', order({ ...fut, quantity: 75 }))
    expect((await h.api('/funds')).body['data']).toMatchObject({ utiliseddebits: '198000.00' })
    h.prices?.set(FUT, 'NFO', p('24010'))
    const sl = await h.api(
      '/placeorder',
      order({ ...fut, action: 'SELL', quantity: 75, pricetype: 'SL-M', trigger_price: 23900 }),
    )
    const id = sl.body['orderid'] as string
    expect(
      (await h.api('/orderstatus', { strategy: 's', orderid: id })).body['data'],
    ).toMatchObject({ order_status: 'trigger pending', trigger_price: 23900 })
    h.prices?.set(FUT, 'NFO', p('23895'))
    await h.trading.sandbox.tick()
    expect(
      (await h.api('/orderstatus', { strategy: 's', orderid: id })).body['data'],
    ).toMatchObject({ order_status: 'complete', average_price: 23895 })
    expect((await h.api('/funds')).body['data']).toMatchObject({
      utiliseddebits: '0.00',
      total_realized_pnl: '-7950.00',
      availablecash: '9992050.00',
    })
  })

  it('refuses 50 units with the lot-size message, 400 with mode analyze', async () => {
    const h = await createTradingHarness()
    h.prices?.set(FUT, 'NFO', p('24000'))
    const r = await h.api(
      '/placeorder',
      order({ symbol: FUT, exchange: 'NFO', product: 'NRML', quantity: 50 }),
    )
    expect(r).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: 'Quantity must be in multiples of lot size 75',
        mode: 'analyze',
      },
    })
  })
})

describe('§15.6 partial reduce (ZEEL CNC) through /api/v1', () => {
  it('releases exactly half the margin (5618.5) with 131.5 realized', async () => {
    const h = await createTradingHarness()
    h.prices?.set('ZEEL', 'NSE', p('112.37'))
    await h.api('/placeorder', order({ symbol: 'ZEEL', quantity: 100, product: 'CNC' }))
    h.prices?.set('ZEEL', 'NSE', p('115'))
    await h.api(
      '/placeorder',
      order({ symbol: 'ZEEL', action: 'SELL', quantity: 50, product: 'CNC' }),
    )
    expect((await h.api('/funds')).body['data']).toMatchObject({
      utiliseddebits: '5618.50',
      availablecash: '9994513.00',
      total_realized_pnl: '131.50',
    })
    expect(
      (
        await h.api('/openposition', {
          strategy: 's',
          symbol: 'ZEEL',
          exchange: 'NSE',
          product: 'CNC',
        })
      ).body,
    ).toEqual({
      status: 'success',
      quantity: 50,
      mode: 'analyze',
    })
  })
})

describe('§15.7 CNC delivery and T+1 (SBIN) through /api/v1 and the scheduled jobs', () => {
  it('moves the buy into holdings at T+1, refuses an oversell with the rejected order id, books the sale at its T+1', async () => {
    const h = await createTradingHarness()
    h.prices?.set('SBIN', 'NSE', p('620'))
    await h.api('/placeorder', order({ symbol: 'SBIN', quantity: 100, product: 'CNC' }))
    expect((await h.api('/funds')).body['data']).toMatchObject({
      availablecash: '9938000.00',
      utiliseddebits: '62000.00',
    })

    h.clock.set('2025-04-16T00:00:00+05:30')
    await h.trading.sandbox.tick()
    expect((await h.api('/funds')).body['data']).toMatchObject({
      availablecash: '9938000.00',
      utiliseddebits: '0.00',
    })
    h.prices?.set('SBIN', 'NSE', p('630'))
    expect((await h.api('/holdings')).body).toEqual({
      status: 'success',
      mode: 'analyze',
      data: {
        holdings: [
          {
            symbol: 'SBIN',
            exchange: 'NSE',
            product: 'CNC',
            quantity: 100,
            average_price: 620,
            ltp: 630,
            pnl: 1000,
            pnlpercent: 1.61,
            current_value: 63000,
            settlement_date: '2025-04-16',
          },
        ],
        statistics: {
          totalholdingvalue: 63000,
          totalinvvalue: 62000,
          totalprofitandloss: 1000,
          totalpnlpercentage: 1.61,
        },
      },
    })

    h.clock.set('2025-04-16T10:00:00+05:30')
    h.prices?.set('SBIN', 'NSE', { ltp: p('640'), bid: p('640') })
    const tooMany = await h.api(
      '/placeorder',
      order({ symbol: 'SBIN', action: 'SELL', quantity: 101, product: 'CNC' }),
    )
    expect(tooMany.status).toBe(400)
    expect(tooMany.body).toMatchObject({
      status: 'error',
      message:
        'Cannot sell 101 shares of SBIN in CNC. Only 100 shares available (Position: 0, Holdings: 100)',
      mode: 'analyze',
    })
    expect(tooMany.body['orderid']).toMatch(/^25041600000\d{3}$/)
    expect(
      (await h.api('/orderstatus', { strategy: 's', orderid: tooMany.body['orderid'] })).body[
        'data'
      ],
    ).toMatchObject({ order_status: 'rejected' })

    await h.api(
      '/placeorder',
      order({ symbol: 'SBIN', action: 'SELL', quantity: 100, product: 'CNC' }),
    )
    h.clock.set('2025-04-17T00:00:00+05:30')
    await h.trading.sandbox.tick()
    expect((await h.api('/holdings')).body['data']).toMatchObject({ holdings: [] })
    expect((await h.api('/funds')).body['data']).toMatchObject({
      availablecash: '10002000.00',
      total_realized_pnl: '2000.00',
    })
  })
})

describe('§15.8 option writing (NIFTY CE NRML) through /api/v1', () => {
  it('blocks 198000 for a short call, fills the resting SELL LIMIT at 120, closes for 1462.5', async () => {
    const h = await createTradingHarness()
    const CE = 'NIFTY24APR2524000CE'
    h.prices?.set('NIFTY', 'NSE_INDEX', p('24000'))
    h.prices?.set(CE, 'NFO', p('118'))
    const opt = { symbol: CE, exchange: 'NFO', product: 'NRML' }
    const r = await h.api(
      '/placeorder',
      order({ ...opt, action: 'SELL', quantity: 75, pricetype: 'LIMIT', price: 120 }),
    )
    expect(r.status).toBe(200)
    h.prices?.set(CE, 'NFO', p('120.5'))
    await h.trading.sandbox.tick()
    expect((await h.api('/funds')).body['data']).toMatchObject({
      utiliseddebits: '198000.00',
      availablecash: '9802000.00',
    })
    h.prices?.set(CE, 'NFO', { ltp: p('100'), ask: p('100.5') })
    await h.api('/placeorder', order({ ...opt, quantity: 75 }))
    expect((await h.api('/funds')).body['data']).toMatchObject({
      availablecash: '10001462.50',
      utiliseddebits: '0.00',
      total_realized_pnl: '1462.50',
    })
  })
})

describe('§15.9 insufficient funds (starting capital 100000) through /api/v1', () => {
  it('refuses the CNC buy with the shortage (400, no order id) and changes nothing; the MIS one rests', async () => {
    const h = await createTradingHarness({ sandboxConfig: { startingCapital: p('100000') } })
    h.prices?.set('RELIANCE', 'NSE', p('2510'))
    const before = await h.api('/funds')
    const cnc = await h.api(
      '/placeorder',
      order({ symbol: 'RELIANCE', quantity: 50, product: 'CNC', pricetype: 'LIMIT', price: 2500 }),
    )
    expect(cnc).toEqual({
      status: 400,
      body: {
        status: 'error',
        message:
          'Insufficient funds. Required: ₹125000.00, Available: ₹100000.00, Shortage: ₹25000.00',
        mode: 'analyze',
      },
    })
    expect(await h.api('/funds')).toEqual(before)
    expect((await h.api('/orderbook')).body['data']).toMatchObject({ orders: [] })
    const mis = await h.api(
      '/placeorder',
      order({ symbol: 'RELIANCE', quantity: 50, pricetype: 'LIMIT', price: 2500 }),
    )
    expect(mis.status).toBe(200)
    expect((await h.api('/funds')).body['data']).toMatchObject({ utiliseddebits: '25000.00' })
  })
})

describe('§15.10 MIS after the cut-off, square-off through the scheduled jobs', () => {
  it('refuses a new MIS position at 15:20 with the original message', async () => {
    const h = await createTradingHarness({ at: '2025-04-15T15:20:00+05:30' })
    h.prices?.set('RELIANCE', 'NSE', p('2500'))
    const r = await h.api('/placeorder', order({ symbol: 'RELIANCE', quantity: 10 }))
    expect(r).toEqual({
      status: 400,
      body: {
        status: 'error',
        message:
          'MIS orders cannot be placed after square-off time (15:15 IST). Trading resumes at 09:00 AM IST.',
        mode: 'analyze',
      },
    })
  })

  it('at 15:15 cancels resting MIS orders and squares off MIS positions (AUTO_SQUARE_OFF), not before', async () => {
    const h = await createTradingHarness({ at: '2025-04-15T14:00:00+05:30' })
    h.prices?.set('RELIANCE', 'NSE', p('2500'))
    h.prices?.set('SBIN', 'NSE', p('800'))
    await h.api('/placeorder', order({ symbol: 'RELIANCE', quantity: 10 }))
    const resting = await h.api(
      '/placeorder',
      order({ symbol: 'SBIN', quantity: 100, pricetype: 'LIMIT', price: 790 }),
    )
    h.prices?.set('RELIANCE', 'NSE', { ltp: p('2510'), bid: p('2509.5') })
    h.clock.set('2025-04-15T15:14:59+05:30')
    await h.trading.sandbox.tick()
    expect(
      (
        await h.api('/openposition', {
          strategy: 's',
          symbol: 'RELIANCE',
          exchange: 'NSE',
          product: 'MIS',
        })
      ).body['quantity'],
    ).toBe(10)
    h.clock.set('2025-04-15T15:15:00+05:30')
    await h.trading.sandbox.tick()
    const orders = (await h.api('/orderbook')).body['data'] as { orders: Record<string, unknown>[] }
    expect(orders.orders.find((o) => o['orderid'] === resting.body['orderid'])).toMatchObject({
      order_status: 'cancelled',
    })
    expect(orders.orders[0]).toMatchObject({
      strategy: 'AUTO_SQUARE_OFF',
      action: 'SELL',
      quantity: 10,
      order_status: 'complete',
      average_price: 2509.5,
    })
    expect((await h.api('/funds')).body['data']).toMatchObject({
      utiliseddebits: '0.00',
      availablecash: '10000095.00',
      total_realized_pnl: '95.00',
    })
  })
})
