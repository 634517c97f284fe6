import { sql, type Kysely, type Migration } from 'kysely'

/** app_meta and the single settings row (spec platform.md §3.3 `settings`, defaults kept). */
export const m0001Foundation: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('app_meta')
      .ifNotExists()
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createTable('settings')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('analyze_mode', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('smtp_server', 'text')
      .addColumn('smtp_port', 'integer')
      .addColumn('smtp_username', 'text')
      .addColumn('smtp_password_encrypted', 'text')
      .addColumn('smtp_use_tls', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('smtp_from_email', 'text')
      .addColumn('smtp_helo_hostname', 'text')
      .addColumn('security_auto_ban_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('security_404_threshold', 'integer', (c) => c.notNull().defaultTo(100))
      .addColumn('security_404_ban_duration', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('security_api_threshold', 'integer', (c) => c.notNull().defaultTo(100))
      .addColumn('security_api_ban_duration', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('security_repeat_offender_limit', 'integer', (c) => c.notNull().defaultTo(2))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await sql`INSERT OR IGNORE INTO settings (id, updated_at) VALUES (1, ${new Date(0).toISOString()})`.execute(db)
  },
}
