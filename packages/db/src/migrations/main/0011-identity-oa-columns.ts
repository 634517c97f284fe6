import { sql, type Kysely, type Migration } from 'kysely'

async function hasColumn(db: Kysely<unknown>, table: string, column: string): Promise<boolean> {
  const rows = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(db)
  return rows.rows.some((r) => r.name === column)
}

async function addColumn(db: Kysely<unknown>, table: string, column: string, type: string): Promise<void> {
  if (await hasColumn(db, table, column)) return
  await sql.raw(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`).execute(db)
}

/**
 * oa's additions to the identity tables (spec platform.md §10): the indexed API-key lookup
 * (W-26), token issue time (W-16), TOTP replay guard (W-14), server-side session columns
 * (W-5, W-15, W-18). Guarded column by column, so a database that already has some of them
 * (or an original OpenAlgo database) migrates either way.
 */
export const m0011IdentityOaColumns: Migration = {
  async up(db: Kysely<unknown>) {
    await addColumn(db, 'api_keys', 'api_key_lookup', 'TEXT')
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS idx_api_keys_lookup ON api_keys (api_key_lookup)`.execute(db)
    // Another writer (the original app on the same file, an upgrade script) that rewrites the
    // hash without knowing about the lookup leaves a stale lookup behind: null it, so the
    // verifier falls back to the legacy Argon2 scan for that row and backfills it.
    await sql`
      CREATE TRIGGER IF NOT EXISTS trg_api_keys_lookup_stale
      AFTER UPDATE OF api_key_hash ON api_keys
      WHEN NEW.api_key_lookup IS OLD.api_key_lookup AND NEW.api_key_hash IS NOT OLD.api_key_hash
      BEGIN
        UPDATE api_keys SET api_key_lookup = NULL WHERE id = NEW.id;
      END`.execute(db)

    await addColumn(db, 'auth', 'issued_at', 'TEXT')

    await addColumn(db, 'users', 'totp_last_step', 'INTEGER')
    await addColumn(db, 'users', 'created_at', 'TEXT')
    await addColumn(db, 'users', 'password_changed_at', 'TEXT')

    // The original's rows hold raw session ids of its signed cookies; none can match an oa
    // session (oa stores only an HMAC of its ids), so they are dropped rather than kept as ghosts.
    if (!(await hasColumn(db, 'active_sessions', 'stage'))) await sql`DELETE FROM active_sessions`.execute(db)
    await addColumn(db, 'active_sessions', 'stage', `TEXT NOT NULL DEFAULT 'broker'`)
    await addColumn(db, 'active_sessions', 'expires_at', 'TEXT')
    await addColumn(db, 'active_sessions', 'reauth_at', 'TEXT')
    await addColumn(db, 'active_sessions', 'totp_verified_at', 'TEXT')

    await db.schema
      .createTable('password_reset_tokens')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute()
  },
}
