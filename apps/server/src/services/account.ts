/**
 * Account services (api.md §8.3–8.7, §11.1): orderbook, tradebook, positionbook, holdings, funds
 * and margin, routed by mode like the order services. Analyzer mode answers from the sandbox in
 * the original's analyzer shapes (sandbox.md §8, §10) with `"mode":"analyze"`; live mode answers
 * the caller's broker through `@oa/broker-sdk`'s wire mappers.
 */
import {
  toRupees,
  toWireFunds,
  toWireHoldingRow,
  toWireHoldingStats,
  toWireMargin,
  toWireOrderRow,
  toWireOrderStats,
  toWirePositionRow,
  toWireTradeRow,
  tryParseInr4,
  type Exchange,
  type MarginLeg,
} from '@oa/broker-sdk'
import type { OrderRequest, PriceType, Product, SandboxEngine } from '@oa/sandbox-engine'
import { statusOf } from '../http/error-status.js'
import {
  fundsData,
  holdingsData,
  orderRow,
  orderStats,
  positionBook,
  tradeRow,
} from '../trading/sandbox-wire.js'
import type { BrokerSource } from './orders.js'
import {
  brokerFailure,
  failure,
  lookupFailure,
  success,
  type ServiceCaller,
  type ServiceReply,
} from './reply.js'

/** One `/margin` position as sent: quantity and prices are text (W-23 also takes numbers). */
export interface MarginPositionInput {
  readonly symbol: string
  readonly exchange: string
  readonly action: 'BUY' | 'SELL'
  readonly quantity: string
  readonly product: Product
  readonly priceType: PriceType
  readonly price: string
  readonly triggerPrice: string
}

export interface AccountServices {
  orderBook(caller: ServiceCaller): Promise<ServiceReply>
  tradeBook(caller: ServiceCaller): Promise<ServiceReply>
  positionBook(caller: ServiceCaller): Promise<ServiceReply>
  holdings(caller: ServiceCaller): Promise<ServiceReply>
  funds(caller: ServiceCaller): Promise<ServiceReply>
  /** the sandbox's `/funds` (the market core's funds service calls it in analyzer mode) */
  analyzerFunds(caller: ServiceCaller): Promise<ServiceReply>
  margin(
    caller: ServiceCaller,
    input: { positions: readonly MarginPositionInput[] },
  ): Promise<ServiceReply>
}

export interface AccountServiceDeps {
  readonly analyzer: { isOn(): boolean }
  readonly sandbox: { readonly engine: SandboxEngine }
  readonly brokers: BrokerSource
}

const ANALYZE = { mode: 'analyze' } as const
const r = toRupees

export function createAccountServices(deps: AccountServiceDeps): AccountServices {
  const { analyzer } = deps
  const engine = (): SandboxEngine => deps.sandbox.engine

  const live = async (
    caller: ServiceCaller,
    fn: (
      broker: Extract<ReturnType<BrokerSource['forUser']>, { ok: true }>['broker'],
    ) => Promise<ServiceReply>,
  ): Promise<ServiceReply> => {
    const lookup = deps.brokers.forUser(caller.username, caller.broker, caller.trace)
    if (!lookup.ok) return lookupFailure(lookup as Parameters<typeof lookupFailure>[0])
    return fn(lookup.broker)
  }

  const analyzerFunds = async (caller: ServiceCaller): Promise<ServiceReply> =>
    success({ data: fundsData(await engine().funds(caller.username)), ...ANALYZE })

  return {
    async orderBook(caller) {
      if (analyzer.isOn()) {
        const orders = await engine().orders(caller.username)
        return success({
          data: { orders: orders.map(orderRow), statistics: orderStats(orders) },
          ...ANALYZE,
        })
      }
      return live(caller, async (broker) => {
        const book = await broker.books.orderBook()
        if (!book.ok) return brokerFailure(book.error)
        return success({
          data: {
            orders: book.value.orders.map(toWireOrderRow),
            statistics: toWireOrderStats(book.value.statistics),
          },
        })
      })
    },

    async tradeBook(caller) {
      if (analyzer.isOn()) {
        const trades = await engine().trades(caller.username)
        return success({ data: trades.map(tradeRow), ...ANALYZE })
      }
      return live(caller, async (broker) => {
        const book = await broker.books.tradeBook()
        return book.ok
          ? success({ data: book.value.map(toWireTradeRow) })
          : brokerFailure(book.error)
      })
    },

    async positionBook(caller) {
      if (analyzer.isOn()) {
        return success({ ...positionBook(await engine().positions(caller.username)), ...ANALYZE })
      }
      return live(caller, async (broker) => {
        const book = await broker.books.positions()
        return book.ok
          ? success({ data: book.value.map(toWirePositionRow) })
          : brokerFailure(book.error)
      })
    },

    async holdings(caller) {
      if (analyzer.isOn()) {
        return success({ data: holdingsData(await engine().holdings(caller.username)), ...ANALYZE })
      }
      return live(caller, async (broker) => {
        const book = await broker.books.holdings()
        if (!book.ok) return brokerFailure(book.error)
        return success({
          data: {
            holdings: book.value.holdings.map(toWireHoldingRow),
            statistics: toWireHoldingStats(book.value.statistics),
          },
        })
      })
    },

    async funds(caller) {
      if (analyzer.isOn()) return analyzerFunds(caller)
      return live(caller, async (broker) => {
        const f = await broker.funds()
        return f.ok ? success({ data: toWireFunds(f.value) }) : brokerFailure(f.error)
      })
    },

    analyzerFunds,

    async margin(caller, input) {
      const legs: OrderRequest[] = []
      for (const [i, p] of input.positions.entries()) {
        const n = i + 1
        const quantity = Number(p.quantity.trim())
        if (p.quantity.trim() === '' || !Number.isFinite(quantity))
          return failure(400, `Position ${n}: Invalid quantity format`)
        if (!(quantity > 0))
          return failure(400, `Position ${n}: Quantity must be a positive number`)
        const prices: number[] = []
        for (const text of [p.price, p.triggerPrice]) {
          const v = Number(text.trim() === '' ? '0' : text.trim())
          if (!Number.isFinite(v)) return failure(400, `Position ${n}: Invalid price format`)
          if (v < 0) return failure(400, `Position ${n}: Price cannot be negative`)
          prices.push(v)
        }
        const [price = 0, trigger = 0] = prices.map((v) => tryParseInr4(String(v)) ?? NaN)
        if (!Number.isInteger(quantity))
          return failure(400, `Position ${n}: Invalid quantity format`)
        if (!Number.isFinite(price) || !Number.isFinite(trigger))
          return failure(400, `Position ${n}: Invalid price format`)
        legs.push({
          symbol: p.symbol,
          exchange: p.exchange,
          action: p.action,
          quantity,
          priceType: p.priceType,
          product: p.product,
          price: price as OrderRequest['price'] & number,
          triggerPrice: trigger as OrderRequest['price'] & number,
        } as OrderRequest)
      }
      if (analyzer.isOn()) {
        const est = await engine().estimateMargin(legs, { userId: caller.username })
        if (!est.ok) {
          return failure(
            statusOf(est.error.code),
            `Position ${est.index + 1}: ${est.error.message}`,
            {
              ...ANALYZE,
            },
          )
        }
        const e = est.estimate
        return success({
          data: {
            total_margin_required: r(e.total),
            span_margin: r(e.span),
            exposure_margin: r(e.exposure),
            premium: r(e.premium),
            equity_margin: r(e.equity),
            margin_benefit: r(e.hedgeBenefit),
          },
          ...ANALYZE,
        })
      }
      return live(caller, async (broker) => {
        if (broker.margin === undefined) {
          return failure(404, `Margin calculation not supported for broker: ${broker.id}`)
        }
        const result = await broker.margin.basketMargin(
          legs.map((l): MarginLeg => ({
            symbol: l.symbol,
            exchange: l.exchange as Exchange,
            action: l.action,
            product: l.product,
            priceType: l.priceType,
            quantity: l.quantity,
            price: l.price ?? (0 as MarginLeg['price']),
            triggerPrice: l.triggerPrice ?? (0 as MarginLeg['price']),
          })),
        )
        return result.ok
          ? success({ data: toWireMargin(result.value) })
          : brokerFailure(result.error)
      })
    },
  }
}
