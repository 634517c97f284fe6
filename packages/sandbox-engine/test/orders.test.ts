import { describe, expect, it } from 'vitest'
import type { OrderRequest, SandboxEngine } from '../src/index.js'
import { order, p, setup } from './helpers.js'

const U = 'u1'

/** everything a refused request must leave untouched */
async function state(engine: SandboxEngine) {
  return {
    funds: await engine.funds(U),
    audit: await engine.audit(U),
    orders: await engine.orders(U),
    positions: await engine.positions(U),
    holdings: await engine.holdings(U),
  }
}

describe('validation: bad orders fail with clear messages and change nothing', () => {
  const cases: [string, OrderRequest, string, string][] = [
    [
      'quantity 0',
      order('SBIN', 'NSE', 'BUY', 0),
      'invalid_quantity',
      'quantity must be a positive integer, got "0"',
    ],
    [
      'negative quantity',
      order('SBIN', 'NSE', 'BUY', -5),
      'invalid_quantity',
      'quantity must be a positive integer, got "-5"',
    ],
    [
      'fractional quantity',
      order('SBIN', 'NSE', 'BUY', 1.5),
      'invalid_quantity',
      'quantity must be a positive integer, got "1.5"',
    ],
    [
      'a price off the tick',
      order('SBIN', 'NSE', 'BUY', 1, { priceType: 'LIMIT', price: p('800.03') }),
      'tick_size_mismatch',
      'price 800.03 is not a multiple of the tick size 0.05',
    ],
    [
      'a LIMIT without price',
      order('SBIN', 'NSE', 'BUY', 1, { priceType: 'LIMIT' }),
      'invalid_price',
      'LIMIT orders require a positive price',
    ],
    [
      'an SL-M without trigger',
      order('SBIN', 'NSE', 'BUY', 1, { priceType: 'SL-M' }),
      'invalid_trigger_price',
      'SL-M orders require a positive trigger price',
    ],
    [
      'a BUY SL with the trigger above the limit',
      order('SBIN', 'NSE', 'BUY', 1, { priceType: 'SL', price: p('800'), triggerPrice: p('801') }),
      'invalid_trigger_price',
      'for a BUY SL order the trigger price (801.00) must not be above the limit price (800.00)',
    ],
    [
      'an unknown symbol',
      order('NOPE', 'NSE', 'BUY', 1),
      'unknown_symbol',
      'Symbol NOPE not found on NSE',
    ],
    [
      'CNC on NFO (derivatives take NRML or MIS, sandbox.md §5)',
      order('NIFTY24APR25FUT', 'NFO', 'BUY', 75, { product: 'CNC' }),
      'product_not_allowed',
      'CNC product not allowed for NFO derivatives segment. Use NRML for carryforward or MIS for intraday.',
    ],
    [
      'NRML on NSE equity',
      order('SBIN', 'NSE', 'BUY', 1, { product: 'NRML' }),
      'product_not_allowed',
      'NRML product not allowed for NSE equity segment. Use CNC for delivery or MIS for intraday.',
    ],
    [
      'an index',
      order('NIFTY', 'NSE_INDEX', 'BUY', 1),
      'invalid_exchange',
      'Exchange NSE_INDEX is not tradable. Must be one of NSE, BSE, NFO, BFO, CDS, BCD, MCX, NCDEX, NCO, CRYPTO',
    ],
    [
      'more than the freeze quantity',
      order('NIFTY24APR25FUT', 'NFO', 'BUY', 1875, { product: 'NRML' }),
      'freeze_quantity_exceeded',
      'Quantity 1875 exceeds the freeze quantity 1800 of NIFTY24APR25FUT; use a split order',
    ],
    [
      'insufficient funds',
      order('SBIN', 'NSE', 'BUY', 100_000, { product: 'CNC' }),
      'insufficient_funds',
      'Insufficient funds. Required: ₹80000000.00, Available: ₹9999200.00, Shortage: ₹70000800.00',
    ],
  ]
  for (const [what, req, code, message] of cases) {
    it(`refuses ${what}`, async () => {
      const { engine, prices } = setup()
      prices.set('SBIN', 'NSE', p('800'))
      prices.set('NIFTY24APR25FUT', 'NFO', p('24000'))
      await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 5))
      const before = await state(engine)
      const r = await engine.placeOrder(U, req)
      expect(r.ok).toBe(false)
      expect(!r.ok && { code: r.error.code, message: r.error.message }).toEqual({ code, message })
      expect(await state(engine)).toEqual(before)
    })
  }

  it('refuses a MARKET order without a price (no quote): no_price, nothing stored', async () => {
    const { engine } = setup()
    const before = await state(engine)
    const r = await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 1))
    expect(!r.ok && r.error.code).toBe('no_price')
    expect(await state(engine)).toEqual(before)
  })

  it('refuses to modify a filled order and leaves it as it was', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('800'))
    const r = await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 5))
    const id = r.ok ? r.order.orderId : ''
    const before = await state(engine)
    const m = await engine.modifyOrder(U, id, { quantity: 10 })
    expect(!m.ok && m.error).toMatchObject({
      code: 'order_not_modifiable',
      message: 'Cannot modify order in complete status',
    })
    expect(await state(engine)).toEqual(before)
    const c = await engine.cancelOrder(U, id)
    expect(!c.ok && c.error.message).toBe('Cannot cancel order in complete status')
    const u = await engine.modifyOrder(U, '25041500009999', { quantity: 10 })
    expect(!u.ok && u.error).toMatchObject({
      code: 'order_not_found',
      message: 'Order 25041500009999 not found',
    })
  })
})

describe('order ids and the state machine', () => {
  it('numbers orders YYMMDD + 8 digits from the id source', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('800'))
    const a = await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 1))
    const b = await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 1))
    expect(a.ok && a.order.orderId).toBe('25041500000001')
    expect(b.ok && b.order.orderId).toBe('25041500000002')
  })

  it('moves SL orders trigger_pending → complete, and cancels trigger_pending orders with cancel-all (original misses them)', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('800'))
    const sl = await engine.placeOrder(
      U,
      order('SBIN', 'NSE', 'BUY', 10, { priceType: 'SL-M', triggerPrice: p('810') }),
    )
    const lim = await engine.placeOrder(
      U,
      order('SBIN', 'NSE', 'BUY', 10, { priceType: 'LIMIT', price: p('790') }),
    )
    expect(sl.ok && sl.order.status).toBe('trigger_pending')
    expect(lim.ok && lim.order.status).toBe('open')
    expect((await engine.funds(U)).utilisedDebits).toBe(p('1620') + p('1580'))
    const all = await engine.cancelAllOrders(U)
    expect(all.cancelled.map((o) => o.status)).toEqual(['cancelled', 'cancelled'])
    expect(await engine.audit(U)).toMatchObject({ utilised: 0, available: p('10000000') })
    expect(await engine.onPrice('SBIN', 'NSE', { ltp: p('780') })).toEqual([])
  })

  it('fills an SL-M buy at the touch once the LTP reaches the trigger, not before', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('800'))
    await engine.placeOrder(
      U,
      order('SBIN', 'NSE', 'BUY', 10, { priceType: 'SL-M', triggerPrice: p('810') }),
    )
    expect(await engine.onPrice('SBIN', 'NSE', { ltp: p('809.95') })).toEqual([])
    const t = await engine.onPrice('SBIN', 'NSE', { ltp: p('810'), ask: p('810.1') })
    expect(t).toEqual([expect.objectContaining({ price: p('810.1') })])
  })

  it('modify re-margins and re-matches: a LIMIT moved through the market fills at once at the touch', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('805'))
    const r = await engine.placeOrder(
      U,
      order('SBIN', 'NSE', 'BUY', 100, { priceType: 'LIMIT', price: p('800') }),
    )
    const id = r.ok ? r.order.orderId : ''
    const m1 = await engine.modifyOrder(U, id, { quantity: 200 })
    // §16.6 fixed: the reservation follows the change (200 × 800 / 5)
    expect(m1.ok && m1.order).toMatchObject({ status: 'open', reservedMargin: p('32000') })
    expect((await engine.funds(U)).utilisedDebits).toBe(p('32000'))
    const m2 = await engine.modifyOrder(U, id, { price: p('806') })
    expect(m2.ok && m2.order).toMatchObject({ status: 'complete', averagePrice: p('805') })
    expect((await engine.audit(U)).utilisedMatches).toBe(true)
  })

  it('cancel releases exactly the reserved margin', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('805'))
    const r = await engine.placeOrder(
      U,
      order('SBIN', 'NSE', 'BUY', 3, { priceType: 'LIMIT', price: p('100.05') }),
    )
    expect(r.ok && r.order.reservedMargin).toBe(p('60.03'))
    const c = await engine.cancelOrder(U, r.ok ? r.order.orderId : '')
    expect(c.ok && c.order).toMatchObject({ status: 'cancelled', reservedMargin: 0 })
    expect(await engine.funds(U)).toMatchObject({ availableCash: p('10000000'), utilisedDebits: 0 })
  })

  it('a tick fills only the orders it crosses, best price first', async () => {
    const { engine } = setup()
    expect(engine.restingSymbols()).toEqual([])
    for (const px of ['790', '795', '800', '805']) {
      await engine.placeOrder(
        U,
        order('SBIN', 'NSE', 'BUY', 1, { priceType: 'LIMIT', price: p(px) }),
      )
    }
    expect(engine.restingSymbols()).toEqual([{ symbol: 'SBIN', exchange: 'NSE' }])
    const t = await engine.onPrice('SBIN', 'NSE', { ltp: p('798') })
    expect(t.map((x) => x.price)).toEqual([p('805'), p('800')])
    expect((await engine.orders(U)).filter((o) => o.status === 'open')).toHaveLength(2)
  })

  it('does not fill on a stale quote (LTP outside the day range)', async () => {
    const { engine } = setup()
    await engine.placeOrder(
      U,
      order('SBIN', 'NSE', 'BUY', 1, { priceType: 'LIMIT', price: p('800') }),
    )
    expect(
      await engine.onPrice('SBIN', 'NSE', { ltp: p('790'), high: p('820'), low: p('795') }),
    ).toEqual([])
    expect(
      await engine.onPrice('SBIN', 'NSE', { ltp: p('796'), high: p('820'), low: p('795') }),
    ).toHaveLength(1)
  })

  it('expires resting CNC orders at the close (DAY validity, §16.15)', async () => {
    const { engine, clock } = setup()
    const r = await engine.placeOrder(
      U,
      order('SBIN', 'NSE', 'BUY', 1, { product: 'CNC', priceType: 'LIMIT', price: p('700') }),
    )
    clock.set('2025-04-15T15:29:59+05:30')
    expect((await engine.runDue()).cancelled).toEqual([])
    clock.set('2025-04-15T15:30:00+05:30')
    const due = await engine.runDue()
    expect(due.cancelled).toEqual([
      expect.objectContaining({
        orderId: r.ok ? r.order.orderId : '',
        rejectionReason: 'Order expired at end of day (DAY validity)',
      }),
    ])
    expect((await engine.funds(U)).utilisedDebits).toBe(0)
  })
})

describe('idempotency key', () => {
  it('returns the first order for a retried request and places nothing more', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('800'))
    const req = order('SBIN', 'NSE', 'BUY', 10, { idempotencyKey: 'req-42' })
    const [a, b] = await Promise.all([engine.placeOrder(U, req), engine.placeOrder(U, req)])
    const c = await engine.placeOrder(U, req)
    expect(a.ok && b.ok && c.ok).toBe(true)
    const id = a.ok ? a.order.orderId : ''
    expect(b.ok && b.order.orderId).toBe(id)
    expect(c.ok && c.order.orderId).toBe(id)
    expect(await engine.orders(U)).toHaveLength(1)
    expect(await engine.openPosition(U, 'SBIN', 'NSE', 'MIS')).toBe(10)
    const other = await engine.placeOrder('u2', req)
    expect(other.ok && other.order.orderId).not.toBe(id)
  })
})

describe('smart, basket and split orders', () => {
  const smart = (
    positionSize: number,
    quantity: number,
    action: 'BUY' | 'SELL' = 'BUY',
    extra = {},
  ) => ({
    ...order('SBIN', 'NSE', action, quantity, extra),
    positionSize,
  })

  it('follows the position_size algorithm of api.md §7.2', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('800'))
    const none = await engine.placeSmartOrder(U, smart(0, 0))
    expect(none).toEqual({
      ok: true,
      order: null,
      message: 'No OpenPosition Found. Not placing Exit order.',
    })
    const fresh = await engine.placeSmartOrder(U, smart(0, 5, 'SELL'))
    expect(fresh.ok && fresh.order).toMatchObject({ action: 'SELL', quantity: 5 })
    const to10 = await engine.placeSmartOrder(U, smart(10, 1, 'SELL'))
    expect(to10.ok && to10.order).toMatchObject({ action: 'BUY', quantity: 15 })
    const matched = await engine.placeSmartOrder(U, smart(10, 1))
    expect(matched).toEqual({
      ok: true,
      order: null,
      message: 'Positions Already Matched. No Action needed.',
    })
    const flat = await engine.placeSmartOrder(U, smart(0, 1))
    expect(flat.ok && flat.order).toMatchObject({ action: 'SELL', quantity: 10 })
    expect(await engine.openPosition(U, 'SBIN', 'NSE', 'MIS')).toBe(0)
  })

  it('honours the requested price type (original always sends MARKET, §16.5)', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('800'))
    const r = await engine.placeSmartOrder(
      U,
      smart(10, 10, 'BUY', { priceType: 'LIMIT', price: p('790') }),
    )
    expect(r.ok && r.order).toMatchObject({ priceType: 'LIMIT', status: 'open', price: p('790') })
  })

  it('places basket legs BUY first, marking the last one', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('800'))
    prices.set('RELIANCE', 'NSE', p('2500'))
    const r = await engine.placeBasketOrder(U, [
      order('SBIN', 'NSE', 'SELL', 1),
      order('RELIANCE', 'NSE', 'BUY', 1),
      order('NOPE', 'NSE', 'BUY', 1),
    ])
    expect(r.map((x) => [x.request.symbol, x.result.ok, x.isLastOrder])).toEqual([
      ['RELIANCE', true, false],
      ['NOPE', false, false],
      ['SBIN', true, true],
    ])
  })

  it('splits by splitsize with the remainder last, capped at the freeze quantity', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('800'))
    const r = await engine.placeSplitOrder(U, order('SBIN', 'NSE', 'BUY', 105), 50)
    expect(r.ok && r.results.map((x) => [x.orderNum, x.quantity, x.result.ok])).toEqual([
      [1, 50, true],
      [2, 50, true],
      [3, 5, true],
    ])
    prices.set('NIFTY', 'NSE_INDEX', p('24000'))
    prices.set('NIFTY24APR25FUT', 'NFO', p('24000'))
    const fut = await engine.placeSplitOrder(
      U,
      order('NIFTY24APR25FUT', 'NFO', 'BUY', 3750, { product: 'NRML' }),
      2250,
    )
    expect(fut.ok && fut).toMatchObject({ splitSize: 1800 })
    expect(fut.ok && fut.results.map((x) => x.quantity)).toEqual([1800, 1800, 150])
    const tooMany = await engine.placeSplitOrder(U, order('SBIN', 'NSE', 'BUY', 1010), 10)
    expect(!tooMany.ok && tooMany.error).toMatchObject({
      code: 'too_many_orders',
      message: 'Total number of orders would exceed maximum limit of 100',
    })
  })

  it('closes one position or all of them with AUTO_SQUARE_OFF market orders', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('800'))
    prices.set('RELIANCE', 'NSE', p('2500'))
    await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 5))
    await engine.placeOrder(U, order('RELIANCE', 'NSE', 'SELL', 3))
    const one = await engine.closePosition(U, { symbol: 'SBIN', exchange: 'NSE', product: 'MIS' })
    expect(one.ok && one.order).toMatchObject({
      action: 'SELL',
      quantity: 5,
      strategy: 'AUTO_SQUARE_OFF',
    })
    const none = await engine.closePosition(U, { symbol: 'SBIN', exchange: 'NSE', product: 'MIS' })
    expect(!none.ok && none.error).toMatchObject({
      code: 'position_not_found',
      message: 'No open position found for SBIN',
    })
    const all = await engine.closeAllPositions(U)
    expect(all.closed.map((o) => [o.symbol, o.action, o.quantity])).toEqual([
      ['RELIANCE', 'BUY', 3],
    ])
    expect(await engine.funds(U)).toMatchObject({ utilisedDebits: 0, availableCash: p('10000000') })
  })
})

describe('deposits and manual reset', () => {
  it('keeps the funds identity through a deposit, a withdrawal and a reset', async () => {
    const { engine, prices } = setup()
    prices.set('SBIN', 'NSE', p('800'))
    expect(await engine.deposit(U, p('5000'))).toEqual({ ok: true })
    await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 10))
    const w = await engine.deposit(U, p('-20000000'))
    expect(!w.ok && w.error.code).toBe('insufficient_funds')
    expect(await engine.audit(U)).toMatchObject({
      deposits: p('5000'),
      identityHolds: true,
      utilisedMatches: true,
    })
    await engine.resetAccount(U)
    expect(await engine.funds(U)).toMatchObject({
      availableCash: p('10000000'),
      utilisedDebits: 0,
      deposits: 0,
      resetCount: 1,
    })
    expect(await engine.positions(U)).toEqual([])
  })
})

describe('exits and sessions', () => {
  it('closes a position larger than the freeze quantity in one exit order', async () => {
    const { engine, prices } = setup()
    prices.set('NIFTY', 'NSE_INDEX', p('24000'))
    prices.set('NIFTY24APR25FUT', 'NFO', p('24000'))
    const split = await engine.placeSplitOrder(
      U,
      order('NIFTY24APR25FUT', 'NFO', 'BUY', 3600, { product: 'NRML' }),
      1800,
    )
    expect(split.ok && split.results.every((r) => r.result.ok)).toBe(true)
    const close = await engine.closePosition(U, {
      symbol: 'NIFTY24APR25FUT',
      exchange: 'NFO',
      product: 'NRML',
    })
    expect(close.ok && close.order).toMatchObject({ quantity: 3600, status: 'complete' })
    expect((await engine.funds(U)).utilisedDebits).toBe(0)
  })

  it('lets a backtester switch the MIS placement window off', async () => {
    const { engine, prices } = setup({
      at: '2025-04-19T20:00:00+05:30',
      config: { enforceMisWindow: false },
    })
    prices.set('SBIN', 'NSE', p('800'))
    const r = await engine.placeOrder(U, order('SBIN', 'NSE', 'BUY', 1))
    expect(r.ok && r.order.status).toBe('complete')
  })
})
