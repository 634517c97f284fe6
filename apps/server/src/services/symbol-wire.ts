// Symbol records in OpenAlgo's wire shape (spec api.md §9.6, §9.7, §9.9): the original's column
// names, strings and numbers where it sends strings and numbers. A missing value becomes the
// type's empty value ('' or 0) rather than null, so typed clients see one type per field.
import type { SymbolRow } from '@oa/symbol-cache'

/** The record of `/symbol`, `/search` (both add `freeze_qty`) and `/instruments`. */
export interface WireSymbol {
  symbol: string
  brsymbol: string
  name: string
  exchange: string
  brexchange: string
  token: string
  /** `DD-MMM-YY`, '' when none */
  expiry: string
  /** rupees, 0 when none */
  strike: number
  lotsize: number
  instrumenttype: string
  tick_size: number
}

export function toWireSymbol(row: SymbolRow): WireSymbol {
  return {
    symbol: row.symbol,
    brsymbol: row.brSymbol,
    name: row.name,
    exchange: row.exchange,
    brexchange: row.brExchange,
    token: row.token,
    expiry: row.expiry ?? '',
    strike: row.strike ?? 0,
    lotsize: row.lotSize ?? 1,
    instrumenttype: row.instrumentType ?? '',
    tick_size: row.tickSize ?? 0,
  }
}

/** The `/instruments` CSV columns, in the original's order. */
export const INSTRUMENT_COLUMNS = [
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
] as const

/**
 * A float as Python's `repr` prints it (`24500.0`, `0.05`): what the original's CSV and ticker
 * text contain, since its REAL columns come back as Python floats.
 */
export function pyFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : n < 0 ? '-inf' : 'nan'
  return Number.isInteger(n) && Math.abs(n) < 1e16 ? `${n}.0` : String(n)
}

/** One CSV field as Python's `csv` module writes it (QUOTE_MINIMAL). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** A record as one `/instruments` CSV line (without the line end). */
export function toCsvLine(row: SymbolRow): string {
  return [
    row.symbol,
    row.brSymbol,
    row.name,
    row.exchange,
    row.brExchange,
    row.token,
    row.expiry ?? '',
    row.strike === null ? '' : pyFloat(row.strike),
    row.lotSize === null ? '' : String(row.lotSize),
    row.instrumentType ?? '',
    row.tickSize === null ? '' : pyFloat(row.tickSize),
  ]
    .map(csvField)
    .join(',')
}
