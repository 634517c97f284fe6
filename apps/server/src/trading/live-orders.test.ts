// Live mode (analyzer off): the same endpoints go to the user's broker, here the simulator,
// whose live orders run on an embedded engine priced by its own market.
import { describe, expect, it } from 'vitest'
import { createTradingHarness } from './test-helpers/harness.js'

const order = (over: Record<string, unknown>) => ({
  strategy: 'live-test',
  exchange: 'NSE',
  symbol: 'SBIN',
  action: 'BUY',
  quantity: 10,
  pricetype: 'MARKET',
  product: 'MIS',
  ...over,
})

async function live() {
  // Tuesday 22 April 2025, 11:30 IST: the simulated market is open
  return createTradingHarness({
    at: '2025-04-22T11:30:00+05:30',
    analyzer: false,
    prices: 'simulator',
  })
}

describe('live mode on the simulator', () => {
  it('places an order that appears in the order book and position book, and funds move', async () => {
    const h = await live()
    const before = (await h.api('/funds')).body
    expect(before).toEqual({
      status: 'success',
      data: {
        availablecash: '10000000.00',
        collateral: '0.00',
        m2mrealized: '0.00',
        m2munrealized: '0.00',
        utiliseddebits: '0.00',
      },
    })
    const placed = await h.api('/placeorder', order({}))
    expect(placed.status).toBe(200)
    expect(placed.body).toEqual({ status: 'success', orderid: expect.stringMatching(/^\d+$/) })
    const id = placed.body['orderid'] as string

    const book = await h.api('/orderbook')
    expect(book.body).toMatchObject({
      status: 'success',
      data: {
        orders: [
          {
            orderid: id,
            symbol: 'SBIN',
            exchange: 'NSE',
            action: 'BUY',
            quantity: 10,
            pricetype: 'MARKET',
            price: 0,
            order_status: 'complete',
            timestamp: '22-Apr-2025 11:30:00',
          },
        ],
        statistics: { total_buy_orders: 1, total_completed_orders: 1 },
      },
    })
    expect(book.body['mode']).toBeUndefined()
    const positions = await h.api('/positionbook')
    expect(positions.body['data']).toEqual([
      expect.objectContaining({ symbol: 'SBIN', exchange: 'NSE', product: 'MIS', quantity: 10 }),
    ])
    const funds = (await h.api('/funds')).body['data'] as Record<string, string>
    expect(Number(funds['utiliseddebits'])).toBeGreaterThan(0)
    expect(Number(funds['availablecash']) + Number(funds['utiliseddebits'])).toBeCloseTo(
      10_000_000,
      2,
    )
    expect((await h.api('/tradebook')).body['data']).toEqual([
      expect.objectContaining({ orderid: id, quantity: 10 }),
    ])
    const status = await h.api('/orderstatus', { strategy: 's', orderid: id })
    expect(status.body['data']).toMatchObject({ orderid: id, order_status: 'complete' })
    expect(
      (
        await h.api('/openposition', {
          strategy: 's',
          symbol: 'SBIN',
          exchange: 'NSE',
          product: 'MIS',
        })
      ).body,
    ).toEqual({
      status: 'success',
      quantity: 10,
    })
  })

  it('rests, modifies and cancels a LIMIT order; rejects bad ones with the broker reason', async () => {
    const h = await live()
    const placed = await h.api('/placeorder', order({ pricetype: 'LIMIT', price: 500 }))
    const id = placed.body['orderid'] as string
    const modified = await h.api('/modifyorder', {
      ...order({ pricetype: 'LIMIT', price: 490, trigger_price: 0, disclosed_quantity: 0 }),
      orderid: id,
    })
    expect(modified.body).toEqual({ status: 'success', orderid: id })
    expect(
      (await h.api('/orderstatus', { strategy: 's', orderid: id })).body['data'],
    ).toMatchObject({
      order_status: 'open',
      price: 490,
    })
    expect((await h.api('/cancelorder', { strategy: 's', orderid: id })).body).toEqual({
      status: 'success',
      orderid: id,
    })
    const before = (await h.api('/funds')).body
    const bad = await h.api('/placeorder', order({ symbol: 'NOSUCHSTOCK' }))
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({ status: 'error', message: 'Symbol NOSUCHSTOCK not found on NSE' })
    const broke = await h.api('/placeorder', order({ quantity: 10_000_000 }))
    expect(broke.status).toBe(400)
    expect(broke.body['message']).toMatch(/^Insufficient funds/)
    expect((await h.api('/funds')).body).toEqual(before)
    expect((await h.api('/orderstatus', { strategy: 's', orderid: '1' })).status).toBe(404)
  })

  it('keeps the first order for a retried idempotency key, and answers smart, basket and close', async () => {
    const h = await live()
    const first = await h.api('/placeorder', order({ idempotency_key: 'k1' }))
    const again = await h.api('/placeorder', order({}), { 'Idempotency-Key': 'k1' })
    expect(again).toEqual(first)
    const smart = await h.api('/placesmartorder', { ...order({ quantity: 1 }), position_size: 15 })
    expect(smart.body).toEqual({ status: 'success', orderid: expect.any(String) })
    const matched = await h.api('/placesmartorder', {
      ...order({ quantity: 1 }),
      position_size: 15,
    })
    expect(matched.body).toEqual({
      status: 'success',
      message: 'Positions Already Matched. No Action needed.',
    })
    const basket = await h.api('/basketorder', {
      strategy: 'b',
      orders: [
        { symbol: 'SBIN', exchange: 'NSE', action: 'SELL', quantity: 5 },
        { symbol: 'RELIANCE', exchange: 'NSE', action: 'BUY', quantity: 1 },
      ],
    })
    expect(
      (basket.body['results'] as Record<string, unknown>[]).map((r) => [r['index'], r['status']]),
    ).toEqual([
      [0, 'success'],
      [1, 'success'],
    ])
    expect((await h.api('/closeposition', { strategy: 's' })).body).toEqual({
      status: 'success',
      message: 'All Open Positions Squared Off',
    })
    const positions = (await h.api('/positionbook')).body['data'] as { quantity: number }[]
    expect(positions.every((p) => p.quantity === 0)).toBe(true)
  })

  it('answers margin from the broker', async () => {
    const h = await live()
    const r = await h.api('/margin', {
      positions: [
        {
          symbol: 'SBIN',
          exchange: 'NSE',
          action: 'BUY',
          quantity: '100',
          product: 'MIS',
          pricetype: 'LIMIT',
          price: '800',
        },
      ],
    })
    expect(r.body).toEqual({
      status: 'success',
      data: expect.objectContaining({ total_margin_required: 16000 }),
    })
  })
})
