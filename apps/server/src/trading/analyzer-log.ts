/**
 * The analyzer's request log (`analyzer_logs`, api.md §4, sandbox.md §12): what each `/api/v1`
 * call made in analyzer mode was asked (API key removed) and answered. Written off the request's
 * path: `record` only queues, and a flush writes the queue in one transaction after at most
 * `flushMs` (or at once past `maxBatch` rows). What was queued when the process died is lost;
 * the orders themselves are in `sandbox.db` before any answer.
 */
import type { SqliteDatabase } from '@oa/db'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import { istTimestamp } from './sandbox-wire.js'

export interface AnalyzerLogEntry {
  /** null when the caller is unknown (a schema error is answered before the key is checked) */
  readonly username: string | null
  /** the endpoint as the original names it: `placeorder`, `cancelorder`, `analyzer_toggle`… */
  readonly apiType: string
  /** the request body (the API key is removed before storing) */
  readonly request: unknown
  readonly response: unknown
  readonly atMs: number
}

/** One row of the web app's analyzer page (frontend-and-features.md §3.10). */
export interface AnalyzerRequestRow {
  readonly timestamp: string
  readonly api_type: string
  readonly source: string
  readonly request_data: unknown
  readonly response_data: unknown
  readonly analysis: {
    readonly issues: boolean
    readonly error: string | null
    readonly error_type: 'error' | 'success'
    readonly warnings: readonly unknown[]
  }
  readonly symbol?: unknown
  readonly exchange?: unknown
  readonly action?: unknown
  readonly quantity?: unknown
  readonly price_type?: unknown
  readonly product_type?: unknown
  readonly position_size?: unknown
  readonly orderid?: unknown
}

/** The page's statistics over the last 24 hours (the original's `get_analyzer_stats`). */
export interface AnalyzerStats {
  readonly total_requests: number
  readonly issues: {
    readonly total: number
    readonly by_type: Readonly<Record<string, number>>
  }
  readonly symbols: readonly string[]
  readonly sources: readonly string[]
}

export interface AnalyzerLog {
  /** queues one entry; O(1), never throws */
  record(entry: AnalyzerLogEntry): void
  /** writes the queue now */
  flush(): void
  /** rows in the log (stored and queued), for `/analyzer`'s `total_logs` */
  count(): number
  /**
   * The rows of IST dates `start..end` (`YYYY-MM-DD`, inclusive), newest first; both absent: today.
   * A user sees their rows and those of unknown callers (schema errors); `username` null: all.
   */
  list(range: { start?: string; end?: string; username?: string | null }): AnalyzerRequestRow[]
  /** statistics of the 24 hours before now */
  stats(username?: string | null): AnalyzerStats
  close(): void
}

interface Row {
  api_type: string
  request_data: string
  response_data: string
  created_at: string | null
}

const IST_MS = 19_800_000
const DAY_MS = 86_400_000

/** UTC ISO instant of IST midnight starting `date` (`YYYY-MM-DD`) */
function istMidnight(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - IST_MS).toISOString()
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}

/** A row as the page shows it (the original's `format_request`). */
export function formatAnalyzerRow(r: Row): AnalyzerRequestRow {
  const req = obj(parse(r.request_data))
  const res = obj(parse(r.response_data))
  const at = r.created_at === null ? Number.NaN : Date.parse(r.created_at)
  const isError = res['status'] === 'error'
  const message = res['message']
  const row: AnalyzerRequestRow = {
    timestamp: Number.isFinite(at) ? istTimestamp(at) : (r.created_at ?? ''),
    api_type: r.api_type,
    source: typeof req['strategy'] === 'string' ? req['strategy'] : 'Unknown',
    request_data: req,
    response_data: res,
    analysis: {
      issues: isError,
      error:
        message === undefined
          ? null
          : typeof message === 'string'
            ? message
            : JSON.stringify(message),
      error_type: isError ? 'error' : 'success',
      warnings: Array.isArray(res['warnings']) ? res['warnings'] : [],
    },
  }
  if (r.api_type === 'placeorder' || r.api_type === 'placesmartorder') {
    return {
      ...row,
      symbol: req['symbol'] ?? 'Unknown',
      exchange: req['exchange'] ?? 'Unknown',
      action: req['action'] ?? 'Unknown',
      quantity: req['quantity'] ?? 0,
      price_type: req['pricetype'] ?? 'Unknown',
      product_type: req['product'] ?? 'Unknown',
      ...(r.api_type === 'placesmartorder' ? { position_size: req['position_size'] ?? 0 } : {}),
    }
  }
  if (r.api_type === 'cancelorder') return { ...row, orderid: req['orderid'] ?? 'Unknown' }
  return row
}

export function createAnalyzerLog(options: {
  readonly db: SqliteDatabase
  readonly clock: Clock
  readonly logger: Logger
  /** longest wait before queued rows are written, default 200 ms */
  readonly flushMs?: number
  /** rows that trigger an immediate flush, default 500 */
  readonly maxBatch?: number
}): AnalyzerLog {
  const { db, clock } = options
  const logger = options.logger.child({ component: 'analyzer-log' })
  const insert = db.prepare(
    'INSERT INTO analyzer_logs (api_type, request_data, response_data, created_at, username) VALUES (?, ?, ?, ?, ?)',
  )
  const countRows = db.prepare('SELECT COUNT(*) AS n FROM analyzer_logs')
  const range = db.prepare(
    `SELECT api_type, request_data, response_data, created_at FROM analyzer_logs
     WHERE created_at >= ? AND created_at < ? AND (? IS NULL OR username = ? OR username IS NULL)
     ORDER BY created_at DESC, id DESC`,
  )
  const writeAll = db.transaction((batch: readonly AnalyzerLogEntry[]) => {
    for (const e of batch) {
      const req = { ...obj(e.request) }
      delete req['apikey']
      insert.run(
        e.apiType,
        JSON.stringify(req),
        JSON.stringify(e.response),
        new Date(e.atMs).toISOString(),
        e.username,
      )
    }
  })
  let queue: AnalyzerLogEntry[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let stored: number | undefined

  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (queue.length === 0) return
    const batch = queue
    queue = []
    try {
      writeAll(batch)
      if (stored !== undefined) stored += batch.length
    } catch (error) {
      logger.error({ err: error, rows: batch.length }, 'analyzer log could not be written')
    }
  }

  const rows = (from: string, to: string, username: string | null): Row[] =>
    range.all(from, to, username, username) as Row[]

  return {
    record(entry) {
      queue.push(entry)
      if (queue.length >= (options.maxBatch ?? 500)) setImmediate(flush)
      else if (timer === undefined) {
        timer = setTimeout(flush, options.flushMs ?? 200)
        timer.unref()
      }
    },
    flush,
    count() {
      stored ??= (countRows.get() as { n: number }).n
      return stored + queue.length
    },
    list({ start, end, username = null }) {
      flush()
      const today = istTimestamp(clock.now()).slice(0, 10)
      const from = istMidnight(start ?? end ?? today)
      const to = new Date(Date.parse(istMidnight(end ?? start ?? today)) + DAY_MS).toISOString()
      return rows(from, to, username).map(formatAnalyzerRow)
    },
    stats(username = null) {
      flush()
      const now = clock.now()
      const recent = rows(
        new Date(now - DAY_MS).toISOString(),
        new Date(now + 1).toISOString(),
        username,
      )
      const byType: Record<string, number> = {
        rate_limit: 0,
        invalid_symbol: 0,
        missing_quantity: 0,
        invalid_exchange: 0,
        other: 0,
      }
      const symbols = new Set<string>()
      const sources = new Set<string>()
      let issues = 0
      for (const r of recent) {
        const req = obj(parse(r.request_data))
        const res = obj(parse(r.response_data))
        sources.add(typeof req['strategy'] === 'string' ? req['strategy'] : 'Unknown')
        if (typeof req['symbol'] === 'string') symbols.add(req['symbol'])
        if (res['status'] !== 'error') continue
        issues++
        const msg = (typeof res['message'] === 'string' ? res['message'] : '').toLowerCase()
        const kind = msg.includes('rate limit')
          ? 'rate_limit'
          : msg.includes('invalid symbol')
            ? 'invalid_symbol'
            : msg.includes('quantity')
              ? 'missing_quantity'
              : msg.includes('exchange')
                ? 'invalid_exchange'
                : 'other'
        byType[kind] = (byType[kind] ?? 0) + 1
      }
      return {
        total_requests: recent.length,
        issues: { total: issues, by_type: byType },
        symbols: [...symbols],
        sources: [...sources],
      }
    },
    close: flush,
  }
}
