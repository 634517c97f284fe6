import { z } from 'zod'
import type { Exchange } from './enums.js'

/**
 * One master-contract row (brokers.md §2.3). Shared contract: `@oa/symbol-cache` declares the same
 * shape structurally, so keep the two in step. Prices are rupees as the master files give them
 * (a master row is reference data, converted to Inr4 where it is used).
 */
export interface SymbolRow {
  /** OpenAlgo symbol (`NIFTY28MAR2420800CE`) */
  symbol: string
  /** broker trading symbol (`NSE:NIFTY24MAR20800CE`) */
  brSymbol: string
  /** underlying / company name; derivatives group option chains by it */
  name: string
  /** OpenAlgo exchange code */
  exchange: string
  /** broker exchange or segment code */
  brExchange: string
  /** broker instrument token (format per broker) */
  token: string
  /** `DD-MMM-YY` upper case (`25-APR-24`), null for non-derivatives */
  expiry: string | null
  /** strike in rupees; null for non-options */
  strike: number | null
  /** units per lot */
  lotSize: number | null
  /** `EQ`, `FUT`, `CE`, `PE`, `INDEX` or a broker leftover */
  instrumentType: string | null
  /** rupees per tick */
  tickSize: number | null
  /** contract multiplier where the exchange quotes per unit of something else (currency, MCX) */
  contractValue: number | null
}

/** zod schema of {@link SymbolRow}; master-contract parsers may use it to check their output. */
export const symbolRowSchema = z.object({
  symbol: z.string().min(1),
  brSymbol: z.string().min(1),
  name: z.string(),
  exchange: z.string().min(1),
  brExchange: z.string().min(1),
  token: z.string().min(1),
  expiry: z
    .string()
    .regex(/^\d{2}-[A-Z]{3}-\d{2}$/, 'expiry must be DD-MMM-YY')
    .nullable(),
  strike: z.number().finite().nullable(),
  lotSize: z.number().int().positive().nullable(),
  instrumentType: z.string().nullable(),
  tickSize: z.number().positive().finite().nullable(),
  contractValue: z.number().finite().nullable(),
})

/**
 * The symbol lookups a broker needs (brokers.md §1.4), implemented by the host with
 * `@oa/symbol-cache`. All lookups are synchronous, in memory, and return `undefined` when the
 * symbol table has no match. `exchange` is always the OpenAlgo exchange.
 */
export interface SymbolResolver {
  /** broker token of an OA symbol */
  getToken(symbol: string, exchange: Exchange | string): string | undefined
  /** broker trading symbol of an OA symbol */
  getBrSymbol(symbol: string, exchange: Exchange | string): string | undefined
  /** OA symbol of a broker trading symbol */
  getOaSymbol(brSymbol: string, exchange: Exchange | string): string | undefined
  /** OA symbol of a broker token (Dhan, Upstox, 5paisa resolve book rows this way) */
  getSymbolByToken(token: string, exchange: Exchange | string): string | undefined
  /** broker exchange/segment of an OA symbol */
  getBrExchange(symbol: string, exchange: Exchange | string): string | undefined
  /** the whole row, incl. tick and lot size */
  getSymbolInfo(symbol: string, exchange: Exchange | string): SymbolRow | undefined
}
