import { sql, type Kysely, type Migration } from 'kysely'

/**
 * Drops three of the original's five `traffic_logs` indexes. Every request writes a traffic row,
 * and each index is one more B-tree insert on the request log's writer thread: under the quotes
 * benchmark that thread was the largest cost outside Node's HTTP machinery. None of the three
 * serves a query:
 * - `idx_traffic_client_ip`: `idx_traffic_ip_timestamp (client_ip, timestamp)` answers every
 *   lookup by IP through its prefix;
 * - `idx_traffic_status_code`, `idx_traffic_user_id`: the dashboards read the newest rows by id
 *   and aggregate whole tables; nothing looks rows up by status or user.
 * The retention purge keeps `idx_traffic_timestamp`; per-IP forensics keep the composite.
 */
export const m0002TrafficIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    for (const name of ['idx_traffic_client_ip', 'idx_traffic_status_code', 'idx_traffic_user_id'])
      await sql.raw(`DROP INDEX IF EXISTS ${name}`).execute(db)
  },
}
