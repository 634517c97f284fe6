import type { Inr4 } from './money.js'

/**
 * A price snapshot for one instrument. Only `ltp` is required; `bid`/`ask` (the touch) make
 * MARKET and marketable LIMIT fills realistic, `high`/`low` enable the stale-quote guard
 * (sandbox.md §9.3) and `atMs` the age guard.
 */
export interface Quote {
  /** last traded price */
  readonly ltp: Inr4
  /** best bid; absent or 0 means unknown (the engine falls back to `ltp`) */
  readonly bid?: Inr4
  /** best ask; absent or 0 means unknown (the engine falls back to `ltp`) */
  readonly ask?: Inr4
  /** day high, for the stale-quote guard */
  readonly high?: Inr4
  /** day low, for the stale-quote guard */
  readonly low?: Inr4
  /** when the quote was taken, epoch ms; enables `config.maxQuoteAgeMs` */
  readonly atMs?: number
}

/**
 * Where the engine gets prices: the host plugs in a broker's quotes, the simulator, or a
 * backtester's bar feed. `quote` may answer synchronously or with a promise; the engine awaits
 * either (a synchronous source costs one microtask). `null`/`undefined` means "no price now".
 */
export interface PriceSource {
  quote(
    symbol: string,
    exchange: string,
  ): Quote | null | undefined | Promise<Quote | null | undefined>
}

/** Instrument classes the engine distinguishes; the host maps its master contract onto them. */
export type InstrumentType = 'EQ' | 'FUT' | 'CE' | 'PE' | 'INDEX'

/** What the engine needs to know about one tradable instrument (from the symbol cache). */
export interface InstrumentInfo {
  /** exchange lot size in units; quantities must be multiples (1 for cash equity) */
  readonly lotSize: number
  /** price step; LIMIT, SL and trigger prices must be multiples */
  readonly tickSize: Inr4
  readonly instrumentType: InstrumentType
  /** `YYYY-MM-DD` expiry of a future or option; absent for equity and perpetuals */
  readonly expiry?: string | undefined
  /** the underlying for margin and option settlement (e.g. NIFTY on NSE_INDEX) */
  readonly underlying?: { readonly symbol: string; readonly exchange: string } | undefined
  /**
   * multiplier applied to price × quantity in margin and PnL (1 for Indian F&O, whose quantity
   * is already in units; 0.01 for some crypto perpetuals). At most 4 decimals.
   */
  readonly contractValue?: number | undefined
  /** option strike */
  readonly strike?: Inr4 | undefined
  /** exchange freeze quantity: one order may not exceed it; split orders chunk under it */
  readonly freezeQty?: number | undefined
}

/** Looks up instruments; synchronous because the symbol cache is an in-memory map. */
export interface InstrumentSource {
  /** the instrument, or `undefined` when the symbol is not listed on that exchange */
  get(symbol: string, exchange: string): InstrumentInfo | undefined
}

/**
 * Order-id sequences: the engine builds ids as `YYMMDD` (IST) + 8 digits of `nextOrderSeq(day)`.
 * Sequences must increase per day. `resume(day, lastSeq)` is called once per day before the first
 * id of that day, with the highest sequence already in the store, so a restarted process never
 * reissues an id.
 */
export interface IdSource {
  nextOrderSeq(yymmdd: string): number
  resume?(yymmdd: string, lastSeq: number): void
}

/** A counting `IdSource`: 1, 2, 3 … per day, resuming after what the store already holds. */
export function createCountingIds(): IdSource {
  const last = new Map<string, number>()
  return {
    nextOrderSeq(day) {
      const n = (last.get(day) ?? 0) + 1
      last.set(day, n)
      return n
    },
    resume(day, lastSeq) {
      if ((last.get(day) ?? 0) < lastSeq) last.set(day, lastSeq)
    },
  }
}

type LogFn = (fields: object, msg: string) => void

/** The structural logger packages take (STYLE.md §9); pino fits it. */
export interface Logger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
  child(bindings: object): Logger
}

const noop: LogFn = () => undefined

/** A logger that drops everything; the default when the host passes none. */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
}
