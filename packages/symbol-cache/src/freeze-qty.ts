// Freeze quantities (spec: platform.md §4.10): the largest quantity one order may carry, kept per
// `EXCHANGE:ROOT` (NFO seeded from NSE's qtyfreeze.csv, the rest admin-managed). Unknown ⇒ 1.

/** Index roots matched by prefix before the generic rule, longest first where one prefixes another. */
const INDEX_ROOTS = [
  'BANKNIFTY',
  'FINNIFTY',
  'MIDCPNIFTY',
  'NIFTYNXT50',
  'NIFTY',
  'SENSEX50',
  'BANKEX',
  'SENSEX',
] as const

const STOCK_ROOT = /^[A-Z&-]+/

/** One configured freeze quantity. */
export interface FreezeQtyEntry {
  readonly exchange: string
  /** root symbol, e.g. `NIFTY`, `M&M`, `CRUDEOIL` */
  readonly symbol: string
  readonly freezeQty: number
}

/**
 * The root under which an option or future symbol's freeze quantity is filed: the first of
 * BANKNIFTY, FINNIFTY, MIDCPNIFTY, NIFTYNXT50, NIFTY, SENSEX50, BANKEX, SENSEX that prefixes it,
 * else its leading letters, `&` and `-` (`M&M24APR25…` → `M&M`); undefined when it starts with
 * anything else (a digit).
 */
export function freezeRootOf(symbol: string): string | undefined {
  const upper = symbol.toUpperCase()
  for (const root of INDEX_ROOTS) if (upper.startsWith(root)) return root
  return STOCK_ROOT.exec(upper)?.[0]
}

/** An immutable `EXCHANGE:SYMBOL → qty` table. */
export interface FreezeQtyTable {
  /** configured quantity for exactly this root, or 1 */
  get(symbol: string, exchange: string): number
  /** quantity for an option/future symbol via {@link freezeRootOf}, or 1 */
  forContract(symbol: string, exchange: string): number
  /** number of configured entries */
  readonly size: number
}

/**
 * Builds a freeze-quantity table from entries or a `{ 'NFO:NIFTY': 1800 }` record. Throws when a
 * quantity is not a positive integer: a zero would make every order unsplittable.
 */
export function createFreezeQtyTable(
  entries: Iterable<FreezeQtyEntry> | Readonly<Record<string, number>> = [],
): FreezeQtyTable {
  const map = new Map<string, number>()
  const add = (key: string, qty: number): void => {
    if (!Number.isSafeInteger(qty) || qty <= 0) {
      throw new Error(`freeze quantity for ${key} must be a positive integer, got ${qty}`)
    }
    map.set(key, qty)
  }
  if (Symbol.iterator in entries) {
    for (const e of entries as Iterable<FreezeQtyEntry>)
      add(`${e.exchange}:${e.symbol}`, e.freezeQty)
  } else {
    for (const [key, qty] of Object.entries(entries)) add(key, qty)
  }
  const get = (symbol: string, exchange: string): number => map.get(`${exchange}:${symbol}`) ?? 1
  return {
    get,
    forContract(symbol, exchange) {
      const root = freezeRootOf(symbol)
      return root === undefined ? 1 : get(root, exchange)
    },
    size: map.size,
  }
}
