/**
 * One instrument as brokers produce it, the `symtoken` table stores it and this cache loads it
 * (spec: platform.md §4.1, brokers.md §2.3). `@oa/broker-sdk` declares the same shape
 * structurally, so the two packages stay independent.
 */
export interface SymbolRow {
  /** OpenAlgo symbol, e.g. `NIFTY28MAR2420800CE` */
  readonly symbol: string
  /** broker trading symbol */
  readonly brSymbol: string
  /** company or underlying name */
  readonly name: string
  /** OpenAlgo exchange code: NSE, BSE, NFO, BFO, CDS, BCD, MCX, NCDEX, NCO, NSE_INDEX, … */
  readonly exchange: string
  /** broker exchange or segment code */
  readonly brExchange: string
  /** broker token */
  readonly token: string
  /** `DD-MMM-YY` upper case (`DD-MMM-YYYY` tolerated); null when none */
  readonly expiry: string | null
  /** strike in rupees; null when none */
  readonly strike: number | null
  /** units per lot */
  readonly lotSize: number | null
  /** `EQ`, `FUT`, `CE`, `PE`, `INDEX`, `PERPFUT` or a broker-native leftover */
  readonly instrumentType: string | null
  /** rupees per tick */
  readonly tickSize: number | null
  /** contract multiplier (crypto), null when none */
  readonly contractValue: number | null
}

/**
 * A lookup result: the stored row plus the underlying derived at load for F&O exchanges
 * (spec: platform.md §4.9). A fresh object per call; mutating it does not touch the cache.
 */
export interface SymbolInfo extends SymbolRow {
  /** derived underlying (`NIFTY` for `NIFTY28MAR2420800CE`); null outside F&O exchanges */
  readonly underlying: string | null
}

/** An F&O search result: the record plus its freeze quantity (spec: platform.md §4.10). */
export interface FnoSearchResult extends SymbolInfo {
  /** maximum quantity per order; 1 when none is configured */
  readonly freezeQty: number
}

/** Epoch milliseconds (UTC). A one-method structural type, as STYLE.md §6 asks. */
export interface Clock {
  now(): number
}

/** A daily IST wall-clock time, e.g. the session boundary `{ hour: 3, minute: 0 }`. */
export interface IstTimeOfDay {
  readonly hour: number
  readonly minute: number
}

type LogFn = (fields: object, msg: string) => void

/** The structural logger packages accept (STYLE.md §9); pino satisfies it. */
export interface Logger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
}
