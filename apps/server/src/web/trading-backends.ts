import type { Inr4 } from '@oa/broker-sdk'
import type {
  ActionReply,
  AnalyzerEntry,
  AnalyzerLog,
  Funds,
  Holdings,
  OrderBook,
  OrderRow,
  PositionBook,
  TradeBook,
  WebEvent,
} from '@oa/web-contract'
import type { OrderEvent } from '../events/order-events.js'
import type { ServiceCaller, ServiceReply } from '../services/reply.js'
import type { TradingArea } from '../trading/trading.js'
import { WebBackendError, type WebBackends } from './backends.js'
import { toIstIso } from './ist.js'

type Subscribe = NonNullable<WebBackends['subscribe']>
type Obj = Record<string, unknown>

const STRATEGY = 'Web'

/**
 * Rupees from the OpenAlgo wire (a JSON number or decimal text) to integer 1/10,000 rupee:
 * through the decimal text, never `x * 10_000` (STYLE.md §8); more than 4 decimals round half
 * away from zero. Unreadable → 0.
 */
export function toE4(value: unknown): number {
  let text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : ''
  text = text.trim()
  if (/e/i.test(text)) text = Number(text).toFixed(4)
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text)
  if (!m) return 0
  const frac = (m[3] ?? '').padEnd(5, '0')
  let units = Number(m[2]) * 10_000 + Number(frac.slice(0, 4))
  if (Number(frac[4]) >= 5) units += 1
  return m[1] === '-' && units !== 0 ? -units : units
}

const int = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number(v)
  return Number.isFinite(n) ? Math.trunc(n) : 0
}
const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v))
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']

/** The wire's IST timestamps (`02-Mar-2026 10:00:04`, `2026-03-02 10:00:04`) as ISO with +05:30. */
export function istText(value: unknown): string {
  const s = str(value)
  const a = /^(\d{2})-([A-Za-z]{3})-(\d{4}) (\d{2}:\d{2}:\d{2})$/.exec(s)
  if (a) {
    const month = MONTHS.indexOf((a[2] ?? '').toUpperCase()) + 1
    if (month > 0) return `${a[3]}-${String(month).padStart(2, '0')}-${a[1]}T${a[4]}+05:30`
  }
  const b = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(s)
  if (b) return `${b[1]}T${b[2]}+05:30`
  return s
}

/** The reply's body when it succeeded; else the trader sees its message. */
function ok(reply: ServiceReply): Obj {
  if (reply.status < 400 && reply.body['status'] !== 'error') return reply.body
  const message = str(reply.body['message']) || 'The request failed.'
  const status = reply.status === 404 ? 404 : reply.status >= 500 ? 502 : 400
  throw new WebBackendError(status, message)
}
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : [])
const action = (v: unknown): 'BUY' | 'SELL' => (str(v).toUpperCase() === 'SELL' ? 'SELL' : 'BUY')

function orderRow(o: Obj): OrderRow {
  return {
    orderId: str(o['orderid']),
    symbol: str(o['symbol']),
    exchange: str(o['exchange']),
    action: action(o['action']),
    quantity: int(o['quantity']),
    filledQuantity: int(o['filled_quantity']),
    priceE4: toE4(o['price']),
    triggerPriceE4: toE4(o['trigger_price']),
    averagePriceE4: toE4(o['average_price']),
    priceType: str(o['pricetype']),
    product: str(o['product']),
    status: str(o['order_status']).toLowerCase(),
    rejectionReason: str(o['rejection_reason'] ?? o['rejectreason']),
    time: istText(o['timestamp']),
  }
}

function statsOf(orders: readonly OrderRow[]): OrderBook['statistics'] {
  const n = (f: (o: OrderRow) => boolean) => orders.filter(f).length
  return {
    buyOrders: n((o) => o.action === 'BUY'),
    sellOrders: n((o) => o.action === 'SELL'),
    completed: n((o) => o.status === 'complete'),
    open: n((o) => o.status === 'open' || o.status === 'trigger_pending'),
    rejected: n((o) => o.status === 'rejected'),
  }
}

function fromEvent(e: OrderEvent): OrderRow {
  return {
    orderId: e.orderId,
    symbol: e.symbol,
    exchange: e.exchange,
    action: e.action,
    quantity: e.quantity,
    filledQuantity: e.filledQuantity,
    priceE4: e.priceE4,
    triggerPriceE4: e.triggerPriceE4,
    averagePriceE4: e.averagePriceE4,
    priceType: e.priceType,
    product: e.product,
    status: e.status,
    rejectionReason: e.rejectionReason,
    time: toIstIso(e.atEpochMs),
  }
}

function reply(body: Obj, fallback: string): ActionReply {
  const orderId = body['orderid']
  return {
    message: str(body['message']) || fallback,
    orderId: orderId === undefined ? null : str(orderId),
  }
}

/**
 * The trading area's part of the web app's backends: the books, funds, order actions and the
 * analyzer log through the same `(caller, input)` services as `/api/v1` (their OpenAlgo replies
 * mapped to the web contract), and order events pushed to the user's tabs (the changed row, then
 * a portfolio refresh). `subscribe` is chained after `previous` (other areas').
 */
export function tradingWebBackends(trading: TradingArea, previous?: Subscribe): WebBackends {
  const { account, orders } = trading
  const caller = (c: ServiceCaller): ServiceCaller => ({ username: c.username, broker: c.broker })
  const order = (input: {
    symbol: string
    exchange: string
    action: 'BUY' | 'SELL'
    quantity: number
    priceType: 'MARKET' | 'LIMIT' | 'SL' | 'SL-M'
    product: 'CNC' | 'NRML' | 'MIS'
    price: string
    triggerPrice: string
  }) => ({
    strategy: STRATEGY,
    symbol: input.symbol,
    exchange: input.exchange,
    action: input.action,
    quantity: input.quantity,
    priceType: input.priceType,
    product: input.product,
    price: toE4(input.price) as Inr4,
    triggerPrice: toE4(input.triggerPrice) as Inr4,
    disclosedQuantity: 0,
  })

  return {
    orderEvents: true,
    async funds(c): Promise<Funds> {
      const d = (ok(await account.funds(caller(c)))['data'] ?? {}) as Obj
      return {
        availableCashE4: toE4(d['availablecash']),
        collateralE4: toE4(d['collateral']),
        m2mUnrealizedE4: toE4(d['m2munrealized']),
        m2mRealizedE4: toE4(d['m2mrealized']),
        utilisedDebitsE4: toE4(d['utiliseddebits']),
      }
    },
    async orderBook(c): Promise<OrderBook> {
      const d = (ok(await account.orderBook(caller(c)))['data'] ?? {}) as Obj
      const rows = list(d['orders']).map(orderRow)
      return { orders: rows, statistics: statsOf(rows) }
    },
    async tradeBook(c): Promise<TradeBook> {
      const trades = list(ok(await account.tradeBook(caller(c)))['data']).map((t) => ({
        orderId: str(t['orderid']),
        symbol: str(t['symbol']),
        exchange: str(t['exchange']),
        product: str(t['product']),
        action: action(t['action']),
        quantity: int(t['quantity']),
        averagePriceE4: toE4(t['average_price']),
        tradeValueE4: toE4(t['trade_value']),
        time: istText(t['timestamp']),
      }))
      return { trades }
    },
    async positions(c): Promise<PositionBook> {
      const positions = list(ok(await account.positionBook(caller(c)))['data']).map((p) => ({
        symbol: str(p['symbol']),
        exchange: str(p['exchange']),
        product: str(p['product']),
        quantity: int(p['quantity']),
        averagePriceE4: toE4(p['average_price']),
        ltpE4: toE4(p['ltp']),
        pnlE4: toE4(p['pnl']),
        realizedPnlE4: toE4(p['today_realized_pnl'] ?? p['realized_pnl']),
      }))
      return { positions }
    },
    async holdings(c): Promise<Holdings> {
      const d = (ok(await account.holdings(caller(c)))['data'] ?? {}) as Obj
      const s = (d['statistics'] ?? {}) as Obj
      const bps = (v: unknown) => Math.round(toE4(v) / 100)
      return {
        holdings: list(d['holdings']).map((h) => ({
          symbol: str(h['symbol']),
          exchange: str(h['exchange']),
          product: str(h['product']),
          quantity: int(h['quantity']),
          averagePriceE4: toE4(h['average_price'] ?? h['averageprice']),
          ltpE4: toE4(h['ltp']),
          pnlE4: toE4(h['pnl']),
          pnlBps: bps(h['pnlpercent']),
        })),
        statistics: {
          totalHoldingValueE4: toE4(s['totalholdingvalue']),
          totalInvestmentValueE4: toE4(s['totalinvvalue']),
          totalPnlE4: toE4(s['totalprofitandloss']),
          totalPnlBps: bps(s['totalpnlpercentage']),
        },
      }
    },
    async placeOrder(c, input) {
      return reply(ok(await orders.placeOrder(caller(c), order(input))), 'Order placed')
    },
    async modifyOrder(c, input) {
      const body = ok(
        await orders.modifyOrder(caller(c), { ...order(input), orderId: input.orderId }),
      )
      return reply(body, 'Order modified')
    },
    async cancelOrder(c, orderId) {
      const body = ok(await orders.cancelOrder(caller(c), { strategy: STRATEGY, orderId }))
      return reply(body, `Order ${orderId} cancelled`)
    },
    async cancelAllOrders(c) {
      return reply(ok(await orders.cancelAllOrders(caller(c), { strategy: STRATEGY })), 'Cancelled')
    },
    async closePosition(c, input) {
      // one position: a smart order to a net quantity of 0 (the original UI's close_position)
      const body = ok(
        await orders.placeSmartOrder(caller(c), {
          ...order({
            symbol: input.symbol,
            exchange: input.exchange,
            action: 'SELL',
            quantity: 0,
            priceType: 'MARKET',
            product: input.product as 'CNC' | 'NRML' | 'MIS',
            price: '0',
            triggerPrice: '0',
          }),
          positionSize: 0,
        }),
      )
      return reply(body, `${input.symbol} closed`)
    },
    async closeAllPositions(c) {
      const body = ok(await orders.closePosition(caller(c), { strategy: STRATEGY }))
      return reply(body, 'All Open Positions Squared Off')
    },
    analyzerLog(c, range): Promise<AnalyzerLog> {
      const rows = trading.analyzerLog.list({
        start: range.startIst,
        end: range.endIst,
        username: c.username,
      })
      const requests: AnalyzerEntry[] = rows.map((r, i) => {
        const nullable = (v: unknown) => (v === undefined || v === null || v === '' ? null : str(v))
        const qty = r.quantity === undefined || r.quantity === null ? null : int(r.quantity)
        return {
          id: rows.length - i,
          time: istText(r.timestamp),
          apiType: r.api_type,
          source: r.source || 'Unknown',
          symbol: nullable(r.symbol),
          exchange: nullable(r.exchange),
          action: nullable(r.action),
          quantity: qty,
          priceType: nullable(r.price_type),
          product: nullable(r.product_type),
          orderId: nullable(r.orderid),
          ok: !r.analysis.issues,
          issue: r.analysis.error,
          request: r.request_data,
          response: r.response_data,
        }
      })
      const uniq = (xs: (string | null)[]) =>
        [...new Set(xs.filter((x): x is string => x !== null))].sort()
      return Promise.resolve({
        stats: {
          totalRequests: requests.length,
          issues: requests.filter((r) => !r.ok).length,
          symbols: uniq(requests.map((r) => r.symbol)),
          sources: uniq(requests.map((r) => r.source)),
        },
        requests,
      })
    },
    subscribe(listener) {
      const before = previous?.(listener)
      const off = trading.events.onOrderEvent((username, e) => {
        const event: WebEvent = { type: 'order', kind: e.kind, mode: e.mode, order: fromEvent(e) }
        // the page patches its book with the row and refetches positions, trades and funds
        listener(username, event)
      })
      return () => {
        off()
        before?.()
      }
    },
  }
}
