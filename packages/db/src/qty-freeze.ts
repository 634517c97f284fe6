// Freeze quantities (spec platform.md §3.3 `qty_freeze`, §4.10): read into the symbol cache at
// startup; an empty table is seeded with NSE's NFO list, as the original seeds it from its CSV.
import { NFO_FREEZE_QTY_SEED } from './qty-freeze-seed.js'
import type { SqliteDatabase } from './sqlite.js'

/** One configured freeze quantity. */
export interface FreezeQtyRow {
  readonly exchange: string
  /** underlying root, e.g. `NIFTY`, `M&M` */
  readonly symbol: string
  readonly freezeQty: number
}

/** Every configured freeze quantity (rows with a non-positive quantity are left out). */
export function readQtyFreeze(sqlite: SqliteDatabase): FreezeQtyRow[] {
  const rows = sqlite
    .prepare('SELECT exchange, symbol, freeze_qty FROM qty_freeze ORDER BY exchange, symbol')
    .all() as { exchange: string; symbol: string; freeze_qty: number }[]
  return rows
    .filter((r) => Number.isSafeInteger(r.freeze_qty) && r.freeze_qty > 0)
    .map((r) => ({ exchange: r.exchange, symbol: r.symbol.trim(), freezeQty: r.freeze_qty }))
}

/**
 * Seeds `qty_freeze` with NSE's NFO freeze quantities when the table is empty (an admin's own
 * entries are never touched). Returns the rows inserted (0 when the table had any).
 */
export function seedQtyFreezeIfEmpty(
  sqlite: SqliteDatabase,
  seed: readonly (readonly [symbol: string, freezeQty: number])[] = NFO_FREEZE_QTY_SEED,
  exchange = 'NFO',
): number {
  const insert = sqlite.prepare(
    'INSERT OR IGNORE INTO qty_freeze (exchange, symbol, freeze_qty) VALUES (?, ?, ?)',
  )
  return sqlite
    .transaction(() => {
      const any = sqlite.prepare('SELECT 1 FROM qty_freeze LIMIT 1').get()
      if (any !== undefined) return 0
      let n = 0
      for (const [symbol, qty] of seed) n += insert.run(exchange, symbol, qty).changes
      return n
    })
    .immediate()
}
