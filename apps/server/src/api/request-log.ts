/**
 * The traffic log (`traffic_logs` in logs.db, spec platform.md §7.8) and the latency monitor
 * (`order_latency` in latency.db, §7.9), written off the hot path (W-29): a request only pushes
 * a small record onto a bounded in-memory queue, handed as one batch to a writer thread
 * (`log-writer.ts`) by a timer or, under load, as soon as `flushAt` records wait. When the queue
 * is full, new records are dropped and counted, never blocking a request. Retention runs as a
 * daily purge at an off-peak IST time.
 */
import { performance } from 'node:perf_hooks'
import type { DatabaseHandle, LatencyDatabase, LogsDatabase, MainDatabase } from '@oa/db'
import type { Context, MiddlewareHandler } from 'hono'
import { Cron } from 'croner'
import type { Clock } from '../clock.js'
import { requestHeader } from '../http/request-header.js'
import type { Logger } from '../logger.js'
import type { ApiRequestInfo } from './endpoint.js'
import { createLogWriter, type Row } from './log-writer.js'

/** The original's API-type label per endpoint (spec platform.md §7.9). */
const LABELS: Record<string, string> = {
  '/placeorder': 'PLACE',
  '/placesmartorder': 'SMART',
  '/modifyorder': 'MODIFY',
  '/cancelorder': 'CANCEL',
  '/closeposition': 'CLOSE',
  '/cancelallorder': 'CANCEL_ALL',
  '/basketorder': 'BASKET',
  '/splitorder': 'SPLIT',
  '/optionsorder': 'OPTIONS',
  '/optionsmultiorder': 'OPTIONS_MULTI',
  '/placegttorder': 'GTT_PLACE',
  '/modifygttorder': 'GTT_MODIFY',
  '/cancelgttorder': 'GTT_CANCEL',
  '/quotes': 'QUOTES',
  '/history': 'HISTORY',
  '/depth': 'DEPTH',
  '/intervals': 'INTERVALS',
  '/funds': 'FUNDS',
  '/orderbook': 'ORDERBOOK',
  '/tradebook': 'TRADEBOOK',
  '/positionbook': 'POSITIONBOOK',
  '/holdings': 'HOLDINGS',
  '/orderstatus': 'STATUS',
  '/openposition': 'POSITION',
  '/instruments': 'INSTRUMENTS',
  '/search': 'SEARCH',
  '/symbol': 'SYMBOL',
  '/expiry': 'EXPIRY',
  '/margin': 'MARGIN',
  '/optiongreeks': 'GREEKS',
  '/multioptiongreeks': 'MULTI_GREEKS',
  '/optionsymbol': 'OPTION_SYMBOL',
  '/syntheticfuture': 'SYNTHETIC',
  '/ticker/:symbol': 'TICKER',
  '/ping': 'PING',
  '/analyzer': 'ANALYZER',
  '/chart': 'CHART',
  '/market/holidays': 'MARKET_HOLIDAYS',
  '/market/timings': 'MARKET_TIMINGS',
}

/** Order types kept forever; other latency rows are purged after 7 days (the original's rule). */
const ORDER_LABELS = [
  'PLACE',
  'SMART',
  'MODIFY',
  'CANCEL',
  'CLOSE',
  'CANCEL_ALL',
  'BASKET',
  'SPLIT',
  'OPTIONS',
  'OPTIONS_MULTI',
  'GTT_PLACE',
  'GTT_MODIFY',
  'GTT_CANCEL',
]
const NON_ORDER_LATENCY_DAYS = 7

/** The API-type label of an endpoint path (`/placeorder` → `PLACE`; unmapped: upper-cased name). */
export function latencyLabel(path: string): string {
  return LABELS[path] ?? path.replace(/^\//, '').split('/')[0]!.toUpperCase()
}

/** Paths never traffic-logged: static assets, the log dashboards themselves, health probes. */
const SKIP = /^\/(static\/|assets\/|favicon\.ico$|traffic\/|latency\/|health(\/|$))/

interface TrafficRecord {
  atMs: number
  ip: string
  method: string
  path: string
  status: number
  durationMs: number
  host: string | null
  error: string | null
  username: string | null
}

interface LatencyRecord {
  atMs: number
  info: ApiRequestInfo
  status: number
}

export interface RequestLogOptions {
  readonly logs: DatabaseHandle<LogsDatabase>
  readonly latency: DatabaseHandle<LatencyDatabase>
  /** for `users.id` of a username */
  readonly main: DatabaseHandle<MainDatabase>
  readonly clock: Clock
  readonly logger: Logger
  readonly clientIp: (c: Context) => string
  /** TRAFFIC_LOG_RETENTION_DAYS */
  readonly retentionDays: number
  /** flush period (default 1000 ms) */
  readonly flushIntervalMs?: number
  /**
   * queued traffic records that are handed to the writer thread on the next turn of the event
   * loop (default 256), rather than waiting for the timer: a batch is one `postMessage` here,
   * and small batches keep the writer's transactions short.
   */
  readonly flushAt?: number
  /** queued records per table beyond which new ones are dropped (default 50,000) */
  readonly maxQueue?: number
}

export interface RequestLogStats {
  readonly queuedTraffic: number
  readonly queuedLatency: number
  readonly writtenTraffic: number
  readonly writtenLatency: number
  readonly dropped: number
}

/** One answered request, as a server adapter hands it to {@link RequestLog.record}. */
export interface RequestLogEntry {
  readonly ip: string
  readonly method: string
  /** the request path (query string excluded) */
  readonly path: string
  readonly status: number
  readonly durationMs: number
  readonly host: string | null
  /** a thrown error's message, when the request failed with one */
  readonly error: string | null
  /** what the `/api/v1` core learned, for API requests (it feeds the latency monitor) */
  readonly api: ApiRequestInfo | undefined
}

export interface RequestLog {
  /** Hono middleware recording every request (install it outermost, after the ban gate) */
  readonly middleware: MiddlewareHandler
  /** records a request another server adapter answered (the Node fast path) */
  record(entry: RequestLogEntry): void
  /** writes what is queued and waits until it is committed (one transaction per database) */
  flush(): void
  /** deletes traffic older than the retention and non-order latency rows older than 7 days */
  purge(): { traffic: number; latency: number }
  /** starts the flush timer and the daily purge (02:30 IST) */
  start(): void
  /** stops the timers, writes what is queued, stops the writer thread */
  stop(): Promise<void>
  stats(): RequestLogStats
}

export function createRequestLog(options: RequestLogOptions): RequestLog {
  const { clock, logger } = options
  const maxQueue = options.maxQueue ?? 50_000
  const flushAt = options.flushAt ?? 256
  let flushScheduled = false
  let traffic: TrafficRecord[] = []
  let latency: LatencyRecord[] = []
  let dropped = 0
  let timer: NodeJS.Timeout | null = null
  let purgeJob: Cron | null = null

  const writer = createLogWriter(options.logs.sqlite, options.latency.sqlite, (message) =>
    logger.warn(message),
  )
  const userIdStmt = options.main.sqlite.prepare<[string], { id: number }>(
    'SELECT id FROM users WHERE username = ?',
  )
  const userIds = new Map<string, number | null>()
  const userId = (username: string | null): number | null => {
    if (!username) return null
    let id = userIds.get(username)
    if (id === undefined) {
      id = userIdStmt.get(username)?.id ?? null
      if (userIds.size > 1_000) userIds.clear()
      userIds.set(username, id)
    }
    return id
  }
  const round3 = (n: number): number => Math.round(n * 1000) / 1000
  const cut = (s: string | null, n: number): string | null =>
    s === null ? null : s.length > n ? s.slice(0, n) : s

  // timestamps go as epoch ms: the writer formats them, off the event loop
  const trafficRow = (r: TrafficRecord): Row => [
    r.atMs,
    cut(r.ip, 50),
    r.method.slice(0, 10),
    cut(r.path, 500),
    r.status,
    round3(r.durationMs),
    cut(r.host, 500),
    cut(r.error, 500),
    userId(r.username),
  ]
  const latencyRow = ({ atMs, info, status }: LatencyRecord): Row => {
    const t = info.trace
    const label = latencyLabel(info.path)
    const rtt = t.brokerCalls > 0 ? t.brokerMs : t.handlerMs
    const ok = status < 400
    return [
      atMs,
      cut(info.orderId ?? info.requestId, 100),
      userId(info.username),
      cut(info.broker, 50),
      cut(info.symbol, 50),
      label.slice(0, 20),
      round3(rtt),
      round3(t.parseMs + t.validateMs),
      round3(t.serialiseMs),
      round3(info.totalMs - t.brokerMs),
      round3(info.totalMs),
      ok ? 'SUCCESS' : 'FAILED',
      ok ? null : cut(info.errorMessage ?? `HTTP ${status}`, 500),
      round3(t.parseMs),
      round3(t.authMs),
      round3(t.validateMs),
      round3(t.handlerMs),
      round3(t.brokerMs),
      t.brokerCalls,
      round3(t.serialiseMs),
      info.path,
      status,
      info.requestId,
    ]
  }

  /** hands what is queued to the writer (a worker thread), without waiting for it */
  const ship = (): void => {
    flushScheduled = false
    if (traffic.length === 0 && latency.length === 0) return
    const rows = { traffic: traffic.map(trafficRow), latency: latency.map(latencyRow) }
    traffic = []
    latency = []
    writer.write(rows.traffic, rows.latency)
  }

  /** ships what is queued and waits until everything shipped so far is committed */
  const flush = (): void => {
    ship()
    if (!writer.settle(5_000)) logger.warn('request log writer is more than 5 s behind')
  }

  const record = (entry: RequestLogEntry): void => {
    const atMs = clock.now()
    const api = entry.api
    if (traffic.length < maxQueue) {
      traffic.push({
        atMs,
        ip: entry.ip,
        method: entry.method,
        path: entry.path,
        status: entry.status,
        durationMs: entry.durationMs,
        host: entry.host,
        error: entry.error,
        username: api?.username ?? null,
      })
    } else dropped++
    if (api) {
      if (latency.length < maxQueue) latency.push({ atMs, info: api, status: entry.status })
      else dropped++
    }
    if (!flushScheduled && timer !== null && traffic.length >= flushAt) {
      flushScheduled = true
      setImmediate(ship)
    }
  }

  const middleware: MiddlewareHandler = async (c, next) => {
    const path = c.req.path
    if (SKIP.test(path)) return next()
    const t0 = performance.now()
    let error: string | null = null
    try {
      await next()
    } catch (e) {
      error = e instanceof Error ? e.message : String(e)
      throw e
    } finally {
      record({
        ip: options.clientIp(c),
        method: c.req.method,
        path,
        status: c.res.status,
        durationMs: performance.now() - t0,
        host: requestHeader(c, 'host') ?? null,
        error,
        api: c.get('oaApi') as ApiRequestInfo | undefined,
      })
    }
  }

  const purge = (): { traffic: number; latency: number } => {
    const now = clock.now()
    const trafficCut = new Date(now - options.retentionDays * 86_400_000).toISOString()
    const latencyCut = new Date(now - NON_ORDER_LATENCY_DAYS * 86_400_000).toISOString()
    const t = options.logs.sqlite
      .prepare('DELETE FROM traffic_logs WHERE timestamp < ?')
      .run(trafficCut).changes
    const l = options.latency.sqlite
      .prepare(
        `DELETE FROM order_latency WHERE timestamp < ? AND (order_type IS NULL OR order_type NOT IN (${ORDER_LABELS.map(() => '?').join(', ')}))`,
      )
      .run(latencyCut, ...ORDER_LABELS).changes
    return { traffic: t, latency: l }
  }

  return {
    middleware,
    record,
    flush,
    purge,
    start() {
      if (timer) return
      timer = setInterval(ship, options.flushIntervalMs ?? 1_000)
      timer.unref()
      // off-peak: after MCX's 23:55 close, before the 03:00 session boundary
      purgeJob = new Cron('30 2 * * *', { timezone: 'Asia/Kolkata', unref: true }, () => {
        try {
          const removed = purge()
          logger.info(removed, 'request logs purged')
        } catch (error) {
          logger.warn({ err: error }, 'request log purge failed')
        }
      })
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = null
      purgeJob?.stop()
      purgeJob = null
      ship()
      await writer.close()
    },
    stats: () => {
      const written = writer.counts()
      return {
        queuedTraffic: traffic.length,
        queuedLatency: latency.length,
        writtenTraffic: written.traffic,
        writtenLatency: written.latency,
        dropped: dropped + written.failed,
      }
    },
  }
}
