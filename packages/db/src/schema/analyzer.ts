import type { Generated } from 'kysely'

/** `analyzer_logs` (main migration 0050): one row per `/api/v1` call made in analyzer mode. */
export interface AnalyzerLogsTable {
  id: Generated<number>
  /** the endpoint's name as the original logs it: `placeorder`, `cancelorder`, `analyzer_toggle`… */
  api_type: string
  /** the request body as JSON, without `apikey` */
  request_data: string
  /** the response body as JSON */
  response_data: string
  /** UTC ISO-8601 with milliseconds (rows from an OpenAlgo database keep their own format) */
  created_at: string | null
  /** oa: who made the call; null in rows migrated from OpenAlgo */
  username: string | null
}

/** The analyzer tables of the main database. */
export interface AnalyzerTables {
  analyzer_logs: AnalyzerLogsTable
}
