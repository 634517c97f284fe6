import { tryParseInr4 } from '@oa/broker-sdk'
import type { InstrumentInfo, InstrumentSource, InstrumentType } from '@oa/sandbox-engine'

/** The symbol-cache lookups the sandbox needs (`@oa/symbol-cache`'s `SymbolCache` fits). */
export interface SymbolLookup {
  getSymbolInfo(
    symbol: string,
    exchange: string,
  ):
    | {
        readonly symbol: string
        readonly exchange: string
        readonly expiry: string | null
        readonly strike: number | null
        readonly lotSize: number | null
        readonly instrumentType: string | null
        readonly tickSize: number | null
        readonly contractValue: number | null
        readonly underlying: string | null
      }
    | undefined
  /** exchange freeze quantity; 1 when none is configured */
  getFreezeQty?(symbol: string, exchange: string): number
}

const MONTHS: Readonly<Record<string, string>> = {
  JAN: '01',
  FEB: '02',
  MAR: '03',
  APR: '04',
  MAY: '05',
  JUN: '06',
  JUL: '07',
  AUG: '08',
  SEP: '09',
  OCT: '10',
  NOV: '11',
  DEC: '12',
}

/** `25-APR-24` → `2024-04-25`; undefined for anything else */
function isoExpiry(text: string | null): string | undefined {
  const m = text === null ? null : /^(\d{2})-([A-Z]{3})-(\d{2})$/.exec(text)
  const month = m ? MONTHS[m[2] as string] : undefined
  return m && month ? `20${m[3]}-${month}-${m[1]}` : undefined
}

const INDEX_UNDERLYINGS: Readonly<Record<string, string>> = {
  NFO: 'NSE_INDEX',
  BFO: 'BSE_INDEX',
}
const STOCK_UNDERLYINGS: Readonly<Record<string, string>> = { NFO: 'NSE', BFO: 'BSE' }

function instrumentType(raw: string | null, exchange: string): InstrumentType {
  if (exchange.endsWith('_INDEX')) return 'INDEX'
  switch (raw) {
    case 'FUT':
    case 'CE':
    case 'PE':
    case 'INDEX':
      return raw
    default:
      return raw !== null && raw.startsWith('FUT') ? 'FUT' : raw === 'OPT' ? 'CE' : 'EQ'
  }
}

/**
 * The sandbox engine's {@link InstrumentSource} over the symbol cache: lot and tick size, class,
 * expiry, strike, contract value, freeze quantity and the underlying to margin F&O with (the index
 * on NSE_INDEX/BSE_INDEX, else the stock on NSE/BSE, when the cache lists it). Results are
 * memoised per instrument; call `clear()` after the cache reloads.
 */
export function instrumentsFromSymbols(
  symbols: SymbolLookup,
): InstrumentSource & { clear(): void } {
  const memo = new Map<string, InstrumentInfo>()
  const build = (symbol: string, exchange: string): InstrumentInfo | undefined => {
    const row = symbols.getSymbolInfo(symbol, exchange)
    if (!row) return undefined
    const tick =
      row.tickSize !== null && row.tickSize > 0 ? tryParseInr4(String(row.tickSize)) : null
    const type = instrumentType(row.instrumentType, exchange)
    const derivative = type === 'FUT' || type === 'CE' || type === 'PE'
    let underlying: InstrumentInfo['underlying']
    if (derivative && row.underlying) {
      for (const table of [INDEX_UNDERLYINGS, STOCK_UNDERLYINGS]) {
        const ex = table[exchange]
        if (ex && symbols.getSymbolInfo(row.underlying, ex)) {
          underlying = { symbol: row.underlying, exchange: ex }
          break
        }
      }
    }
    const strike = row.strike !== null && row.strike > 0 ? tryParseInr4(String(row.strike)) : null
    const freeze = derivative ? symbols.getFreezeQty?.(symbol, exchange) : undefined
    return {
      lotSize: row.lotSize !== null && row.lotSize > 0 ? row.lotSize : 1,
      tickSize: tick ?? (0 as InstrumentInfo['tickSize']),
      instrumentType: type,
      expiry: derivative ? isoExpiry(row.expiry) : undefined,
      underlying,
      // Indian F&O quantities are already in units; only a true multiplier (≠ 1) applies
      contractValue:
        derivative && row.contractValue !== null && row.contractValue > 0 && row.contractValue !== 1
          ? row.contractValue
          : undefined,
      strike: type === 'CE' || type === 'PE' ? (strike ?? undefined) : undefined,
      // the cache answers 1 when nothing is configured: that is "no freeze limit", not "one unit"
      freezeQty: freeze !== undefined && freeze > 1 ? freeze : undefined,
    }
  }
  return {
    get(symbol, exchange) {
      const key = `${exchange}:${symbol}`
      const hit = memo.get(key)
      if (hit !== undefined) return hit
      // misses are not remembered: the cache may not be loaded yet
      const info = build(symbol, exchange)
      if (info !== undefined) memo.set(key, info)
      return info
    },
    clear: () => memo.clear(),
  }
}
