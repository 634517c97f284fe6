/**
 * `/optionchain` (spec api.md §10.6), after the original's `services/option_chain_service.py`:
 * the underlying's LTP (index, stock, near-month future where a segment lists no spot, or the
 * crypto perpetual), the strikes listed for the expiry in the symbol cache, ATM as the listed
 * strike nearest the LTP, `strike_count` strikes each side with ITMn/OTMn labels per side, one
 * batch of quotes for every listed leg, and, with `with_greeks`, IV and Greeks per leg from one
 * Black-76 pass on the forward implied by the ATM legs (K + C − P).
 */
import type { SymbolCache } from '@oa/symbol-cache'
import type { Caller } from '../api/endpoint.js'
import type { Clock } from '../clock.js'
import { chainLegGreeks, expiryTimeOf, pyRound, timeToExpiry } from './option-greeks.js'
import type { QuoteService, Reply } from './option-quotes.js'

const INDEX_NSE = new Set([
  'NIFTY',
  'BANKNIFTY',
  'FINNIFTY',
  'MIDCPNIFTY',
  'NIFTYNXT50',
  'INDIAVIX',
])
const INDEX_BSE = new Set(['SENSEX', 'BANKEX', 'SENSEX50'])
/** Segments with no spot instrument: priced against the near-month future. */
const NO_SPOT = new Set(['MCX', 'CDS', 'BCD', 'NCDEX', 'NCO'])
const EMBEDDED = /^([A-Z]+)(\d{2}[A-Z]{3}\d{2})(?:FUT)?$/
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const IST_MS = 19_800_000

export interface OptionChainInput {
  readonly underlying: string
  readonly exchange: string
  readonly expiry_date: string
  readonly strike_count?: number | null | undefined
  readonly with_greeks?: boolean | undefined
  readonly interest_rate?: number | null | undefined
}

/** The options exchange of an underlying's exchange (the original's `get_option_exchange`). */
export function optionsExchangeOf(exchange: string): string {
  if (exchange === 'NSE' || exchange === 'NSE_INDEX') return 'NFO'
  if (exchange === 'BSE' || exchange === 'BSE_INDEX') return 'BFO'
  return exchange
}

/** `NIFTY` + `28OCT25` + 26000 + `CE`; a fractional strike keeps its decimals (`82.5`). */
export function optionSymbolOf(base: string, expiry: string, strike: number, type: string): string {
  return `${base}${expiry}${Number.isInteger(strike) ? String(strike) : String(strike)}${type}`
}

/** Epoch ms of a `DDMMMYY` expiry's cut-off on an exchange, or null when unparseable. */
export function expiryInstant(code: string, exchange: string): number | null {
  const m = /^(\d{2})([A-Z]{3})(\d{2})$/.exec(code)
  if (!m) return null
  const month = MONTHS.indexOf(m[2] ?? '')
  if (month < 0) return null
  const [h, min] = expiryTimeOf(exchange)
  return Date.UTC(2000 + Number(m[3]), month, Number(m[1]), h, min) - IST_MS
}

const error = (status: Reply['status'], message: string): Reply => ({
  status,
  body: { status: 'error', message },
})

interface Leg {
  symbol: string
  label: string
  exists: boolean
  lotsize: number | null
  tickSize: number | null
}

export function createOptionChainService(deps: {
  readonly cache: SymbolCache
  readonly quotes: QuoteService
  readonly clock: Clock
}): (caller: Caller, input: OptionChainInput) => Promise<Reply> {
  const { cache } = deps
  return async (caller, input) => {
    const upper = input.underlying.toUpperCase()
    const embedded = EMBEDDED.exec(upper)
    const base = embedded?.[1] ?? upper
    const expiry = (embedded?.[2] ?? input.expiry_date).trim().toUpperCase().replace(/-/g, '')
    if (!expiry) return error(400, 'Expiry date is required.')
    const exchange = input.exchange.toUpperCase()

    let quoteExchange = exchange
    let quoteSymbol = embedded ? base : input.underlying
    if (exchange === 'NFO' || exchange === 'BFO') {
      quoteExchange = INDEX_NSE.has(base)
        ? 'NSE_INDEX'
        : INDEX_BSE.has(base)
          ? 'BSE_INDEX'
          : exchange === 'NFO'
            ? 'NSE'
            : 'BSE'
    } else if (exchange === 'CRYPTO') {
      const perp = cache.fnoSearch({
        query: `${base}USDFUT`,
        exchange,
        instrumentType: 'PERPFUT',
        limit: 1,
      })[0]
      if (!perp) return error(404, `No perpetual futures found for ${base} on ${exchange}`)
      quoteSymbol = perp.symbol
    } else if (NO_SPOT.has(exchange)) {
      const today = new Date(deps.clock.now() + IST_MS).toISOString().slice(0, 10)
      const future = cache
        .fnoSearch({ underlying: base, exchange, instrumentType: 'FUT', limit: 1_000 })
        .map((r) => ({ r, day: isoOfExpiry(r.expiry) }))
        .filter((x) => x.day !== null && x.day >= today)
        .sort((a, b) => (a.day ?? '').localeCompare(b.day ?? ''))[0]
      if (!future)
        return error(
          404,
          `No unexpired futures found for ${base} on ${exchange}. ${exchange} options are priced against the near-month future, which this product does not currently have.`,
        )
      quoteSymbol = future.r.symbol
    }

    const quote = await deps.quotes.quotes(caller, { symbol: quoteSymbol, exchange: quoteExchange })
    if (quote.status !== 200)
      return error(
        quote.status,
        `Failed to fetch LTP for ${quoteSymbol}: ${String(quote.body['message'] ?? 'Unknown error')}`,
      )
    const data = (quote.body['data'] ?? {}) as Record<string, unknown>
    const ltp = typeof data['ltp'] === 'number' ? data['ltp'] : null
    const prevClose = typeof data['prev_close'] === 'number' ? data['prev_close'] : 0
    if (ltp === null) return error(500, `Could not determine LTP for ${quoteSymbol}`)

    const optExchange = optionsExchangeOf(quoteExchange)
    const dbExpiry = `${expiry.slice(0, 2)}-${expiry.slice(2, 5)}-${expiry.slice(5)}`
    const strikes = [
      ...new Set(
        cache
          .fnoSearch({
            underlying: base,
            exchange: optExchange,
            expiry: dbExpiry,
            instrumentType: 'CE',
          })
          .map((r) => r.strike)
          .filter((s): s is number => s !== null),
      ),
    ].sort((a, b) => a - b)
    if (strikes.length === 0)
      return error(
        404,
        `No strikes found for ${base} expiring ${expiry}. Please check expiry date or update master contract.`,
      )
    let atmIndex = 0
    for (let i = 1; i < strikes.length; i++) {
      if (Math.abs((strikes[i] ?? 0) - ltp) < Math.abs((strikes[atmIndex] ?? 0) - ltp)) atmIndex = i
    }
    const atm = strikes[atmIndex] as number
    const count = input.strike_count ?? null
    const from = count === null ? 0 : Math.max(0, atmIndex - count)
    const to = count === null ? strikes.length : Math.min(strikes.length, atmIndex + count + 1)

    const legOf = (strike: number, type: 'CE' | 'PE', label: string): Leg => {
      const symbol = optionSymbolOf(base, expiry, strike, type)
      const info = cache.getSymbolInfo(symbol, optExchange)
      return {
        symbol,
        label,
        exists: info !== undefined,
        lotsize: info?.lotSize ?? null,
        tickSize: info?.tickSize ?? null,
      }
    }
    const rows: { strike: number; ce: Leg; pe: Leg }[] = []
    for (let i = from; i < to; i++) {
      const strike = strikes[i] as number
      const d = Math.abs(i - atmIndex)
      const ceLabel = i === atmIndex ? 'ATM' : i < atmIndex ? `ITM${d}` : `OTM${d}`
      const peLabel = i === atmIndex ? 'ATM' : i < atmIndex ? `OTM${d}` : `ITM${d}`
      rows.push({ strike, ce: legOf(strike, 'CE', ceLabel), pe: legOf(strike, 'PE', peLabel) })
    }
    const wanted = rows.flatMap((r) => [r.ce, r.pe]).filter((l) => l.exists)
    if (wanted.length === 0)
      return error(404, 'No valid option symbols found for the given parameters')
    const multi = await deps.quotes.multiquotes(caller, {
      symbols: wanted.map((l) => ({ symbol: l.symbol, exchange: optExchange })),
    })
    const quotes = new Map<string, Record<string, unknown>>()
    for (const r of (multi.body['results'] ?? []) as Record<string, unknown>[]) {
      if (typeof r['symbol'] === 'string' && r['data'] && typeof r['data'] === 'object')
        quotes.set(r['symbol'], r['data'] as Record<string, unknown>)
    }
    const legJson = (leg: Leg): Record<string, unknown> | null => {
      if (!leg.exists) return null
      const q = quotes.get(leg.symbol) ?? {}
      const v = (k: string): unknown => q[k] ?? 0
      return {
        symbol: leg.symbol,
        label: leg.label,
        ltp: v('ltp'),
        bid: v('bid'),
        ask: v('ask'),
        bid_qty: v('bid_qty'),
        ask_qty: v('ask_qty'),
        open: v('open'),
        high: v('high'),
        low: v('low'),
        prev_close: v('prev_close'),
        volume: v('volume'),
        oi: v('oi'),
        lotsize: leg.lotsize,
        tick_size: leg.tickSize,
      }
    }
    const chain = rows.map((r) => ({ strike: r.strike, ce: legJson(r.ce), pe: legJson(r.pe) }))

    const expiryMs = expiryInstant(expiry, optExchange)
    let forward: number | null = null
    const withGreeks = input.with_greeks === true
    if (withGreeks) {
      const atmRow = chain.find((r) => r.strike === atm)
      const c = Number(atmRow?.ce?.['ltp'] ?? 0)
      const p = Number(atmRow?.pe?.['ltp'] ?? 0)
      forward = c > 0 && p > 0 ? pyRound(atm + c - p, 4) : ltp
      if (expiryMs !== null) {
        const { years } = timeToExpiry(expiryMs, deps.clock.now())
        if (years > 0) {
          for (const row of chain) {
            for (const [side, flag] of [
              ['ce', 'c'],
              ['pe', 'p'],
            ] as const) {
              const leg = row[side]
              if (!leg) continue
              const g = chainLegGreeks(
                flag,
                row.strike,
                Number(leg['ltp'] ?? 0),
                forward,
                years,
                input.interest_rate ?? 0,
              )
              if (!g) continue
              leg['implied_volatility'] = g.iv
              leg['delta'] = g.delta
              leg['gamma'] = g.gamma
              leg['theta'] = g.theta
              leg['vega'] = g.vega
            }
          }
        }
      }
    }
    return {
      status: 200,
      body: {
        status: 'success',
        underlying: base,
        underlying_symbol: quoteSymbol,
        underlying_exchange: quoteExchange,
        underlying_ltp: ltp,
        underlying_prev_close: prevClose,
        expiry_date: expiry,
        expiry_ts: expiryMs === null ? null : Math.floor(expiryMs / 1000),
        server_ts: Math.floor(deps.clock.now() / 1000),
        atm_strike: atm,
        quotes_included: true,
        greeks_included: withGreeks,
        forward_price: forward,
        chain,
      },
    }
  }
}

/** `24-APR-25` → `2025-04-24`; null when unparseable. */
function isoOfExpiry(expiry: string | null): string | null {
  if (!expiry) return null
  const m = /^(\d{2})-([A-Z]{3})-(\d{2}|\d{4})$/.exec(expiry.toUpperCase())
  if (!m) return null
  const month = MONTHS.indexOf(m[2] ?? '')
  if (month < 0) return null
  const year = (m[3] ?? '').length === 2 ? `20${m[3]}` : (m[3] ?? '')
  return `${year}-${String(month + 1).padStart(2, '0')}-${m[1]}`
}
