import type { SymbolResolver, SymbolRow } from '../symbols.js'

/**
 * An in-memory {@link SymbolResolver} over a few rows, for tests (the host uses
 * `@oa/symbol-cache`). Later rows win on duplicate keys.
 */
export function createMemorySymbols(
  rows: readonly SymbolRow[],
): SymbolResolver & { rows: readonly SymbolRow[] } {
  const bySymbol = new Map<string, SymbolRow>()
  const byBrSymbol = new Map<string, SymbolRow>()
  const byToken = new Map<string, SymbolRow>()
  for (const row of rows) {
    bySymbol.set(`${row.exchange}|${row.symbol}`, row)
    byBrSymbol.set(`${row.exchange}|${row.brSymbol}`, row)
    byToken.set(`${row.exchange}|${row.token}`, row)
  }
  return {
    rows,
    getToken: (symbol, exchange) => bySymbol.get(`${exchange}|${symbol}`)?.token,
    getBrSymbol: (symbol, exchange) => bySymbol.get(`${exchange}|${symbol}`)?.brSymbol,
    getOaSymbol: (brSymbol, exchange) => byBrSymbol.get(`${exchange}|${brSymbol}`)?.symbol,
    getSymbolByToken: (token, exchange) => byToken.get(`${exchange}|${token}`)?.symbol,
    getBrExchange: (symbol, exchange) => bySymbol.get(`${exchange}|${symbol}`)?.brExchange,
    getSymbolInfo: (symbol, exchange) => bySymbol.get(`${exchange}|${symbol}`),
  }
}

/** A {@link SymbolRow} with nulls for everything not given (for compact fixtures). */
export function symbolRow(
  row: Pick<SymbolRow, 'symbol' | 'exchange' | 'token'> & Partial<SymbolRow>,
): SymbolRow {
  return {
    brSymbol: row.symbol,
    name: row.symbol,
    brExchange: row.exchange,
    expiry: null,
    strike: null,
    lotSize: 1,
    instrumentType: null,
    tickSize: 0.05,
    contractValue: null,
    ...row,
  }
}
