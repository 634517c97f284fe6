import type { Generated } from 'kysely'

/**
 * Tables of the traffic/security database (`LOGS_DATABASE_URL`, default `logs.db`), spec
 * platform.md §3.3. oa writes times as UTC ISO-8601 text.
 */
export interface TrafficLogsTable {
  id: Generated<number>
  timestamp: string
  client_ip: string
  method: string
  path: string
  status_code: number
  duration_ms: number
  host: string | null
  error: string | null
  user_id: number | null
}

export interface IpBansTable {
  id: Generated<number>
  ip_address: string
  ban_reason: string | null
  ban_count: Generated<number>
  banned_at: string
  /** NULL = permanent */
  expires_at: string | null
  is_permanent: Generated<number>
  /** `system` | `manual` | `404_detector` | `api_key_detector` | `login_detector` */
  created_by: Generated<string>
}

/** One row per IP (W-30); `error_count` is the sliding 24 h count at the last hit. */
export interface Error404TrackerTable {
  id: Generated<number>
  ip_address: string
  error_count: Generated<number>
  first_error_at: string
  last_error_at: string
  /** JSON array, last 50 distinct paths */
  paths_attempted: string | null
}

/** One row per IP (W-30); `attempt_count` is the sliding 24 h count at the last hit. */
export interface InvalidApiKeyTrackerTable {
  id: Generated<number>
  ip_address: string
  attempt_count: Generated<number>
  first_attempt_at: string
  last_attempt_at: string
  /** JSON array of key fingerprints (first 16 hex of SHA-256), last 20 distinct */
  api_keys_tried: string | null
}

/** oa: one row per abuse event, the exact sliding 24 h window behind every ban (W-30). */
export interface AbuseEventsTable {
  id: Generated<number>
  ip_address: string
  /** `404` | `api_key` | `login` */
  kind: string
  /** epoch ms */
  at_ms: number
}

export interface LogsDatabase {
  traffic_logs: TrafficLogsTable
  ip_bans: IpBansTable
  error_404_tracker: Error404TrackerTable
  invalid_api_key_tracker: InvalidApiKeyTrackerTable
  abuse_events: AbuseEventsTable
}
