import { sql, type Kysely, type Migration } from 'kysely'

async function columnsOf(db: Kysely<unknown>, table: string): Promise<Set<string>> {
  const rows = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(db)
  return new Set(rows.rows.map((r) => r.name))
}

async function addMissing(
  db: Kysely<unknown>,
  table: string,
  columns: readonly (readonly [name: string, type: string])[],
): Promise<void> {
  const have = await columnsOf(db, table)
  for (const [name, type] of columns) {
    if (!have.has(name))
      await sql.raw(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`).execute(db)
  }
}

/** Drops the named indexes when they exist on `table` (never another table's index of that name). */
async function dropIndexesOn(
  db: Kysely<unknown>,
  table: string,
  names: (name: string) => boolean,
): Promise<void> {
  const rows = await sql<{ name: string }>`
    SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ${table} AND sql IS NOT NULL`.execute(
    db,
  )
  for (const { name } of rows.rows) {
    if (names(name)) await sql.raw(`DROP INDEX IF EXISTS "${name.replace(/"/g, '""')}"`).execute(db)
  }
}

/**
 * The symbol tables (spec platform.md §3.3, §8; W-21, W-24, W-40): `symtoken` with the original's
 * columns plus `broker` and `contract_date`, unique on (exchange, symbol); `master_contract_status`
 * with the smart-download columns; `qty_freeze`. An existing OpenAlgo database migrates in place:
 * missing columns are added, rows that repeat an (exchange, symbol) keep the first (lowest id) and
 * the number dropped is left in `app_meta.symtoken_duplicates_dropped` for the server to log, and
 * the original's generic index names (`idx_symbol_exchange`, `idx_exchange_symbol`, ...) give way
 * to table-prefixed ones. Of symtoken's eight original indexes only the unique one stays: the
 * table is rewritten every trading day and read only to fill the in-memory symbol cache.
 */
export const m0030Symbols: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('symtoken')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('symbol', 'varchar', (c) => c.notNull())
      .addColumn('brsymbol', 'varchar', (c) => c.notNull())
      .addColumn('name', 'varchar')
      .addColumn('exchange', 'varchar')
      .addColumn('brexchange', 'varchar')
      .addColumn('token', 'varchar')
      .addColumn('expiry', 'varchar')
      .addColumn('strike', 'real')
      .addColumn('lotsize', 'integer')
      .addColumn('instrumenttype', 'varchar')
      .addColumn('tick_size', 'real')
      .addColumn('contract_value', 'real')
      .addColumn('broker', 'varchar')
      .addColumn('contract_date', 'varchar')
      .execute()
    await addMissing(db, 'symtoken', [
      ['contract_value', 'REAL'],
      ['broker', 'VARCHAR'],
      ['contract_date', 'VARCHAR'],
    ])
    await dropIndexesOn(db, 'symtoken', (name) => name !== 'idx_symtoken_exchange_symbol')

    const dup = await sql<{ n: number }>`
      SELECT COUNT(*) - (SELECT COUNT(*) FROM (SELECT 1 FROM symtoken GROUP BY exchange, symbol)) AS n
      FROM symtoken`.execute(db)
    const dropped = Number(dup.rows[0]?.n ?? 0)
    if (dropped > 0) {
      await sql`DELETE FROM symtoken WHERE id NOT IN (SELECT MIN(id) FROM symtoken GROUP BY exchange, symbol)`.execute(
        db,
      )
      await sql`INSERT INTO app_meta (key, value, updated_at) VALUES ('symtoken_duplicates_dropped', ${String(dropped)}, ${new Date().toISOString()})
        ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`.execute(
        db,
      )
    }
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS idx_symtoken_exchange_symbol ON symtoken (exchange, symbol)`.execute(
      db,
    )

    await db.schema
      .createTable('master_contract_status')
      .ifNotExists()
      .addColumn('broker', 'varchar', (c) => c.primaryKey())
      .addColumn('status', 'varchar', (c) => c.defaultTo('pending'))
      .addColumn('message', 'varchar')
      .addColumn('last_updated', 'varchar')
      .addColumn('total_symbols', 'varchar', (c) => c.defaultTo('0'))
      .addColumn('is_ready', 'boolean', (c) => c.defaultTo(0))
      .addColumn('last_download_time', 'varchar')
      .addColumn('download_date', 'varchar')
      .addColumn('exchange_stats', 'text')
      .addColumn('download_duration_seconds', 'integer')
      .execute()
    await addMissing(db, 'master_contract_status', [
      ['last_download_time', 'DATETIME'],
      ['download_date', 'DATE'],
      ['exchange_stats', 'TEXT'],
      ['download_duration_seconds', 'INTEGER'],
    ])

    await db.schema
      .createTable('qty_freeze')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('exchange', 'varchar(10)', (c) => c.notNull())
      .addColumn('symbol', 'varchar(50)', (c) => c.notNull())
      .addColumn('freeze_qty', 'integer', (c) => c.notNull())
      .execute()
    await dropIndexesOn(db, 'qty_freeze', (name) => name === 'idx_exchange_symbol')
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS idx_qty_freeze_exchange_symbol ON qty_freeze (exchange, symbol)`.execute(
      db,
    )
  },
}
