/**
 * `optiongreeks` / `multioptiongreeks` (spec api.md §10.4–10.5) and the chain Greeks of
 * `optionchain`, following the original's `services/option_greeks_service.py`: Black-76 on the
 * forward (the per-expiry synthetic future; spot when it cannot be had), IV in percent, theta
 * per day, vega per 1%, rounding and the "no time value" / "expired" answers as it does them.
 * When only a spot price is known and a rate is given, Black-Scholes on spot is used (with a zero
 * rate the two models agree).
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Caller } from '../api/endpoint.js'
import type { Clock } from '../clock.js'
import {
  black76Greeks,
  blackScholesGreeks,
  impliedVolatility,
  type Greeks,
  type OptionFlag,
} from './black76.js'

const IST_MS = 19_800_000
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const MONTH_TITLE = MONTHS.map((m) => m[0] + m.slice(1).toLowerCase())

const NSE_INDEX = new Set([
  'NIFTY',
  'BANKNIFTY',
  'FINNIFTY',
  'MIDCPNIFTY',
  'NIFTYNXT50',
  'NIFTYIT',
  'NIFTYPHARMA',
  'NIFTYBANK',
])
const BSE_INDEX = new Set(['SENSEX', 'BANKEX', 'SENSEX50'])
const CURRENCY = new Set(['USDINR', 'EURINR', 'GBPINR', 'JPYINR'])
const COMMODITY = new Set([
  'GOLD',
  'GOLDM',
  'GOLDPETAL',
  'SILVER',
  'SILVERM',
  'SILVERMIC',
  'CRUDEOIL',
  'CRUDEOILM',
  'NATURALGAS',
  'COPPER',
  'ZINC',
  'LEAD',
  'ALUMINIUM',
  'NICKEL',
  'COTTONCANDY',
  'MENTHAOIL',
])

/** Expiry cut-off (IST) per exchange; NFO/BFO and the rest 15:30 (the original's table). */
const EXPIRY_TIMES: Record<string, [number, number]> = { MCX: [23, 30], CDS: [12, 30] }

export class GreeksInputError extends Error {
  override readonly name = 'GreeksInputError'
}

export interface ParsedOption {
  readonly base: string
  /** epoch ms of the expiry cut-off */
  readonly expiryMs: number
  /** `DDMMMYY` */
  readonly expiryCode: string
  readonly strike: number
  readonly optionType: 'CE' | 'PE'
}

/** `HH:MM` override or the exchange's cut-off; throws GreeksInputError with the original's texts. */
export function expiryTimeOf(exchange: string, custom?: string | null): [number, number] {
  if (!custom) return EXPIRY_TIMES[exchange] ?? [15, 30]
  const parts = custom.split(':')
  if (parts.length !== 2)
    throw new GreeksInputError(
      `Invalid expiry_time format: ${custom}. Use HH:MM format (e.g., '15:30', '19:00')`,
    )
  const [h, m] = parts.map((p) => (/^\s*[+-]?\d+\s*$/.test(p) ? Number(p) : Number.NaN)) as [
    number,
    number,
  ]
  if (Number.isNaN(h) || Number.isNaN(m))
    throw new GreeksInputError(
      `Failed to parse expiry_time '${custom}': invalid literal for int() with base 10`,
    )
  if (h < 0 || h > 23 || m < 0 || m > 59)
    throw new GreeksInputError(
      `Invalid expiry_time values: ${custom}. Hour must be 0-23, minute must be 0-59`,
    )
  return [h, m]
}

/** `NIFTY28NOV2424000CE` → base, expiry instant, strike, type (the original's regex, start-anchored). */
export function parseOptionSymbol(
  symbol: string,
  exchange: string,
  expiryTime?: string | null,
): ParsedOption {
  const m = /^([A-Z]+)(\d{2})([A-Z]{3})(\d{2})([\d.]+)(CE|PE)/.exec(symbol.toUpperCase())
  if (!m)
    throw new GreeksInputError(
      `Failed to parse option symbol ${symbol}: Invalid option symbol format: ${symbol}`,
    )
  const [, base, dd, mon, yy, strikeText, type] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    'CE' | 'PE',
  ]
  const month = MONTHS.indexOf(mon)
  if (month < 0)
    throw new GreeksInputError(
      `Failed to parse option symbol ${symbol}: Invalid month in option symbol: ${symbol}`,
    )
  const strike = Number(strikeText)
  if (!Number.isFinite(strike) || !/^\d*\.?\d*$/.test(strikeText) || strikeText === '.')
    throw new GreeksInputError(
      `Failed to parse option symbol ${symbol}: could not convert string to float: '${strikeText}'`,
    )
  let hm: [number, number]
  try {
    hm = expiryTimeOf(exchange, expiryTime)
  } catch (error) {
    throw new GreeksInputError(
      `Failed to parse option symbol ${symbol}: ${(error as Error).message}`,
    )
  }
  const day = Number(dd)
  const year = 2000 + Number(yy)
  const utc = Date.UTC(year, month, day, hm[0], hm[1])
  const check = new Date(Date.UTC(year, month, day))
  if (check.getUTCDate() !== day)
    throw new GreeksInputError(
      `Failed to parse option symbol ${symbol}: day is out of range for month`,
    )
  return { base, expiryMs: utc - IST_MS, expiryCode: `${dd}${mon}${yy}`, strike, optionType: type }
}

/** Where the underlying of an option is quoted (the original's `get_underlying_exchange`). */
export function underlyingExchangeOf(base: string, optionsExchange: string): string {
  if (NSE_INDEX.has(base)) return 'NSE_INDEX'
  if (BSE_INDEX.has(base)) return 'BSE_INDEX'
  if (CURRENCY.has(base) || optionsExchange === 'CDS') return 'CDS'
  if (COMMODITY.has(base) || optionsExchange === 'MCX') return 'MCX'
  if (optionsExchange === 'CRYPTO') return 'CRYPTO'
  return 'NSE'
}

/** `25-Aug-2026` from an expiry instant. */
export function expiryText(expiryMs: number): string {
  const d = new Date(expiryMs + IST_MS)
  return `${String(d.getUTCDate()).padStart(2, '0')}-${MONTH_TITLE[d.getUTCMonth()]}-${d.getUTCFullYear()}`
}

/** Years and days to expiry (0 when expired; at least 0.0001 years otherwise). */
export function timeToExpiry(expiryMs: number, nowMs: number): { years: number; days: number } {
  if (expiryMs < nowMs) return { years: 0, days: 0 }
  let days = (expiryMs - nowMs) / 86_400_000
  let years = days / 365
  if (years < 0.0001) {
    years = 0.0001
    days = years * 365
  }
  return { years, days }
}

/** Python's round(x, n): half to even on the decimal representation. */
export function pyRound(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x
  const factor = 10 ** digits
  const scaled = x * factor
  const floor = Math.floor(scaled)
  const diff = scaled - floor
  let r: number
  if (Math.abs(diff - 0.5) < 1e-9) r = floor % 2 === 0 ? floor : floor + 1
  else r = Math.round(scaled)
  const out = r / factor
  return Object.is(out, -0) ? 0 : out
}

export interface GreeksOutcome {
  readonly status: ContentfulStatusCode
  readonly body: Record<string, unknown>
}

/**
 * Greeks and IV of one option from its price and the underlying's (forward) price, as the
 * original's `calculate_greeks`. `spotIsForward` false and a positive rate switch to
 * Black-Scholes on spot.
 */
export function calculateGreeks(input: {
  readonly symbol: string
  readonly exchange: string
  readonly underlyingPrice: number
  readonly optionPrice: number
  readonly interestRate?: number | null | undefined
  readonly expiryTime?: string | null | undefined
  readonly nowMs: number
  readonly spotIsForward?: boolean
}): GreeksOutcome {
  let parsed: ParsedOption
  try {
    parsed = parseOptionSymbol(input.symbol, input.exchange, input.expiryTime)
  } catch (error) {
    return { status: 400, body: { status: 'error', message: (error as Error).message } }
  }
  const { years, days } = timeToExpiry(parsed.expiryMs, input.nowMs)
  if (years <= 0)
    return {
      status: 400,
      body: { status: 'error', message: `Option has expired on ${expiryText(parsed.expiryMs)}` },
    }
  const ratePct = input.interestRate ?? 0
  const r = ratePct / 100
  const spot = input.underlyingPrice
  const price = input.optionPrice
  if (spot <= 0 || price <= 0)
    return {
      status: 400,
      body: { status: 'error', message: 'Spot price and option price must be positive' },
    }
  if (parsed.strike <= 0)
    return { status: 400, body: { status: 'error', message: 'Strike price must be positive' } }
  const flag: OptionFlag = parsed.optionType === 'CE' ? 'c' : 'p'
  const intrinsic = Math.max(flag === 'c' ? spot - parsed.strike : parsed.strike - spot, 0)
  const timeValue = price - intrinsic
  const head = {
    status: 'success',
    symbol: input.symbol,
    exchange: input.exchange,
    underlying: parsed.base,
    strike: pyRound(parsed.strike, 2),
    option_type: parsed.optionType,
    expiry_date: expiryText(parsed.expiryMs),
    days_to_expiry: pyRound(days, 4),
    spot_price: pyRound(spot, 2),
    option_price: pyRound(price, 2),
  }
  const theoretical = (note: string): GreeksOutcome => ({
    status: 200,
    body: {
      ...head,
      intrinsic_value: pyRound(intrinsic, 2),
      time_value: pyRound(Math.max(timeValue, 0), 2),
      interest_rate: pyRound(ratePct, 2),
      implied_volatility: 0,
      greeks: { delta: flag === 'c' ? 1.0 : -1.0, gamma: 0, theta: 0, vega: 0, rho: 0 },
      note,
    },
  })
  if (timeValue <= 0 || (intrinsic > 0 && timeValue < 0.01))
    return theoretical('Deep ITM option with no time value - theoretical Greeks returned')

  // Black-Scholes on spot when the price is a spot price and carry matters; Black-76 otherwise
  const useSpotModel = input.spotIsForward === false && r > 0
  const forward = useSpotModel ? spot * Math.exp(r * years) : spot
  const iv = impliedVolatility(price, forward, parsed.strike, r, years, flag)
  if (!iv.ok)
    return theoretical('IV calculation not possible - theoretical deep ITM Greeks returned')
  const g: Greeks = useSpotModel
    ? blackScholesGreeks(flag, spot, parsed.strike, years, r, iv.sigma)
    : black76Greeks(flag, spot, parsed.strike, years, r, iv.sigma)
  return {
    status: 200,
    body: {
      ...head,
      interest_rate: pyRound(ratePct, 2),
      implied_volatility: pyRound(iv.sigma * 100, 2),
      greeks: {
        delta: pyRound(g.delta, 4),
        gamma: pyRound(g.gamma, 6),
        theta: pyRound(g.theta, 4),
        vega: pyRound(g.vega, 4),
        rho: pyRound(g.rho, 6),
      },
    },
  }
}

/** One leg's chain Greeks (the original's `calculate_chain_greeks`), or null when not computable. */
export interface LegGreeks {
  readonly iv: number
  readonly delta: number
  readonly gamma: number
  readonly theta: number
  readonly vega: number
}

export function chainLegGreeks(
  flag: OptionFlag,
  strike: number,
  price: number,
  forward: number,
  years: number,
  ratePct: number,
): LegGreeks | null {
  if (!(price > 0) || !(strike > 0) || forward <= 0 || years <= 0) return null
  const r = ratePct / 100
  const intrinsic = Math.max(flag === 'c' ? forward - strike : strike - forward, 0)
  const timeValue = price - intrinsic
  const fallback = (): LegGreeks => ({
    iv: 0,
    delta: intrinsic > 0 ? (flag === 'c' ? 1.0 : -1.0) : 0.0,
    gamma: 0,
    theta: 0,
    vega: 0,
  })
  if (timeValue <= 0 || (intrinsic > 0 && timeValue < 0.01)) return fallback()
  const iv = impliedVolatility(price, forward, strike, r, years, flag)
  if (!iv.ok || !(iv.sigma > 0)) return fallback()
  const g = black76Greeks(flag, forward, strike, years, r, iv.sigma)
  return {
    iv: pyRound(iv.sigma * 100, 2),
    delta: pyRound(g.delta, 4),
    gamma: pyRound(g.gamma, 6),
    theta: pyRound(g.theta, 4),
    vega: pyRound(g.vega, 4),
  }
}

/** What the Greeks services need from market data (the market-core quote service fits). */
export interface OptionQuotes {
  /** LTP of one instrument, or why not (status and message as the quotes service answers) */
  ltp(
    caller: Caller,
    symbol: string,
    exchange: string,
  ): Promise<
    { ok: true; ltp: number } | { ok: false; status: ContentfulStatusCode; message: string }
  >
  /** LTPs of many instruments, keyed `EXCHANGE:SYMBOL`; missing ones are left out */
  ltps(
    caller: Caller,
    items: readonly { symbol: string; exchange: string }[],
  ): Promise<Map<string, number>>
  /** the synthetic future (ATM strike + CE − PE) of an underlying's expiry, or null */
  syntheticFuture(
    caller: Caller,
    base: string,
    underlyingExchange: string,
    expiryCode: string,
  ): Promise<number | null>
}

export interface OptionGreeksInput {
  readonly symbol: string
  readonly exchange: string
  readonly interest_rate?: number | undefined
  readonly forward_price?: number | undefined
  readonly underlying_symbol?: string | undefined
  readonly underlying_exchange?: string | undefined
  readonly expiry_time?: string | undefined
}

/** The original's `get_option_greeks`: forward (given, synthetic, or spot), option LTP, Greeks. */
export async function optionGreeks(
  deps: { readonly quotes: OptionQuotes; readonly clock: Clock },
  caller: Caller,
  input: OptionGreeksInput,
): Promise<GreeksOutcome> {
  let parsed: ParsedOption
  try {
    parsed = parseOptionSymbol(input.symbol, input.exchange, input.expiry_time)
  } catch (error) {
    return {
      status: 500,
      body: {
        status: 'error',
        message: `Failed to get option Greeks: ${(error as Error).message}`,
      },
    }
  }
  let underlying: number
  let isForward = true
  if (input.forward_price) {
    underlying = input.forward_price
  } else {
    const spotSymbol = input.underlying_symbol || parsed.base
    const spotExchange =
      input.underlying_exchange || underlyingExchangeOf(parsed.base, input.exchange)
    let forward: number | null = null
    if (!input.underlying_symbol || input.underlying_symbol === parsed.base)
      forward = await deps.quotes.syntheticFuture(
        caller,
        parsed.base,
        spotExchange,
        parsed.expiryCode,
      )
    if (forward) {
      underlying = forward
    } else {
      const spot = await deps.quotes.ltp(caller, spotSymbol, spotExchange)
      if (!spot.ok)
        return {
          status: spot.status,
          body: { status: 'error', message: `Failed to fetch underlying price: ${spot.message}` },
        }
      underlying = spot.ltp
      // a future named as the underlying is a forward; an index or stock spot is not
      isForward = /FUT$/.test(spotSymbol)
    }
    if (!underlying)
      return { status: 404, body: { status: 'error', message: 'Underlying LTP not available' } }
  }
  const option = await deps.quotes.ltp(caller, input.symbol, input.exchange)
  if (!option.ok)
    return {
      status: option.status,
      body: { status: 'error', message: `Failed to fetch option price: ${option.message}` },
    }
  if (!option.ltp)
    return { status: 404, body: { status: 'error', message: 'Option LTP not available' } }
  return calculateGreeks({
    symbol: input.symbol,
    exchange: input.exchange,
    underlyingPrice: underlying,
    optionPrice: option.ltp,
    interestRate: input.interest_rate,
    expiryTime: input.expiry_time,
    nowMs: deps.clock.now(),
    spotIsForward: isForward,
  })
}

export interface MultiGreeksInput {
  readonly symbols: readonly {
    symbol: string
    exchange: string
    underlying_symbol?: string | undefined
    underlying_exchange?: string | undefined
  }[]
  readonly interest_rate?: number | undefined
  readonly expiry_time?: string | undefined
}

/** The original's `get_multi_option_greeks`: one spot per underlying, one batch of option LTPs. */
export async function multiOptionGreeks(
  deps: { readonly quotes: OptionQuotes; readonly clock: Clock },
  caller: Caller,
  input: MultiGreeksInput,
): Promise<GreeksOutcome> {
  const results: { order: number; body: Record<string, unknown> }[] = []
  let ok = 0
  let failed = 0
  const parsed = new Map<number, ParsedOption>()
  const spotKeyOf = new Map<number, string>()
  const spots = new Map<string, number | null>()
  const forwards = new Map<number, number>()
  const synthCache = new Map<string, number | null>()

  for (const [i, req] of input.symbols.entries()) {
    try {
      const p = parseOptionSymbol(req.symbol, req.exchange, input.expiry_time)
      parsed.set(i, p)
      const spotSymbol = req.underlying_symbol || p.base
      const spotExchange = req.underlying_exchange || underlyingExchangeOf(p.base, req.exchange)
      const key = `${spotExchange}:${spotSymbol}`
      spots.set(key, null)
      spotKeyOf.set(i, key)
      if (!req.underlying_symbol || req.underlying_symbol === p.base) {
        const ck = `${p.base}|${spotExchange}|${p.expiryCode}`
        if (!synthCache.has(ck))
          synthCache.set(
            ck,
            await deps.quotes.syntheticFuture(caller, p.base, spotExchange, p.expiryCode),
          )
        const fwd = synthCache.get(ck)
        if (fwd) forwards.set(i, fwd)
      }
    } catch (error) {
      failed++
      results.push({
        order: i,
        body: {
          status: 'error',
          symbol: req.symbol,
          exchange: req.exchange,
          message: `Failed to parse option symbol: ${(error as Error).message}`,
        },
      })
    }
  }
  for (const key of spots.keys()) {
    const [exchange, ...rest] = key.split(':')
    const r = await deps.quotes.ltp(caller, rest.join(':'), exchange ?? '')
    if (r.ok && r.ltp) spots.set(key, r.ltp)
  }
  const optionLtps = await deps.quotes.ltps(
    caller,
    input.symbols
      .filter((_s, i) => parsed.has(i))
      .map((s) => ({ symbol: s.symbol, exchange: s.exchange })),
  )
  for (const [i, req] of input.symbols.entries()) {
    const p = parsed.get(i)
    if (!p) continue
    const key = spotKeyOf.get(i) ?? ''
    const underlying = forwards.get(i) ?? spots.get(key) ?? null
    if (!underlying) {
      failed++
      results.push({
        order: i,
        body: {
          status: 'error',
          symbol: req.symbol,
          exchange: req.exchange,
          message: `Failed to fetch underlying price for ${key.split(':').slice(1).join(':') || 'unknown'}`,
        },
      })
      continue
    }
    const price = optionLtps.get(`${req.exchange}:${req.symbol}`)
    if (!price) {
      failed++
      results.push({
        order: i,
        body: {
          status: 'error',
          symbol: req.symbol,
          exchange: req.exchange,
          message: 'Option LTP not available',
        },
      })
      continue
    }
    const out = calculateGreeks({
      symbol: req.symbol,
      exchange: req.exchange,
      underlyingPrice: underlying,
      optionPrice: price,
      interestRate: input.interest_rate,
      expiryTime: input.expiry_time,
      nowMs: deps.clock.now(),
      spotIsForward: forwards.has(i) || /FUT$/.test(req.underlying_symbol ?? ''),
    })
    if (out.status === 200) {
      ok++
      results.push({ order: i, body: out.body })
    } else if (String(out.body['message']).toLowerCase().includes('option has expired')) {
      ok++
      const flagCall = p.optionType === 'CE'
      const intrinsic = Math.max(flagCall ? underlying - p.strike : p.strike - underlying, 0)
      results.push({
        order: i,
        body: {
          status: 'success',
          symbol: req.symbol,
          exchange: req.exchange,
          underlying: p.base,
          strike: pyRound(p.strike, 2),
          option_type: p.optionType,
          expiry_date: expiryText(p.expiryMs),
          days_to_expiry: 0,
          spot_price: pyRound(underlying, 2),
          option_price: pyRound(price, 2),
          intrinsic_value: pyRound(intrinsic, 2),
          time_value: pyRound(Math.max(price - intrinsic, 0), 2),
          interest_rate: pyRound(input.interest_rate ?? 0, 2),
          implied_volatility: 0,
          greeks: { delta: 0, gamma: 0, theta: 0, vega: 0, rho: 0 },
          note: 'Option has expired - Greeks are no longer applicable',
        },
      })
    } else {
      failed++
      results.push({ order: i, body: { symbol: req.symbol, exchange: req.exchange, ...out.body } })
    }
  }
  results.sort((a, b) => a.order - b.order)
  const data = results.map((r) => r.body)
  const status = failed === 0 ? 'success' : ok > 0 ? 'partial' : 'error'
  const body: Record<string, unknown> = {
    status,
    data,
    summary: { total: input.symbols.length, success: ok, failed },
  }
  if (failed > 0) {
    const messages: string[] = []
    for (const d of data) {
      const m = d['message']
      if (d['status'] === 'error' && typeof m === 'string' && !messages.includes(m))
        messages.push(m)
    }
    if (messages.length > 0)
      body['message'] =
        status === 'error'
          ? `All option Greeks calculations failed: ${messages.slice(0, 3).join('; ')}`
          : `${failed} option Greeks calculation(s) failed: ${messages.slice(0, 3).join('; ')}`
  }
  return { status: 200, body }
}
