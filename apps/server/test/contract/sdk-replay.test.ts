/**
 * The official Python SDK (marketcalls/openalgo-python-library, `openalgo/*.py`) against a fresh
 * server in analyzer mode, replayed request for request: the path it builds (`/api/v1/<name>`, no
 * trailing slash), `Content-Type: application/json`, the payload exactly as each method builds it
 * (numbers stringified where it does `str(...)`, kwargs as given), GET with params for
 * `instruments()`. Each reply goes through the SDK's `_handle_response` rule (HTTP 200 and
 * `status` not "error" is success) and the fields the SDK or its callers read are checked.
 * PyPI is unreachable here, so the SDK's requests are transcribed from its source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startContractServer } from './harness.js'

const server = await startContractServer()
afterAll(() => server.stop())

type Body = Record<string, unknown>
const vars: Record<string, string> = {}

/** `BaseAPI._handle_response`: what the SDK hands its caller. */
async function handle(res: Response): Promise<Body> {
  const text = await res.text()
  if (res.status !== 200)
    return {
      status: 'error',
      message: `HTTP ${res.status}: ${text}`,
      code: res.status,
      error_type: 'http_error',
    }
  const data = JSON.parse(text) as Body
  if (data['status'] === 'error')
    return { status: 'error', message: data['message'], code: 200, error_type: 'api_error' }
  return data
}

/** `_make_request(endpoint, payload)`: POST `{host}/api/v1/{endpoint}` with a JSON body. */
async function sdkPost(endpoint: string, payload: Body): Promise<Body> {
  return handle(
    await server.post(`/api/v1/${endpoint}`, payload, { 'content-type': 'application/json' }),
  )
}

const key = server.apiKey
const needs = (endpoint: string, method: 'POST' | 'GET' = 'POST') =>
  server.mounted.has(`${method} /${endpoint}`)

interface SdkCall {
  readonly method: string
  readonly endpoint: string
  readonly httpMethod?: 'GET'
  readonly run: () => Promise<Body>
  readonly check: (r: Body) => void
}

const isNum = (v: unknown) => expect(typeof v).toBe('number')
const isStr = (v: unknown) => expect(typeof v).toBe('string')

const calls: SdkCall[] = [
  // orders.py
  {
    method: 'placeorder(strategy, symbol, action, exchange, price_type, product, quantity)',
    endpoint: 'placeorder',
    run: () =>
      sdkPost('placeorder', {
        apikey: key,
        strategy: 'Python',
        symbol: 'SBIN',
        action: 'BUY',
        exchange: 'NSE',
        pricetype: 'MARKET',
        product: 'MIS',
        quantity: '1',
      }),
    check: (r) => {
      isStr(r['orderid'])
      vars['orderid'] = String(r['orderid'])
      expect(r['mode']).toBe('analyze')
    },
  },
  {
    method: 'placesmartorder(..., position_size)',
    endpoint: 'placesmartorder',
    run: () =>
      sdkPost('placesmartorder', {
        apikey: key,
        strategy: 'Python',
        symbol: 'SBIN',
        action: 'BUY',
        exchange: 'NSE',
        pricetype: 'MARKET',
        product: 'MIS',
        quantity: '1',
        position_size: '2',
      }),
    check: (r) => expect(r['status']).toBe('success'),
  },
  {
    method: 'basketorder(orders=[...]) with stringified numbers',
    endpoint: 'basketorder',
    run: () =>
      sdkPost('basketorder', {
        apikey: key,
        strategy: 'Python',
        orders: [
          {
            symbol: 'BHEL',
            exchange: 'NSE',
            action: 'BUY',
            quantity: '1',
            pricetype: 'MARKET',
            product: 'MIS',
          },
          {
            symbol: 'ZOMATO',
            exchange: 'NSE',
            action: 'SELL',
            quantity: '1',
            pricetype: 'MARKET',
            product: 'MIS',
          },
        ],
      }),
    check: (r) => expect(Array.isArray(r['results'])).toBe(true),
  },
  {
    method: 'splitorder(quantity, splitsize)',
    endpoint: 'splitorder',
    run: () =>
      sdkPost('splitorder', {
        apikey: key,
        strategy: 'Python',
        symbol: 'YESBANK',
        action: 'SELL',
        exchange: 'NSE',
        quantity: '105',
        splitsize: '50',
        pricetype: 'MARKET',
        product: 'MIS',
      }),
    check: (r) => {
      expect(Array.isArray(r['results'])).toBe(true)
      isNum(r['total_quantity'])
    },
  },
  {
    method: 'orderstatus(order_id, strategy)',
    endpoint: 'orderstatus',
    run: () =>
      sdkPost('orderstatus', { apikey: key, strategy: 'Python', orderid: vars['orderid'] ?? '' }),
    check: (r) => {
      const data = r['data'] as Body
      isStr(data['order_status'])
      isStr(data['orderid'])
    },
  },
  {
    method: 'openposition(strategy, symbol, exchange, product)',
    endpoint: 'openposition',
    run: () =>
      sdkPost('openposition', {
        apikey: key,
        strategy: 'Python',
        symbol: 'SBIN',
        exchange: 'NSE',
        product: 'MIS',
      }),
    check: (r) => expect(r).toHaveProperty('quantity'),
  },
  {
    method: 'modifyorder(order_id, ..., price, disclosed_quantity="0", trigger_price="0")',
    endpoint: 'modifyorder',
    run: async () => {
      const placed = await sdkPost('placeorder', {
        apikey: key,
        strategy: 'Python',
        symbol: 'SAIL',
        action: 'BUY',
        exchange: 'NSE',
        pricetype: 'LIMIT',
        product: 'MIS',
        quantity: '1',
        price: '1',
      })
      vars['limit'] = String(placed['orderid'])
      return sdkPost('modifyorder', {
        apikey: key,
        orderid: vars['limit'],
        strategy: 'Python',
        symbol: 'SAIL',
        action: 'BUY',
        exchange: 'NSE',
        pricetype: 'LIMIT',
        product: 'MIS',
        quantity: '2',
        price: '1.05',
        disclosed_quantity: '0',
        trigger_price: '0',
      })
    },
    check: (r) => isStr(r['orderid']),
  },
  {
    method: 'cancelorder(order_id, strategy)',
    endpoint: 'cancelorder',
    run: () =>
      sdkPost('cancelorder', { apikey: key, orderid: vars['limit'] ?? '', strategy: 'Python' }),
    check: (r) => isStr(r['orderid']),
  },
  {
    method: 'cancelallorder(strategy)',
    endpoint: 'cancelallorder',
    run: () => sdkPost('cancelallorder', { apikey: key, strategy: 'Python' }),
    check: (r) => expect(r['status']).toBe('success'),
  },
  {
    method: 'closeposition(strategy)',
    endpoint: 'closeposition',
    run: () => sdkPost('closeposition', { apikey: key, strategy: 'Python' }),
    check: (r) => expect(r['status']).toBe('success'),
  },
  // account.py
  {
    method: 'funds()',
    endpoint: 'funds',
    run: () => sdkPost('funds', { apikey: key }),
    check: (r) => expect(r['data']).toHaveProperty('availablecash'),
  },
  {
    method: 'orderbook()',
    endpoint: 'orderbook',
    run: () => sdkPost('orderbook', { apikey: key }),
    check: (r) => expect(r['data']).toHaveProperty('statistics'),
  },
  {
    method: 'tradebook()',
    endpoint: 'tradebook',
    run: () => sdkPost('tradebook', { apikey: key }),
    check: (r) => expect(Array.isArray(r['data'])).toBe(true),
  },
  {
    method: 'positionbook()',
    endpoint: 'positionbook',
    run: () => sdkPost('positionbook', { apikey: key }),
    check: (r) => expect(Array.isArray(r['data'])).toBe(true),
  },
  {
    method: 'holdings()',
    endpoint: 'holdings',
    run: () => sdkPost('holdings', { apikey: key }),
    check: (r) => expect(r['data']).toHaveProperty('holdings'),
  },
  {
    method: 'analyzerstatus()',
    endpoint: 'analyzer',
    run: () => sdkPost('analyzer', { apikey: key }),
    check: (r) => expect((r['data'] as Body)['analyze_mode']).toBe(true),
  },
  {
    method: 'analyzertoggle(mode=True)',
    endpoint: 'analyzer/toggle',
    run: () => sdkPost('analyzer/toggle', { apikey: key, mode: true }),
    check: (r) => expect((r['data'] as Body)['mode']).toBe('analyze'),
  },
  {
    method: 'margin(positions=[...]) with stringified numbers',
    endpoint: 'margin',
    run: () =>
      sdkPost('margin', {
        apikey: key,
        positions: [
          {
            symbol: 'SBIN',
            exchange: 'NSE',
            action: 'BUY',
            product: 'MIS',
            pricetype: 'MARKET',
            quantity: '10',
            price: '0',
            trigger_price: '0',
          },
        ],
      }),
    check: (r) => expect(r['data']).toHaveProperty('total_margin_required'),
  },
  // data.py
  {
    method: 'quotes(symbol, exchange)',
    endpoint: 'quotes',
    run: () => sdkPost('quotes', { apikey: key, symbol: 'SBIN', exchange: 'NSE' }),
    check: (r) => isNum((r['data'] as Body)['ltp']),
  },
  {
    method: 'multiquotes(symbols=[...])',
    endpoint: 'multiquotes',
    run: () =>
      sdkPost('multiquotes', {
        apikey: key,
        symbols: [
          { symbol: 'RELIANCE', exchange: 'NSE' },
          { symbol: 'NIFTY', exchange: 'NSE_INDEX' },
        ],
      }),
    check: (r) => expect((r['results'] as Body[]).length).toBe(2),
  },
  {
    method: 'depth(symbol, exchange)',
    endpoint: 'depth',
    run: () => sdkPost('depth', { apikey: key, symbol: 'SBIN', exchange: 'NSE' }),
    check: (r) => expect(Array.isArray((r['data'] as Body)['bids'])).toBe(true),
  },
  {
    method: 'symbol(symbol, exchange)',
    endpoint: 'symbol',
    run: () => sdkPost('symbol', { apikey: key, symbol: 'SBIN', exchange: 'NSE' }),
    check: (r) => isStr((r['data'] as Body)['token']),
  },
  {
    method: 'search(query, exchange)',
    endpoint: 'search',
    run: () => sdkPost('search', { apikey: key, query: 'SBIN', exchange: 'NSE' }),
    check: (r) => expect(Array.isArray(r['data'])).toBe(true),
  },
  {
    method: 'history(..., source="api") → DataFrame from epoch-second timestamps',
    endpoint: 'history',
    run: () =>
      sdkPost('history', {
        apikey: key,
        symbol: 'SBIN',
        exchange: 'NSE',
        interval: 'D',
        start_date: vars['monthAgo'] ?? '',
        end_date: vars['today'] ?? '',
        source: 'api',
      }),
    check: (r) => {
      const rows = r['data'] as Body[]
      expect(rows.length).toBeGreaterThan(0)
      // pd.to_datetime(df["timestamp"], unit="s") needs integer epoch seconds
      expect(Number.isInteger(rows[0]?.['timestamp'])).toBe(true)
      expect(Number(rows[0]?.['timestamp'])).toBeLessThan(1e11)
      for (const k of ['open', 'high', 'low', 'close', 'volume']) isNum(rows[0]?.[k])
    },
  },
  {
    method: 'intervals()',
    endpoint: 'intervals',
    run: () => sdkPost('intervals', { apikey: key }),
    check: (r) => expect(r['data']).toHaveProperty('minutes'),
  },
  {
    method: 'expiry(symbol, exchange, instrumenttype)',
    endpoint: 'expiry',
    run: () =>
      sdkPost('expiry', {
        apikey: key,
        symbol: 'NIFTY',
        exchange: 'NFO',
        instrumenttype: 'options',
      }),
    check: (r) => {
      const first = (r['data'] as string[])[0] ?? ''
      expect(first).toMatch(/^\d{2}-[A-Z]{3}-\d{2}$/)
      vars['expiry'] = first.replace(/-/g, '')
    },
  },
  {
    method: 'instruments(exchange) — GET with params',
    endpoint: 'instruments',
    httpMethod: 'GET',
    run: async () =>
      handle(
        await server.get(
          `/api/v1/instruments?${new URLSearchParams({ apikey: key, exchange: 'NSE' })}`,
        ),
      ),
    check: (r) => expect((r['data'] as Body[]).length).toBeGreaterThan(0),
  },
  {
    method: 'syntheticfuture(underlying, exchange, expiry_date)',
    endpoint: 'syntheticfuture',
    run: () =>
      sdkPost('syntheticfuture', {
        apikey: key,
        underlying: 'NIFTY',
        exchange: 'NSE_INDEX',
        expiry_date: vars['expiry'] ?? '',
      }),
    check: (r) => isNum(r['synthetic_future_price']),
  },
  // options.py
  {
    method: 'optionsymbol(underlying, exchange, expiry_date, offset, option_type)',
    endpoint: 'optionsymbol',
    run: () =>
      sdkPost('optionsymbol', {
        apikey: key,
        underlying: 'NIFTY',
        exchange: 'NSE_INDEX',
        offset: 'ATM',
        option_type: 'CE',
        expiry_date: vars['expiry'] ?? '',
      }),
    check: (r) => {
      isStr(r['symbol'])
      vars['option'] = String(r['symbol'])
      vars['lot'] = String(r['lotsize'])
    },
  },
  {
    method: 'optiongreeks(symbol, exchange, interest_rate)',
    endpoint: 'optiongreeks',
    run: () =>
      sdkPost('optiongreeks', {
        apikey: key,
        symbol: vars['option'] ?? '',
        exchange: 'NFO',
        interest_rate: 0.0,
      }),
    check: (r) => {
      isNum(r['implied_volatility'])
      isNum((r['greeks'] as Body)['delta'])
    },
  },
  {
    method: 'optionsorder(..., quantity as str)',
    endpoint: 'optionsorder',
    run: () =>
      sdkPost('optionsorder', {
        apikey: key,
        strategy: 'Python',
        underlying: 'NIFTY',
        exchange: 'NSE_INDEX',
        offset: 'ATM',
        option_type: 'CE',
        action: 'BUY',
        quantity: vars['lot'] ?? '75',
        pricetype: 'MARKET',
        product: 'NRML',
        expiry_date: vars['expiry'] ?? '',
      }),
    check: (r) => {
      isStr(r['orderid'])
      isStr(r['symbol'])
    },
  },
  {
    method: 'optionsmultiorder(legs with int quantity)',
    endpoint: 'optionsmultiorder',
    run: () =>
      sdkPost('optionsmultiorder', {
        apikey: key,
        strategy: 'Python',
        underlying: 'NIFTY',
        exchange: 'NSE_INDEX',
        legs: [
          { offset: 'OTM4', option_type: 'CE', action: 'BUY', quantity: Number(vars['lot'] ?? 75) },
          {
            offset: 'OTM2',
            option_type: 'CE',
            action: 'SELL',
            quantity: Number(vars['lot'] ?? 75),
          },
        ],
        expiry_date: vars['expiry'] ?? '',
      }),
    check: (r) => expect((r['results'] as Body[]).length).toBe(2),
  },
  {
    method: 'optionchain(underlying, exchange, expiry_date, strike_count as int)',
    endpoint: 'optionchain',
    run: () =>
      sdkPost('optionchain', {
        apikey: key,
        underlying: 'NIFTY',
        exchange: 'NSE_INDEX',
        expiry_date: vars['expiry'] ?? '',
        strike_count: 5,
      }),
    check: (r) => {
      isNum(r['atm_strike'])
      expect((r['chain'] as Body[]).length).toBe(11)
    },
  },
  // utilities.py
  {
    method: 'holidays(year)',
    endpoint: 'market/holidays',
    run: () => sdkPost('market/holidays', { apikey: key, year: 2026 }),
    check: (r) => expect(Array.isArray(r['data'])).toBe(true),
  },
  {
    method: 'timings(date)',
    endpoint: 'market/timings',
    run: () => sdkPost('market/timings', { apikey: key, date: vars['today'] ?? '' }),
    check: (r) => expect(Array.isArray(r['data'])).toBe(true),
  },
]

beforeAll(async () => {
  await server.setAnalyzer(true)
  const now = server.running.context.clock.now() + 19_800_000
  vars['today'] = new Date(now).toISOString().slice(0, 10)
  vars['monthAgo'] = new Date(now - 30 * 86_400_000).toISOString().slice(0, 10)
})

describe('the official Python SDK, method by method, against a fresh server in analyzer mode', () => {
  for (const call of calls) {
    if (!needs(call.endpoint, call.httpMethod ?? 'POST')) {
      it.todo(`${call.method} → /api/v1/${call.endpoint} (endpoint not mounted yet)`)
      continue
    }
    it(`${call.method} succeeds with the fields the SDK reads`, async () => {
      const r = await call.run()
      expect(r['status'], JSON.stringify(r).slice(0, 400)).toBe('success')
      call.check(r)
    })
  }

  it('telegram(username, message, priority) and whatsapp(...) reach the server and say no bot is configured', async () => {
    const t = await sdkPost('telegram/notify', {
      apikey: key,
      username: 'admin',
      message: 'hi',
      priority: 5,
    })
    expect(t).toMatchObject({ status: 'error', code: 409, error_type: 'http_error' })
    const w = await sdkPost('whatsapp/notify', {
      apikey: key,
      self: true,
      message: 'hi',
      wait_for_delivery: true,
    })
    expect(w).toMatchObject({ status: 'error', code: 409, error_type: 'http_error' })
  })
})
