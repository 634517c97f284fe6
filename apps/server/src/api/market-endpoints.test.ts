import { symtokenSummary } from '@oa/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../identity/test-helpers/harness.js'
import { createMarketHarness, type MarketHarness } from '../market/test-helpers/market-harness.js'
import { marketEndpoints } from './market-endpoints.js'

// One server with the simulator's contract for the whole file: 2025-04-17 10:00 IST, seed 1.
let h: MarketHarness
beforeAll(async () => {
  h = await createMarketHarness({ cleanup: afterAll })
  const outcome = await h.market.masterContract.download('simulator', 'test')
  if (!outcome.ok) throw new Error(outcome.message)
}, 120_000)

const EXCHANGE_LIST =
  'Must be one of: NSE, NFO, CDS, BSE, BFO, BCD, MCX, NCDEX, NCO, NSE_INDEX, BSE_INDEX, MCX_INDEX, GLOBAL_INDEX, CRYPTO.'

/** `{field: typeof value}`: the shape and the JSON types, as the original sends them. */
function typesOf(o: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [
      k,
      Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v,
    ]),
  )
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>
}

const SYMBOL_TYPES = {
  symbol: 'string',
  brsymbol: 'string',
  name: 'string',
  exchange: 'string',
  brexchange: 'string',
  token: 'string',
  expiry: 'string',
  strike: 'number',
  lotsize: 'number',
  instrumenttype: 'string',
  tick_size: 'number',
}

describe('POST /api/v1/symbol (api.md §9.6)', () => {
  it('answers the master-contract record with the original’s fields and types', async () => {
    const res = await h.api('symbol', {
      apikey: h.apiKey,
      symbol: 'NIFTY29APR2524000CE',
      exchange: 'NFO',
    })
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body['status']).toBe('success')
    const data = body['data'] as Record<string, unknown>
    // api.md's example, key for key
    expect(Object.keys(data)).toEqual([
      'id',
      'symbol',
      'brsymbol',
      'name',
      'exchange',
      'brexchange',
      'token',
      'expiry',
      'strike',
      'lotsize',
      'instrumenttype',
      'tick_size',
      'freeze_qty',
    ])
    expect(typesOf(data)).toEqual({ id: 'number', ...SYMBOL_TYPES, freeze_qty: 'number' })
    expect(data).toMatchObject({
      symbol: 'NIFTY29APR2524000CE',
      exchange: 'NFO',
      expiry: '29-APR-25',
      strike: 24000,
      lotsize: 75,
      freeze_qty: 1800,
    })
    const equity = await json(
      await h.api('symbol/', { apikey: h.apiKey, symbol: 'RELIANCE', exchange: 'NSE' }),
    )
    expect(equity['data']).toMatchObject({ expiry: '', freeze_qty: 1, lotsize: 1 })
  })

  it('answers 404 for an unknown symbol and 400 in the envelope for a bad exchange', async () => {
    const missing = await h.api('symbol', { apikey: h.apiKey, symbol: 'NOPE', exchange: 'NSE' })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({
      status: 'error',
      message: 'Symbol NOPE not found in exchange NSE',
    })
    const bad = await h.api('symbol', { apikey: h.apiKey, symbol: 'SBIN', exchange: 'XYZ' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({ status: 'error', message: { exchange: [EXCHANGE_LIST] } })
    const key = await h.api('symbol', { apikey: 'f'.repeat(64), symbol: 'SBIN', exchange: 'NSE' })
    expect(key.status).toBe(403)
    expect(await key.json()).toEqual({ status: 'error', message: 'Invalid openalgo apikey' })
  })
})

describe('POST /api/v1/search (api.md §9.7)', () => {
  it('finds ranked matches with freeze quantities', async () => {
    const body = await json(
      await h.api('search', { apikey: h.apiKey, query: 'RELIANCE', exchange: 'NSE' }),
    )
    expect(body['message']).toBe('Found 1 matching symbols')
    const [first] = body['data'] as Record<string, unknown>[]
    expect(typesOf(first ?? {})).toEqual({ ...SYMBOL_TYPES, freeze_qty: 'number' })
    const options = await json(await h.api('search', { apikey: h.apiKey, query: 'nifty 24000 ce' }))
    const symbols = (options['data'] as { symbol: string }[]).map((r) => r.symbol)
    expect(symbols.length).toBeGreaterThan(5)
    for (const s of symbols) expect(s).toMatch(/^NIFTY\d{2}[A-Z]{3}\d{2}24000CE$/)
  })

  it('answers "No matching symbols found" with an empty list', async () => {
    const res = await h.api('search', { apikey: h.apiKey, query: 'ZZZQQQ' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      status: 'success',
      message: 'No matching symbols found',
      data: [],
    })
  })

  it('refuses an empty query, a 10 kB query and an unknown exchange with a 400', async () => {
    const empty = await h.api('search', { apikey: h.apiKey, query: '   ' })
    expect(empty.status).toBe(400)
    expect(await empty.json()).toEqual({
      status: 'error',
      message: 'Query parameter is required and cannot be empty',
    })
    const huge = await h.api('search', { apikey: h.apiKey, query: 'A'.repeat(10_240) })
    expect(huge.status).toBe(400)
    expect(await huge.json()).toEqual({
      status: 'error',
      message: { query: ['Longer than maximum length 256.'] },
    })
    const exchange = await h.api('search', { apikey: h.apiKey, query: 'SBIN', exchange: 'nse' })
    expect(exchange.status).toBe(400)
    const missing = await h.api('search', { apikey: h.apiKey })
    expect(await missing.json()).toEqual({
      status: 'error',
      message: { query: ['Missing data for required field.'] },
    })
  })
})

describe('POST /api/v1/expiry (api.md §9.8)', () => {
  it('lists live expiries, ascending, as DD-MMM-YY', async () => {
    const fut = await json(
      await h.api('expiry', {
        apikey: h.apiKey,
        symbol: 'nifty',
        exchange: 'NFO',
        instrumenttype: 'futures',
      }),
    )
    expect(fut).toEqual({
      status: 'success',
      message: 'Found 3 expiry dates for NIFTY futures in NFO',
      data: ['29-APR-25', '27-MAY-25', '24-JUN-25'],
    })
    const opt = await json(
      await h.api('expiry', {
        apikey: h.apiKey,
        symbol: 'NIFTY',
        exchange: 'NFO',
        instrumenttype: 'options',
      }),
    )
    const dates = opt['data'] as string[]
    expect(dates.slice(0, 3)).toEqual(['22-APR-25', '29-APR-25', '06-MAY-25'])
    expect(opt['message']).toBe(`Found ${dates.length} expiry dates for NIFTY options in NFO`)
  })

  it('validates the exchange and instrument type, and answers an unknown underlying with none', async () => {
    const type = await h.api('expiry', {
      apikey: h.apiKey,
      symbol: 'NIFTY',
      exchange: 'NFO',
      instrumenttype: 'weekly',
    })
    expect(type.status).toBe(400)
    expect(await type.json()).toEqual({
      status: 'error',
      message: { instrumenttype: ['Must be one of: futures, options.'] },
    })
    const exchange = await h.api('expiry', {
      apikey: h.apiKey,
      symbol: 'NIFTY',
      exchange: 'NSE',
      instrumenttype: 'options',
    })
    expect(await exchange.json()).toEqual({
      status: 'error',
      message: { exchange: ['Must be one of: NFO, BFO, MCX, CDS, NCO, BCD, NCDEX, CRYPTO.'] },
    })
    const none = await h.api('expiry', {
      apikey: h.apiKey,
      symbol: 'FOO',
      exchange: 'NFO',
      instrumenttype: 'options',
    })
    expect(none.status).toBe(200)
    expect(await none.json()).toEqual({
      status: 'success',
      message: 'No expiry dates found for FOO options in NFO',
      data: [],
    })
  })
})

describe('GET /api/v1/instruments (api.md §9.9)', () => {
  it('streams the instruments of an exchange as JSON, without freeze_qty', async () => {
    const res = await h.apiGet(`instruments?apikey=${h.apiKey}&exchange=NSE_INDEX`)
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body['message']).toBe('Found 30 instruments')
    const data = body['data'] as Record<string, unknown>[]
    expect(data).toHaveLength(30)
    expect(typesOf(data[0] ?? {})).toEqual(SYMBOL_TYPES)
    expect(data[0]).toMatchObject({ symbol: 'NIFTY', exchange: 'NSE_INDEX', expiry: '', strike: 0 })
  })

  it('exports every instrument, and CSV with the original’s header and file name', async () => {
    const all = await json(await h.apiGet(`instruments?apikey=${h.apiKey}`))
    const rows = symtokenSummary(h.main.sqlite).rows
    expect(all['message']).toBe(`Found ${rows} instruments`)
    expect(all['data']).toHaveLength(rows)

    const csv = await h.apiGet(`instruments?apikey=${h.apiKey}&exchange=NSE_INDEX&format=CSV`)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(csv.headers.get('content-disposition')).toBe(
      'attachment; filename=instruments_NSE_INDEX.csv',
    )
    const lines = (await csv.text()).split('\r\n')
    expect(lines[0]).toBe(
      'symbol,brsymbol,name,exchange,brexchange,token,expiry,strike,lotsize,instrumenttype,tick_size',
    )
    expect(lines[1]).toMatch(/^NIFTY,NIFTY 50,NIFTY 50,NSE_INDEX,NSE_IDX,\d+,,,1,INDEX,0\.05$/)
    expect(lines).toHaveLength(32) // header, 30 rows, the final line end
  })

  it('answers errors in CSV mode as text, and refuses a 10 kB query string', async () => {
    const key = await h.apiGet(`instruments?apikey=${'f'.repeat(64)}&format=csv`)
    expect(key.status).toBe(403)
    expect(key.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await key.text()).toBe('Invalid openalgo apikey')
    const missing = await h.apiGet('instruments?format=csv')
    expect(missing.status).toBe(400)
    expect(await missing.text()).toBe("{'apikey': ['Missing data for required field.']}")
    const jsonMissing = await h.apiGet('instruments')
    expect(await jsonMissing.json()).toEqual({
      status: 'error',
      message: { apikey: ['Missing data for required field.'] },
    })
    const format = await h.apiGet(`instruments?apikey=${h.apiKey}&format=xml`)
    expect(await format.json()).toEqual({
      status: 'error',
      message: { format: ['Must be one of: json, csv.'] },
    })
    const long = await h.apiGet(`instruments?apikey=${h.apiKey}&q=${'x'.repeat(10_240)}`)
    expect(long.status).toBe(400)
    expect(await long.json()).toEqual({
      status: 'error',
      message: expect.stringMatching(/^Query string is too long \(\d+ bytes, at most 4096\)$/),
    })
  })
})

describe('POST /api/v1/quotes, /multiquotes, /depth (api.md §9.1–9.3)', () => {
  const QUOTE_TYPES = {
    open: 'number',
    high: 'number',
    low: 'number',
    ltp: 'number',
    ask: 'number',
    bid: 'number',
    prev_close: 'number',
    volume: 'number',
    oi: 'number',
  }

  it('quotes an equity with consistent numbers', async () => {
    const res = await h.api('quotes', { apikey: h.apiKey, symbol: 'RELIANCE', exchange: 'NSE' })
    expect(res.status).toBe(200)
    const body = await json(res)
    const q = body['data'] as Record<string, number>
    expect(typesOf(q)).toEqual(QUOTE_TYPES)
    expect(q['low']!).toBeLessThanOrEqual(q['ltp']!)
    expect(q['ltp']!).toBeLessThanOrEqual(q['high']!)
    expect(q['bid']!).toBeLessThanOrEqual(q['ask']!)
    expect(Number.isInteger(q['volume'])).toBe(true)
    expect(q['volume']!).toBeGreaterThan(0)
  })

  it('gives the same numbers after a restart with the same seed and clock', async () => {
    const first = await json(
      await h.api('quotes', { apikey: h.apiKey, symbol: 'SBIN', exchange: 'NSE' }),
    )
    const again = await createMarketHarness({
      install: h.install,
      withAdmin: false,
      clock: createManualClock('2025-04-17T10:00:00+05:30'),
    })
    again.market.start()
    await again.market.started
    const second = await again.market.marketData.quotes(
      { username: 'admin', broker: 'simulator' },
      { symbol: 'SBIN', exchange: 'NSE' },
    )
    expect(second.body).toEqual(first)
  }, 60_000)

  it('answers an unknown symbol with the original’s 400', async () => {
    const res = await h.api('quotes', { apikey: h.apiKey, symbol: 'FOO', exchange: 'NSE' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      status: 'error',
      message:
        "Symbol 'FOO' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts are downloaded.",
    })
  })

  it('lists multiquote results under `results`, invalid symbols first', async () => {
    const res = await h.api('multiquotes', {
      apikey: h.apiKey,
      symbols: [
        { symbol: 'RELIANCE', exchange: 'NSE' },
        { symbol: 'FOO', exchange: 'NSE' },
        { symbol: 'NIFTY', exchange: 'NSE_INDEX' },
      ],
    })
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(Object.keys(body)).toEqual(['status', 'results'])
    const results = body['results'] as Record<string, unknown>[]
    expect(results.map((r) => [r['symbol'], 'error' in r ? 'error' : 'data'])).toEqual([
      ['FOO', 'error'],
      ['RELIANCE', 'data'],
      ['NIFTY', 'data'],
    ])
    expect(typesOf(results[1]?.['data'] as Record<string, unknown>)).toEqual(QUOTE_TYPES)
    // an index quotes no bid or ask
    expect(results[2]?.['data']).toMatchObject({ bid: 0, ask: 0 })
  })

  it('answers 400 with invalid_symbols when no symbol is valid, and validates the list', async () => {
    const none = await h.api('multiquotes', {
      apikey: h.apiKey,
      symbols: [{ symbol: 'FOO', exchange: 'NSE' }],
    })
    expect(none.status).toBe(400)
    const message =
      "Symbol 'FOO' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts are downloaded."
    expect(await none.json()).toEqual({
      status: 'error',
      message,
      invalid_symbols: [{ symbol: 'FOO', exchange: 'NSE', error: message }],
    })
    const empty = await h.api('multiquotes', { apikey: h.apiKey, symbols: [] })
    expect(await empty.json()).toEqual({
      status: 'error',
      message: { symbols: ['Shorter than minimum length 1.'] },
    })
    const nested = await h.api('multiquotes', {
      apikey: h.apiKey,
      symbols: [
        { symbol: 'SBIN', exchange: 'NSE' },
        { symbol: 'SBIN', exchange: 'XX' },
      ],
    })
    expect(await nested.json()).toEqual({
      status: 'error',
      message: { symbols: { '1': { exchange: [EXCHANGE_LIST] } } },
    })
  })

  it('answers five levels of depth each side', async () => {
    const body = await json(
      await h.api('depth', { apikey: h.apiKey, symbol: 'SBIN', exchange: 'NSE' }),
    )
    const d = body['data'] as Record<string, unknown>
    expect(Object.keys(d)).toEqual([
      'open',
      'high',
      'low',
      'ltp',
      'ltq',
      'prev_close',
      'volume',
      'oi',
      'totalbuyqty',
      'totalsellqty',
      'asks',
      'bids',
    ])
    const asks = d['asks'] as { price: number; quantity: number }[]
    const bids = d['bids'] as { price: number; quantity: number }[]
    expect(asks).toHaveLength(5)
    expect(bids).toHaveLength(5)
    expect(asks[0]!.price).toBeGreaterThan(bids[0]!.price)
    expect(typesOf(asks[0]!)).toEqual({ price: 'number', quantity: 'number' })
  })
})

describe('POST /api/v1/history (api.md §9.4)', () => {
  it('answers NIFTY 5m candles inside market hours over five days, consistent, with volume', async () => {
    const res = await h.api('history', {
      apikey: h.apiKey,
      symbol: 'NIFTY',
      exchange: 'NSE_INDEX',
      interval: '5m',
      start_date: '2025-04-07',
      end_date: '2025-04-11',
    })
    expect(res.status).toBe(200)
    const candles = (await json(res))['data'] as Record<string, number>[]
    // 7, 8, 9 and 11 April traded; 10 April 2025 was an NSE holiday (Mahavir Jayanti)
    const days = new Map<string, number>()
    let previous = 0
    for (const c of candles) {
      expect(Object.keys(c)).toEqual(['timestamp', 'open', 'high', 'low', 'close', 'volume', 'oi'])
      const ts = c['timestamp']!
      expect(Number.isInteger(ts)).toBe(true)
      expect(ts).toBeGreaterThan(previous)
      previous = ts
      const ist = new Date(ts * 1000 + 19_800_000).toISOString()
      const minute = Number(ist.slice(11, 13)) * 60 + Number(ist.slice(14, 16))
      expect(minute).toBeGreaterThanOrEqual(9 * 60 + 15)
      expect(minute).toBeLessThan(15 * 60 + 30)
      days.set(ist.slice(0, 10), (days.get(ist.slice(0, 10)) ?? 0) + 1)
      expect(c['low']!).toBeLessThanOrEqual(Math.min(c['open']!, c['close']!))
      expect(c['high']!).toBeGreaterThanOrEqual(Math.max(c['open']!, c['close']!))
      expect(c['volume']!).toBeGreaterThan(0)
      expect(c['oi']).toBe(0)
    }
    expect([...days]).toEqual([
      ['2025-04-07', 75],
      ['2025-04-08', 75],
      ['2025-04-09', 75],
      ['2025-04-11', 75],
    ])
  })

  it('refuses a reversed range, an unsupported interval, a bad date and a 10-year 1m range', async () => {
    const base = { apikey: h.apiKey, symbol: 'SBIN', exchange: 'NSE', interval: '5m' }
    const reversed = await h.api('history', {
      ...base,
      start_date: '2025-04-16',
      end_date: '2025-04-10',
    })
    expect(reversed.status).toBe(400)
    expect(await reversed.json()).toEqual({
      status: 'error',
      message: 'start_date 2025-04-16 is after end_date 2025-04-10',
    })
    const seconds = await h.api('history', {
      ...base,
      interval: '1s',
      start_date: '2025-04-16',
      end_date: '2025-04-16',
    })
    expect(seconds.status).toBe(400)
    expect(
      ((await json(seconds))['message'] as string).startsWith(
        "Unsupported interval '1s'. Supported intervals: 1m, 2m",
      ),
    ).toBe(true)
    const date = await h.api('history', {
      ...base,
      start_date: '2025-13-01',
      end_date: '2025-04-16',
    })
    expect(await date.json()).toEqual({
      status: 'error',
      message: { start_date: ['Not a valid date.'] },
    })
    const decade = await h.api('history', {
      ...base,
      interval: '1m',
      start_date: '2015-01-01',
      end_date: '2025-01-01',
    })
    expect(decade.status).toBe(400)
    expect((await json(decade))['message']).toMatch(
      /over the limit of 300000; request at most \d+ days at a time/,
    )
    const unknown = await h.api('history', {
      ...base,
      symbol: 'FOO',
      start_date: '2025-04-16',
      end_date: '2025-04-16',
    })
    expect(unknown.status).toBe(400)
    const local = await h.api('history', {
      ...base,
      source: 'db',
      start_date: '2025-04-16',
      end_date: '2025-04-16',
    })
    expect(local.status).toBe(404)
    expect((await json(local))['message']).toBe(
      'No data found for SBIN:NSE interval 5m in local database. Download data first using Historify.',
    )
  })
})

describe('POST /api/v1/intervals and /funds (api.md §9.5, §8.7)', () => {
  it('groups the broker’s intervals', async () => {
    expect(await json(await h.api('intervals', { apikey: h.apiKey }))).toEqual({
      status: 'success',
      data: {
        seconds: [],
        minutes: ['1m', '2m', '3m', '5m', '10m', '15m', '20m', '30m'],
        hours: ['1h', '2h', '3h', '4h'],
        days: ['D'],
        weeks: ['W'],
        months: ['M'],
      },
    })
  })

  it('answers live funds as five two-decimal strings', async () => {
    expect(await json(await h.api('funds', { apikey: h.apiKey }))).toEqual({
      status: 'success',
      data: {
        availablecash: '10000000.00',
        collateral: '0.00',
        m2mrealized: '0.00',
        m2munrealized: '0.00',
        utiliseddebits: '0.00',
      },
    })
  })

  it('routes funds to the analyzer branch when it is plugged in and on', async () => {
    h.market.setAnalyzerFunds({
      isOn: () => true,
      funds: () =>
        Promise.resolve({ status: 200, body: { status: 'success', data: {}, mode: 'analyze' } }),
    })
    try {
      expect((await json(await h.api('funds', { apikey: h.apiKey })))['mode']).toBe('analyze')
    } finally {
      h.market.setAnalyzerFunds(undefined)
    }
  })
})

describe('POST /api/v1/optionsymbol (api.md §10.1)', () => {
  it('resolves ATM/ITM/OTM from the underlying’s LTP and the listed strikes', async () => {
    const body = await json(
      await h.api('optionsymbol', {
        apikey: h.apiKey,
        underlying: 'NIFTY',
        exchange: 'NSE_INDEX',
        expiry_date: '29APR25',
        offset: 'ITM2',
        option_type: 'CE',
      }),
    )
    expect(Object.keys(body)).toEqual([
      'status',
      'symbol',
      'exchange',
      'lotsize',
      'tick_size',
      'freeze_qty',
      'underlying_ltp',
    ])
    const ltp = body['underlying_ltp'] as number
    const strike = Number(/^NIFTY29APR25(\d+)CE$/.exec(body['symbol'] as string)?.[1])
    const atm = Math.round(ltp / 50) * 50
    expect(strike).toBe(atm - 100)
    expect(body).toMatchObject({ exchange: 'NFO', lotsize: 75, freeze_qty: 1800 })

    // a future with its expiry embedded, on the options exchange, with a strike step
    const put = await json(
      await h.api('optionsymbol', {
        apikey: h.apiKey,
        underlying: 'NIFTY29APR25FUT',
        exchange: 'NFO',
        strike_int: '50',
        offset: 'otm1',
        option_type: 'pe',
      }),
    )
    expect(put['symbol']).toBe(`NIFTY29APR25${atm - 50}PE`)
  })

  it('answers the original’s errors for bad input', async () => {
    const base = { apikey: h.apiKey, underlying: 'NIFTY', exchange: 'NSE_INDEX', option_type: 'CE' }
    const strike = await h.api('optionsymbol', {
      ...base,
      expiry_date: '29APR25',
      offset: 'ATM',
      strike_int: 'fifty',
    })
    expect(strike.status).toBe(400)
    expect(await strike.json()).toEqual({
      status: 'error',
      message: 'Validation error',
      errors: { strike_int: ['Not a valid integer.'] },
    })
    const offset = await h.api('optionsymbol', { ...base, expiry_date: '29APR25', offset: 'ITM51' })
    expect(await offset.json()).toEqual({
      status: 'error',
      message: 'Validation error',
      errors: { offset: ['Offset must be ATM, ITM1-ITM50, or OTM1-OTM50'] },
    })
    const noExpiry = await h.api('optionsymbol', { ...base, offset: 'ATM' })
    expect(noExpiry.status).toBe(400)
    expect((await json(noExpiry))['message']).toBe(
      'Expiry date required. Provide via expiry_date parameter or embed in underlying (e.g., NIFTY28OCT25FUT).',
    )
    const noStrikes = await h.api('optionsymbol', {
      ...base,
      expiry_date: '24APR25',
      offset: 'ATM',
    })
    expect(noStrikes.status).toBe(404)
    expect((await json(noStrikes))['message']).toBe(
      'No strikes found for NIFTY expiring 24APR25. Please check expiry date or update master contract.',
    )
    const far = await h.api('optionsymbol', {
      ...base,
      expiry_date: '29APR25',
      offset: 'OTM50',
      option_type: 'PE',
    })
    expect([200, 400]).toContain(far.status)
    const unknown = await h.api('optionsymbol', {
      ...base,
      underlying: 'NOPE',
      exchange: 'NSE',
      expiry_date: '29APR25',
      offset: 'ATM',
    })
    expect(unknown.status).toBe(400)
    expect((await json(unknown))['message']).toMatch(
      /^Failed to fetch LTP for NOPE\. Symbol 'NOPE' not found/,
    )
  })
})

describe('GET /api/v1/ticker/<exchange>:<symbol> (api.md §9.10)', () => {
  it('answers daily candles as JSON and intraday candles as Amibroker text', async () => {
    const daily = await json(
      await h.apiGet(
        `ticker/NSE:RELIANCE?apikey=${h.apiKey}&interval=D&from=2025-04-10&to=2025-04-16`,
      ),
    )
    expect(daily['status']).toBe('success')
    expect((daily['data'] as unknown[]).length).toBe(3)

    const txt = await h.apiGet(
      `ticker/NSE:RELIANCE?apikey=${h.apiKey}&interval=5m&from=2025-04-16&to=2025-04-16&format=txt`,
    )
    expect(txt.headers.get('content-type')).toMatch(/^text\/plain/)
    const lines = (await txt.text()).split('\n')
    expect(lines).toHaveLength(75)
    expect(lines[0]).toMatch(
      /^NSE:RELIANCE,2025-04-16,09:15:00,\d+\.\d+,\d+\.\d+,\d+\.\d+,\d+\.\d+,\d+$/,
    )
    const dayTxt = await (
      await h.apiGet(
        `ticker/NSE:RELIANCE?apikey=${h.apiKey}&from=2025-04-16&to=2025-04-16&format=txt`,
      )
    ).text()
    expect(dayTxt).toMatch(/^NSE:RELIANCE,2025-04-16,\d+\.\d+,\d+\.\d+,\d+\.\d+,\d+\.\d+,\d+$/)
  })

  it('refuses a path without EXCHANGE: (W-20) and answers text errors in txt mode', async () => {
    const bare = await h.apiGet(`ticker/RELIANCE?apikey=${h.apiKey}&from=2025-04-16&to=2025-04-16`)
    expect(bare.status).toBe(400)
    expect(((await json(bare))['message'] as Record<string, string[]>)['symbol']?.[0]).toMatch(
      /^Use EXCHANGE:SYMBOL, e\.g\. NSE:RELIANCE/,
    )
    const key = await h.apiGet(
      `ticker/NSE:RELIANCE?apikey=${'f'.repeat(64)}&from=2025-04-16&to=2025-04-16&format=txt`,
    )
    expect(key.status).toBe(403)
    expect(await key.text()).toBe('Invalid openalgo apikey\n')
    const dates = await h.apiGet(`ticker/NSE:RELIANCE?apikey=${h.apiKey}&format=txt`)
    expect(dates.status).toBe(400)
    expect(await dates.text()).toBe(
      "{'from': ['Missing data for required field.'], 'to': ['Missing data for required field.']}",
    )
  })
})

describe('OpenAPI examples', () => {
  it('gives every market endpoint an example response from the simulator', () => {
    for (const def of marketEndpoints(h.market)) {
      expect(def.example?.response, def.path).toMatchObject({ status: 'success' })
    }
  })
})
