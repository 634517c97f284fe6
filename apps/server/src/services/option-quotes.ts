/**
 * The market data the options services read, over the market-core quote and option-symbol
 * services (structural ports, so this area depends on their shapes, not their files): LTPs one
 * by one or in a batch, and the synthetic future of an expiry (ATM strike + CE − PE, the
 * original's `services/synthetic_future_service.py`).
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Caller } from '../api/endpoint.js'
import type { OptionQuotes } from './option-greeks.js'

/** What a service answers (the market core's `ServiceReply`). */
export interface Reply {
  readonly status: ContentfulStatusCode
  readonly body: Record<string, unknown>
}

/** The market core's quote service, as far as the options area uses it. */
export interface QuoteService {
  quotes(
    caller: Caller,
    input: { readonly symbol: string; readonly exchange: string },
  ): Promise<Reply>
  multiquotes(
    caller: Caller,
    input: { readonly symbols: readonly { readonly symbol: string; readonly exchange: string }[] },
  ): Promise<Reply>
}

/** The market core's `/optionsymbol` service. */
export type OptionSymbolResolver = (
  caller: Caller,
  input: {
    readonly underlying: string
    readonly exchange: string
    readonly expiryDate?: string | undefined
    readonly strikeInt?: number | null | undefined
    readonly offset: string
    readonly optionType: string
  },
) => Promise<Reply>

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** The strike inside an option symbol (`NIFTY28OCT2526000CE` → 26000), the original's way. */
export function strikeOfSymbol(symbol: string, base: string, expiryCode: string): number | null {
  const rest = symbol.replace(base, '').replace(expiryCode, '').replace(/CE|PE/g, '')
  const n = Number(rest)
  return rest !== '' && Number.isFinite(n) ? n : null
}

export interface SyntheticFutureOutcome {
  readonly status: ContentfulStatusCode
  readonly body: Record<string, unknown>
}

/** `/syntheticfuture` (spec api.md §10.7): ATM CE and PE, one multiquote, K + C − P. */
export async function syntheticFuture(
  deps: { readonly quotes: QuoteService; readonly optionSymbol: OptionSymbolResolver },
  caller: Caller,
  input: { readonly underlying: string; readonly exchange: string; readonly expiry_date: string },
): Promise<SyntheticFutureOutcome> {
  const common = {
    underlying: input.underlying,
    exchange: input.exchange,
    expiryDate: input.expiry_date,
    strikeInt: null,
    offset: 'ATM',
  }
  const call = await deps.optionSymbol(caller, { ...common, optionType: 'CE' })
  if (call.status !== 200) return call
  const callSymbol = String(call.body['symbol'])
  const callExchange = String(call.body['exchange'])
  const underlyingLtp = num(call.body['underlying_ltp'])
  const strike = strikeOfSymbol(
    callSymbol,
    input.underlying.toUpperCase(),
    input.expiry_date.toUpperCase(),
  )
  if (strike === null)
    return {
      status: 500,
      body: {
        status: 'error',
        message: `Failed to parse strike from option symbol: ${callSymbol}`,
      },
    }
  const put = await deps.optionSymbol(caller, { ...common, optionType: 'PE' })
  if (put.status !== 200) return put
  const putSymbol = String(put.body['symbol'])
  const quotes = await deps.quotes.multiquotes(caller, {
    symbols: [
      { symbol: callSymbol, exchange: callExchange },
      { symbol: putSymbol, exchange: String(put.body['exchange']) },
    ],
  })
  if (quotes.status !== 200) return quotes
  let callLtp: number | null = null
  let putLtp: number | null = null
  for (const r of (quotes.body['results'] ?? []) as Record<string, unknown>[]) {
    const ltp = num((r['data'] as Record<string, unknown> | undefined)?.['ltp'])
    if (r['symbol'] === callSymbol) callLtp = ltp
    else if (r['symbol'] === putSymbol) putLtp = ltp
  }
  if (callLtp === null)
    return {
      status: 500,
      body: { status: 'error', message: `Could not fetch LTP for Call option: ${callSymbol}` },
    }
  if (putLtp === null)
    return {
      status: 500,
      body: { status: 'error', message: `Could not fetch LTP for Put option: ${putSymbol}` },
    }
  const synthetic = strike + callLtp - putLtp
  return {
    status: 200,
    body: {
      status: 'success',
      underlying: input.underlying,
      underlying_ltp: underlyingLtp,
      expiry: input.expiry_date,
      atm_strike: strike,
      synthetic_future_price: Math.round(synthetic * 100) / 100,
    },
  }
}

/** {@link OptionQuotes} over the market core's services. */
export function createOptionQuotes(deps: {
  readonly quotes: QuoteService
  readonly optionSymbol: OptionSymbolResolver
}): OptionQuotes {
  return {
    async ltp(caller, symbol, exchange) {
      const r = await deps.quotes.quotes(caller, { symbol, exchange })
      if (r.status !== 200)
        return {
          ok: false,
          status: r.status,
          message: String(r.body['message'] ?? 'Unknown error'),
        }
      const ltp = num((r.body['data'] as Record<string, unknown> | undefined)?.['ltp'])
      return { ok: true, ltp: ltp ?? 0 }
    },
    async ltps(caller, items) {
      const out = new Map<string, number>()
      if (items.length === 0) return out
      const r = await deps.quotes.multiquotes(caller, { symbols: items })
      for (const row of (r.body['results'] ?? []) as Record<string, unknown>[]) {
        const ltp = num((row['data'] as Record<string, unknown> | undefined)?.['ltp'])
        if (ltp) out.set(`${String(row['exchange'])}:${String(row['symbol'])}`, ltp)
      }
      return out
    },
    async syntheticFuture(caller, base, underlyingExchange, expiryCode) {
      const r = await syntheticFuture(deps, caller, {
        underlying: base,
        exchange: underlyingExchange,
        expiry_date: expiryCode,
      })
      return r.status === 200 ? num(r.body['synthetic_future_price']) : null
    },
  }
}
