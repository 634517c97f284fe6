// The margin a broker would block (issue requirement): SPAN + exposure on the underlying's
// notional for futures and short options, a max-loss cap for hedged legs, premium for long
// options, value/leverage for cash equity. Default rates for NIFTY: SPAN 9 %, exposure 2 %.
import { describe, expect, it } from 'vitest'
import { groupMargin, type Inr4, type MarginLeg } from '../src/index.js'
import { order, p, setup } from './helpers.js'

const U = 'u1'
const nfo = (symbol: string, action: 'BUY' | 'SELL', extra = {}) =>
  order(symbol, 'NFO', action, 75, { product: 'NRML', ...extra })

function optionsDesk(capital?: string) {
  const s = setup(capital ? { config: { startingCapital: p(capital) } } : {})
  s.prices.set('NIFTY', 'NSE_INDEX', p('24000'))
  s.prices.set('NIFTY24APR2524000CE', 'NFO', p('120'))
  s.prices.set('NIFTY24APR2524100CE', 'NFO', p('80'))
  s.prices.set('NIFTY24APR2524000PE', 'NFO', p('110'))
  s.prices.set('NIFTY24APR2523900PE', 'NFO', p('70'))
  s.prices.set('NIFTY24APR2524200CE', 'NFO', p('40'))
  s.prices.set('NIFTY24APR25FUT', 'NFO', p('24000'))
  return s
}

describe('short options and futures', () => {
  it('a short NIFTY option lot blocks notional × (SPAN + exposure) = 198000, not the 9000 premium', async () => {
    const { engine } = optionsDesk()
    const r = await engine.placeOrder(U, nfo('NIFTY24APR2524000CE', 'SELL'))
    expect(r.ok && r.order.averagePrice).toBe(p('120'))
    // 24000 × 75 = 18,00,000 notional; × 9 % = 1,62,000 SPAN; × 2 % = 36,000 exposure
    expect(await engine.funds(U)).toMatchObject({
      utilisedDebits: p('198000'),
      availableCash: p('9802000'),
    })
    expect((await engine.audit(U)).groupMargin).toBe(p('198000'))
  })

  it('a long option pays only its premium', async () => {
    const { engine } = optionsDesk()
    await engine.placeOrder(U, nfo('NIFTY24APR2524000CE', 'BUY'))
    expect((await engine.funds(U)).utilisedDebits).toBe(p('9000'))
  })

  it('a hedged call spread blocks far less than two naked legs: premium + width cap + exposure', async () => {
    const { engine } = optionsDesk()
    await engine.placeOrder(U, nfo('NIFTY24APR2524100CE', 'BUY'))
    const short = await engine.placeOrder(U, nfo('NIFTY24APR2524000CE', 'SELL'))
    // SPAN of the short is capped at the spread's max loss (24100 − 24000) × 75 = 7,500
    expect(short.ok && short.order.status).toBe('complete')
    expect(await engine.funds(U)).toMatchObject({
      utilisedDebits: p('6000') + p('7500') + p('36000'),
    })
    const naked = setup()
    naked.prices.set('NIFTY', 'NSE_INDEX', p('24000'))
    naked.prices.set('NIFTY24APR2524100CE', 'NFO', p('80'))
    naked.prices.set('NIFTY24APR2524000CE', 'NFO', p('120'))
    await naked.engine.placeOrder(U, nfo('NIFTY24APR2524100CE', 'SELL'))
    await naked.engine.placeOrder(U, nfo('NIFTY24APR2524000CE', 'SELL'))
    expect((await naked.engine.funds(U)).utilisedDebits).toBe(p('396000'))
  })

  it('a put spread and a long-call-protected short future are capped at their max loss', () => {
    const rate = { spanBps: 900, exposureBps: 200 }
    const leg = (
      type: MarginLeg['type'],
      qty: number,
      strike: string,
      price: string,
    ): MarginLeg => ({
      type,
      quantity: qty,
      cost: (p(price) * Math.abs(qty)) as Inr4,
      strike: type === 'FUT' ? (0 as Inr4) : p(strike),
      expiry: '2025-04-24',
      cvE4: 10_000,
    })
    const u = p('24000')
    const putSpread = groupMargin(
      [leg('PE', -75, '24000', '110'), leg('PE', 75, '23900', '70')],
      u,
      rate,
      true,
    )
    expect(putSpread).toEqual({
      span: p('7500'),
      exposure: p('36000'),
      premium: p('5250'),
      hedgeBenefit: p('154500'),
      total: p('48750'),
    })
    const covered = groupMargin(
      [leg('FUT', -75, '0', '24000'), leg('CE', 75, '24200', '40')],
      u,
      rate,
      true,
    )
    expect(covered.span).toBe(p('15000'))
    const noBenefit = groupMargin(
      [leg('FUT', -75, '0', '24000'), leg('CE', 75, '24200', '40')],
      u,
      rate,
      false,
    )
    expect(noBenefit.span).toBe(p('162000'))
    // a debit spread (long the lower strike) has no risk beyond the premium paid
    const debit = groupMargin(
      [leg('CE', 75, '24000', '120'), leg('CE', -75, '24100', '80')],
      u,
      rate,
      true,
    )
    expect(debit).toMatchObject({ span: 0, exposure: p('36000'), premium: p('9000') })
  })

  it('closing the hedge first needs the naked margin: refused when the funds are not there', async () => {
    const { engine } = optionsDesk('60000')
    await engine.placeOrder(U, nfo('NIFTY24APR2524100CE', 'BUY'))
    await engine.placeOrder(U, nfo('NIFTY24APR2524000CE', 'SELL'))
    expect((await engine.funds(U)).availableCash).toBe(p('10500'))
    const before = await engine.audit(U)
    const r = await engine.placeOrder(U, nfo('NIFTY24APR2524100CE', 'SELL'))
    expect(!r.ok && r.error).toMatchObject({
      code: 'insufficient_funds',
      message:
        'Insufficient funds. Required: ₹148500.00, Available: ₹10500.00, Shortage: ₹138000.00',
    })
    expect(await engine.audit(U)).toEqual(before)
  })

  it('rejects a short option lot beyond the available funds and changes nothing', async () => {
    const { engine } = optionsDesk('100000')
    const before = await engine.funds(U)
    const r = await engine.placeOrder(U, nfo('NIFTY24APR2524000CE', 'SELL'))
    expect(!r.ok && r.error.code).toBe('insufficient_funds')
    expect(await engine.funds(U)).toEqual(before)
    expect(await engine.orders(U)).toEqual([])
    expect(await engine.positions(U)).toEqual([])
  })

  it('releases the whole group margin when both legs are closed', async () => {
    const { engine, prices } = optionsDesk()
    await engine.placeOrder(U, nfo('NIFTY24APR2524100CE', 'BUY'))
    await engine.placeOrder(U, nfo('NIFTY24APR2524000CE', 'SELL'))
    prices.set('NIFTY24APR2524000CE', 'NFO', p('100'))
    prices.set('NIFTY24APR2524100CE', 'NFO', p('65'))
    await engine.placeOrder(U, nfo('NIFTY24APR2524000CE', 'BUY'))
    await engine.placeOrder(U, nfo('NIFTY24APR2524100CE', 'SELL'))
    // short: (120 − 100) × 75 = +1500; long: (65 − 80) × 75 = −1125
    expect(await engine.funds(U)).toMatchObject({
      utilisedDebits: 0,
      totalRealizedPnl: p('375'),
      availableCash: p('10000375'),
    })
    expect(await engine.audit(U)).toMatchObject({ groupMargin: 0, utilisedMatches: true })
  })
})

describe('estimateMargin (/api/v1/margin in analyzer mode)', () => {
  it('uses the same model as placement: a spread basket', async () => {
    const { engine } = optionsDesk()
    const r = await engine.estimateMargin([
      nfo('NIFTY24APR2524000CE', 'SELL', { priceType: 'LIMIT', price: p('120') }),
      nfo('NIFTY24APR2524100CE', 'BUY', { priceType: 'LIMIT', price: p('80') }),
    ])
    expect(r).toEqual({
      ok: true,
      estimate: {
        total: p('49500'),
        span: p('7500'),
        exposure: p('36000'),
        premium: p('6000'),
        equity: 0,
        hedgeBenefit: p('154500'),
      },
    })
  })

  it('adds cash-equity margin and reports the offending order', async () => {
    const { engine, prices } = optionsDesk()
    prices.set('RELIANCE', 'NSE', p('2500'))
    const ok = await engine.estimateMargin([order('RELIANCE', 'NSE', 'BUY', 10)])
    expect(ok.ok && ok.estimate).toMatchObject({ total: p('5000'), equity: p('5000') })
    const bad = await engine.estimateMargin([
      order('RELIANCE', 'NSE', 'BUY', 10),
      order('NOPE', 'NSE', 'BUY', 1),
    ])
    expect(!bad.ok && bad).toMatchObject({ index: 1, error: { code: 'unknown_symbol' } })
  })

  it('with a user, estimates incrementally to the open positions (a hedge lowers the margin)', async () => {
    const { engine } = optionsDesk()
    await engine.placeOrder(U, nfo('NIFTY24APR2524000CE', 'SELL'))
    const r = await engine.estimateMargin([nfo('NIFTY24APR2524100CE', 'BUY')], { userId: U })
    // 49,500 with the hedge − 1,98,000 naked
    expect(r.ok && r.estimate.total).toBe(p('49500') - p('198000'))
  })
})

describe('contract value', () => {
  it('applies the multiplier to margin and PnL alike (crypto perpetual, cv 0.001)', async () => {
    const { engine, prices } = setup()
    prices.set('BTCUSD.P', 'CRYPTO', p('60000'))
    await engine.placeOrder(U, order('BTCUSD.P', 'CRYPTO', 'BUY', 10, { product: 'NRML' }))
    // 60000 × 10 × 0.001 = 600 notional; CRYPTO SPAN 10 %, no exposure
    expect((await engine.funds(U)).utilisedDebits).toBe(p('60'))
    prices.set('BTCUSD.P', 'CRYPTO', p('61000'))
    expect((await engine.positions(U))[0]?.unrealizedPnl).toBe(p('10'))
    await engine.placeOrder(U, order('BTCUSD.P', 'CRYPTO', 'SELL', 10, { product: 'NRML' }))
    expect(await engine.funds(U)).toMatchObject({ totalRealizedPnl: p('10'), utilisedDebits: 0 })
  })
})
