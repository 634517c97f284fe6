/**
 * The symbol and market-data endpoints of `/api/v1` (spec api.md §8.7, §9, §10.1), on the endpoint
 * framework: the original's fields, defaults, messages and error shapes. Handlers are thin: they
 * call the market services, which the web app's session routes share.
 */
import { toRupees, toWireCandle } from '@oa/broker-sdk'
import type { Context, Hono, MiddlewareHandler } from 'hono'
import { z } from 'zod'
import type { MarketServices } from '../market/market-services.js'
import { pyFloat } from '../services/symbol-wire.js'
import { IST_OFFSET_MS } from '../market/ist.js'
import {
  body,
  defineEndpoint,
  mountEndpoints,
  type EndpointDefinition,
  type MountApiDeps,
} from './endpoint.js'
import { pythonRepr, type ErrorDict } from './validation-errors.js'
import {
  EXCHANGES,
  FNO_EXCHANGES,
  apikeyField,
  fieldError,
  intWhere,
  isoDate,
  list,
  nested,
  oneOf,
  str,
} from './wire.js'
import { MARKET_EXAMPLES } from './market-examples.js'

/** History intervals the schema accepts (api.md §6.6); the broker's own subset is checked after. */
export const HISTORY_INTERVALS = [
  '1s',
  '5s',
  '10s',
  '15s',
  '30s',
  '45s',
  '1m',
  '2m',
  '3m',
  '5m',
  '10m',
  '15m',
  '20m',
  '30m',
  '1h',
  '2h',
  '3h',
  '4h',
  'D',
  'W',
  'M',
  'Q',
  'Y',
] as const

/** Longest accepted GET query string; a longer one is a 400, not a slow parse. */
export const MAX_QUERY_STRING_BYTES = 4096

const symbolRef = {
  apikey: apikeyField(),
  symbol: str(),
  exchange: oneOf(EXCHANGES),
}

const OFFSET = /^(ATM|(ITM|OTM)([1-9]|[1-4][0-9]|50))$/
const TICKER = new RegExp(`^(${EXCHANGES.join('|')}):(.+)$`)
const lower = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v)

/** Builds the endpoint definitions over the market services. */
export function marketEndpoints(market: MarketServices): EndpointDefinition[] {
  const caller = (c: { caller: { username: string; broker: string | null } }) => c.caller

  const symbol = defineEndpoint({
    method: 'post',
    path: '/symbol',
    summary: 'Symbol details from the master contract',
    tags: ['symbols'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body(symbolRef),
    example: MARKET_EXAMPLES.symbol,
    handler: (input, call) => market.symbolsApi.symbol(caller(call), input),
  })

  const search = defineEndpoint({
    method: 'post',
    path: '/search',
    summary: 'Search symbols (ranked, multi-term)',
    tags: ['symbols'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body({
      apikey: apikeyField(),
      query: str().check(
        z.refine((s: string) => s.length <= 256, 'Longer than maximum length 256.'),
      ),
      exchange: oneOf(EXCHANGES).optional(),
    }),
    example: MARKET_EXAMPLES.search,
    handler: (input, call) => market.symbolsApi.search(caller(call), input),
  })

  const expiry = defineEndpoint({
    method: 'post',
    path: '/expiry',
    summary: 'Live expiry dates of an underlying',
    tags: ['symbols'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body({
      apikey: apikeyField(),
      symbol: str(),
      exchange: oneOf(FNO_EXCHANGES),
      instrumenttype: oneOf(['futures', 'options']),
    }),
    example: MARKET_EXAMPLES.expiry,
    handler: (input, call) => market.symbolsApi.expiry(caller(call), input),
  })

  const instruments = defineEndpoint({
    method: 'get',
    path: '/instruments',
    summary: 'Every instrument of the master contract (JSON or CSV)',
    tags: ['symbols'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body({
      apikey: apikeyField(),
      exchange: oneOf(EXCHANGES).optional(),
      format: z.preprocess(lower, oneOf(['json', 'csv'])).optional(),
    }),
    example: MARKET_EXAMPLES.instruments,
    handler: (input, call) => {
      const out = market.symbolsApi.instruments(caller(call), {
        exchange: input.exchange,
        format: input.format ?? 'json',
      })
      if ('headers' in out)
        return new Response(out.body, { status: out.status, headers: out.headers })
      return out
    },
  })

  const optionsymbol = defineEndpoint({
    method: 'post',
    path: '/optionsymbol',
    summary: 'Option contract at an offset from the money',
    tags: ['options'],
    rateLimit: 'api',
    errorShape: 'validation-error',
    auth: 'apikey',
    input: body({
      apikey: apikeyField(),
      strategy: str().nullable().optional(),
      underlying: str(),
      exchange: oneOf(EXCHANGES),
      expiry_date: str().optional(),
      strike_int: intWhere((n) => n >= 1, 'Must be greater than or equal to 1.')
        .nullable()
        .optional(),
      offset: str().check(
        z.refine(
          (s: string) => OFFSET.test(s.toUpperCase()),
          'Offset must be ATM, ITM1-ITM50, or OTM1-OTM50',
        ),
      ),
      option_type: oneOf(['CE', 'PE', 'ce', 'pe']),
    }),
    example: MARKET_EXAMPLES.optionsymbol,
    handler: (input, call) =>
      market.optionSymbol(caller(call), {
        underlying: input.underlying,
        exchange: input.exchange,
        expiryDate: input.expiry_date,
        strikeInt: input.strike_int,
        offset: input.offset,
        optionType: input.option_type,
      }),
  })

  const quotes = defineEndpoint({
    method: 'post',
    path: '/quotes',
    summary: 'Quote of one instrument',
    tags: ['market data'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body(symbolRef),
    example: MARKET_EXAMPLES.quotes,
    handler: (input, call) => market.marketData.quotes(caller(call), input),
  })

  const multiquotes = defineEndpoint({
    method: 'post',
    path: '/multiquotes',
    summary: 'Quotes of many instruments (invalid symbols reported inline)',
    tags: ['market data'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body({
      apikey: apikeyField(),
      symbols: list(nested({ symbol: str(), exchange: oneOf(EXCHANGES) })).check(
        z.refine((a: readonly unknown[]) => a.length >= 1, 'Shorter than minimum length 1.'),
      ),
    }),
    example: MARKET_EXAMPLES.multiquotes,
    handler: (input, call) => market.marketData.multiquotes(caller(call), input),
  })

  const depth = defineEndpoint({
    method: 'post',
    path: '/depth',
    summary: 'Market depth (5 levels) of one instrument',
    tags: ['market data'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body(symbolRef),
    example: MARKET_EXAMPLES.depth,
    handler: (input, call) => market.marketData.depth(caller(call), input),
  })

  const history = defineEndpoint({
    method: 'post',
    path: '/history',
    summary: 'Historical candles (epoch-second timestamps)',
    tags: ['market data'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body({
      ...symbolRef,
      interval: oneOf(HISTORY_INTERVALS),
      start_date: isoDate(),
      end_date: isoDate(),
      source: oneOf(['api', 'db']).optional(),
    }),
    example: MARKET_EXAMPLES.history,
    handler: (input, call) =>
      market.marketData.history(caller(call), {
        symbol: input.symbol,
        exchange: input.exchange,
        interval: input.interval,
        startDate: input.start_date,
        endDate: input.end_date,
        source: input.source ?? 'api',
      }),
  })

  const intervals = defineEndpoint({
    method: 'post',
    path: '/intervals',
    summary: "The broker's history intervals",
    tags: ['market data'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body({ apikey: apikeyField() }),
    example: MARKET_EXAMPLES.intervals,
    handler: (_input, call) => market.marketData.intervals(caller(call)),
  })

  const funds = defineEndpoint({
    method: 'post',
    path: '/funds',
    summary: 'Funds (five two-decimal strings)',
    tags: ['account'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body({ apikey: apikeyField() }),
    example: MARKET_EXAMPLES.funds,
    handler: (_input, call) => market.funds(caller(call)),
  })

  const ticker = defineEndpoint({
    method: 'get',
    path: '/ticker/:symbol',
    summary: 'Candles for Amibroker-style pullers (json or txt)',
    description:
      'The path is `EXCHANGE:SYMBOL` (e.g. `NSE:RELIANCE`); a path without the exchange is a 400 (W-20). The range is clamped as the original clamps it: 10 years back from `to` for D/W/M, 30 days otherwise.',
    tags: ['market data'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body({
      apikey: apikeyField(),
      symbol: str().check(
        z.refine(
          (s: string) => TICKER.test(s),
          `Use EXCHANGE:SYMBOL, e.g. NSE:RELIANCE, with EXCHANGE one of: ${EXCHANGES.join(', ')}.`,
        ),
      ),
      interval: oneOf(HISTORY_INTERVALS).optional(),
      from: isoDate(),
      to: isoDate(),
      format: z
        .preprocess(lower, z.string({ error: fieldError('Not a valid string.') }))
        .optional(),
    }),
    example: MARKET_EXAMPLES.ticker,
    handler: async (input, call) => {
      const [, exchange = '', symbolName = ''] = TICKER.exec(input.symbol) ?? []
      const interval = input.interval ?? 'D'
      const result = await market.marketData.ticker(caller(call), {
        symbol: symbolName,
        exchange,
        interval,
        startDate: input.from,
        endDate: input.to,
      })
      if (!result.ok) return result.reply
      if (input.format !== 'txt') {
        return { status: 200, body: { status: 'success', data: result.candles.map(toWireCandle) } }
      }
      // Amibroker lines: `NSE:RELIANCE,2025-04-01[,09:15:00],766.5,774.0,763.2,772.5,318625` (IST)
      const lines = result.candles.map((candle) => {
        const at = new Date(candle.timestamp * 1000 + IST_OFFSET_MS).toISOString()
        const prices = [candle.open, candle.high, candle.low, candle.close]
          .map((p) => pyFloat(toRupees(p)))
          .join(',')
        const when = interval === 'D' ? at.slice(0, 10) : `${at.slice(0, 10)},${at.slice(11, 19)}`
        return `${exchange}:${symbolName},${when},${prices},${Math.trunc(candle.volume)}`
      })
      return new Response(lines.join('\n'), {
        status: 200,
        headers: { 'content-type': 'text/plain; charset=UTF-8' },
      })
    },
  })

  return [
    symbol,
    search,
    expiry,
    instruments,
    optionsymbol,
    quotes,
    multiquotes,
    depth,
    history,
    intervals,
    funds,
    ticker,
  ] as EndpointDefinition[]
}

/**
 * The text answers' errors (api.md §9.9, §9.10): in CSV mode (`/instruments?format=csv`) and TXT
 * mode (`/ticker?format=txt`) an error is `text/plain` — the message, or the Python repr of a
 * schema error dict — not the JSON envelope.
 */
function plainTextErrors(format: string): MiddlewareHandler {
  return async (c, next) => {
    await next()
    if ((c.req.query('format') ?? '').toLowerCase() !== format) return
    const res = c.res
    if (res.status < 400 || !(res.headers.get('content-type') ?? '').includes('json')) return
    const payload = (await res.clone().json()) as { message?: unknown }
    const message = payload.message
    const text =
      typeof message === 'string'
        ? `${message}${format === 'txt' && res.status === 403 ? '\n' : ''}`
        : pythonRepr((message ?? {}) as ErrorDict)
    const headers = new Headers(res.headers)
    headers.set('content-type', 'text/plain; charset=utf-8')
    c.res = new Response(text, { status: res.status, headers })
  }
}

/** Refuses a GET whose query string is longer than {@link MAX_QUERY_STRING_BYTES}. */
function boundedQueryString(): MiddlewareHandler {
  return async (c: Context, next) => {
    const url = c.req.url
    const q = url.indexOf('?')
    const bytes = q < 0 ? 0 : Buffer.byteLength(url.slice(q + 1))
    if (bytes > MAX_QUERY_STRING_BYTES) {
      return c.json(
        {
          status: 'error',
          message: `Query string is too long (${bytes} bytes, at most ${MAX_QUERY_STRING_BYTES})`,
        },
        400,
      )
    }
    return next()
  }
}

/** Mounts the market endpoints (and their text-mode and query-length guards) on `app`. */
export function mountMarketApi(app: Hono, market: MarketServices, deps: MountApiDeps): void {
  for (const path of ['/api/v1/instruments', '/api/v1/instruments/']) {
    app.use(path, boundedQueryString(), plainTextErrors('csv'))
  }
  app.use('/api/v1/ticker/*', boundedQueryString(), plainTextErrors('txt'))
  mountEndpoints(app, marketEndpoints(market), deps)
}
