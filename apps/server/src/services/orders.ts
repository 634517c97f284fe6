/**
 * Order services (api.md §7, §8.1–8.2): placeorder, placesmartorder, basketorder, splitorder,
 * modifyorder, cancelorder, cancelallorder, closeposition, orderstatus, openposition. Each takes
 * the caller and typed input and answers the OpenAlgo reply, so the `/api/v1` handlers and the
 * web app's session routes share them. They route by mode: analyzer mode on → the sandbox engine
 * (replies carry `"mode":"analyze"`); off → the caller's broker through the registry.
 *
 * Fixes over the original: W-13 (order ids always strings), W-14 (sandbox smart orders keep the
 * requested price type; the engine does), W-29 (basket results in request order with `index`,
 * BUY legs still executed first), and an idempotency key on placeorder.
 */
import {
  SMART_ORDER_MESSAGES,
  type Broker,
  type Exchange,
  type Inr4,
  type OrderRequest as BrokerOrderRequest,
  type OrderRow,
} from '@oa/broker-sdk'
import type {
  OrderRequest as SandboxRequest,
  OrderResult,
  PriceType,
  Product,
  SandboxEngine,
  SandboxError,
} from '@oa/sandbox-engine'
import { toWireOrderRow } from '@oa/broker-sdk'
import type { Clock } from '../clock.js'
import type { OrderEvent } from '../events/order-events.js'
import type { Logger } from '../logger.js'
import { statusOf } from '../http/error-status.js'
import { orderStatusData } from '../trading/sandbox-wire.js'
import {
  brokerFailure,
  failure,
  lookupFailure,
  success,
  type BrokerTiming,
  type ServiceCaller,
  type ServiceReply,
} from './reply.js'

/** One order as the services take it: camelCase, integer money (1/10,000 ₹), units not lots. */
export interface OrderInput {
  readonly strategy: string
  readonly symbol: string
  readonly exchange: string
  readonly action: 'BUY' | 'SELL'
  readonly quantity: number
  readonly priceType: PriceType
  readonly product: Product
  /** limit price of LIMIT/SL orders */
  readonly price: Inr4
  /** trigger of SL/SL-M orders */
  readonly triggerPrice: Inr4
  readonly disclosedQuantity: number
}

export interface PlaceOrderInput extends OrderInput {
  /** the underlying's price an options order was priced at (sandbox margin), when known */
  readonly underlyingLtp?: Inr4 | undefined
  /** a retried request with the same key returns the first order (per user) */
  readonly idempotencyKey?: string | undefined
}

export interface SmartOrderInput extends OrderInput {
  /** target net quantity: positive long, negative short, 0 flat */
  readonly positionSize: number
}

export interface BasketOrderInput {
  readonly strategy: string
  readonly orders: readonly Omit<OrderInput, 'strategy'>[]
}

export interface SplitOrderInput extends OrderInput {
  readonly splitSize: number
}

export interface ModifyOrderInput extends OrderInput {
  readonly orderId: string
}

export interface OrderIdInput {
  readonly strategy: string
  readonly orderId: string
}

export interface OpenPositionInput {
  readonly strategy: string
  readonly symbol: string
  readonly exchange: string
  readonly product: Product
}

/** The broker registry's lookup (`BrokerRegistry.forUser` fits). */
export interface BrokerSource {
  /** `trace`: the request's latency trace, which the API's instrumented registry times calls into */
  forUser(
    username: string,
    brokerId: string | null,
    trace?: BrokerTiming,
  ):
    | { readonly ok: true; readonly broker: Broker }
    | { readonly ok: false; readonly error: string; readonly message: string }
}

export interface OrderServiceDeps {
  /** analyzer mode, read on every call */
  readonly analyzer: { isOn(): boolean }
  /** the sandbox engine (analyzer mode) */
  readonly sandbox: { readonly engine: SandboxEngine }
  /** the user's broker (live mode) */
  readonly brokers: BrokerSource
  /** order events of live orders (the sandbox publishes its own from its store) */
  readonly publish: (username: string, event: OrderEvent) => void
  readonly clock: Clock
  readonly logger: Logger
}

export interface OrderServices {
  placeOrder(caller: ServiceCaller, input: PlaceOrderInput): Promise<ServiceReply>
  placeSmartOrder(caller: ServiceCaller, input: SmartOrderInput): Promise<ServiceReply>
  basketOrder(caller: ServiceCaller, input: BasketOrderInput): Promise<ServiceReply>
  splitOrder(caller: ServiceCaller, input: SplitOrderInput): Promise<ServiceReply>
  modifyOrder(caller: ServiceCaller, input: ModifyOrderInput): Promise<ServiceReply>
  cancelOrder(caller: ServiceCaller, input: OrderIdInput): Promise<ServiceReply>
  cancelAllOrders(caller: ServiceCaller, input: { strategy: string }): Promise<ServiceReply>
  closePosition(caller: ServiceCaller, input: { strategy: string }): Promise<ServiceReply>
  orderStatus(caller: ServiceCaller, input: OrderIdInput): Promise<ServiceReply>
  openPosition(caller: ServiceCaller, input: OpenPositionInput): Promise<ServiceReply>
}

const ANALYZE = { mode: 'analyze' } as const
const LIVE_KEY_TTL_MS = 24 * 3_600_000
const LIVE_KEY_MAX = 10_000

/** a sandbox request from an order input: prices only where the price type uses them */
export function toSandboxRequest(
  o: Omit<OrderInput, 'strategy'> & { strategy?: string },
): SandboxRequest {
  const limit = o.priceType === 'LIMIT' || o.priceType === 'SL'
  const stop = o.priceType === 'SL' || o.priceType === 'SL-M'
  return {
    symbol: o.symbol,
    exchange: o.exchange,
    action: o.action,
    quantity: o.quantity,
    priceType: o.priceType,
    product: o.product,
    price: limit ? o.price : undefined,
    triggerPrice: stop ? o.triggerPrice : undefined,
    strategy: o.strategy,
  }
}

function toBrokerRequest(o: OrderInput): BrokerOrderRequest {
  return {
    strategy: o.strategy,
    symbol: o.symbol,
    exchange: o.exchange as Exchange,
    action: o.action,
    priceType: o.priceType,
    product: o.product,
    quantity: o.quantity,
    price: o.price,
    triggerPrice: o.triggerPrice,
    disclosedQuantity: o.disclosedQuantity,
  }
}

/** a sandbox refusal as the analyzer's error reply (status from the one table) */
function sandboxFailure(error: SandboxError, extra: Record<string, unknown> = {}): ServiceReply {
  return failure(statusOf(error.code), error.message, { ...extra, ...ANALYZE })
}

/** a placement result as the analyzer's reply: a recorded rejection still carries its order id */
function placed(r: OrderResult): ServiceReply {
  if (r.ok) return success({ orderid: r.order.orderId, ...ANALYZE })
  return sandboxFailure(r.error, r.order ? { orderid: r.order.orderId } : {})
}

export function createOrderServices(deps: OrderServiceDeps): OrderServices {
  const { analyzer, clock } = deps
  const engine = (): SandboxEngine => deps.sandbox.engine
  const logger = deps.logger.child({ component: 'orders' })
  const liveKeys = new Map<
    string,
    { readonly atMs: number; readonly reply: Promise<ServiceReply> }
  >()

  /** runs `fn` with the caller's broker, or answers why there is none */
  const withBroker = async (
    caller: ServiceCaller,
    fn: (broker: Broker) => Promise<ServiceReply>,
  ): Promise<ServiceReply> => {
    const lookup = deps.brokers.forUser(caller.username, caller.broker, caller.trace)
    if (!lookup.ok) return lookupFailure(lookup as Parameters<typeof lookupFailure>[0])
    return fn(lookup.broker)
  }

  const liveEvent = (
    caller: ServiceCaller,
    kind: OrderEvent['kind'],
    status: OrderEvent['status'],
    orderId: string,
    o: OrderInput | undefined,
  ): void => {
    deps.publish(caller.username, {
      kind,
      status,
      mode: 'live',
      broker: caller.broker ?? '',
      orderId,
      symbol: o?.symbol ?? '',
      exchange: o?.exchange ?? '',
      action: o?.action ?? 'BUY',
      quantity: o?.quantity ?? 0,
      priceE4: o?.price ?? 0,
      triggerPriceE4: o?.triggerPrice ?? 0,
      priceType: o?.priceType ?? 'MARKET',
      product: o?.product ?? 'MIS',
      filledQuantity: 0,
      pendingQuantity: o?.quantity ?? 0,
      averagePriceE4: 0,
      fill: null,
      rejectionReason: '',
      atEpochMs: clock.now(),
      ...(o?.strategy ? { strategy: o.strategy } : {}),
    })
  }

  const livePlace = (caller: ServiceCaller, input: OrderInput): Promise<ServiceReply> =>
    withBroker(caller, async (broker) => {
      const r = await broker.orders.place(toBrokerRequest(input))
      if (!r.ok) return brokerFailure(r.error)
      liveEvent(caller, 'placed', 'open', r.value.orderId, input)
      return success({ orderid: String(r.value.orderId) })
    })

  /** the first answer for (user, key), kept a day in memory: a broker has no idempotency key */
  const onceLive = (
    caller: ServiceCaller,
    key: string,
    run: () => Promise<ServiceReply>,
  ): Promise<ServiceReply> => {
    const id = `${caller.username}\u0000${key}`
    const now = clock.now()
    const hit = liveKeys.get(id)
    if (hit && now - hit.atMs < LIVE_KEY_TTL_MS) return hit.reply
    const reply = run()
    liveKeys.set(id, { atMs: now, reply })
    // a failed attempt may be retried with the same key
    void reply.then(
      (r) => (r.status === 200 ? undefined : liveKeys.delete(id)),
      () => liveKeys.delete(id),
    )
    if (liveKeys.size > LIVE_KEY_MAX) liveKeys.delete(liveKeys.keys().next().value as string)
    return reply
  }

  const services: OrderServices = {
    async placeOrder(caller, input) {
      if (analyzer.isOn()) {
        return placed(
          await engine().placeOrder(caller.username, {
            ...toSandboxRequest(input),
            idempotencyKey: input.idempotencyKey,
            underlyingPrice: input.underlyingLtp,
          }),
        )
      }
      if (input.idempotencyKey !== undefined)
        return onceLive(caller, input.idempotencyKey, () => livePlace(caller, input))
      return livePlace(caller, input)
    },

    async placeSmartOrder(caller, input) {
      if (analyzer.isOn()) {
        const r = await engine().placeSmartOrder(caller.username, {
          ...toSandboxRequest(input),
          positionSize: input.positionSize,
        })
        if (r.ok && r.order === null) return success({ message: r.message, ...ANALYZE })
        return placed(r as OrderResult)
      }
      return withBroker(caller, async (broker) => {
        const r = await broker.orders.placeSmart({
          ...toBrokerRequest(input),
          positionSize: input.positionSize,
        })
        if (!r.ok) return brokerFailure(r.error)
        if (r.value.orderId === undefined)
          return success({ message: SMART_ORDER_MESSAGES.alreadyMatched })
        liveEvent(caller, 'placed', 'open', r.value.orderId, {
          ...input,
          ...(r.value.placed ?? {}),
        })
        return success({ orderid: String(r.value.orderId) })
      })
    },

    async basketOrder(caller, input) {
      const legs = input.orders.map((o, index) => ({
        o: { ...o, strategy: input.strategy },
        index,
      }))
      // BUY legs first (margin benefit), results reported in request order (W-29)
      const ordered = [
        ...legs.filter((l) => l.o.action === 'BUY'),
        ...legs.filter((l) => l.o.action !== 'BUY'),
      ]
      const results: Record<string, unknown>[] = []
      if (analyzer.isOn()) {
        const requests = ordered.map((l) => toSandboxRequest(l.o))
        const index = new Map(requests.map((r, i) => [r, ordered[i]?.index ?? i]))
        const out = await engine().placeBasketOrder(caller.username, requests)
        for (const leg of out) {
          const i = index.get(leg.request) ?? -1
          const r = leg.result
          results.push(
            r.ok
              ? {
                  symbol: leg.request.symbol,
                  exchange: leg.request.exchange,
                  product: leg.request.product,
                  status: 'success',
                  orderid: r.order.orderId,
                  batch_order: true,
                  is_last_order: leg.isLastOrder,
                  index: i,
                }
              : {
                  symbol: leg.request.symbol,
                  status: 'error',
                  message: r.error.message,
                  ...(r.order ? { orderid: r.order.orderId } : {}),
                  index: i,
                },
          )
        }
        results.sort((a, b) => (a['index'] as number) - (b['index'] as number))
        return success({ results, ...ANALYZE })
      }
      return withBroker(caller, async (broker) => {
        for (const leg of ordered) {
          const r = await broker.orders.place(toBrokerRequest(leg.o))
          if (r.ok) {
            liveEvent(caller, 'placed', 'open', r.value.orderId, leg.o)
            results.push({
              symbol: leg.o.symbol,
              exchange: leg.o.exchange,
              product: leg.o.product,
              status: 'success',
              orderid: String(r.value.orderId),
              index: leg.index,
            })
          } else {
            results.push({
              symbol: leg.o.symbol,
              status: 'error',
              message: r.error.message || 'Failed to place order',
              index: leg.index,
            })
          }
        }
        results.sort((a, b) => (a['index'] as number) - (b['index'] as number))
        return success({ results })
      })
    },

    async splitOrder(caller, input) {
      if (analyzer.isOn()) {
        const r = await engine().placeSplitOrder(
          caller.username,
          toSandboxRequest(input),
          input.splitSize,
        )
        if (!r.ok) {
          // api.md §7.4: more than 100 chunks is a 400, like every other refused request
          if (r.error.code === 'too_many_orders')
            return failure(400, r.error.message, { ...ANALYZE })
          return sandboxFailure(r.error)
        }
        return success({
          total_quantity: r.totalQuantity,
          split_size: r.splitSize,
          results: r.results.map((c) =>
            c.result.ok
              ? {
                  order_num: c.orderNum,
                  quantity: c.quantity,
                  status: 'success',
                  orderid: c.result.order.orderId,
                }
              : {
                  order_num: c.orderNum,
                  quantity: c.quantity,
                  status: 'error',
                  message: c.result.error.message,
                },
          ),
          ...ANALYZE,
        })
      }
      const full = Math.floor(input.quantity / input.splitSize)
      const rest = input.quantity % input.splitSize
      const count = full + (rest > 0 ? 1 : 0)
      if (count > 100)
        return failure(400, 'Total number of orders would exceed maximum limit of 100')
      return withBroker(caller, async (broker) => {
        const results: Record<string, unknown>[] = []
        for (let i = 0; i < count; i++) {
          const quantity = i < full ? input.splitSize : rest
          const leg = { ...input, quantity }
          const r = await broker.orders.place(toBrokerRequest(leg))
          if (r.ok) liveEvent(caller, 'placed', 'open', r.value.orderId, leg)
          results.push(
            r.ok
              ? { order_num: i + 1, quantity, status: 'success', orderid: String(r.value.orderId) }
              : { order_num: i + 1, quantity, status: 'error', message: r.error.message },
          )
        }
        return success({ total_quantity: input.quantity, split_size: input.splitSize, results })
      })
    },

    async modifyOrder(caller, input) {
      if (analyzer.isOn()) {
        const current = await engine().orderStatus(caller.username, input.orderId)
        if (current === undefined)
          return failure(404, `Order ${input.orderId} not found`, { ...ANALYZE })
        if (current.priceType !== input.priceType) {
          return failure(
            400,
            `Cannot change the price type of order ${input.orderId} from ${current.priceType} to ${input.priceType}; cancel it and place a new order`,
            { ...ANALYZE },
          )
        }
        const r = await engine().modifyOrder(caller.username, input.orderId, {
          quantity: input.quantity,
          price:
            current.priceType === 'LIMIT' || current.priceType === 'SL' ? input.price : undefined,
          triggerPrice:
            current.priceType === 'SL' || current.priceType === 'SL-M'
              ? input.triggerPrice
              : undefined,
        })
        if (!r.ok) return sandboxFailure(r.error)
        return success({
          orderid: r.order.orderId,
          message: 'Order modified successfully',
          ...ANALYZE,
        })
      }
      return withBroker(caller, async (broker) => {
        const r = await broker.orders.modify({ ...toBrokerRequest(input), orderId: input.orderId })
        if (!r.ok) return brokerFailure(r.error)
        liveEvent(caller, 'modified', 'open', r.value.orderId, input)
        return success({ orderid: String(r.value.orderId) })
      })
    },

    async cancelOrder(caller, input) {
      if (analyzer.isOn()) {
        const r = await engine().cancelOrder(caller.username, input.orderId)
        if (!r.ok) return sandboxFailure(r.error)
        return success({
          orderid: r.order.orderId,
          message: 'Order cancelled successfully',
          ...ANALYZE,
        })
      }
      return withBroker(caller, async (broker) => {
        const r = await broker.orders.cancel(input.orderId)
        if (!r.ok) return brokerFailure(r.error)
        liveEvent(caller, 'cancelled', 'cancelled', r.value.orderId, undefined)
        return success({ orderid: String(r.value.orderId) })
      })
    },

    async cancelAllOrders(caller) {
      if (analyzer.isOn()) {
        const r = await engine().cancelAllOrders(caller.username)
        const ids = r.cancelled.map((o) => o.orderId)
        if (ids.length === 0) {
          return success({
            message: 'No open orders to cancel',
            canceled_orders: [],
            failed_cancellations: [],
            ...ANALYZE,
          })
        }
        return success({
          message: `Canceled ${ids.length} orders. Failed to cancel 0 orders.`,
          canceled_orders: ids,
          failed_cancellations: [],
          ...ANALYZE,
        })
      }
      return withBroker(caller, async (broker) => {
        const r = await broker.orders.cancelAll()
        if (!r.ok) return brokerFailure(r.error)
        for (const id of r.value.cancelled)
          liveEvent(caller, 'cancelled', 'cancelled', id, undefined)
        return success({
          canceled_orders: r.value.cancelled.map(String),
          failed_cancellations: r.value.failed.map((f) => ({
            orderid: String(f.orderId),
            message: f.reason,
          })),
          message: `Canceled ${r.value.cancelled.length} orders. Failed to cancel ${r.value.failed.length} orders.`,
        })
      })
    },

    async closePosition(caller, input) {
      if (analyzer.isOn()) {
        const r = await engine().closeAllPositions(caller.username, input.strategy || undefined)
        const closed = r.closed.length
        const failed = r.failed.length
        if (closed + failed === 0)
          return success({ message: 'No open positions to close', ...ANALYZE })
        return success({
          message: `Closed ${closed} positions${failed > 0 ? ` (Failed to close ${failed} positions)` : ''}`,
          closed_positions: closed,
          failed_closures: failed,
          ...ANALYZE,
        })
      }
      return withBroker(caller, async (broker) => {
        const r = await broker.orders.closeAllPositions()
        if (!r.ok) return brokerFailure(r.error)
        return success({ message: 'All Open Positions Squared Off' })
      })
    },

    async orderStatus(caller, input) {
      if (analyzer.isOn()) {
        const o = await engine().orderStatus(caller.username, input.orderId)
        if (o === undefined) return failure(404, `Order ${input.orderId} not found`, { ...ANALYZE })
        return success({ data: orderStatusData(o), ...ANALYZE })
      }
      return withBroker(caller, async (broker) => {
        const book = await broker.books.orderBook()
        if (!book.ok) return brokerFailure(book.error)
        const row: OrderRow | undefined = book.value.orders.find(
          (o) => String(o.orderId) === input.orderId,
        )
        if (row === undefined) return failure(404, `Order ${input.orderId} not found`)
        let average = row.averagePrice
        if (row.status === 'complete' && average === undefined) {
          const trades = await broker.books.tradeBook()
          if (trades.ok) average = trades.value.find((t) => t.orderId === row.orderId)?.averagePrice
        }
        const wire = toWireOrderRow(row)
        return success({
          data: { ...wire, average_price: wire['average_price'] ?? (average ?? 0) / 10_000 },
        })
      })
    },

    async openPosition(caller, input) {
      if (analyzer.isOn()) {
        const quantity = await engine().openPosition(
          caller.username,
          input.symbol,
          input.exchange,
          input.product,
        )
        return success({ quantity, ...ANALYZE })
      }
      return withBroker(caller, async (broker) => {
        const book = await broker.books.positions()
        if (!book.ok) return brokerFailure(book.error)
        const row = book.value.find(
          (p) =>
            p.symbol === input.symbol &&
            p.exchange === input.exchange &&
            p.product === input.product,
        )
        return success({ quantity: row?.quantity ?? 0 })
      })
    },
  }
  logger.debug({}, 'order services ready')
  return services
}
