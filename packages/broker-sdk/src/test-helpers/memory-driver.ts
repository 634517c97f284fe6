// An in-memory driver for the SDK's own unit tests: books live in arrays, orders fill at once when
// asked to. It is a fake injected through the factory (STYLE.md §10), not a mock of SDK code.
import type { BrokerDriver, QuoteBatchItem } from '../contract.js'
import { BrokerError } from '../errors.js'
import type {
  Candle,
  InstrumentRef,
  OrderRequest,
  OrderRow,
  PositionRow,
  Quote,
} from '../models.js'
import { instrumentKey } from '../models.js'
import { fromRupees } from '../money.js'
import { err, ok } from '../result.js'
import type { Result } from '../result.js'

export interface MemoryDriverState {
  positions: PositionRow[]
  orders: OrderRow[]
  quotes: Map<string, Quote>
  placed: OrderRequest[]
  batchCalls: InstrumentRef[][]
  singleQuoteCalls: InstrumentRef[]
  historyCalls: { from: string; to: string }[]
  cancelled: string[]
}

export interface MemoryDriverOptions {
  /** apply each placed order to the position book at once */
  fill?: boolean
  /** await this inside place (to widen race windows in concurrency tests) */
  placeDelay?: () => Promise<void>
  batch?: (refs: readonly InstrumentRef[]) => Promise<Result<QuoteBatchItem[]>>
  history?: (from: string, to: string) => Candle[]
  orderId?: (n: number) => string
}

export function quoteOf(ltp: string): Quote {
  const p = fromRupees(Number(ltp))
  return { ltp: p, open: p, high: p, low: p, prevClose: p, bid: p, ask: p, volume: 100, oi: 0 }
}

export function position(
  symbol: string,
  quantity: number,
  product: PositionRow['product'] = 'MIS',
): PositionRow {
  return {
    symbol,
    exchange: 'NSE',
    product,
    quantity,
    averagePrice: fromRupees(100),
    ltp: fromRupees(101),
    pnl: fromRupees(quantity),
    symbolResolved: true,
  }
}

export function createMemoryDriver(options: MemoryDriverOptions = {}): {
  driver: BrokerDriver
  state: MemoryDriverState
} {
  const state: MemoryDriverState = {
    positions: [],
    orders: [],
    quotes: new Map(),
    placed: [],
    batchCalls: [],
    singleQuoteCalls: [],
    historyCalls: [],
    cancelled: [],
  }
  const driver: BrokerDriver = {
    auth: {
      loginUrl: () => null,
      completeLogin: async () => ok({ authToken: 'memory-session-token' }),
      validateSession: async () => ok(undefined),
    },
    orders: {
      async place(req) {
        state.placed.push(req)
        await options.placeDelay?.()
        if (options.fill === true) {
          const signed = req.action === 'BUY' ? req.quantity : -req.quantity
          const row = state.positions.find(
            (p) =>
              p.symbol === req.symbol && p.exchange === req.exchange && p.product === req.product,
          )
          if (row === undefined)
            state.positions.push({
              ...position(req.symbol, signed, req.product),
              exchange: req.exchange,
            })
          else row.quantity += signed
        }
        return ok({
          orderId: options.orderId?.(state.placed.length) ?? `ord-${state.placed.length}`,
        })
      },
      modify: async (req) => ok({ orderId: req.orderId }),
      async cancel(orderId) {
        if (!state.orders.some((o) => o.orderId === orderId)) {
          return err(new BrokerError('invalid_input', `order ${orderId} not found`))
        }
        state.cancelled.push(orderId)
        return ok({ orderId })
      },
    },
    books: {
      orderBook: async () => ok(state.orders),
      tradeBook: async () => ok([]),
      positions: async () => ok(state.positions.map((p) => ({ ...p }))),
      holdings: async () =>
        ok({
          holdings: [
            {
              symbol: 'RELIANCE',
              exchange: 'NSE',
              product: 'CNC',
              quantity: 2,
              averagePrice: fromRupees(1000.5),
              ltp: fromRupees(884),
              pnl: fromRupees(-233),
              pnlPercent: -11.64,
              symbolResolved: true,
            },
          ],
        }),
    },
    funds: async () =>
      ok({
        availableCash: fromRupees(320.66),
        collateral: fromRupees(0),
        m2mUnrealized: fromRupees(-7.88),
        m2mRealized: fromRupees(3.27),
        utilisedDebits: fromRupees(679.34),
      }),
    marketData: {
      async quote(ref) {
        state.singleQuoteCalls.push(ref)
        const quote = state.quotes.get(instrumentKey(ref))
        return quote === undefined
          ? err(new BrokerError('symbol_not_found', `no quote for ${ref.symbol}`))
          : ok(quote)
      },
      ...(options.batch === undefined
        ? {}
        : {
            quotesBatch: async (refs: readonly InstrumentRef[]) => {
              state.batchCalls.push([...refs])
              return options.batch!(refs)
            },
          }),
      depth: async () => err(new BrokerError('not_supported', 'no depth in memory')),
      async history(_ref, _interval, from, to) {
        state.historyCalls.push({ from, to })
        return ok(options.history?.(from, to) ?? [])
      },
    },
    instruments: {
      async *downloadMaster() {
        // no rows
      },
    },
    orderUpdates: 'poll',
  }
  return { driver, state }
}
