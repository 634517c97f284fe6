// `/optionsymbol` (spec api.md §10.1): the option contract at an offset from the money, from the
// underlying's LTP (the broker's quote) and the strikes actually listed in the symbol cache.
import type { SymbolCache } from '@oa/symbol-cache'
import type { MarketDataService } from './market-data.js'
import { failure, type ServiceCaller, type ServiceReply } from './reply.js'

export interface OptionSymbolInput {
  readonly underlying: string
  readonly exchange: string
  /** `DDMMMYY` (`28OCT25`); `DD-MMM-YY` is accepted too (W-10) */
  readonly expiryDate?: string | undefined
  /** strike step; when absent the listed strikes are walked (recommended) */
  readonly strikeInt?: number | null | undefined
  /** `ATM`, `ITM1`..`ITM50`, `OTM1`..`OTM50`, any case */
  readonly offset: string
  /** `CE` or `PE`, any case */
  readonly optionType: string
}

const INDEX_NSE = new Set([
  'NIFTY',
  'BANKNIFTY',
  'FINNIFTY',
  'MIDCPNIFTY',
  'NIFTYNXT50',
  'INDIAVIX',
])
const INDEX_BSE = new Set(['SENSEX', 'BANKEX', 'SENSEX50'])
const EMBEDDED = /^([A-Z]+)(\d{2}[A-Z]{3}\d{2})(?:FUT)?$/

/** The options exchange of an underlying's exchange (the original's mapping; unknown → NFO). */
export function optionExchangeOf(exchange: string): string {
  const ex = exchange.toUpperCase()
  if (ex === 'NSE' || ex === 'NSE_INDEX') return 'NFO'
  if (ex === 'BSE' || ex === 'BSE_INDEX') return 'BFO'
  if (['MCX', 'CDS', 'NCO', 'BCD', 'NCDEX', 'CRYPTO', 'NFO', 'BFO'].includes(ex)) return ex
  return 'NFO'
}

/** Python's `round()`: half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

export function createOptionSymbolService(deps: {
  readonly cache: SymbolCache
  readonly marketData: Pick<MarketDataService, 'quotes'>
}): (caller: ServiceCaller, input: OptionSymbolInput) => Promise<ServiceReply> {
  const { cache } = deps
  return async (caller, input) => {
    const upper = input.underlying.toUpperCase()
    const embedded = EMBEDDED.exec(upper)
    const base = embedded?.[1] ?? upper
    const embeddedExpiry = embedded?.[2]
    const given = input.expiryDate?.trim().toUpperCase().replace(/-/g, '')
    const expiry = given || embeddedExpiry
    if (!expiry) {
      return failure(
        400,
        'Expiry date required. Provide via expiry_date parameter or embed in underlying (e.g., NIFTY28OCT25FUT).',
      )
    }
    const exchange = input.exchange.toUpperCase()
    const optionType = input.optionType.toUpperCase()
    const offset = input.offset.toUpperCase()

    // where the underlying's LTP comes from
    let quoteExchange = exchange
    if (exchange === 'NFO' || exchange === 'BFO') {
      if (INDEX_NSE.has(base)) quoteExchange = 'NSE_INDEX'
      else if (INDEX_BSE.has(base)) quoteExchange = 'BSE_INDEX'
      else quoteExchange = exchange === 'NFO' ? 'NSE' : 'BSE'
    }
    let quoteSymbol: string
    if (exchange === 'CRYPTO') {
      const perp = cache.fnoSearch({
        query: `${base}USDFUT`,
        exchange,
        instrumentType: 'PERPFUT',
        limit: 1,
      })[0]
      if (perp === undefined) {
        return failure(404, `No perpetual futures found for ${base} on ${exchange}`)
      }
      quoteSymbol = perp.symbol
    } else if (embeddedExpiry !== undefined) {
      // MCX and CDS have no spot: the future in the underlying is what trades
      quoteSymbol = exchange === 'MCX' || exchange === 'CDS' ? upper : base
    } else {
      quoteSymbol = input.underlying
    }

    const quote = await deps.marketData.quotes(caller, {
      symbol: quoteSymbol,
      exchange: quoteExchange,
    })
    if (quote.status !== 200) {
      const why =
        typeof quote.body['message'] === 'string' ? quote.body['message'] : 'Unknown error'
      return failure(quote.status, `Failed to fetch LTP for ${quoteSymbol}. ${why}`)
    }
    const ltp = (quote.body['data'] as { ltp?: unknown } | undefined)?.ltp
    if (typeof ltp !== 'number') return failure(500, `Could not determine LTP for ${quoteSymbol}.`)

    const optionsExchange = optionExchangeOf(quoteExchange)
    let target: number
    if (input.strikeInt === undefined || input.strikeInt === null) {
      const dashed = `${expiry.slice(0, 2)}-${expiry.slice(2, 5)}-${expiry.slice(5)}`
      const strikes = [
        ...new Set(
          cache
            .fnoSearch({
              underlying: base,
              expiry: dashed,
              instrumentType: optionType,
              exchange: optionsExchange,
            })
            .map((r) => r.strike)
            .filter((s): s is number => s !== null),
        ),
      ].sort((a, b) => a - b)
      if (strikes.length === 0) {
        return failure(
          404,
          `No strikes found for ${base} expiring ${expiry}. Please check expiry date or update master contract.`,
        )
      }
      // the listed strike nearest the LTP; on a tie the lower one (Python's min keeps the first)
      let atmIndex = 0
      for (let i = 1; i < strikes.length; i++) {
        if (Math.abs((strikes[i] ?? 0) - ltp) < Math.abs((strikes[atmIndex] ?? 0) - ltp))
          atmIndex = i
      }
      const steps = offset === 'ATM' ? 0 : Number(offset.slice(3))
      const down =
        (offset.startsWith('ITM') && optionType === 'CE') ||
        (offset.startsWith('OTM') && optionType === 'PE')
      const index = atmIndex + (down ? -steps : steps)
      const strike = strikes[index]
      if (strike === undefined) {
        return failure(
          400,
          `Offset ${offset} is out of range for available strikes. Please use a smaller offset.`,
        )
      }
      target = strike
    } else {
      const step = input.strikeInt
      const atm = roundHalfEven(ltp / step) * step
      const steps = offset === 'ATM' ? 0 : Number(offset.slice(3))
      const down =
        (offset.startsWith('ITM') && optionType === 'CE') ||
        (offset.startsWith('OTM') && optionType === 'PE')
      target = atm + (down ? -steps : steps) * step
    }

    // strike text as the original writes it: `23500`, `292.5`
    const symbol = `${base}${expiry}${String(target)}${optionType}`
    const info = cache.getSymbolInfo(symbol, optionsExchange)
    if (info === undefined) {
      return failure(
        404,
        `Option symbol ${symbol} not found in ${optionsExchange}. Symbol may not exist or master contract needs update.`,
      )
    }
    return {
      status: 200,
      body: {
        status: 'success',
        symbol: info.symbol,
        exchange: info.exchange,
        lotsize: info.lotSize ?? 1,
        tick_size: info.tickSize ?? 0,
        freeze_qty: cache.getFreezeQty(info.symbol, info.exchange),
        underlying_ltp: ltp,
      },
    }
  }
}
