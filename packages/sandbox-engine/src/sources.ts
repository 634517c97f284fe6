import type { Inr4 } from './money.js'
import type { InstrumentInfo, InstrumentSource, PriceSource, Quote } from './ports.js'

/** A `PriceSource` the caller scripts: set a quote, the engine reads it. */
export interface PriceBook extends PriceSource {
  /** sets the quote (or just the LTP) of an instrument */
  set(symbol: string, exchange: string, quote: Quote | Inr4): void
  /** forgets an instrument's quote (the engine then sees "no price") */
  delete(symbol: string, exchange: string): void
  quote(symbol: string, exchange: string): Quote | undefined
}

/**
 * Creates an in-memory `PriceBook` (synchronous): for tests, replays and backtests that feed
 * their own prices, and a simple host adapter target.
 */
export function createPriceBook(): PriceBook {
  const quotes = new Map<string, Quote>()
  return {
    set(symbol, exchange, quote) {
      quotes.set(`${exchange}:${symbol}`, typeof quote === 'number' ? { ltp: quote } : quote)
    },
    delete(symbol, exchange) {
      quotes.delete(`${exchange}:${symbol}`)
    },
    quote: (symbol, exchange) => quotes.get(`${exchange}:${symbol}`),
  }
}

/** One instrument row for `createInstrumentTable`. */
export type InstrumentRow = InstrumentInfo & { readonly symbol: string; readonly exchange: string }

/** An `InstrumentSource` over a fixed list, with `add` for more. */
export interface InstrumentTable extends InstrumentSource {
  add(row: InstrumentRow): void
}

/** Creates an `InstrumentSource` from rows (the host normally plugs in its symbol cache). */
export function createInstrumentTable(rows: readonly InstrumentRow[] = []): InstrumentTable {
  const map = new Map<string, InstrumentInfo>()
  const add = (row: InstrumentRow): void => {
    const { symbol, exchange, ...info } = row
    map.set(`${exchange}:${symbol}`, info)
  }
  rows.forEach(add)
  return { add, get: (symbol, exchange) => map.get(`${exchange}:${symbol}`) }
}
