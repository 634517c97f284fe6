import { describe, expect, it } from 'vitest'
import type { Caller } from '../api/endpoint.js'
import type { OptionSymbolResolver } from './option-quotes.js'
import {
  placeOptionsMultiOrder,
  placeOptionsOrder,
  pnlSymbols,
  type OptionOrder,
  type OrderPlacer,
} from './options-orders.js'

const caller: Caller = { username: 'trader', broker: 'simulator' }
const STRIKES: Record<string, number> = { ATM: 26000, OTM2: 26100, OTM4: 26200, ITM2: 25900 }

/** Resolves offsets against a fixed ladder, as the market core's service answers. */
const resolver: OptionSymbolResolver = (_c, input) => {
  const strike = STRIKES[input.offset.toUpperCase()]
  if (strike === undefined)
    return Promise.resolve({
      status: 400,
      body: { status: 'error', message: `Offset ${input.offset} is out of range` },
    })
  return Promise.resolve({
    status: 200,
    body: {
      status: 'success',
      symbol: `NIFTY30MAR26${strike}${input.optionType.toUpperCase()}`,
      exchange: 'NFO',
      lotsize: 65,
      underlying_ltp: 25990.5,
    },
  })
}

function recorder(): { orders: OrderPlacer; placed: OptionOrder[] } {
  const placed: OptionOrder[] = []
  let n = 0
  return {
    placed,
    orders: {
      placeOrder: (_c, o) => {
        placed.push(o)
        return Promise.resolve({
          status: 200,
          body: { status: 'success', orderid: `26030200000${++n}` },
        })
      },
      splitOrder: (_c, o) => {
        placed.push(o)
        return Promise.resolve({
          status: 200,
          body: {
            status: 'success',
            total_quantity: o.quantity,
            split_size: o.splitSize,
            results: [{ order_num: 1, quantity: o.splitSize, status: 'success', orderid: 'x' }],
          },
        })
      },
    },
  }
}

const leg = (offset: string, option_type: string, action: string) => ({
  offset,
  option_type,
  action,
  quantity: 65,
  splitsize: 0,
  pricetype: 'MARKET' as const,
  product: 'MIS' as const,
  price: 0,
  trigger_price: 0,
  disclosed_quantity: 0,
})

describe('options orders', () => {
  it('places BUY legs before SELL legs and answers in leg order, each with its mode', async () => {
    const { orders, placed } = recorder()
    const r = await placeOptionsMultiOrder(
      { optionSymbol: resolver, orders, isAnalyze: () => false },
      caller,
      {
        strategy: 'Iron Condor',
        underlying: 'NIFTY',
        exchange: 'NSE_INDEX',
        expiry_date: '30MAR26',
        legs: [leg('OTM2', 'CE', 'SELL'), leg('OTM4', 'CE', 'BUY'), leg('OTM9', 'PE', 'sell')],
      },
    )
    expect(placed.map((o) => `${o.action} ${o.symbol}`)).toEqual([
      'BUY NIFTY30MAR2626200CE',
      'SELL NIFTY30MAR2626100CE',
    ])
    expect(placed[0]?.underlyingLtp).toBe(259_905_000)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({
      status: 'success',
      underlying: 'NIFTY',
      underlying_ltp: 25990.5,
    })
    expect(r.body['mode']).toBeUndefined()
    const results = r.body['results'] as Record<string, unknown>[]
    expect(results.map((x) => [x['leg'], x['status'], x['mode']])).toEqual([
      [1, 'success', 'live'],
      [2, 'success', 'live'],
      [3, 'error', undefined],
    ])
    expect(results[2]).toMatchObject({
      offset: 'OTM9',
      option_type: 'PE',
      action: 'SELL',
      message: 'Offset OTM9 is out of range',
    })
  })

  it('answers a single options order with the resolved symbol, and splits when asked, in analyzer mode', async () => {
    const { orders } = recorder()
    const deps = { optionSymbol: resolver, orders, isAnalyze: () => true }
    const input = {
      strategy: 's',
      underlying: 'NIFTY',
      exchange: 'NSE_INDEX',
      expiry_date: '30MAR26',
      ...leg('ATM', 'ce', 'BUY'),
    }
    const one = await placeOptionsOrder(deps, caller, input)
    expect(one.body).toEqual({
      status: 'success',
      orderid: '260302000001',
      symbol: 'NIFTY30MAR2626000CE',
      exchange: 'NFO',
      underlying: 'NIFTY',
      underlying_ltp: 25990.5,
      offset: 'ATM',
      option_type: 'CE',
      mode: 'analyze',
    })
    const split = await placeOptionsOrder(deps, caller, { ...input, quantity: 130, splitsize: 65 })
    expect(split.body).toMatchObject({
      status: 'success',
      total_quantity: 130,
      split_size: 65,
      mode: 'analyze',
    })
    const tooMany = await placeOptionsOrder(deps, caller, {
      ...input,
      quantity: 10_000,
      splitsize: 1,
    })
    expect(tooMany).toMatchObject({
      status: 400,
      body: { message: 'Total number of orders would exceed maximum limit of 100' },
    })
  })

  it('keeps pnl/symbols to analyzer mode', async () => {
    const account = {
      positionBook: () =>
        Promise.resolve({
          status: 200 as const,
          body: {
            status: 'success',
            data: [
              {
                symbol: 'SBIN',
                exchange: 'NSE',
                product: 'MIS',
                quantity: 10,
                pnl: 5.5,
                unrealized_pnl: 5.5,
                today_realized_pnl: 0,
                total_pnl_today: 5.5,
              },
            ],
            total_pnl: 5.5,
            total_unrealized_pnl: 5.5,
            total_today_realized_pnl: 0,
            total_pnl_today: 5.5,
          },
        }),
    }
    expect(await pnlSymbols({ account, isAnalyze: () => false }, caller)).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: 'This endpoint is only available in sandbox/analyzer mode',
      },
    })
    const on = await pnlSymbols({ account, isAnalyze: () => true }, caller)
    expect(on.body).toMatchObject({
      status: 'success',
      total_pnl: 5.5,
      mode: 'analyze',
      data: [{ symbol: 'SBIN', quantity: 10, pnl: 5.5 }],
    })
  })
})
