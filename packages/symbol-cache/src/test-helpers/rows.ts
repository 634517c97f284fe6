import type { SymbolRow } from '../types.js'

/** A row with sensible defaults; tests override what they are about. */
export function row(fields: Partial<SymbolRow> & Pick<SymbolRow, 'symbol'>): SymbolRow {
  return {
    brSymbol: fields.symbol,
    name: fields.symbol,
    exchange: 'NSE',
    brExchange: fields.exchange ?? 'NSE',
    token: `T-${fields.symbol}`,
    expiry: null,
    strike: null,
    lotSize: 1,
    instrumentType: 'EQ',
    tickSize: 0.05,
    contractValue: null,
    ...fields,
  }
}

/** An option row in OpenAlgo form: `<root><DDMMMYY><strike><CE|PE>`. */
export function option(
  root: string,
  expiry: string, // DD-MMM-YY
  strike: number,
  type: 'CE' | 'PE',
  fields: Partial<SymbolRow> = {},
): SymbolRow {
  const symbol = `${root}${expiry.replaceAll('-', '')}${String(strike)}${type}`
  return row({
    symbol,
    name: root,
    exchange: 'NFO',
    brExchange: 'NFO',
    token: `${root}-${expiry}-${strike}-${type}`,
    expiry,
    strike,
    lotSize: 75,
    instrumentType: type,
    ...fields,
  })
}

/** A future row in OpenAlgo form: `<root><DDMMMYY>FUT`. */
export function future(root: string, expiry: string, fields: Partial<SymbolRow> = {}): SymbolRow {
  return row({
    symbol: `${root}${expiry.replaceAll('-', '')}FUT`,
    name: root,
    exchange: 'NFO',
    brExchange: 'NFO',
    token: `${root}-${expiry}-FUT`,
    expiry,
    strike: 0,
    lotSize: 75,
    instrumentType: 'FUT',
    ...fields,
  })
}
