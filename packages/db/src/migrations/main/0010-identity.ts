import { sql, type Kysely, type Migration } from 'kysely'

/**
 * Identity tables in the original's shape (spec platform.md §3.3: users, auth, api_keys,
 * active_sessions, login_attempts), so an existing OpenAlgo database migrates in place: every
 * statement is create-if-missing. oa's extra columns come in 0011.
 */
export const m0010Identity: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('users')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('username', 'varchar(80)', (c) => c.notNull().unique())
      .addColumn('email', 'varchar(120)', (c) => c.notNull().unique())
      .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
      .addColumn('totp_secret', 'varchar(255)', (c) => c.notNull())
      .addColumn('is_admin', 'boolean', (c) => c.defaultTo(0))
      .addColumn('totp_enabled', 'boolean', (c) => c.notNull().defaultTo(0))
      .addColumn('totp_required_for_login', 'boolean', (c) => c.notNull().defaultTo(0))
      .addColumn('totp_required_for_mcp', 'boolean', (c) => c.notNull().defaultTo(0))
      .addColumn('totp_required_for_password_reset', 'boolean', (c) => c.notNull().defaultTo(0))
      .execute()

    await db.schema
      .createTable('auth')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('auth', 'text', (c) => c.notNull())
      .addColumn('feed_token', 'text')
      .addColumn('broker', 'varchar(20)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(255)')
      .addColumn('is_revoked', 'boolean', (c) => c.defaultTo(0))
      .addColumn('secret_api_key', 'text')
      .addColumn('primary_ip', 'varchar(45)')
      .addColumn('secondary_ip', 'varchar(45)')
      .addColumn('ip_updated_at', 'datetime')
      .addColumn('aux_param1', 'text')
      .addColumn('aux_param2', 'text')
      .addColumn('aux_param3', 'text')
      .addColumn('aux_param4', 'text')
      .execute()
    await sql`CREATE INDEX IF NOT EXISTS idx_auth_broker ON auth (broker)`.execute(db)
    await sql`CREATE INDEX IF NOT EXISTS idx_auth_user_id ON auth (user_id)`.execute(db)
    await sql`CREATE INDEX IF NOT EXISTS idx_auth_is_revoked ON auth (is_revoked)`.execute(db)

    await db.schema
      .createTable('api_keys')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar', (c) => c.notNull().unique())
      .addColumn('api_key_hash', 'text', (c) => c.notNull())
      .addColumn('api_key_encrypted', 'text', (c) => c.notNull())
      .addColumn('created_at', 'datetime', (c) => c.defaultTo(sql`CURRENT_TIMESTAMP`))
      .addColumn('order_mode', 'varchar(20)', (c) => c.defaultTo('auto'))
      .execute()
    await sql`CREATE INDEX IF NOT EXISTS idx_api_keys_order_mode ON api_keys (order_mode)`.execute(db)
    await sql`CREATE INDEX IF NOT EXISTS idx_api_keys_created_at ON api_keys (created_at)`.execute(db)

    await db.schema
      .createTable('active_sessions')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('username', 'varchar(255)', (c) => c.notNull())
      .addColumn('session_id', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('device_info', 'varchar(500)')
      .addColumn('ip_address', 'varchar(45)')
      .addColumn('broker', 'varchar(20)')
      .addColumn('login_time', 'datetime')
      .addColumn('last_seen', 'datetime')
      .execute()
    // one index on username (the original declared two, W-40)
    await sql`CREATE INDEX IF NOT EXISTS idx_active_sessions_username ON active_sessions (username)`.execute(db)

    await db.schema
      .createTable('login_attempts')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('username', 'varchar(255)', (c) => c.notNull())
      .addColumn('ip_address', 'varchar(45)')
      .addColumn('device_info', 'varchar(500)')
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('login_type', 'varchar(20)')
      .addColumn('broker', 'varchar(20)')
      .addColumn('failure_reason', 'varchar(255)')
      .addColumn('timestamp', 'datetime')
      .execute()
    await sql`CREATE INDEX IF NOT EXISTS idx_login_attempts_username ON login_attempts (username)`.execute(db)
    await sql`CREATE INDEX IF NOT EXISTS idx_login_attempts_timestamp ON login_attempts (timestamp)`.execute(db)
    await sql`CREATE INDEX IF NOT EXISTS idx_login_attempts_status ON login_attempts (status)`.execute(db)
  },
}
