// "refex": a small, Kite-like reference broker used to prove the SDK contract and run the
// conformance suites green inside this package. It is written the way a real broker package
// should be: pure mappers, zod schemas listing only the fields read, all I/O through ctx.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { BrokerContext, BrokerDriver, BrokerSession, QuoteBatchItem } from '../contract.js'
import { defineBroker } from '../define-broker.js'
import type { OrderStatus, StreamMode } from '../enums.js'
import { exchangeSchema } from '../enums.js'
import { BrokerError } from '../errors.js'
import { classifyHttpStatus, readJson } from '../http-client.js'
import type { HttpRequest, HttpResponse } from '../http-types.js'
import type {
  Candle,
  Depth,
  DepthLevel,
  Funds,
  HoldingRow,
  InstrumentRef,
  ModifyRequest,
  OrderRequest,
  OrderRow,
  PositionRow,
  Quote,
  TradeRow,
} from '../models.js'
import { instrumentKey } from '../models.js'
import { fromRupees, toRupees } from '../money.js'
import type { Inr4 } from '../money.js'
import { err, ok } from '../result.js'
import type { Result } from '../result.js'
import { createSocketAdapter } from '../socket-adapter.js'
import type { DecodedFrame, SocketProtocol } from '../socket-adapter.js'
import { formatExpiry, parseExpiry } from '../symbol-grammar.js'
import type { SymbolResolver, SymbolRow } from '../symbols.js'

export const REFEX_ORDER_STATUSES: Readonly<Record<string, OrderStatus>> = {
  OPEN: 'open',
  'PUT ORDER REQ RECEIVED': 'open',
  'VALIDATION PENDING': 'open',
  'OPEN PENDING': 'open',
  'MODIFY PENDING': 'open',
  'CANCEL PENDING': 'open',
  'AMO REQ RECEIVED': 'open',
  'TRIGGER PENDING': 'trigger_pending',
  COMPLETE: 'complete',
  REJECTED: 'rejected',
  CANCELLED: 'cancelled',
  EXPIRED: 'expired',
}

/** Total: anything undocumented is `unknown`. */
export function mapOrderStatus(raw: string): OrderStatus {
  return REFEX_ORDER_STATUSES[raw.trim().toUpperCase()] ?? 'unknown'
}

const rupees = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const parsed = typeof value === 'number' ? fromRupeesSafe(value) : fromRupeesSafe(Number(value))
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: `not a price: ${String(value)}` })
    return z.NEVER
  }
  return parsed
})

function fromRupeesSafe(value: number): Inr4 | undefined {
  try {
    return fromRupees(value, { round: true })
  } catch {
    return undefined
  }
}

const side = z.enum(['BUY', 'SELL'])
const product = z.enum(['CNC', 'NRML', 'MIS'])
const orderType = z.enum(['MARKET', 'LIMIT', 'SL', 'SL-M'])

const rawOrder = z.object({
  order_id: z.string(),
  tradingsymbol: z.string(),
  exchange: exchangeSchema,
  transaction_type: side,
  order_type: orderType,
  product,
  quantity: z.number().int(),
  price: rupees,
  trigger_price: rupees,
  status: z.string(),
  order_timestamp: z.string(),
  filled_quantity: z.number().int().default(0),
  average_price: rupees.default(0 as Inr4),
  status_message: z.string().nullable().default(null),
})
const rawTrade = z.object({
  order_id: z.string(),
  trade_id: z.string(),
  tradingsymbol: z.string(),
  exchange: exchangeSchema,
  transaction_type: side,
  product,
  quantity: z.number().int().positive(),
  average_price: rupees,
  fill_timestamp: z.string(),
})
const rawPosition = z.object({
  tradingsymbol: z.string(),
  exchange: exchangeSchema,
  product,
  quantity: z.number().int(),
  average_price: rupees,
  last_price: rupees,
  pnl: rupees,
})
const rawHolding = z.object({
  tradingsymbol: z.string(),
  exchange: exchangeSchema,
  quantity: z.number().int().nonnegative(),
  average_price: rupees,
  last_price: rupees,
  pnl: rupees,
})
const rawFunds = z.object({
  available: z.object({ cash: rupees, collateral: rupees }),
  utilised: z.object({ debits: rupees, m2m_realised: rupees, m2m_unrealised: rupees }),
})
const level = z.object({ price: rupees, quantity: z.number().int(), orders: z.number().int() })
const rawQuote = z.object({
  last_price: rupees,
  last_quantity: z.number().int().default(0),
  volume: z.number().int().default(0),
  oi: z.number().int().default(0),
  ohlc: z.object({ open: rupees, high: rupees, low: rupees, close: rupees }),
  depth: z.object({ buy: z.array(level), sell: z.array(level) }),
  buy_quantity: z.number().int().default(0),
  sell_quantity: z.number().int().default(0),
})
const envelope = <T extends z.ZodTypeAny>(data: T) =>
  z.union([
    z.object({ status: z.literal('success'), data }),
    z.object({
      status: z.literal('error'),
      message: z.string(),
      error_type: z.string().optional(),
    }),
  ])

/** Resolves a book row's broker symbol to the OA symbol, keeping the broker's when unknown. */
function oaSymbol(
  symbols: SymbolResolver,
  brSymbol: string,
  exchange: string,
): { symbol: string; symbolResolved: boolean } {
  const symbol = symbols.getOaSymbol(brSymbol, exchange)
  return symbol === undefined
    ? { symbol: brSymbol, symbolResolved: false }
    : { symbol, symbolResolved: true }
}

export function mapOrderRow(raw: z.infer<typeof rawOrder>, symbols: SymbolResolver): OrderRow {
  return {
    orderId: raw.order_id,
    ...oaSymbol(symbols, raw.tradingsymbol, raw.exchange),
    exchange: raw.exchange,
    action: raw.transaction_type,
    quantity: raw.quantity,
    // spec: brokers.md §1.3.3 — the service shows MARKET orders at price 0
    price: raw.order_type === 'MARKET' ? (0 as Inr4) : raw.price,
    triggerPrice: raw.trigger_price,
    priceType: raw.order_type,
    product: raw.product,
    status: mapOrderStatus(raw.status),
    rawStatus: raw.status,
    timestamp: raw.order_timestamp,
    filledQuantity: raw.filled_quantity,
    averagePrice: raw.average_price,
    ...(raw.status_message === null ? {} : { rejectionReason: raw.status_message }),
  }
}

export function mapTradeRow(raw: z.infer<typeof rawTrade>, symbols: SymbolResolver): TradeRow {
  return {
    orderId: raw.order_id,
    tradeId: raw.trade_id,
    ...oaSymbol(symbols, raw.tradingsymbol, raw.exchange),
    exchange: raw.exchange,
    product: raw.product,
    action: raw.transaction_type,
    quantity: raw.quantity,
    averagePrice: raw.average_price,
    tradeValue: (raw.average_price * raw.quantity) as Inr4,
    timestamp: raw.fill_timestamp,
  }
}

export function mapPositionRow(
  raw: z.infer<typeof rawPosition>,
  symbols: SymbolResolver,
): PositionRow {
  return {
    ...oaSymbol(symbols, raw.tradingsymbol, raw.exchange),
    exchange: raw.exchange,
    product: raw.product,
    quantity: raw.quantity,
    averagePrice: raw.average_price,
    ltp: raw.last_price,
    pnl: raw.pnl,
  }
}

export function mapHoldingRow(
  raw: z.infer<typeof rawHolding>,
  symbols: SymbolResolver,
): HoldingRow {
  const invested = raw.average_price * raw.quantity
  return {
    ...oaSymbol(symbols, raw.tradingsymbol, raw.exchange),
    exchange: raw.exchange,
    product: 'CNC',
    quantity: raw.quantity,
    averagePrice: raw.average_price,
    ltp: raw.last_price,
    pnl: raw.pnl,
    pnlPercent: invested === 0 ? 0 : Math.round((raw.pnl / invested) * 10_000) / 100,
  }
}

function padLevels(levels: readonly z.infer<typeof level>[]): DepthLevel[] {
  const out: DepthLevel[] = levels
    .slice(0, 5)
    .map((l) => ({ price: l.price, quantity: l.quantity, orders: l.orders }))
  while (out.length < 5) out.push({ price: 0 as Inr4, quantity: 0, orders: 0 })
  return out
}

export function mapQuote(raw: z.infer<typeof rawQuote>): Quote {
  return {
    ltp: raw.last_price,
    open: raw.ohlc.open,
    high: raw.ohlc.high,
    low: raw.ohlc.low,
    prevClose: raw.ohlc.close,
    bid: raw.depth.buy[0]?.price ?? (0 as Inr4),
    ask: raw.depth.sell[0]?.price ?? (0 as Inr4),
    volume: raw.volume,
    oi: raw.oi,
  }
}

export function mapDepth(raw: z.infer<typeof rawQuote>): Depth {
  return {
    bids: padLevels(raw.depth.buy),
    asks: padLevels(raw.depth.sell),
    ltp: raw.last_price,
    ltq: raw.last_quantity,
    open: raw.ohlc.open,
    high: raw.ohlc.high,
    low: raw.ohlc.low,
    prevClose: raw.ohlc.close,
    volume: raw.volume,
    oi: raw.oi,
    totalBuyQty: raw.buy_quantity,
    totalSellQty: raw.sell_quantity,
  }
}

/** OA order → refex JSON body (numbers in rupees, as the broker documents). */
export function toOrderPayload(
  req: OrderRequest | ModifyRequest,
  brSymbol: string,
): Record<string, unknown> {
  return {
    tradingsymbol: brSymbol,
    exchange: req.exchange,
    transaction_type: req.action,
    order_type: req.priceType,
    product: req.product,
    quantity: req.quantity,
    price: req.priceType === 'MARKET' || req.priceType === 'SL-M' ? 0 : toRupees(req.price),
    trigger_price:
      req.priceType === 'SL' || req.priceType === 'SL-M' ? toRupees(req.triggerPrice) : 0,
    disclosed_quantity: req.disclosedQuantity,
    tag: 'openalgo',
  }
}

const MODE_NAMES: Record<StreamMode, string> = { 1: 'ltp', 2: 'quote', 3: 'full' }

const tickFrame = z.object({
  type: z.literal('tick'),
  token: z.string(),
  lp: z.number(),
  ts: z.number().optional(),
  ltq: z.number().int().optional(),
  v: z.number().int().optional(),
  o: z.number().optional(),
  h: z.number().optional(),
  l: z.number().optional(),
  c: z.number().optional(),
  oi: z.number().int().optional(),
  depth: z
    .object({
      buy: z.array(z.tuple([z.number(), z.number(), z.number()])),
      sell: z.array(z.tuple([z.number(), z.number(), z.number()])),
    })
    .optional(),
})

const p = (value: number | undefined): Inr4 | null =>
  value === undefined ? null : (fromRupeesSafe(value) ?? null)

export function decodeRefexFrame(frame: string | Buffer): DecodedFrame[] {
  if (typeof frame !== 'string') return []
  if (frame === 'h') return [{ type: 'heartbeat' }]
  let json: unknown
  try {
    json = JSON.parse(frame)
  } catch {
    return []
  }
  const type = (json as { type?: unknown }).type
  if (type === 'connected') return [{ type: 'ready' }]
  if (type === 'error') {
    const message = String((json as { message?: unknown }).message ?? 'error')
    return (json as { code?: unknown }).code === 'TokenException'
      ? [{ type: 'auth_failed', message }]
      : [{ type: 'error', message }]
  }
  const tick = tickFrame.safeParse(json)
  if (!tick.success) return []
  const t = tick.data
  const ltp = p(t.lp)
  if (ltp === null) return []
  const levels = (side: [number, number, number][]) =>
    side.map(([price, quantity, orders]) => ({ price: p(price) ?? (0 as Inr4), quantity, orders }))
  return [
    {
      type: 'tick',
      key: t.token,
      data: {
        mode: t.depth !== undefined ? 3 : t.o !== undefined ? 2 : 1,
        ltp,
        exchangeTs: t.ts === undefined ? null : t.ts * 1000,
        lastQty: t.ltq ?? null,
        volume: t.v ?? null,
        open: p(t.o),
        high: p(t.h),
        low: p(t.l),
        prevClose: p(t.c),
        oi: t.oi ?? null,
        ...(t.depth === undefined
          ? {}
          : {
              depth: { buy: levels(t.depth.buy), sell: levels(t.depth.sell) },
              depthLevels: Math.max(t.depth.buy.length, t.depth.sell.length),
            }),
      },
    },
  ]
}

export function refexProtocol(
  endpoints: Readonly<Record<string, string>>,
  apiKey: string,
): SocketProtocol {
  return {
    target: (session: BrokerSession) => {
      const accessToken = session.authToken.slice(session.authToken.indexOf(':') + 1)
      return {
        url: `${endpoints['ws'] ?? ''}/feed?api_key=${encodeURIComponent(apiKey)}&access_token=${encodeURIComponent(accessToken)}`,
      }
    },
    awaitReady: true,
    decode: decodeRefexFrame,
    subscribeFrames: (items, mode, depth) => [
      JSON.stringify({ a: 'subscribe', v: items.map((i) => Number(i.token)) }),
      JSON.stringify({
        a: 'mode',
        v: [MODE_NAMES[mode], items.map((i) => Number(i.token))],
        ...(depth > 5 ? { depth } : {}),
      }),
    ],
    unsubscribeFrames: (items) => [
      JSON.stringify({ a: 'unsubscribe', v: items.map((i) => Number(i.token)) }),
    ],
    changeModeFrames: (items, _from, to, depth) => [
      JSON.stringify({
        a: 'mode',
        v: [MODE_NAMES[to], items.map((i) => Number(i.token))],
        ...(depth > 5 ? { depth } : {}),
      }),
    ],
    heartbeat: { everyMs: 30_000, frame: 'h' },
  }
}

/** Parses refex's instruments CSV (header by name) into SymbolRows, streaming. */
export async function* parseRefexMaster(lines: AsyncIterable<string>): AsyncIterable<SymbolRow> {
  let header: string[] | undefined
  for await (const line of lines) {
    if (line.trim() === '') continue
    const cells = line.split(',')
    if (header === undefined) {
      header = cells
      continue
    }
    const get = (name: string): string => cells[header?.indexOf(name) ?? -1] ?? ''
    const expiry = parseExpiry(get('expiry'))
    const strike = get('strike')
    yield {
      symbol: get('symbol'),
      brSymbol: get('tradingsymbol'),
      name: get('name'),
      exchange: get('exchange'),
      brExchange: get('segment'),
      token: get('instrument_token'),
      expiry: expiry === undefined ? null : formatExpiry(expiry),
      strike: strike === '' || Number(strike) <= 0 ? null : Number(strike),
      lotSize: Number(get('lot_size')) || null,
      instrumentType: get('instrument_type') || null,
      tickSize: Number(get('tick_size')) || null,
      contractValue: null,
    }
  }
}

async function* lines(body: AsyncIterable<Uint8Array>): AsyncIterable<string> {
  const decoder = new TextDecoder()
  let rest = ''
  for await (const chunk of body) {
    rest += decoder.decode(chunk, { stream: true })
    let nl = rest.indexOf('\n')
    while (nl >= 0) {
      yield rest.slice(0, nl).replace(/\r$/, '')
      rest = rest.slice(nl + 1)
      nl = rest.indexOf('\n')
    }
  }
  rest += decoder.decode()
  if (rest !== '') yield rest
}

export function createRefexDriver(ctx: BrokerContext): BrokerDriver {
  const { http, symbols, credentials, endpoints } = ctx

  const call = async <T extends z.ZodTypeAny>(
    req: HttpRequest,
    data: T,
    endpoint: string,
  ): Promise<Result<z.infer<T>>> => {
    if (ctx.session === undefined)
      return err(new BrokerError('auth_required', 'log in to refex first'))
    const response = await http.request({
      ...req,
      label: endpoint,
      headers: { authorization: `token ${ctx.session.authToken}`, ...req.headers },
    })
    if (!response.ok) return response
    return unwrap(response.value, data, endpoint)
  }

  const unwrap = <T extends z.ZodTypeAny>(
    response: HttpResponse,
    data: T,
    endpoint: string,
  ): Result<z.infer<T>> => {
    const parsed = readJson(response, envelope(data), { broker: 'refex', endpoint })
    if (!parsed.ok) {
      if (response.status >= 400) {
        return err(
          new BrokerError(
            classifyHttpStatus(response.status),
            `refex ${endpoint} failed (HTTP ${response.status})`,
            { httpStatus: response.status },
          ),
        )
      }
      return parsed
    }
    const body = parsed.value as
      | { status: 'success'; data: z.infer<T> }
      | { status: 'error'; message: string; error_type?: string }
    if (body.status === 'error') {
      const code =
        body.error_type === 'TokenException'
          ? 'auth_expired'
          : response.status === 404
            ? 'invalid_input'
            : 'rejected'
      return err(
        new BrokerError(code, body.message, {
          httpStatus: response.status,
          ...(body.error_type === undefined ? {} : { brokerCode: body.error_type }),
        }),
      )
    }
    return ok(body.data)
  }

  const brSymbolOf = (ref: InstrumentRef): Result<string> => {
    const br = symbols.getBrSymbol(ref.symbol, ref.exchange)
    return br === undefined
      ? err(
          new BrokerError(
            'symbol_not_found',
            `Symbol ${ref.symbol} not found for exchange ${ref.exchange}`,
          ),
        )
      : ok(br)
  }

  const quoteKey = (ref: InstrumentRef, br: string): string => `${ref.exchange}:${br}`

  const fetchQuotes = async (
    refs: readonly InstrumentRef[],
  ): Promise<Result<Map<string, z.infer<typeof rawQuote>>>> => {
    const keys: string[] = []
    for (const ref of refs) {
      const br = brSymbolOf(ref)
      if (!br.ok) return br
      keys.push(quoteKey(ref, br.value))
    }
    const result = await call(
      { method: 'GET', path: '/quote', query: { i: keys }, category: 'quotes' },
      z.record(z.string(), rawQuote),
      'quote',
    )
    if (!result.ok) return result
    const out = new Map<string, z.infer<typeof rawQuote>>()
    refs.forEach((ref, i) => {
      const raw = result.value[keys[i] ?? '']
      if (raw !== undefined) out.set(instrumentKey(ref), raw)
    })
    return ok(out)
  }

  const one = async (ref: InstrumentRef): Promise<Result<z.infer<typeof rawQuote>>> => {
    const all = await fetchQuotes([ref])
    if (!all.ok) return all
    const raw = all.value.get(instrumentKey(ref))
    return raw === undefined
      ? err(new BrokerError('symbol_not_found', `no quote for ${ref.exchange}:${ref.symbol}`))
      : ok(raw)
  }

  return {
    auth: {
      loginUrl: (redirectUri, state) =>
        `${endpoints['login'] ?? ''}/connect/login?v=3&api_key=${encodeURIComponent(credentials.apiKey)}&redirect_params=${encodeURIComponent(`state=${state}`)}&redirect_uri=${encodeURIComponent(redirectUri)}`,
      async completeLogin(input) {
        if (input.kind !== 'oauth')
          return err(new BrokerError('invalid_input', 'refex logs in through its OAuth redirect'))
        const requestToken = input.params['request_token']
        if (requestToken === undefined)
          return err(new BrokerError('auth_required', 'the callback has no request_token'))
        const checksum = createHash('sha256')
          .update(`${credentials.apiKey}${requestToken}${credentials.apiSecret}`)
          .digest('hex')
        const response = await http.request({
          method: 'POST',
          path: '/session/token',
          label: 'session token',
          body: { form: { api_key: credentials.apiKey, request_token: requestToken, checksum } },
        })
        if (!response.ok) return response
        const data = unwrap(
          response.value,
          z.object({ access_token: z.string().min(1) }),
          'session token',
        )
        if (!data.ok)
          return err(new BrokerError('auth_required', data.error.message, { cause: data.error }))
        return ok({ authToken: `${credentials.apiKey}:${data.value.access_token}` })
      },
      async validateSession(session) {
        const response = await http.request({
          method: 'GET',
          path: '/user/profile',
          label: 'profile',
          headers: { authorization: `token ${session.authToken}` },
        })
        if (!response.ok) return response
        const data = unwrap(response.value, z.object({ user_id: z.string() }), 'profile')
        return data.ok ? ok(undefined) : err(new BrokerError('auth_expired', data.error.message))
      },
    },
    orders: {
      async place(req) {
        const br = brSymbolOf(req)
        if (!br.ok) return br
        const placed = await call(
          { method: 'POST', path: '/orders', body: { json: toOrderPayload(req, br.value) } },
          z.object({ order_id: z.string() }),
          'place order',
        )
        return placed.ok ? ok({ orderId: placed.value.order_id, raw: placed.value }) : placed
      },
      async modify(req) {
        const br = brSymbolOf(req)
        if (!br.ok) return br
        const modified = await call(
          {
            method: 'PUT',
            path: `/orders/${encodeURIComponent(req.orderId)}`,
            body: { json: toOrderPayload(req, br.value) },
          },
          z.object({ order_id: z.string() }),
          'modify order',
        )
        return modified.ok ? ok({ orderId: modified.value.order_id }) : modified
      },
      async cancel(orderId) {
        const cancelled = await call(
          { method: 'DELETE', path: `/orders/${encodeURIComponent(orderId)}` },
          z.object({ order_id: z.string() }),
          'cancel order',
        )
        return cancelled.ok ? ok({ orderId: cancelled.value.order_id }) : cancelled
      },
    },
    books: {
      async orderBook() {
        const rows = await call({ method: 'GET', path: '/orders' }, z.array(rawOrder), 'order book')
        return rows.ok ? ok(rows.value.map((r) => mapOrderRow(r, symbols))) : rows
      },
      async tradeBook() {
        const rows = await call({ method: 'GET', path: '/trades' }, z.array(rawTrade), 'trade book')
        return rows.ok ? ok(rows.value.map((r) => mapTradeRow(r, symbols))) : rows
      },
      async positions() {
        const rows = await call(
          { method: 'GET', path: '/positions' },
          z.object({ net: z.array(rawPosition) }),
          'positions',
        )
        return rows.ok ? ok(rows.value.net.map((r) => mapPositionRow(r, symbols))) : rows
      },
      async holdings() {
        const rows = await call(
          { method: 'GET', path: '/holdings' },
          z.array(rawHolding),
          'holdings',
        )
        return rows.ok ? ok({ holdings: rows.value.map((r) => mapHoldingRow(r, symbols)) }) : rows
      },
    },
    async funds(): Promise<Result<Funds>> {
      const raw = await call({ method: 'GET', path: '/funds' }, rawFunds, 'funds')
      if (!raw.ok) return raw
      const f = raw.value
      return ok({
        availableCash: f.available.cash,
        collateral: f.available.collateral,
        m2mRealized: f.utilised.m2m_realised,
        m2mUnrealized: f.utilised.m2m_unrealised,
        utilisedDebits: f.utilised.debits,
      })
    },
    marketData: {
      async quote(ref) {
        const raw = await one(ref)
        return raw.ok ? ok(mapQuote(raw.value)) : raw
      },
      async quotesBatch(refs): Promise<Result<QuoteBatchItem[]>> {
        const all = await fetchQuotes(refs)
        if (!all.ok) return all
        const items: QuoteBatchItem[] = []
        for (const ref of refs) {
          const raw = all.value.get(instrumentKey(ref))
          if (raw !== undefined) items.push({ ref, quote: mapQuote(raw) })
        }
        return ok(items)
      },
      async depth(ref) {
        const raw = await one(ref)
        return raw.ok ? ok(mapDepth(raw.value)) : raw
      },
      async history(ref, interval, from, to) {
        const token = symbols.getToken(ref.symbol, ref.exchange)
        if (token === undefined)
          return err(
            new BrokerError(
              'symbol_not_found',
              `Symbol ${ref.symbol} not found for exchange ${ref.exchange}`,
            ),
          )
        const rows = await call(
          {
            method: 'GET',
            path: `/history/${encodeURIComponent(token)}/${interval}`,
            query: { from, to },
            category: 'history',
          },
          z.object({
            candles: z.array(
              z
                .tuple([
                  z.number().int(),
                  z.number(),
                  z.number(),
                  z.number(),
                  z.number(),
                  z.number().int(),
                ])
                .rest(z.number().int()),
            ),
          }),
          'history',
        )
        if (!rows.ok) return rows
        const candles: Candle[] = []
        for (const [timestamp, o, h, l, c, v, oi] of rows.value.candles) {
          const [open, high, low, close] = [o, h, l, c].map((x) => fromRupeesSafe(x))
          if (
            open === undefined ||
            high === undefined ||
            low === undefined ||
            close === undefined
          ) {
            return err(
              new BrokerError('parse_error', `refex history: bad price in candle ${timestamp}`),
            )
          }
          candles.push({ timestamp, open, high, low, close, volume: v, oi: oi ?? 0 })
        }
        return ok(candles)
      },
    },
    instruments: {
      async *downloadMaster(progress) {
        const response = await http.stream({
          method: 'GET',
          base: 'master',
          path: '/instruments.csv',
          label: 'instruments',
        })
        if (!response.ok) throw response.error
        if (response.value.status !== 200)
          throw new BrokerError('broker_down', `refex instruments: HTTP ${response.value.status}`)
        let rows = 0
        for await (const row of parseRefexMaster(lines(response.value.body))) {
          rows += 1
          if (rows % 10_000 === 0) progress?.({ stage: 'instruments.csv', rows })
          yield row
        }
        progress?.({ stage: 'instruments.csv', rows })
      },
    },
    streaming: {
      createMarketDataAdapter: (session) =>
        createSocketAdapter({
          brokerId: 'refex',
          protocol: refexProtocol(endpoints, credentials.apiKey),
          session,
          limits: refex.manifest.streaming ?? fail(),
          symbols,
          clock: ctx.clock,
          timers: ctx.timers,
          logger: ctx.logger,
          refreshSession: ctx.refreshSession,
        }),
    },
    orderUpdates: 'poll',
  }
}

function fail(): never {
  throw new Error('refex manifest has no streaming limits')
}

export const refex = defineBroker({
  manifest: {
    id: 'refex',
    displayName: 'Reference Exchange Broker',
    version: '0.1.0',
    brokerType: 'IN_stock',
    supportedExchanges: ['NSE', 'NFO', 'NSE_INDEX'],
    leverageConfig: false,
    apiKeyFormat: { parts: ['apiKey'], example: 'refexkey123' },
    auth: 'oauth-redirect',
    endpoints: {
      api: 'https://api.refex.example',
      login: 'https://login.refex.example',
      master: 'https://assets.refex.example',
      ws: 'wss://ws.refex.example',
    },
    rateLimits: {
      perSecond: 10,
      perMinute: 400,
      byCategory: { quotes: { perSecond: 1 }, history: { perSecond: 3 } },
    },
    intervals: ['1m', '5m', 'D'],
    historyChunkDays: { '1m': 30, '5m': 60, D: 2000 },
    quoteBatchSize: 2,
    streaming: {
      maxSymbolsPerConnection: 30,
      maxConnections: 1,
      subscribeBatchSize: 10,
      depthLevels: { NSE: [5, 20] },
      reconnect: { baseMs: 1_000, capMs: 5_000, maxAttempts: 5, healthyResetMs: 60_000 },
      stallTimeoutMs: 30_000,
    },
  },
  createBroker: createRefexDriver,
})
