import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { onTestFinished } from 'vitest'
import {
  createCountingIds,
  createInstrumentTable,
  createKyselyStore,
  createSqliteStore,
  createManualClock,
  createMemoryStore,
  createPriceBook,
  createSandboxEngine,
  type Inr4,
  type InstrumentRow,
  migrateSandbox,
  type OrderRequest,
  parseInr4,
  type SandboxConfigInput,
  type SandboxDatabase,
  type SandboxStore,
} from '../src/index.js'

/** rupees as decimal text → Inr4 */
export const p = (text: string): Inr4 => parseInr4(text)

const NIFTY = { symbol: 'NIFTY', exchange: 'NSE_INDEX' }
const tick5 = p('0.05')

export const INSTRUMENTS: InstrumentRow[] = [
  { symbol: 'RELIANCE', exchange: 'NSE', lotSize: 1, tickSize: tick5, instrumentType: 'EQ' },
  { symbol: 'SBIN', exchange: 'NSE', lotSize: 1, tickSize: tick5, instrumentType: 'EQ' },
  { symbol: 'ZEEL', exchange: 'NSE', lotSize: 1, tickSize: p('0.01'), instrumentType: 'EQ' },
  { symbol: 'INFY', exchange: 'BSE', lotSize: 1, tickSize: tick5, instrumentType: 'EQ' },
  { symbol: 'NIFTY', exchange: 'NSE_INDEX', lotSize: 1, tickSize: tick5, instrumentType: 'INDEX' },
  {
    symbol: 'NIFTY24APR25FUT',
    exchange: 'NFO',
    lotSize: 75,
    tickSize: tick5,
    instrumentType: 'FUT',
    expiry: '2025-04-24',
    underlying: NIFTY,
    freezeQty: 1800,
  },
  ...[23800, 23900, 24000, 24100, 24200].flatMap((k): InstrumentRow[] =>
    (['CE', 'PE'] as const).map((t) => ({
      symbol: `NIFTY24APR25${k}${t}`,
      exchange: 'NFO',
      lotSize: 75,
      tickSize: tick5,
      instrumentType: t,
      expiry: '2025-04-24',
      strike: p(String(k)),
      underlying: NIFTY,
      freezeQty: 1800,
    })),
  ),
  {
    symbol: 'NIFTY17APR2524000CE',
    exchange: 'NFO',
    lotSize: 75,
    tickSize: tick5,
    instrumentType: 'CE',
    expiry: '2025-04-17',
    strike: p('24000'),
    underlying: NIFTY,
  },
  {
    symbol: 'BTCUSD.P',
    exchange: 'CRYPTO',
    lotSize: 1,
    tickSize: p('0.5'),
    instrumentType: 'FUT',
    contractValue: 0.001,
  },
]

/** Tuesday 15 April 2025, 10:00 IST: a trading day with trading days on either side. */
export const TUESDAY_10AM = '2025-04-15T10:00:00+05:30'

export function setup(
  opts: { at?: string; config?: SandboxConfigInput; store?: SandboxStore } = {},
) {
  const clock = createManualClock(opts.at ?? TUESDAY_10AM)
  const prices = createPriceBook()
  const instruments = createInstrumentTable(INSTRUMENTS)
  const store = opts.store ?? createMemoryStore()
  const ids = createCountingIds()
  const engine = createSandboxEngine({
    clock,
    prices,
    instruments,
    store,
    ids,
    config: opts.config,
  })
  return { clock, prices, instruments, store, engine, ids }
}

/** an order request with defaults (MARKET, MIS) */
export function order(
  symbol: string,
  exchange: string,
  action: 'BUY' | 'SELL',
  quantity: number,
  extra: Partial<OrderRequest> = {},
): OrderRequest {
  return { symbol, exchange, action, quantity, priceType: 'MARKET', product: 'MIS', ...extra }
}

/** a temp directory removed after the test; returns a database path in it */
export function tempDbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-sandbox-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'sandbox.db')
}

/** the two SQLite stores; the store tests run against both */
export const SQLITE_STORES = ['kysely', 'prepared'] as const
export type SqliteStoreKind = (typeof SQLITE_STORES)[number]

/** opens a SQLite file, migrates it, and returns the store (kysely or prepared statements) and a closer */
export async function openSqliteStore(
  path: string,
  kind: SqliteStoreKind = 'kysely',
): Promise<{ store: SandboxStore; db: Kysely<SandboxDatabase>; close: () => Promise<void> }> {
  const sqlite = new Database(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  const db = new Kysely<SandboxDatabase>({ dialect: new SqliteDialect({ database: sqlite }) })
  await migrateSandbox(db)
  return {
    store: kind === 'kysely' ? createKyselyStore(db) : createSqliteStore(sqlite),
    db,
    close: async () => {
      await db.destroy()
    },
  }
}
