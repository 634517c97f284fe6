import { sql, type Kysely, type Migration } from 'kysely'

/**
 * `order_events` (streaming.md §2.7, §4.2): every order-state change with a gap-free `seq` per
 * user, written by the server, polled by a standalone ws-proxy, read back by the REST catch-up.
 * AUTOINCREMENT so ids are never reused after a purge (the proxy's cursor is an id).
 */
export const m0070OrderEvents: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`CREATE TABLE IF NOT EXISTS order_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      username TEXT NOT NULL,
      seq INTEGER NOT NULL,
      event_json TEXT NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (username, seq)
    )`.execute(db)
    await sql`CREATE INDEX IF NOT EXISTS order_events_created_at ON order_events (created_at)`.execute(
      db,
    )
  },
}
