import { sql, type Kysely, type Migration } from 'kysely'

/**
 * Traffic and security tables of logs.db (spec platform.md §3.3), create-if-missing so an
 * original logs.db migrates in place. Trackers become one row per IP (W-30): duplicates an
 * original database may hold are folded into the newest row before the unique index.
 */
export const m0001Security: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('traffic_logs')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('timestamp', 'datetime', (c) => c.defaultTo(sql`CURRENT_TIMESTAMP`))
      .addColumn('client_ip', 'varchar(50)', (c) => c.notNull())
      .addColumn('method', 'varchar(10)', (c) => c.notNull())
      .addColumn('path', 'varchar(500)', (c) => c.notNull())
      .addColumn('status_code', 'integer', (c) => c.notNull())
      .addColumn('duration_ms', 'real', (c) => c.notNull())
      .addColumn('host', 'varchar(500)')
      .addColumn('error', 'varchar(500)')
      .addColumn('user_id', 'integer')
      .execute()
    for (const [name, cols] of [
      ['idx_traffic_timestamp', 'timestamp'],
      ['idx_traffic_client_ip', 'client_ip'],
      ['idx_traffic_status_code', 'status_code'],
      ['idx_traffic_user_id', 'user_id'],
      ['idx_traffic_ip_timestamp', 'client_ip, timestamp'],
    ] as const) {
      await sql.raw(`CREATE INDEX IF NOT EXISTS ${name} ON traffic_logs (${cols})`).execute(db)
    }

    await db.schema
      .createTable('ip_bans')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('ip_address', 'varchar(50)', (c) => c.notNull().unique())
      .addColumn('ban_reason', 'varchar(200)')
      .addColumn('ban_count', 'integer', (c) => c.defaultTo(1))
      .addColumn('banned_at', 'datetime', (c) => c.defaultTo(sql`CURRENT_TIMESTAMP`))
      .addColumn('expires_at', 'datetime')
      .addColumn('is_permanent', 'boolean', (c) => c.defaultTo(0))
      .addColumn('created_by', 'varchar(50)', (c) => c.defaultTo('system'))
      .execute()

    await db.schema
      .createTable('error_404_tracker')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('ip_address', 'varchar(50)', (c) => c.notNull())
      .addColumn('error_count', 'integer', (c) => c.defaultTo(1))
      .addColumn('first_error_at', 'datetime', (c) => c.defaultTo(sql`CURRENT_TIMESTAMP`))
      .addColumn('last_error_at', 'datetime', (c) => c.defaultTo(sql`CURRENT_TIMESTAMP`))
      .addColumn('paths_attempted', 'text')
      .execute()
    await sql`DELETE FROM error_404_tracker WHERE id NOT IN (SELECT MAX(id) FROM error_404_tracker GROUP BY ip_address)`.execute(db)
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS idx_404_ip_unique ON error_404_tracker (ip_address)`.execute(db)
    await sql`CREATE INDEX IF NOT EXISTS idx_404_error_count ON error_404_tracker (error_count)`.execute(db)

    await db.schema
      .createTable('invalid_api_key_tracker')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('ip_address', 'varchar(50)', (c) => c.notNull())
      .addColumn('attempt_count', 'integer', (c) => c.defaultTo(1))
      .addColumn('first_attempt_at', 'datetime', (c) => c.defaultTo(sql`CURRENT_TIMESTAMP`))
      .addColumn('last_attempt_at', 'datetime', (c) => c.defaultTo(sql`CURRENT_TIMESTAMP`))
      .addColumn('api_keys_tried', 'text')
      .execute()
    await sql`DELETE FROM invalid_api_key_tracker WHERE id NOT IN (SELECT MAX(id) FROM invalid_api_key_tracker GROUP BY ip_address)`.execute(db)
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS idx_api_tracker_ip_unique ON invalid_api_key_tracker (ip_address)`.execute(db)
    await sql`CREATE INDEX IF NOT EXISTS idx_api_tracker_attempt_count ON invalid_api_key_tracker (attempt_count)`.execute(db)

    await db.schema
      .createTable('abuse_events')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('ip_address', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('at_ms', 'integer', (c) => c.notNull())
      .execute()
    await sql`CREATE INDEX IF NOT EXISTS idx_abuse_events_ip_kind_at ON abuse_events (ip_address, kind, at_ms)`.execute(db)
    await sql`CREATE INDEX IF NOT EXISTS idx_abuse_events_at ON abuse_events (at_ms)`.execute(db)
  },
}
