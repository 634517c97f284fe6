import { describe, expect, it } from 'vitest'
import { composeBroker } from './define-broker.js'
import type { SmartOrderRequest } from './models.js'
import { ZERO_INR4 } from './money.js'
import { SMART_ORDER_MESSAGES, decideSmartOrder } from './smart-order.js'
import { testContext } from './test-helpers/context.js'
import { createMemoryDriver, position } from './test-helpers/memory-driver.js'

function smart(
  positionSize: number,
  quantity = 10,
  action: 'BUY' | 'SELL' = 'BUY',
): SmartOrderRequest {
  return {
    strategy: 'test',
    symbol: 'SBIN',
    exchange: 'NSE',
    action,
    priceType: 'MARKET',
    product: 'MIS',
    quantity,
    price: ZERO_INR4,
    triggerPrice: ZERO_INR4,
    disclosedQuantity: 0,
    positionSize,
  }
}

describe('smart order decision (brokers.md §1.6)', () => {
  it.each([
    // [target, current, quantity, action sent, expected]
    [0, 0, 10, 'BUY', { kind: 'place', action: 'BUY', quantity: 10 }],
    [0, 0, 10, 'SELL', { kind: 'place', action: 'SELL', quantity: 10 }],
    [0, 0, 0, 'BUY', { kind: 'none', message: SMART_ORDER_MESSAGES.noOpenPosition }],
    [50, 50, 10, 'BUY', { kind: 'none', message: SMART_ORDER_MESSAGES.alreadyMatched }],
    [-20, -20, 0, 'SELL', { kind: 'none', message: SMART_ORDER_MESSAGES.noOpenPosition }],
    [0, 30, 10, 'BUY', { kind: 'place', action: 'SELL', quantity: 30 }],
    [0, -30, 10, 'SELL', { kind: 'place', action: 'BUY', quantity: 30 }],
    [25, 0, 10, 'SELL', { kind: 'place', action: 'BUY', quantity: 25 }],
    [-25, 0, 10, 'BUY', { kind: 'place', action: 'SELL', quantity: 25 }],
    [100, 40, 10, 'SELL', { kind: 'place', action: 'BUY', quantity: 60 }],
    [40, 100, 10, 'BUY', { kind: 'place', action: 'SELL', quantity: 60 }],
    [-50, 30, 10, 'BUY', { kind: 'place', action: 'SELL', quantity: 80 }],
    [50, -30, 10, 'SELL', { kind: 'place', action: 'BUY', quantity: 80 }],
  ] as const)(
    'target %i, current %i, quantity %i (%s)',
    (target, current, quantity, action, expected) => {
      expect(decideSmartOrder({ action, quantity, positionSize: target }, current)).toEqual(
        expected,
      )
    },
  )

  it('refuses fractional quantities instead of rounding them', () => {
    expect(() => decideSmartOrder({ action: 'BUY', quantity: 1, positionSize: 1.5 }, 0)).toThrow(
      /integer/,
    )
  })
})

describe('placeSmart through the SDK', () => {
  it('sends no order and the reference message when there is no position and size 0', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver()
    const broker = composeBroker(manifest, driver, ctx)
    const result = await broker.orders.placeSmart(smart(0, 0))
    expect(result).toEqual({
      ok: true,
      value: { message: 'No OpenPosition Found. Not placing Exit order.' },
    })
    expect(state.placed).toEqual([])
  })

  it('increases a long position by the difference', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver()
    state.positions.push(position('SBIN', 40))
    const result = await composeBroker(manifest, driver, ctx).orders.placeSmart(
      smart(100, 10, 'SELL'),
    )
    expect(result.ok && result.value).toEqual({
      orderId: 'ord-1',
      message: 'Order placed',
      placed: { action: 'BUY', quantity: 60 },
    })
    expect(state.placed).toMatchObject([
      { symbol: 'SBIN', action: 'BUY', quantity: 60, product: 'MIS', priceType: 'MARKET' },
    ])
  })

  it('reduces a long position without closing it', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver()
    state.positions.push(position('SBIN', 100))
    await composeBroker(manifest, driver, ctx).orders.placeSmart(smart(40))
    expect(state.placed).toMatchObject([{ action: 'SELL', quantity: 60 }])
  })

  it('reverses a short into a long in one order', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver()
    state.positions.push(position('SBIN', -30))
    await composeBroker(manifest, driver, ctx).orders.placeSmart(smart(50))
    expect(state.placed).toMatchObject([{ action: 'BUY', quantity: 80 }])
  })

  it('flattens a position when the target is 0', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver()
    state.positions.push(position('SBIN', -30))
    await composeBroker(manifest, driver, ctx).orders.placeSmart(smart(0, 5))
    expect(state.placed).toMatchObject([{ action: 'BUY', quantity: 30 }])
  })

  it('matches the position of the same product only', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver()
    state.positions.push(position('SBIN', 100, 'CNC'), position('SBIN', 10, 'MIS'))
    await composeBroker(manifest, driver, ctx).orders.placeSmart(smart(10))
    expect(state.placed).toEqual([])
  })

  it('serializes concurrent smart orders on one symbol so both do not read "flat" and double the position', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver({
      fill: true,
      placeDelay: () => new Promise((r) => setTimeout(r, 5)),
    })
    const broker = composeBroker(manifest, driver, ctx)
    const results = await Promise.all([
      broker.orders.placeSmart(smart(10)),
      broker.orders.placeSmart(smart(10)),
    ])
    expect(state.placed).toHaveLength(1)
    expect(results[1]).toEqual({
      ok: true,
      value: { message: SMART_ORDER_MESSAGES.alreadyMatched },
    })
    expect(state.positions[0]?.quantity).toBe(10)
  })

  it('returns the position-book error instead of guessing a position', async () => {
    const { ctx, manifest } = testContext()
    const { driver, state } = createMemoryDriver()
    driver.books.positions = async () => {
      throw new Error('socket hang up')
    }
    const result = await composeBroker(manifest, driver, ctx).orders.placeSmart(smart(10))
    expect(!result.ok && result.error.code).toBe('unknown')
    expect(state.placed).toEqual([])
  })
})
