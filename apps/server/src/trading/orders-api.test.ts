// The order and account endpoints in analyzer mode: validation shapes, refusals that change
// nothing, order ids, idempotency keys, smart/basket/split semantics, analyzer status and log.
import { describe, expect, it } from 'vitest'
import { createBrowser, loggedInBrowser } from '../identity/test-helpers/harness.js'
import type { OrderEvent } from '../events/order-events.js'
import { createTradingHarness, p, type TradingHarness } from './test-helpers/harness.js'

const order = (over: Record<string, unknown>) => ({
  strategy: 'api-test',
  exchange: 'NSE',
  symbol: 'SBIN',
  action: 'BUY',
  quantity: 10,
  pricetype: 'MARKET',
  product: 'MIS',
  ...over,
})

async function ready(): Promise<TradingHarness> {
  const h = await createTradingHarness()
  h.prices?.set('SBIN', 'NSE', { ltp: p('800'), bid: p('799.95'), ask: p('800.05') })
  h.prices?.set('RELIANCE', 'NSE', { ltp: p('2500'), bid: p('2499.9'), ask: p('2500') })
  return h
}

/** what a refusal must leave untouched */
async function state(h: TradingHarness) {
  return {
    funds: (await h.api('/funds')).body,
    orders: (await h.api('/orderbook')).body,
    positions: (await h.api('/positionbook')).body,
  }
}

describe('bad orders in analyzer mode get a 400 with a clear message and change nothing', () => {
  it.each([
    [{ quantity: 0 }, "{'quantity': ['Quantity must be a positive number.']}"],
    [{ quantity: '-5' }, "{'quantity': ['Quantity must be a positive number.']}"],
    [
      { quantity: '1.5' },
      "{'quantity': ['Fractional quantity (1.5) is not allowed for non-crypto exchanges.']}",
    ],
    [
      { exchange: 'NSEX' },
      "{'exchange': ['Must be one of: NSE, NFO, CDS, BSE, BFO, BCD, MCX, NCDEX, NCO, NSE_INDEX, BSE_INDEX, MCX_INDEX, GLOBAL_INDEX, CRYPTO.']}",
    ],
    [{ price: -1 }, "{'price': ['Price must be a non-negative number.']}"],
  ])('schema: %j → the Python-repr message with mode analyze', async (over, message) => {
    const h = await ready()
    const before = await state(h)
    const r = await h.api('/placeorder', order(over))
    expect(r).toEqual({ status: 400, body: { status: 'error', message, mode: 'analyze' } })
    expect(await state(h)).toEqual(before)
  })

  it.each([
    [{ pricetype: 'LIMIT', price: '800.03' }, /tick size/i],
    [{ symbol: 'NOSUCHSTOCK' }, /^Symbol NOSUCHSTOCK not found on NSE$/],
    [{ product: 'NRML' }, /^NRML product not allowed for NSE equity segment/],
    [{ quantity: 100_000, product: 'CNC' }, /^Insufficient funds\. Required: ₹80000000\.00/],
  ])('engine: %j → 400 with the reason', async (over, message) => {
    const h = await ready()
    const before = await state(h)
    const r = await h.api('/placeorder', order(over))
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ status: 'error', mode: 'analyze' })
    expect(r.body['message']).toMatch(message)
    expect(await state(h)).toEqual(before)
  })

  it('a modify of a filled order is refused and the order stays as it was', async () => {
    const h = await ready()
    const placed = await h.api('/placeorder', order({}))
    const id = placed.body['orderid'] as string
    const before = await state(h)
    const r = await h.api('/modifyorder', {
      ...order({ pricetype: 'MARKET', price: 0, trigger_price: 0, disclosed_quantity: 0 }),
      orderid: id,
      quantity: 20,
    })
    expect(r).toEqual({
      status: 400,
      body: { status: 'error', message: 'Cannot modify order in complete status', mode: 'analyze' },
    })
    expect(await state(h)).toEqual(before)
  })

  it('books answer schema errors with the object shape and no mode', async () => {
    const h = await ready()
    const res = await h.api('/funds', { apikey: 7 })
    expect(res).toEqual({
      status: 400,
      body: { status: 'error', message: { apikey: ['Not a valid string.'] } },
    })
  })
})

describe('order ids and unknown orders', () => {
  it('takes an order id as a number or a string (W-15) and always answers a string (W-13)', async () => {
    const h = await ready()
    const placed = await h.api('/placeorder', order({ pricetype: 'LIMIT', price: 700 }))
    const id = placed.body['orderid']
    expect(typeof id).toBe('string')
    const byNumber = await h.api('/orderstatus', { strategy: 's', orderid: Number(id) })
    expect(byNumber.body['data']).toMatchObject({ orderid: id, order_status: 'open' })
    const cancelled = await h.api('/cancelorder', { strategy: 's', orderid: Number(id) })
    expect(cancelled).toEqual({
      status: 200,
      body: {
        status: 'success',
        orderid: id,
        message: 'Order cancelled successfully',
        mode: 'analyze',
      },
    })
  })

  it('answers 404 "Order <id> not found" for an unknown order', async () => {
    const h = await ready()
    for (const path of ['/orderstatus', '/cancelorder']) {
      expect(await h.api(path, { strategy: 's', orderid: '25041599999999' })).toEqual({
        status: 404,
        body: { status: 'error', message: 'Order 25041599999999 not found', mode: 'analyze' },
      })
    }
    const modify = await h.api('/modifyorder', {
      ...order({ pricetype: 'LIMIT', price: 700, trigger_price: 0, disclosed_quantity: 0 }),
      orderid: '25041599999999',
    })
    expect(modify.status).toBe(404)
  })

  it('modifies a resting LIMIT order: new price and quantity, margin re-blocked', async () => {
    const h = await ready()
    const placed = await h.api('/placeorder', order({ pricetype: 'LIMIT', price: 700 }))
    const id = placed.body['orderid'] as string
    const r = await h.api('/modifyorder', {
      ...order({ pricetype: 'LIMIT', price: 650, trigger_price: 0, disclosed_quantity: 0 }),
      orderid: id,
      quantity: 20,
    })
    expect(r.body).toEqual({
      status: 'success',
      orderid: id,
      message: 'Order modified successfully',
      mode: 'analyze',
    })
    expect(
      (await h.api('/orderstatus', { strategy: 's', orderid: id })).body['data'],
    ).toMatchObject({ price: 650, quantity: 20, order_status: 'open' })
    expect((await h.api('/funds')).body['data']).toMatchObject({ utiliseddebits: '2600.00' })
  })
})

describe('idempotency key on placeorder', () => {
  it('returns the first order for a retried request, from the body field or the header', async () => {
    const h = await ready()
    const first = await h.api('/placeorder', order({ idempotency_key: 'alert-42' }))
    const again = await h.api('/placeorder', order({ idempotency_key: 'alert-42' }))
    expect(again).toEqual(first)
    const viaHeader = await h.api('/placeorder', order({}), { 'Idempotency-Key': 'alert-42' })
    expect(viaHeader).toEqual(first)
    expect(
      (
        await h.api('/openposition', {
          strategy: 's',
          symbol: 'SBIN',
          exchange: 'NSE',
          product: 'MIS',
        })
      ).body['quantity'],
    ).toBe(10)
    const other = await h.api('/placeorder', order({}), { 'Idempotency-Key': 'alert-43' })
    expect(other.body['orderid']).not.toBe(first.body['orderid'])
  })

  it('places concurrent retries of one key once', async () => {
    const h = await ready()
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => h.api('/placeorder', order({ idempotency_key: 'burst' }))),
    )
    expect(new Set(replies.map((r) => r.body['orderid'])).size).toBe(1)
    expect((await h.api('/tradebook')).body['data']).toHaveLength(1)
  })
})

describe('smart, basket and split orders', () => {
  it('places only the difference and keeps the requested LIMIT price type (W-14)', async () => {
    const h = await ready()
    await h.api('/placeorder', order({ quantity: 5 }))
    const smart = await h.api('/placesmartorder', {
      ...order({ quantity: 1, pricetype: 'LIMIT', price: 790 }),
      position_size: 8,
    })
    expect(smart.status).toBe(200)
    const status = await h.api('/orderstatus', { strategy: 's', orderid: smart.body['orderid'] })
    expect(status.body['data']).toMatchObject({
      pricetype: 'LIMIT',
      price: 790,
      quantity: 3,
      action: 'BUY',
      order_status: 'open',
    })
    const matched = await h.api('/placesmartorder', { ...order({ quantity: 1 }), position_size: 5 })
    expect(matched.body).toEqual({
      status: 'success',
      message: 'Positions Already Matched. No Action needed.',
      mode: 'analyze',
    })
    const none = await h.api('/placesmartorder', {
      ...order({ symbol: 'RELIANCE', quantity: 0 }),
      position_size: 0,
    })
    expect(none.body['message']).toBe('No OpenPosition Found. Not placing Exit order.')
  })

  it('answers basket legs in request order with an index, BUY legs executed first (W-29)', async () => {
    const h = await ready()
    await h.api('/placeorder', order({ symbol: 'RELIANCE', quantity: 5 }))
    const r = await h.api('/basketorder', {
      strategy: 'basket',
      orders: [
        { symbol: 'RELIANCE', exchange: 'NSE', action: 'SELL', quantity: '5' },
        { symbol: 'SBIN', exchange: 'NSE', action: 'BUY', quantity: '10' },
        { symbol: 'NOSUCH', exchange: 'NSE', action: 'BUY', quantity: '1' },
      ],
    })
    expect(r.status).toBe(200)
    const results = r.body['results'] as Record<string, unknown>[]
    expect(results.map((x) => [x['index'], x['symbol'], x['status']])).toEqual([
      [0, 'RELIANCE', 'success'],
      [1, 'SBIN', 'success'],
      [2, 'NOSUCH', 'error'],
    ])
    // the BUY leg went first: it got the smaller order id
    expect(Number(results[1]?.['orderid'])).toBeLessThan(Number(results[0]?.['orderid']))
    expect(results[0]).toMatchObject({
      exchange: 'NSE',
      product: 'MIS',
      batch_order: true,
      is_last_order: true,
    })
    expect(results[2]).toEqual({
      symbol: 'NOSUCH',
      status: 'error',
      message: 'Symbol NOSUCH not found on NSE',
      index: 2,
    })
  })

  it('splits 105 into 50, 50, 5 and refuses more than 100 orders', async () => {
    const h = await ready()
    const r = await h.api('/splitorder', { ...order({ quantity: 105 }), splitsize: 50 })
    expect(r.body).toMatchObject({
      status: 'success',
      total_quantity: 105,
      split_size: 50,
      mode: 'analyze',
    })
    expect(
      (r.body['results'] as Record<string, unknown>[]).map((x) => [
        x['order_num'],
        x['quantity'],
        x['status'],
      ]),
    ).toEqual([
      [1, 50, 'success'],
      [2, 50, 'success'],
      [3, 5, 'success'],
    ])
    const many = await h.api('/splitorder', { ...order({ quantity: 1010 }), splitsize: 10 })
    expect(many).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: 'Total number of orders would exceed maximum limit of 100',
        mode: 'analyze',
      },
    })
  })
})

describe('cancel all, close position, margin', () => {
  it('cancels every open order and squares every position off', async () => {
    const h = await ready()
    expect((await h.api('/cancelallorder', { strategy: 's' })).body).toEqual({
      status: 'success',
      message: 'No open orders to cancel',
      canceled_orders: [],
      failed_cancellations: [],
      mode: 'analyze',
    })
    const a = await h.api('/placeorder', order({ pricetype: 'LIMIT', price: 700 }))
    const b = await h.api(
      '/placeorder',
      order({ action: 'SELL', pricetype: 'SL-M', trigger_price: 750 }),
    )
    const all = await h.api('/cancelallorder', { strategy: 's' })
    expect(all.body).toMatchObject({
      message: 'Canceled 2 orders. Failed to cancel 0 orders.',
      failed_cancellations: [],
    })
    expect((all.body['canceled_orders'] as string[]).sort()).toEqual(
      [a.body['orderid'], b.body['orderid']].sort(),
    )
    expect((await h.api('/closeposition', { strategy: 's' })).body).toEqual({
      status: 'success',
      message: 'No open positions to close',
      mode: 'analyze',
    })
    await h.api('/placeorder', order({}))
    await h.api('/placeorder', order({ symbol: 'RELIANCE', action: 'SELL', quantity: 2 }))
    expect((await h.api('/closeposition', { strategy: 's' })).body).toEqual({
      status: 'success',
      message: 'Closed 2 positions',
      closed_positions: 2,
      failed_closures: 0,
      mode: 'analyze',
    })
    expect((await h.api('/funds')).body['data']).toMatchObject({ utiliseddebits: '0.00' })
  })

  it('estimates margin with the engine model', async () => {
    const h = await ready()
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
        {
          symbol: 'RELIANCE',
          exchange: 'NSE',
          action: 'BUY',
          quantity: 10,
          product: 'CNC',
          pricetype: 'MARKET',
        },
      ],
    })
    expect(r.body).toMatchObject({
      status: 'success',
      mode: 'analyze',
      data: { total_margin_required: 16000 + 25000, span_margin: 0, exposure_margin: 0 },
    })
    const bad = await h.api('/margin', {
      positions: [
        {
          symbol: 'SBIN',
          exchange: 'NSE',
          action: 'BUY',
          quantity: 'ten',
          product: 'MIS',
          pricetype: 'MARKET',
        },
      ],
    })
    expect(bad.body).toEqual({ status: 'error', message: 'Position 1: Invalid quantity format' })
    const none = await h.api('/margin', { positions: [] })
    expect(none.body).toEqual({
      status: 'error',
      message: "{'positions': ['Positions must contain 1 to 50 items.']}",
      mode: 'analyze',
    })
  })
})

describe('order events', () => {
  it('publishes placed then complete with the fill, and placed then open for a resting order', async () => {
    const h = await ready()
    const seen: [string, OrderEvent][] = []
    h.trading.events.onOrderEvent((u, e) => seen.push([u, e]))
    await h.api('/placeorder', order({}))
    await h.api('/placeorder', order({ pricetype: 'LIMIT', price: 700 }))
    expect(seen.map(([u, e]) => [u, e.kind, e.status, e.mode])).toEqual([
      ['admin', 'placed', 'complete', 'analyze'],
      ['admin', 'complete', 'complete', 'analyze'],
      ['admin', 'placed', 'open', 'analyze'],
      ['admin', 'open', 'open', 'analyze'],
    ])
    expect(seen[1]?.[1]).toMatchObject({
      fill: { priceE4: p('800.05'), quantity: 10 },
      filledQuantity: 10,
      averagePriceE4: p('800.05'),
      broker: 'simulator',
    })
  })
})

describe('analyzer status, toggle and request log', () => {
  it('reports and switches the mode in the original shapes', async () => {
    const h = await ready()
    await h.api('/placeorder', order({}))
    const status = await h.api('/analyzer')
    expect(status.body).toMatchObject({
      status: 'success',
      data: { analyze_mode: true, mode: 'analyze' },
    })
    const off = await h.api('/analyzer/toggle', { mode: 'False' })
    expect(off.body).toMatchObject({
      status: 'success',
      data: {
        analyze_mode: false,
        mode: 'live',
        message: 'Analyzer mode switched to live',
      },
    })
    expect(h.trading.mode.isOn()).toBe(false)
    expect(h.trading.sandbox.active).toBe(false)
    const bad = await h.api('/analyzer/toggle', { mode: 'perhaps' })
    expect(bad.body).toEqual({ status: 'error', message: "{'mode': ['Not a valid boolean.']}" })
  })

  it('logs each call without the API key and serves the page data to a session', async () => {
    const h = await ready()
    await h.api('/placeorder', order({}))
    await h.api('/placeorder', order({ quantity: 0 }))
    await h.api('/cancelorder', { strategy: 's', orderid: '1' })
    const browser = await loggedInBrowser(h.app)
    const res = await browser.get('/analyzer/api/data?start_date=2025-04-15&end_date=2025-04-15')
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      data: {
        stats: { total_requests: number; issues: { total: number } }
        requests: Record<string, unknown>[]
      }
    }
    expect(body.data.stats).toMatchObject({ total_requests: 3, issues: { total: 2 } })
    const [cancel, invalid, placed] = body.data.requests
    expect(placed).toMatchObject({
      timestamp: '2025-04-15 10:00:00',
      api_type: 'placeorder',
      source: 'api-test',
      symbol: 'SBIN',
      exchange: 'NSE',
      action: 'BUY',
      quantity: 10,
      price_type: 'MARKET',
      product_type: 'MIS',
      analysis: { issues: false, error_type: 'success' },
      response_data: { status: 'success', mode: 'analyze' },
    })
    expect(JSON.stringify(body)).not.toContain(h.apikey)
    expect(invalid).toMatchObject({ api_type: 'placeorder', analysis: { issues: true } })
    expect(cancel).toMatchObject({ api_type: 'cancelorder', orderid: '1' })
    expect((await h.api('/analyzer')).body['data']).toMatchObject({ total_logs: 3 })
    const anonymous = await createBrowser(h.app).get('/analyzer/api/data')
    expect(anonymous.status).toBe(401)
  })
})
