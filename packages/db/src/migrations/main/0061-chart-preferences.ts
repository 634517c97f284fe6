import { sql, type Kysely, type Migration } from 'kysely'

/**
 * Per-user chart preferences behind `/api/v1/chart` (spec api.md §11.5, platform.md §3.3):
 * composite key (user, key), the value as text. Create-if-missing, so an original database
 * keeps its rows.
 */
export const m0061ChartPreferences: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      CREATE TABLE IF NOT EXISTS chart_preferences (
        user_id VARCHAR(80) NOT NULL,
        key VARCHAR(50) NOT NULL,
        value TEXT,
        updated_at DATETIME,
        PRIMARY KEY (user_id, key)
      )`.execute(db)
  },
}
