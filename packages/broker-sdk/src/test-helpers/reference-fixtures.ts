// Fixtures of the refex reference broker, in its documented (Kite-like) formats.
import { PRICE_TYPES, PRODUCTS } from '../enums.js'
import type { OrderRequest } from '../models.js'
import { fromRupees } from '../money.js'
import { dailyCandleTimestamp, istMidnightMs, parseIsoDate } from '../dates.js'
import type { InstrumentRef } from '../models.js'
import { createBrokerContext } from '../runtime.js'
import type { SymbolResolver } from '../symbols.js'
import type { AdapterFixture } from '../testing/adapter-conformance.js'
import type { BrokerFixture, GoldenOrder } from '../testing/broker-conformance.js'
import type { MockBrokerServer } from '../testing/mock-server.js'
import { symbolRow } from '../testing/memory-symbols.js'
import type { SymbolRow } from '../symbols.js'
import { REFEX_ORDER_STATUSES, mapOrderStatus, refex } from './reference-broker.js'

export const REFEX_CREDENTIALS = { apiKey: 'refexkey123', apiSecret: 'refex-secret-456' }
export const REFEX_SESSION = { authToken: 'refexkey123:access-token-789xyz' }

export const REFEX_MASTER_CSV = [
  'instrument_token,tradingsymbol,name,symbol,exchange,segment,expiry,strike,lot_size,instrument_type,tick_size',
  '779521,SBIN,STATE BANK OF INDIA,SBIN,NSE,NSE,,,1,EQ,0.05',
  '408065,INFY,INFOSYS,INFY,NSE,NSE,,,1,EQ,0.05',
  '519937,M&M,MAHINDRA & MAHINDRA,M&M,NSE,NSE,,,1,EQ,0.05',
  '256265,NIFTY 50,NIFTY,NIFTY,NSE_INDEX,INDICES,,,,INDEX,0.05',
  '13238786,NIFTY24APRFUT,NIFTY,NIFTY25APR24FUT,NFO,NFO-FUT,2024-04-25,,50,FUT,0.05',
  '13240322,NIFTY2442522500CE,NIFTY,NIFTY25APR2422500CE,NFO,NFO-OPT,2024-04-25,22500,50,CE,0.05',
  '13240450,VEDL24APR292.5CE,VEDL,VEDL25APR24292.5CE,NFO,NFO-OPT,2024-04-25,292.5,1150,CE,0.05',
].join('\n')

export const REFEX_SYMBOLS: SymbolRow[] = [
  symbolRow({
    symbol: 'SBIN',
    exchange: 'NSE',
    token: '779521',
    name: 'STATE BANK OF INDIA',
    instrumentType: 'EQ',
  }),
  symbolRow({
    symbol: 'INFY',
    exchange: 'NSE',
    token: '408065',
    name: 'INFOSYS',
    instrumentType: 'EQ',
  }),
  symbolRow({
    symbol: 'M&M',
    exchange: 'NSE',
    token: '519937',
    name: 'MAHINDRA & MAHINDRA',
    instrumentType: 'EQ',
  }),
  symbolRow({
    symbol: 'NIFTY',
    brSymbol: 'NIFTY 50',
    exchange: 'NSE_INDEX',
    brExchange: 'INDICES',
    token: '256265',
    name: 'NIFTY',
    instrumentType: 'INDEX',
    lotSize: null,
  }),
  symbolRow({
    symbol: 'NIFTY25APR24FUT',
    brSymbol: 'NIFTY24APRFUT',
    exchange: 'NFO',
    brExchange: 'NFO-FUT',
    token: '13238786',
    name: 'NIFTY',
    expiry: '25-APR-24',
    lotSize: 50,
    instrumentType: 'FUT',
  }),
  symbolRow({
    symbol: 'NIFTY25APR2422500CE',
    brSymbol: 'NIFTY2442522500CE',
    exchange: 'NFO',
    brExchange: 'NFO-OPT',
    token: '13240322',
    name: 'NIFTY',
    expiry: '25-APR-24',
    strike: 22500,
    lotSize: 50,
    instrumentType: 'CE',
  }),
]

const quoteOf = (ltp: number, withDepth = true) => ({
  last_price: ltp,
  last_quantity: 5,
  volume: 14_414_545,
  oi: 0,
  ohlc: { open: ltp - 10, high: ltp + 12.5, low: ltp - 15.25, close: ltp - 3 },
  buy_quantity: 1200,
  sell_quantity: 900,
  depth: withDepth
    ? {
        buy: [
          { price: ltp - 0.05, quantity: 886, orders: 4 },
          { price: ltp - 0.1, quantity: 300, orders: 2 },
        ],
        sell: [{ price: ltp + 0.05, quantity: 767, orders: 3 }],
      }
    : { buy: [], sell: [] },
})

const QUOTES: Record<string, ReturnType<typeof quoteOf>> = {
  'NSE:SBIN': quoteOf(765.5),
  'NSE:INFY': quoteOf(1512.35),
  'NSE:M&M': quoteOf(2875.1),
  'NSE_INDEX:NIFTY 50': quoteOf(22_419.95, false),
  'NFO:NIFTY24APRFUT': { ...quoteOf(22_480), oi: 12_345_600 },
  'NFO:NIFTY2442522500CE': { ...quoteOf(112.45), oi: 4_567_800 },
}

const ORDERS = [
  ['250409000000001', 'SBIN', 'NSE', 'BUY', 'LIMIT', 'MIS', 10, 765.5, 0, 'COMPLETE', 10, 765.45],
  ['250409000000002', 'INFY', 'NSE', 'SELL', 'SL', 'CNC', 5, 1500, 1501, 'TRIGGER PENDING', 0, 0],
  [
    '250409000000003',
    'NIFTY24APRFUT',
    'NFO',
    'BUY',
    'MARKET',
    'NRML',
    50,
    22480.35,
    0,
    'REJECTED',
    0,
    0,
  ],
  ['250409000000004', 'SBIN', 'NSE', 'SELL', 'LIMIT', 'MIS', 10, 770, 0, 'OPEN', 0, 0],
  ['250409000000005', 'DELISTEDCO', 'NSE', 'BUY', 'LIMIT', 'CNC', 1, 10, 0, 'SOMETHING NEW', 0, 0],
] as const

function historyCandles(from: string, to: string, interval: string): unknown[][] {
  const out: unknown[][] = []
  for (let day = parseIsoDate(from) ?? 0; day <= (parseIsoDate(to) ?? -1); day += 1) {
    const ts =
      interval === 'D' ? dailyCandleTimestamp(day) : (istMidnightMs(day) + 555 * 60_000) / 1000
    const base = 700 + (day % 50)
    out.push([ts, base, base + 5.5, base - 2.25, base + 1.05, 1_000 + (day % 7)])
  }
  return out
}

let nextOrder = 100

/** Installs every refex fixture route on a mock server. */
export function installRefexFixtures(server: MockBrokerServer): void {
  const ok = (data: unknown) => ({ json: { status: 'success', data } })
  server
    .on({ method: 'POST', path: '/session/token' }, (req) =>
      req.form?.['request_token'] === 'good-request-token'
        ? ok({ access_token: 'access-token-789xyz', user_id: 'AB1234' })
        : {
            status: 403,
            json: {
              status: 'error',
              message: 'Token is invalid or has expired.',
              error_type: 'TokenException',
            },
          },
    )
    .on({ method: 'GET', path: '/user/profile' }, ok({ user_id: 'AB1234' }))
    .on({ method: 'POST', path: '/orders' }, () =>
      ok({ order_id: `2504090000${String(nextOrder++).padStart(5, '0')}` }),
    )
    .on({ method: 'PUT', path: /^\/orders\/\d+$/ }, (req) =>
      ok({ order_id: req.path.split('/')[2] }),
    )
    .on({ method: 'DELETE', path: /^\/orders\/.+$/ }, (req) => {
      const id = req.path.split('/')[2] ?? ''
      return ORDERS.some((o) => o[0] === id)
        ? ok({ order_id: id })
        : {
            status: 400,
            json: {
              status: 'error',
              message: `Order ${id} not found`,
              error_type: 'InputException',
            },
          }
    })
    .on(
      { method: 'GET', path: '/orders' },
      ok(
        ORDERS.map(
          ([id, sym, ex, side, type, product, qty, price, trigger, status, filled, avg]) => ({
            order_id: id,
            tradingsymbol: sym,
            exchange: ex,
            transaction_type: side,
            order_type: type,
            product,
            quantity: qty,
            price,
            trigger_price: trigger,
            status,
            order_timestamp: '2025-04-09 10:15:02',
            filled_quantity: filled,
            average_price: avg,
            status_message: status === 'REJECTED' ? 'RMS: margin exceeds' : null,
          }),
        ),
      ),
    )
    .on(
      { method: 'GET', path: '/trades' },
      ok([
        {
          order_id: '250409000000001',
          trade_id: 'T1',
          tradingsymbol: 'SBIN',
          exchange: 'NSE',
          transaction_type: 'BUY',
          product: 'MIS',
          quantity: 10,
          average_price: 765.45,
          fill_timestamp: '10:15:02',
        },
      ]),
    )
    .on(
      { method: 'GET', path: '/positions' },
      ok({
        net: [
          {
            tradingsymbol: 'SBIN',
            exchange: 'NSE',
            product: 'MIS',
            quantity: 10,
            average_price: 765.45,
            last_price: 766.1,
            pnl: 6.5,
          },
          {
            tradingsymbol: 'NIFTY24APRFUT',
            exchange: 'NFO',
            product: 'NRML',
            quantity: -50,
            average_price: 22480.35,
            last_price: 22470,
            pnl: 517.5,
          },
          {
            tradingsymbol: 'INFY',
            exchange: 'NSE',
            product: 'MIS',
            quantity: 0,
            average_price: 0,
            last_price: 1512.35,
            pnl: -12.4,
          },
        ],
      }),
    )
    .on(
      { method: 'GET', path: '/holdings' },
      ok([
        {
          tradingsymbol: 'M&M',
          exchange: 'NSE',
          quantity: 2,
          average_price: 1000.5,
          last_price: 884,
          pnl: -233,
        },
      ]),
    )
    .on(
      { method: 'GET', path: '/funds' },
      ok({
        available: { cash: 320.66, collateral: 0 },
        utilised: { debits: 679.34, m2m_realised: 3.27, m2m_unrealised: -7.88 },
      }),
    )
    .on({ method: 'GET', path: '/quote' }, (req) => {
      const data: Record<string, unknown> = {}
      for (const key of req.queryAll['i'] ?? [])
        if (QUOTES[key] !== undefined) data[key] = QUOTES[key]
      return ok(data)
    })
    .on({ method: 'GET', path: /^\/history\/\d+\/\w+$/ }, (req) =>
      ok({
        candles: historyCandles(
          req.query['from'] ?? '',
          req.query['to'] ?? '',
          req.path.split('/')[3] ?? '',
        ),
      }),
    )
    .on(
      { method: 'GET', path: '/instruments.csv' },
      { body: REFEX_MASTER_CSV, chunks: 3, headers: { 'content-type': 'text/csv' } },
    )
}

const sbinOrder = (
  priceType: OrderRequest['priceType'],
  product: OrderRequest['product'],
): OrderRequest => ({
  strategy: 'conformance',
  symbol: 'SBIN',
  exchange: 'NSE',
  action: 'BUY',
  priceType,
  product,
  quantity: 10,
  price: fromRupees(priceType === 'LIMIT' || priceType === 'SL' ? 765.5 : 0),
  triggerPrice: fromRupees(priceType === 'SL' || priceType === 'SL-M' ? 760.25 : 0),
  disclosedQuantity: 0,
})

// refex's documented body: numbers in rupees, price 0 for MARKET/SL-M, trigger 0 unless a stop
const GOLDEN_PRICES: Record<OrderRequest['priceType'], { price: number; trigger_price: number }> = {
  MARKET: { price: 0, trigger_price: 0 },
  LIMIT: { price: 765.5, trigger_price: 0 },
  SL: { price: 765.5, trigger_price: 760.25 },
  'SL-M': { price: 0, trigger_price: 760.25 },
}

export const REFEX_GOLDEN_ORDERS: GoldenOrder[] = PRICE_TYPES.flatMap((priceType) =>
  PRODUCTS.map((product) => ({
    request: sbinOrder(priceType, product),
    golden: {
      method: 'POST',
      path: '/orders',
      headers: {
        authorization: 'token refexkey123:access-token-789xyz',
        'content-type': 'application/json',
      },
      json: {
        tradingsymbol: 'SBIN',
        exchange: 'NSE',
        transaction_type: 'BUY',
        order_type: priceType,
        product,
        quantity: 10,
        ...GOLDEN_PRICES[priceType],
        disclosed_quantity: 0,
        tag: 'openalgo',
      },
    },
  })),
)

/** The conformance fixture of refex on a given server. */
export function refexFixture(server: MockBrokerServer): BrokerFixture {
  installRefexFixtures(server)
  return {
    credentials: REFEX_CREDENTIALS,
    session: REFEX_SESSION,
    symbols: REFEX_SYMBOLS,
    instruments: {
      equity: { symbol: 'SBIN', exchange: 'NSE' },
      index: { symbol: 'NIFTY', exchange: 'NSE_INDEX' },
      future: { symbol: 'NIFTY25APR24FUT', exchange: 'NFO' },
      option: { symbol: 'NIFTY25APR2422500CE', exchange: 'NFO' },
    },
    placeOrder: { cases: REFEX_GOLDEN_ORDERS },
    rejectNextOrder: (s) =>
      s.on(
        { method: 'POST', path: '/orders' },
        {
          json: {
            status: 'error',
            message: 'Insufficient funds. Required margin is 7655.00',
            error_type: 'MarginException',
          },
        },
        { times: 1 },
      ),
    modify: {
      request: { ...sbinOrder('LIMIT', 'MIS'), orderId: '250409000000004', price: fromRupees(771) },
      golden: {
        method: 'PUT',
        path: '/orders/250409000000004',
        json: {
          tradingsymbol: 'SBIN',
          exchange: 'NSE',
          transaction_type: 'BUY',
          order_type: 'LIMIT',
          product: 'MIS',
          quantity: 10,
          price: 771,
          trigger_price: 0,
          disclosed_quantity: 0,
          tag: 'openalgo',
        },
      },
    },
    cancel: {
      orderId: '250409000000004',
      golden: { method: 'DELETE', path: '/orders/250409000000004' },
    },
    statuses: { map: mapOrderStatus, documented: REFEX_ORDER_STATUSES },
    failAuth: (s) =>
      s.on(/.*/, {
        status: 403,
        json: {
          status: 'error',
          message: 'Incorrect `api_key` or `access_token`.',
          error_type: 'TokenException',
        },
      }),
    intervals: ['1m', '5m', 'D'],
    history: {
      ref: { symbol: 'SBIN', exchange: 'NSE' },
      interval: '1m',
      from: '2025-01-01',
      to: '2025-03-15',
    },
  }
}

const MODE_NAME = { 1: 'ltp', 2: 'quote', 3: 'full' } as const

/** The conformance fixture of refex's market-data socket on a given server. */
export function refexAdapterFixture(server: MockBrokerServer): AdapterFixture {
  const tokens = (refs: readonly InstrumentRef[], symbols: SymbolResolver) =>
    refs.map((r) => Number(symbols.getToken(r.symbol, r.exchange)))
  return {
    limits: refex.manifest.streaming!,
    symbols: REFEX_SYMBOLS,
    instruments: [
      { symbol: 'SBIN', exchange: 'NSE' },
      { symbol: 'INFY', exchange: 'NSE' },
    ],
    session: REFEX_SESSION,
    refreshedSession: { authToken: 'refexkey123:access-token-rolled-0300' },
    createAdapter(env) {
      const ctx = createBrokerContext({
        plugin: refex,
        credentials: REFEX_CREDENTIALS,
        symbols: env.symbols,
        session: env.session,
        refreshSession: env.refreshSession,
        clock: env.clock,
        timers: env.clock,
        logger: env.logger,
        endpoints: { ws: server.wsUrl },
        rateLimit: false,
      })
      const streaming = refex.createBroker(ctx).streaming
      if (streaming === undefined) throw new Error('refex has no streaming facet')
      return streaming.createMarketDataAdapter(env.session)
    },
    onConnection: (conn) => conn.send({ type: 'connected' }),
    tokenOf: (conn) => conn.query['access_token'],
    subscribeFrames: (refs, mode, depth, symbols) => [
      { a: 'subscribe', v: tokens(refs, symbols) },
      { a: 'mode', v: [MODE_NAME[mode], tokens(refs, symbols)], ...(depth > 5 ? { depth } : {}) },
    ],
    unsubscribeFrames: (refs, _mode, symbols) => [{ a: 'unsubscribe', v: tokens(refs, symbols) }],
    decodeVectors: [
      {
        name: 'full tick with depth',
        frame: {
          type: 'tick',
          token: '779521',
          lp: 765.5,
          ts: 1712640600,
          ltq: 25,
          v: 5321044,
          o: 760.1,
          h: 768,
          l: 758.25,
          c: 762.35,
          oi: 0,
          depth: { buy: [[765.45, 1200, 4]], sell: [[765.5, 700, 2]] },
        },
        ticks: [
          {
            symbol: 'SBIN',
            exchange: 'NSE',
            mode: 3,
            ltp: fromRupees(765.5),
            exchangeTs: 1_712_640_600_000,
            lastQty: 25,
            volume: 5_321_044,
            open: fromRupees(760.1),
            prevClose: fromRupees(762.35),
            depth: {
              buy: [{ price: fromRupees(765.45), quantity: 1200, orders: 4 }],
              sell: [{ price: fromRupees(765.5), quantity: 700, orders: 2 }],
            },
          },
        ],
      },
      {
        name: 'LTP-only tick',
        frame: { type: 'tick', token: '779521', lp: 765.55 },
        ticks: [
          {
            symbol: 'SBIN',
            mode: 1,
            ltp: fromRupees(765.55),
            exchangeTs: null,
            open: null,
            volume: null,
          },
        ],
      },
    ],
    authRejection: { httpStatus: 403 },
  }
}
