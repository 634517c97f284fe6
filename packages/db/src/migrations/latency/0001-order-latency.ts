import { sql, type Kysely, type Migration } from 'kysely'

async function addColumn(db: Kysely<unknown>, column: string, type: string): Promise<void> {
  const rows = await sql<{ name: string }>`SELECT name FROM pragma_table_info('order_latency')`.execute(db)
  if (rows.rows.some((r) => r.name === column)) return
  await sql.raw(`ALTER TABLE order_latency ADD COLUMN ${column} ${type}`).execute(db)
}

/**
 * `order_latency` (spec platform.md §3.3, §7.9): the original's columns, create-if-missing so
 * an original latency.db migrates in place, plus oa's per-stage timings (parse, auth, validate,
 * handler, summed broker time and call count, serialise), the path, HTTP status and request id.
 */
export const m0001OrderLatency: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('order_latency')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('timestamp', 'datetime', (c) => c.defaultTo(sql`CURRENT_TIMESTAMP`))
      .addColumn('order_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('user_id', 'integer')
      .addColumn('broker', 'varchar(50)')
      .addColumn('symbol', 'varchar(50)')
      .addColumn('order_type', 'varchar(20)')
      .addColumn('rtt_ms', 'real')
      .addColumn('validation_latency_ms', 'real')
      .addColumn('response_latency_ms', 'real')
      .addColumn('overhead_ms', 'real')
      .addColumn('total_latency_ms', 'real', (c) => c.notNull())
      .addColumn('request_body', 'json')
      .addColumn('response_body', 'json')
      .addColumn('status', 'varchar(20)')
      .addColumn('error', 'varchar(500)')
      .execute()
    for (const [column, type] of [
      ['parse_ms', 'REAL'],
      ['auth_ms', 'REAL'],
      ['validate_ms', 'REAL'],
      ['handler_ms', 'REAL'],
      ['broker_ms', 'REAL'],
      ['broker_calls', 'INTEGER'],
      ['serialise_ms', 'REAL'],
      ['path', 'VARCHAR(200)'],
      ['http_status', 'INTEGER'],
      ['request_id', 'VARCHAR(40)'],
    ] as const) {
      await addColumn(db, column, type)
    }
    await sql`CREATE INDEX IF NOT EXISTS idx_latency_timestamp ON order_latency (timestamp)`.execute(db)
  },
}
