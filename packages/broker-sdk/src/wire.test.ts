import { describe, expect, it } from 'vitest'
import { fromRupees, parseInr4 } from './money.js'
import type { Tick } from './streaming-types.js'
import {
  toWireFunds,
  toWireOrderRow,
  toWireOrderUpdate,
  toWireQuote,
  toWireTickData,
} from './wire.js'

describe('OpenAlgo wire shapes', () => {
  it('writes funds as the 2-decimal strings of api.md §8.7', () => {
    expect(
      toWireFunds({
        availableCash: parseInr4('320.66'),
        collateral: parseInr4('0'),
        m2mRealized: parseInr4('3.27'),
        m2mUnrealized: parseInr4('-7.88'),
        utilisedDebits: parseInr4('679.34'),
      }),
    ).toEqual({
      availablecash: '320.66',
      collateral: '0.00',
      m2mrealized: '3.27',
      m2munrealized: '-7.88',
      utiliseddebits: '679.34',
    })
  })

  it('shows MARKET orders at price 0 and trigger-pending in its wire spelling', () => {
    const row = toWireOrderRow({
      orderId: '1',
      symbol: 'SBIN',
      exchange: 'NSE',
      action: 'BUY',
      quantity: 1,
      price: fromRupees(1186),
      triggerPrice: fromRupees(0),
      priceType: 'MARKET',
      product: 'MIS',
      status: 'trigger_pending',
      rawStatus: 'TRIGGER PENDING',
      timestamp: '08-Apr-2025 13:58:03',
      symbolResolved: true,
    })
    expect(row).toMatchObject({
      price: 0,
      order_status: 'trigger pending',
      orderid: '1',
      pricetype: 'MARKET',
    })
  })

  it('passes an unknown broker status through lower-cased', () => {
    const update = toWireOrderUpdate({
      orderId: '9',
      symbol: 'SBIN',
      exchange: 'NSE',
      action: 'SELL',
      quantity: 10,
      price: fromRupees(765.5),
      triggerPrice: fromRupees(0),
      priceType: 'LIMIT',
      product: 'MIS',
      status: 'unknown',
      rawStatus: 'AMO MODIFIED',
      filledQuantity: 0,
      pendingQuantity: 10,
      averagePrice: fromRupees(0),
      rejectionReason: 'stale text',
      atEpochMs: null,
    })
    expect(update).toMatchObject({
      order_status: 'amo modified',
      rejection_reason: '',
      price: 765.5,
    })
  })

  it('keeps currency prices exact to four decimals', () => {
    const q = parseInr4('83.2525')
    expect(
      toWireQuote({
        ltp: q,
        open: q,
        high: q,
        low: q,
        prevClose: q,
        bid: q,
        ask: q,
        volume: 1,
        oi: 2,
      })['ltp'],
    ).toBe(83.2525)
  })

  it('derives each mode view of a tick, close meaning the previous close', () => {
    const tick: Tick = {
      symbol: 'RELIANCE',
      exchange: 'NSE',
      mode: 3,
      ltp: fromRupees(1418.55),
      exchangeTs: 1746171227000,
      receivedTs: 1746171227351,
      lastQty: 25,
      avgPrice: fromRupees(1417.02),
      volume: 5321044,
      open: fromRupees(1409.9),
      high: fromRupees(1423),
      low: fromRupees(1405.75),
      prevClose: fromRupees(1406.2),
      totalBuyQty: 412345,
      totalSellQty: 398765,
      oi: null,
      change: null,
      changePct: null,
      depth: { buy: [{ price: fromRupees(1418.5), quantity: 10, orders: 2 }], sell: [] },
      depthLevels: 5,
    }
    expect(toWireTickData(tick, 1)).toEqual({
      symbol: 'RELIANCE',
      exchange: 'NSE',
      mode: 1,
      ltp: 1418.55,
      ltt: 1746171227000,
      timestamp: 1746171227351,
    })
    expect(toWireTickData(tick, 2)).toMatchObject({
      close: 1406.2,
      average_price: 1417.02,
      last_trade_quantity: 25,
    })
    expect(toWireTickData(tick, 2)).not.toHaveProperty('depth')
    expect(toWireTickData(tick, 3)['depth']).toEqual({
      buy: [{ price: 1418.5, quantity: 10, orders: 2 }],
      sell: [],
    })
  })
})
