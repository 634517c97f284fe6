import type { Generated } from 'kysely'

/**
 * `order_latency` (spec platform.md §3.3, §7.9): one row per `/api/v1` request, written off the
 * hot path. Times are UTC ISO-8601 text; durations in ms.
 */
export interface OrderLatencyTable {
  id: Generated<number>
  timestamp: string
  /** the response's `orderid`, else the request id, else `unknown` */
  order_id: string
  /** `users.id` of the API key's owner, once authenticated */
  user_id: number | null
  broker: string | null
  symbol: string | null
  /** the original's API type label (PLACE, QUOTES, PING…) */
  order_type: string | null
  /** summed broker time, else the handler's */
  rtt_ms: number | null
  /** parse + validate */
  validation_latency_ms: number | null
  /** serialise */
  response_latency_ms: number | null
  /** total − broker */
  overhead_ms: number | null
  total_latency_ms: number
  request_body: string | null
  response_body: string | null
  /** `SUCCESS` | `FAILED` */
  status: string | null
  error: string | null
  parse_ms: number | null
  auth_ms: number | null
  validate_ms: number | null
  handler_ms: number | null
  broker_ms: number | null
  broker_calls: number | null
  serialise_ms: number | null
  path: string | null
  http_status: number | null
  request_id: string | null
}

/** Tables of the latency database (`LATENCY_DATABASE_URL`, default `latency.db`). */
export interface LatencyDatabase {
  order_latency: OrderLatencyTable
}
