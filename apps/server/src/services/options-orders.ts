/**
 * `/optionsorder` and `/optionsmultiorder` (spec api.md §10.2–10.3), after the original's
 * `services/place_options_order_service.py` and `options_multiorder_service.py`: resolve each
 * leg through the market core's option-symbol service (ATM/ITMn/OTMn of the underlying's LTP on
 * the listed strikes), then place it through the orders service (the broker live, the sandbox in
 * analyzer mode), optionally split. Multi-leg: BUY legs first (margin benefit), then SELL,
 * sequentially; results in leg order, each with its `mode`.
 */
import { parseInr4, type Inr4 } from '@oa/broker-sdk'
import type { Caller } from '../api/endpoint.js'
import type { OptionSymbolResolver, Reply } from './option-quotes.js'

type PriceType = 'MARKET' | 'LIMIT' | 'SL' | 'SL-M'
type Product = 'MIS' | 'NRML' | 'CNC'

/** One order as the orders service takes it (its `PlaceOrderInput`, read structurally). */
export interface OptionOrder {
  readonly strategy: string
  readonly symbol: string
  readonly exchange: string
  readonly action: 'BUY' | 'SELL'
  readonly quantity: number
  readonly priceType: PriceType
  readonly product: Product
  readonly price: Inr4
  readonly triggerPrice: Inr4
  readonly disclosedQuantity: number
  readonly underlyingLtp?: Inr4 | undefined
}

/** The orders area's service, as far as options orders use it. */
export interface OrderPlacer {
  placeOrder(caller: Caller, input: OptionOrder): Promise<Reply>
  splitOrder(caller: Caller, input: OptionOrder & { readonly splitSize: number }): Promise<Reply>
}

export interface OptionLegInput {
  readonly offset: string
  readonly option_type: string
  readonly action: string
  readonly quantity: number
  readonly splitsize?: number | null | undefined
  readonly expiry_date?: string | undefined
  readonly pricetype: PriceType
  readonly product: 'MIS' | 'NRML'
  readonly price: number
  readonly trigger_price: number
  readonly disclosed_quantity: number
}

export interface OptionsOrderInput extends OptionLegInput {
  readonly strategy: string
  readonly underlying: string
  readonly exchange: string
  readonly strike_int?: number | null | undefined
}

export interface OptionsMultiOrderInput {
  readonly strategy: string
  readonly underlying: string
  readonly exchange: string
  readonly expiry_date?: string | undefined
  readonly strike_int?: number | null | undefined
  readonly legs: readonly OptionLegInput[]
}

const MAX_SPLIT_ORDERS = 100

/** A price the orders service cannot take (beyond a safe integer of 1/10,000 ₹). */
export class OptionPriceError extends Error {
  override readonly name = 'OptionPriceError'
}

/** Rupees (a validated JSON number) to 1/10,000 ₹ through decimal text, as STYLE.md §8 asks. */
function inr4(rupees: number): Inr4 {
  if (!(rupees >= 0) || rupees > 1e11)
    throw new OptionPriceError('Price must be a non-negative number.')
  const text = Number.isInteger(rupees) ? String(rupees) : rupees.toFixed(4).replace(/\.?0+$/, '')
  return parseInr4(text)
}

function toOrder(
  strategy: string,
  symbol: string,
  exchange: string,
  leg: OptionLegInput,
  ltp: unknown,
): OptionOrder {
  return {
    strategy,
    symbol,
    exchange,
    action: leg.action.toUpperCase() === 'SELL' ? 'SELL' : 'BUY',
    quantity: leg.quantity,
    priceType: leg.pricetype,
    product: leg.product,
    price: inr4(leg.price),
    triggerPrice: inr4(leg.trigger_price),
    disclosedQuantity: leg.disclosed_quantity,
    underlyingLtp: typeof ltp === 'number' && ltp > 0 ? inr4(ltp) : undefined,
  }
}

export interface OptionsOrderDeps {
  readonly optionSymbol: OptionSymbolResolver
  readonly orders: OrderPlacer
  readonly isAnalyze: () => boolean
}

/** `/optionsorder`: one resolved option, placed (or split). */
export async function placeOptionsOrder(
  deps: OptionsOrderDeps,
  caller: Caller,
  input: OptionsOrderInput,
): Promise<Reply> {
  const analyze = deps.isAnalyze()
  const modeExtra = analyze ? { mode: 'analyze' } : {}
  const resolved = await deps.optionSymbol(caller, {
    underlying: input.underlying,
    exchange: input.exchange,
    expiryDate: input.expiry_date,
    strikeInt: input.strike_int,
    offset: input.offset,
    optionType: input.option_type,
  })
  if (resolved.status !== 200)
    return { status: resolved.status, body: { ...resolved.body, ...modeExtra } }
  const symbol = String(resolved.body['symbol'])
  const exchange = String(resolved.body['exchange'])
  const ltp = resolved.body['underlying_ltp']
  let order: OptionOrder
  try {
    order = toOrder(input.strategy, symbol, exchange, input, ltp)
  } catch (error) {
    if (!(error instanceof OptionPriceError)) throw error
    return { status: 400, body: { status: 'error', message: error.message, ...modeExtra } }
  }
  const common = {
    symbol,
    exchange,
    underlying: input.underlying,
    underlying_ltp: ltp,
    offset: input.offset,
    option_type: input.option_type.toUpperCase(),
  }
  const split = input.splitsize ?? 0
  if (split > 0) {
    const count = Math.floor(input.quantity / split) + (input.quantity % split > 0 ? 1 : 0)
    if (count > MAX_SPLIT_ORDERS)
      return {
        status: 400,
        body: {
          status: 'error',
          message: `Total number of orders would exceed maximum limit of ${MAX_SPLIT_ORDERS}`,
          ...modeExtra,
        },
      }
    const r = await deps.orders.splitOrder(caller, { ...order, splitSize: split })
    if (r.status !== 200) return r
    return {
      status: 200,
      body: {
        status: 'success',
        ...common,
        total_quantity: r.body['total_quantity'] ?? input.quantity,
        split_size: r.body['split_size'] ?? split,
        results: r.body['results'] ?? [],
        ...modeExtra,
      },
    }
  }
  const r = await deps.orders.placeOrder(caller, order)
  if (r.status !== 200 || r.body['status'] !== 'success') return r
  return {
    status: 200,
    body: { status: 'success', orderid: r.body['orderid'], ...common, ...modeExtra },
  }
}

/** `/optionsmultiorder`: every leg resolved and placed, BUY legs first, results in leg order. */
export async function placeOptionsMultiOrder(
  deps: OptionsOrderDeps,
  caller: Caller,
  input: OptionsMultiOrderInput,
): Promise<Reply> {
  const analyze = deps.isAnalyze()
  const mode = analyze ? 'analyze' : 'live'
  const order = input.legs
    .map((leg, index) => ({ leg, index }))
    .sort((a, b) => {
      const buyA = a.leg.action.toUpperCase() === 'BUY' ? 0 : 1
      const buyB = b.leg.action.toUpperCase() === 'BUY' ? 0 : 1
      return buyA - buyB || a.index - b.index
    })
  let underlyingLtp: unknown = null
  const results: Record<string, unknown>[] = []
  for (const { leg, index } of order) {
    const head = {
      leg: index + 1,
      offset: leg.offset,
      option_type: leg.option_type.toUpperCase(),
      action: leg.action.toUpperCase(),
    }
    try {
      const resolved = await deps.optionSymbol(caller, {
        underlying: input.underlying,
        exchange: input.exchange,
        expiryDate: leg.expiry_date ?? input.expiry_date,
        strikeInt: input.strike_int,
        offset: leg.offset,
        optionType: leg.option_type,
      })
      if (resolved.status !== 200) {
        results.push({
          ...head,
          status: 'error',
          message: String(resolved.body['message'] ?? 'Failed to resolve option symbol'),
        })
        continue
      }
      const symbol = String(resolved.body['symbol'])
      const exchange = String(resolved.body['exchange'])
      underlyingLtp = resolved.body['underlying_ltp'] ?? underlyingLtp
      const base = { leg: head.leg, symbol, exchange }
      const rest = { offset: head.offset, option_type: head.option_type, action: head.action }
      const placed = toOrder(input.strategy, symbol, exchange, leg, resolved.body['underlying_ltp'])
      const split = leg.splitsize ?? 0
      if (split > 0) {
        const count = Math.floor(leg.quantity / split) + (leg.quantity % split > 0 ? 1 : 0)
        if (count > MAX_SPLIT_ORDERS) {
          results.push({
            ...base,
            ...rest,
            status: 'error',
            message: `Split orders would exceed maximum limit of ${MAX_SPLIT_ORDERS} per leg`,
          })
          continue
        }
        const r = await deps.orders.splitOrder(caller, { ...placed, splitSize: split })
        const splitResults = (r.body['results'] ?? []) as Record<string, unknown>[]
        const ok = splitResults.some((x) => x['status'] === 'success')
        results.push({
          ...base,
          product: leg.product,
          ...rest,
          status: ok ? 'success' : 'error',
          total_quantity: leg.quantity,
          split_size: split,
          split_results: splitResults,
          mode,
        })
        continue
      }
      const r = await deps.orders.placeOrder(caller, placed)
      if (r.status === 200 && r.body['status'] === 'success') {
        results.push({
          ...base,
          product: leg.product,
          ...rest,
          status: 'success',
          orderid: r.body['orderid'],
          mode: typeof r.body['mode'] === 'string' ? r.body['mode'] : mode,
        })
      } else {
        results.push({
          ...base,
          ...rest,
          status: 'error',
          message: String(r.body['message'] ?? 'Order placement failed'),
        })
      }
    } catch (error) {
      results.push({
        ...head,
        status: 'error',
        message: `Internal error: ${error instanceof Error ? error.message : String(error)}`,
      })
    }
  }
  results.sort((a, b) => Number(a['leg']) - Number(b['leg']))
  return {
    status: 200,
    body: {
      status: 'success',
      underlying: input.underlying,
      underlying_ltp: underlyingLtp,
      results,
      ...(analyze ? { mode: 'analyze' } : {}),
    },
  }
}

/** The orders area's account service, as far as `/pnl/symbols` uses it. */
export interface PositionBookSource {
  positionBook(caller: Caller): Promise<Reply>
}

/** `/pnl/symbols` (spec api.md §11.6): the sandbox's per-symbol day P&L; analyzer mode only. */
export async function pnlSymbols(
  deps: { readonly account: PositionBookSource; readonly isAnalyze: () => boolean },
  caller: Caller,
): Promise<Reply> {
  if (!deps.isAnalyze())
    return {
      status: 400,
      body: {
        status: 'error',
        message: 'This endpoint is only available in sandbox/analyzer mode',
      },
    }
  const book = await deps.account.positionBook(caller)
  if (book.status !== 200) return book
  const rows = (book.body['data'] ?? []) as Record<string, unknown>[]
  return {
    status: 200,
    body: {
      status: 'success',
      data: rows.map((p) => ({
        symbol: p['symbol'],
        exchange: p['exchange'],
        product: p['product'],
        quantity: p['quantity'],
        pnl: p['pnl'] ?? 0,
        unrealized_pnl: p['unrealized_pnl'] ?? 0,
        today_realized_pnl: p['today_realized_pnl'] ?? 0,
        total_pnl_today: p['total_pnl_today'] ?? 0,
      })),
      total_pnl: book.body['total_pnl'] ?? 0,
      total_unrealized_pnl: book.body['total_unrealized_pnl'] ?? 0,
      total_today_realized_pnl: book.body['total_today_realized_pnl'] ?? 0,
      total_pnl_today: book.body['total_pnl_today'] ?? 0,
      mode: 'analyze',
    },
  }
}
