import { sql, type Kysely, type Migration } from 'kysely'

/**
 * `analyzer_logs` (spec api.md §4, sandbox.md §12): what each `/api/v1` call in analyzer mode was
 * asked (API key removed) and answered, in the original's shape so an existing OpenAlgo database
 * migrates in place, plus oa's `username` column (the original kept one installation-wide log).
 * Times are UTC ISO-8601 text with milliseconds, which sorts chronologically.
 */
export const m0050AnalyzerLogs: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`CREATE TABLE IF NOT EXISTS analyzer_logs (
      id INTEGER PRIMARY KEY,
      api_type VARCHAR(50) NOT NULL,
      request_data TEXT NOT NULL,
      response_data TEXT NOT NULL,
      created_at DATETIME
    )`.execute(db)
    const columns = await sql<{ name: string }>`PRAGMA table_info(analyzer_logs)`.execute(db)
    if (!columns.rows.some((c) => c.name === 'username')) {
      await sql`ALTER TABLE analyzer_logs ADD COLUMN username TEXT`.execute(db)
    }
    await sql`CREATE INDEX IF NOT EXISTS idx_analyzer_api_type ON analyzer_logs (api_type)`.execute(
      db,
    )
    await sql`CREATE INDEX IF NOT EXISTS idx_analyzer_created_at ON analyzer_logs (created_at)`.execute(
      db,
    )
    await sql`CREATE INDEX IF NOT EXISTS idx_analyzer_type_time ON analyzer_logs (api_type, created_at)`.execute(
      db,
    )
  },
}
