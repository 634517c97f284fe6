/**
 * Live orders on the simulator: an embedded `@oa/sandbox-engine` fed by the simulator's own
 * deterministic prices makes it behave as a broker: it accepts orders or rejects them with a
 * reason, fills MARKET orders at the touch, rests LIMIT and stop orders until the price crosses,
 * and keeps books, positions, holdings (T+1) and funds. Its state lives in the store the host
 * gives (a SQLite file in the server, so it survives restarts) or in memory.
 *
 * Resting orders are matched against the market whenever the account is used (every broker call
 * catches up first) and, when the host passes a scheduler, every `intervalMs` in the background;
 * either way only instruments with resting orders are priced (`restingSymbols()`).
 */
import {
  BrokerError,
  asInr4,
  err,
  notional,
  ok,
  type BrokerErrorCode,
  type CancelAllOutcome,
  type Funds,
  type HoldingRow,
  type HoldingStats,
  type MarginLeg,
  type MarginResult,
  type ModifyRequest,
  type OrderRequest,
  type OrderRow,
  type PlacedOrder,
  type PositionRow,
  type Result,
  type TradeRow,
} from '@oa/broker-sdk'
import {
  createCountingIds,
  createMemoryStore,
  createSandboxEngine,
  type Order,
  type OrderRequest as SandboxRequest,
  type SandboxConfigInput,
  type SandboxEngine,
  type SandboxError,
  type SandboxStore,
} from '@oa/sandbox-engine'
import type { Market } from '../market/market.js'
import {
  createMarketCalendar,
  createMarketInstruments,
  createMarketPrices,
} from './sandbox-ports.js'

/** Options of the simulator's live orders (`createSimulatorPlugin({ liveOrders })`). */
export interface LiveOrdersOptions {
  /**
   * where accounts, orders, positions and funds live; default in memory. The server passes a
   * SQLite store (`createSqliteStore` over `<OA_DATA_DIR>/simulator.db`) so they survive restarts.
   */
  store?: SandboxStore
  /** engine settings (margins, square-off times…); capital defaults to the plugin's `startingCash` */
  config?: SandboxConfigInput
  /**
   * runs `fn` every `ms` until the returned function is called: background matching of resting
   * orders. Without it, resting orders are matched when the account is next used.
   */
  schedule?: (fn: () => void, ms: number) => () => void
  /** background matching period, default 1000 ms */
  intervalMs?: number
}

/** The embedded engine and what the driver needs from it. */
export interface LiveOrders {
  readonly engine: SandboxEngine
  /** matches resting orders and runs due jobs (square-off, T+1) at the clock's instant */
  catchUp(): Promise<void>
  /** points the engine's clock at a broker context's clock (the latest context wins) */
  useClock(clock: { now(): number }): void
  /** stops background matching and closes the store */
  close(): Promise<void>
}

/** The account of a session: its broker user id, else the simulator's default client code. */
export const DEFAULT_ACCOUNT = 'SIM01'

export function createLiveOrders(
  market: Market,
  startingCash: number,
  options: LiveOrdersOptions = {},
): LiveOrders {
  let clock: { now(): number } = { now: () => 0 }
  const engineClock = { now: () => clock.now() }
  const engine = createSandboxEngine({
    clock: engineClock,
    prices: createMarketPrices(market, engineClock),
    instruments: createMarketInstruments(market),
    store: options.store ?? createMemoryStore(),
    ids: createCountingIds(),
    calendar: market.alwaysOpen ? { isTradingDay: () => true } : createMarketCalendar(market),
    config: {
      startingCapital: asInr4(startingCash),
      ...(market.alwaysOpen ? { enforceMisWindow: false } : {}),
      ...options.config,
    },
  })
  let running: Promise<void> | undefined
  const catchUp = (): Promise<void> => {
    // one run at a time; callers arriving meanwhile share it
    running ??= engine
      .runDue()
      .then(() => undefined)
      .finally(() => {
        running = undefined
      })
    return running
  }
  let stop: (() => void) | undefined
  return {
    engine,
    catchUp,
    useClock(next) {
      clock = next
      if (stop === undefined && options.schedule !== undefined) {
        stop = options.schedule(() => {
          void catchUp().catch(() => undefined)
        }, options.intervalMs ?? 1_000)
      }
    },
    async close() {
      stop?.()
      stop = undefined
      await engine.close()
    },
  }
}

const CODE: Readonly<Record<SandboxError['code'], BrokerErrorCode>> = {
  invalid_quantity: 'invalid_input',
  invalid_price: 'invalid_input',
  invalid_trigger_price: 'invalid_input',
  tick_size_mismatch: 'invalid_input',
  lot_size_mismatch: 'invalid_input',
  freeze_quantity_exceeded: 'invalid_input',
  unknown_symbol: 'symbol_not_found',
  invalid_exchange: 'invalid_input',
  invalid_order: 'invalid_input',
  product_not_allowed: 'invalid_input',
  insufficient_funds: 'rejected',
  insufficient_holdings: 'rejected',
  order_not_found: 'invalid_input',
  order_not_modifiable: 'rejected',
  position_not_found: 'invalid_input',
  market_closed: 'rejected',
  no_price: 'rejected',
  too_many_orders: 'invalid_input',
}

/** A refusal of the engine as the broker error a trader sees (the engine's message kept). */
export function toBrokerError(error: SandboxError): BrokerError {
  return new BrokerError(CODE[error.code], error.message, { brokerCode: error.code })
}

const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const IST_OFFSET_MS = 19_800_000

/** `08-Apr-2025 13:58:03` in IST, the order-book timestamp most OpenAlgo brokers send. */
export function brokerTimestamp(epochMs: number): string {
  const d = new Date(epochMs + IST_OFFSET_MS)
  const p2 = (n: number): string => String(n).padStart(2, '0')
  return `${p2(d.getUTCDate())}-${MONTH[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
}

function toSandboxRequest(req: OrderRequest): SandboxRequest {
  return {
    symbol: req.symbol,
    exchange: req.exchange,
    action: req.action,
    quantity: req.quantity,
    priceType: req.priceType,
    product: req.product,
    price: req.priceType === 'LIMIT' || req.priceType === 'SL' ? req.price : undefined,
    triggerPrice: req.priceType === 'SL' || req.priceType === 'SL-M' ? req.triggerPrice : undefined,
    strategy: req.strategy,
  }
}

function toOrderRow(o: Order): OrderRow {
  return {
    orderId: o.orderId,
    symbol: o.symbol,
    exchange: o.exchange as OrderRow['exchange'],
    action: o.action,
    quantity: o.quantity,
    price: o.price,
    triggerPrice: o.triggerPrice,
    priceType: o.priceType,
    product: o.product,
    status: o.status,
    rawStatus: o.status === 'trigger_pending' ? 'trigger pending' : o.status,
    timestamp: brokerTimestamp(o.placedAtMs),
    filledQuantity: o.filledQuantity,
    averagePrice: o.averagePrice,
    ...(o.rejectionReason === null ? {} : { rejectionReason: o.rejectionReason }),
    symbolResolved: true,
  }
}

/** The orders, books, funds and margin facets of one account. */
export function accountFacets(live: LiveOrders, account: string) {
  const { engine } = live
  const ready = (): Promise<void> => live.catchUp()
  return {
    orders: {
      async place(req: OrderRequest): Promise<Result<PlacedOrder>> {
        await ready()
        const r = await engine.placeOrder(account, toSandboxRequest(req))
        if (!r.ok) return err(toBrokerError(r.error))
        return ok({ orderId: r.order.orderId, raw: { status: r.order.status } })
      },
      async modify(req: ModifyRequest): Promise<Result<{ orderId: string }>> {
        await ready()
        const r = await engine.modifyOrder(account, req.orderId, {
          quantity: req.quantity,
          price: req.priceType === 'LIMIT' || req.priceType === 'SL' ? req.price : undefined,
          triggerPrice:
            req.priceType === 'SL' || req.priceType === 'SL-M' ? req.triggerPrice : undefined,
        })
        return r.ok ? ok({ orderId: r.order.orderId }) : err(toBrokerError(r.error))
      },
      async cancel(orderId: string): Promise<Result<{ orderId: string }>> {
        await ready()
        const r = await engine.cancelOrder(account, orderId)
        return r.ok ? ok({ orderId: r.order.orderId }) : err(toBrokerError(r.error))
      },
      async cancelAll(): Promise<Result<CancelAllOutcome>> {
        await ready()
        const r = await engine.cancelAllOrders(account)
        return ok({ cancelled: r.cancelled.map((o) => o.orderId), failed: [] })
      },
      async closeAllPositions(): Promise<
        Result<{ message: string; closed: number; failed: number }>
      > {
        await ready()
        const r = await engine.closeAllPositions(account, 'SQUARE_OFF')
        return ok({
          message: 'All Open Positions Squared Off',
          closed: r.closed.length,
          failed: r.failed.length,
        })
      },
    },
    books: {
      async orderBook(): Promise<Result<OrderRow[]>> {
        await ready()
        return ok((await engine.orders(account)).map(toOrderRow))
      },
      async tradeBook(): Promise<Result<TradeRow[]>> {
        await ready()
        return ok(
          (await engine.trades(account)).map((t): TradeRow => ({
            orderId: t.orderId,
            symbol: t.symbol,
            exchange: t.exchange as TradeRow['exchange'],
            product: t.product,
            action: t.action,
            quantity: t.quantity,
            averagePrice: t.price,
            tradeValue: notional(t.price, t.quantity),
            timestamp: brokerTimestamp(t.tradedAtMs),
            tradeId: t.tradeId,
            symbolResolved: true,
          })),
        )
      },
      async positions(): Promise<Result<PositionRow[]>> {
        await ready()
        return ok(
          (await engine.positions(account)).map((p): PositionRow => ({
            symbol: p.symbol,
            exchange: p.exchange as PositionRow['exchange'],
            product: p.product,
            quantity: p.quantity,
            averagePrice: p.averagePrice,
            ltp: p.ltp,
            pnl: p.sessionPnl,
            symbolResolved: true,
          })),
        )
      },
      async holdings(): Promise<Result<{ holdings: HoldingRow[]; statistics: HoldingStats }>> {
        await ready()
        const h = await engine.holdings(account)
        return ok({
          holdings: h.holdings.map((row): HoldingRow => ({
            symbol: row.symbol,
            exchange: row.exchange as HoldingRow['exchange'],
            product: 'CNC',
            quantity: row.quantity,
            averagePrice: row.averagePrice,
            ltp: row.ltp,
            pnl: row.pnl,
            pnlPercent: Math.round(row.pnlPercent * 100) / 100,
            symbolResolved: true,
          })),
          statistics: {
            totalHoldingValue: h.totalHoldingValue,
            totalInvValue: h.totalInvestedValue,
            totalProfitAndLoss: h.totalPnl,
            totalPnlPercentage: Math.round(h.totalPnlPercent * 100) / 100,
          },
        })
      },
    },
    async funds(): Promise<Result<Funds>> {
      await ready()
      const f = await engine.funds(account)
      return ok({
        availableCash: f.availableCash,
        collateral: f.collateral,
        m2mUnrealized: f.m2mUnrealized,
        m2mRealized: f.m2mRealized,
        utilisedDebits: f.utilisedDebits,
      })
    },
    margin: {
      async basketMargin(legs: readonly MarginLeg[]): Promise<Result<MarginResult>> {
        const r = await engine.estimateMargin(
          legs.map((l) =>
            toSandboxRequest({ ...l, strategy: '', disclosedQuantity: 0 } satisfies OrderRequest),
          ),
          { userId: account },
        )
        if (!r.ok) return err(toBrokerError(r.error))
        const e = r.estimate
        return ok({
          totalMarginRequired: e.total,
          spanMargin: e.span,
          exposureMargin: e.exposure,
          extras: { premium: e.premium, equity_margin: e.equity, margin_benefit: e.hedgeBenefit },
        })
      },
    },
  }
}
