/**
 * Session routes the web app reads the request logs through, at the original's paths
 * (openalgo: blueprints/traffic.py, blueprints/latency.py): `GET /traffic/api/logs?limit`,
 * `GET /traffic/api/stats`, `GET /latency/api/logs?limit`, `GET /latency/api/stats`,
 * `GET /latency/api/broker/:broker/stats`. A signed-in browser session is required (401 in the
 * envelope otherwise); responses are the original's plain JSON (arrays and objects, no envelope).
 */
import type { DatabaseHandle, LatencyDatabase, LogsDatabase } from '@oa/db'
import { Hono, type Context } from 'hono'
import type { IdentityServices } from '../identity/identity.js'
import { userSession } from '../identity/auth-routes.js'
import type { RequestLog } from './request-log.js'

const IST_MS = 19_800_000

/** `2026-03-02 10:00:00` in IST from a stored UTC ISO timestamp. */
function istText(stored: string): string {
  const ms = Date.parse(stored.endsWith('Z') || stored.includes('+') ? stored : `${stored}Z`)
  if (Number.isNaN(ms)) return stored
  return new Date(ms + IST_MS).toISOString().slice(0, 19).replace('T', ' ')
}

function limitOf(c: Context): number {
  const n = Number(c.req.query('limit') ?? '100')
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1000) : 100
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  // numpy's default (linear interpolation between closest ranks)
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  const a = sorted[lo] ?? 0
  const b = sorted[hi] ?? a
  return a + (b - a) * (rank - lo)
}

const r2 = (n: number): number => Math.round(n * 100) / 100

interface LatencyRow {
  broker: string | null
  status: string | null
  rtt_ms: number | null
  overhead_ms: number | null
  total_latency_ms: number
}

function latencyStats(rows: readonly LatencyRow[]): Record<string, number> {
  const total = rows.length
  const failed = rows.filter((r) => r.status === 'FAILED').length
  const avg = (f: (r: LatencyRow) => number | null) =>
    total === 0 ? 0 : rows.reduce((s, r) => s + (f(r) ?? 0), 0) / total
  const totals = rows.map((r) => r.total_latency_ms).sort((a, b) => a - b)
  const under = (ms: number) =>
    total === 0 ? 0 : (totals.filter((t) => t < ms).length / total) * 100
  return {
    total_orders: total,
    failed_orders: failed,
    success_rate: total === 0 ? 0 : r2(((total - failed) / total) * 100),
    avg_rtt: r2(avg((r) => r.rtt_ms)),
    avg_overhead: r2(avg((r) => r.overhead_ms)),
    avg_total: r2(avg((r) => r.total_latency_ms)),
    p50_total: r2(percentile(totals, 50)),
    p90_total: r2(percentile(totals, 90)),
    p95_total: r2(percentile(totals, 95)),
    p99_total: r2(percentile(totals, 99)),
    sla_100ms: r2(under(100)),
    sla_150ms: r2(under(150)),
    sla_200ms: r2(under(200)),
  }
}

export function logRoutes(deps: {
  readonly identity: IdentityServices
  readonly logs: DatabaseHandle<LogsDatabase>
  readonly latency: DatabaseHandle<LatencyDatabase>
  readonly requestLog: RequestLog
  readonly clock: { now(): number }
}): Hono {
  const app = new Hono()
  app.use('/traffic/api/*', async (c, next) => {
    if (!userSession(deps.identity, c))
      return c.json({ status: 'error', message: 'Not authenticated' }, 401)
    deps.requestLog.flush() // the dashboard sees what happened up to now
    return next()
  })
  app.use('/latency/api/*', async (c, next) => {
    if (!userSession(deps.identity, c))
      return c.json({ status: 'error', message: 'Not authenticated' }, 401)
    deps.requestLog.flush()
    return next()
  })

  app.get('/traffic/api/logs', (c) => {
    const rows = deps.logs.sqlite
      .prepare<
        [number],
        {
          timestamp: string
          client_ip: string
          method: string
          path: string
          status_code: number
          duration_ms: number
          host: string | null
          error: string | null
        }
      >(
        `SELECT timestamp, client_ip, method, path, status_code, duration_ms, host, error
         FROM traffic_logs ORDER BY id DESC LIMIT ?`,
      )
      .all(limitOf(c))
    return c.json(
      rows.map((r) => ({ ...r, timestamp: istText(r.timestamp), duration_ms: r2(r.duration_ms) })),
    )
  })

  app.get('/traffic/api/stats', (c) => {
    const db = deps.logs.sqlite
    const stat = (where: string, ...args: string[]) => {
      const row = db
        .prepare<string[], { total: number; errors: number | null; avg: number | null }>(
          `SELECT COUNT(*) AS total, SUM(CASE WHEN status_code >= 400 THEN 1 ELSE 0 END) AS errors,
                  AVG(duration_ms) AS avg FROM traffic_logs ${where}`,
        )
        .get(...args)
      return { total: row?.total ?? 0, errors: row?.errors ?? 0, avg: r2(row?.avg ?? 0) }
    }
    const overall = stat('')
    const api = stat("WHERE path LIKE '/api/v1/%'")
    const endpoints: Record<string, { total: number; errors: number; avg_duration: number }> = {}
    for (const name of [
      'placeorder',
      'placesmartorder',
      'modifyorder',
      'cancelorder',
      'quotes',
      'history',
      'depth',
      'intervals',
      'funds',
      'orderbook',
      'tradebook',
      'positionbook',
      'holdings',
      'basketorder',
      'splitorder',
      'orderstatus',
      'openposition',
    ]) {
      const s = stat('WHERE path LIKE ?', `/api/v1/${name}%`)
      endpoints[name] = { total: s.total, errors: s.errors, avg_duration: s.avg }
    }
    return c.json({
      overall: {
        total_requests: overall.total,
        error_requests: overall.errors,
        avg_duration: overall.avg,
      },
      api: { total_requests: api.total, error_requests: api.errors, avg_duration: api.avg },
      endpoints,
      queue: deps.requestLog.stats(),
    })
  })

  const latencyRows = (broker?: string): LatencyRow[] => {
    const since = new Date(deps.clock.now() - 30 * 86_400_000).toISOString()
    const sql = `SELECT broker, status, rtt_ms, overhead_ms, total_latency_ms FROM order_latency
                 WHERE timestamp >= ?${broker ? ' AND broker = ?' : ''} ORDER BY id DESC LIMIT 100000`
    return deps.latency.sqlite
      .prepare<string[], LatencyRow>(sql)
      .all(...(broker ? [since, broker] : [since]))
  }

  app.get('/latency/api/logs', (c) => {
    const rows = deps.latency.sqlite
      .prepare<[number], Record<string, unknown> & { timestamp: string }>(
        `SELECT id, timestamp, order_id, broker, symbol, order_type, rtt_ms, validation_latency_ms,
                response_latency_ms, overhead_ms, total_latency_ms, status, error, parse_ms, auth_ms,
                validate_ms, handler_ms, broker_ms, broker_calls, serialise_ms, path, http_status,
                request_id, user_id
         FROM order_latency ORDER BY id DESC LIMIT ?`,
      )
      .all(limitOf(c))
    return c.json(rows.map((r) => ({ ...r, timestamp: istText(r.timestamp) })))
  })

  app.get('/latency/api/stats', (c) => {
    const rows = latencyRows()
    const brokers = [...new Set(rows.map((r) => r.broker).filter((b): b is string => !!b))]
    const broker_stats: Record<string, Record<string, number>> = {}
    for (const b of brokers) broker_stats[b] = latencyStats(rows.filter((r) => r.broker === b))
    return c.json({ ...latencyStats(rows), broker_stats })
  })

  app.get('/latency/api/broker/:broker/stats', (c) => {
    const rows = latencyRows(c.req.param('broker'))
    if (rows.length === 0) return c.json({ error: 'Broker not found' }, 404)
    return c.json(latencyStats(rows))
  })
  return app
}
