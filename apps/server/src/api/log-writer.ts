/**
 * Where the request log's rows are written: on a worker thread with its own SQLite connections,
 * so the inserts (two tables and their indexes, several µs a row) cost the event loop
 * nothing but a `postMessage` of the batch. Under the quotes benchmark they were ~11% of the
 * server's CPU on the main thread.
 *
 * The thread starts with the first batch and stops after a quiet spell (10 s by default), so an
 * idle server does not carry its ~20 MB.
 *
 * The worker runs from source text with the driver loaded by path (`SQLITE_DRIVER_PATH`), so the
 * same code works from the built files, from TypeScript sources under tsx, under vitest and in the
 * Docker image. It reports progress through shared memory: `flush()` can wait, synchronously, for
 * every batch handed over so far to be committed (the dashboards read right after a flush).
 * When the worker cannot run (an in-memory database, a worker that died), rows are written
 * inline on the calling thread, as before.
 */
import { Worker } from 'node:worker_threads'
import { DEFAULT_CACHE_KIB, SQLITE_DRIVER_PATH, type SqliteDatabase } from '@oa/db'

/**
 * One row's values in the insert's column order. The first, the timestamp, may come as epoch ms:
 * the writer turns it into the ISO text the tables hold, so the event loop does not format dates.
 */
export type Row = readonly (string | number | null)[]

/** The row with an epoch-ms timestamp (its first value) turned into ISO-8601 text. */
export function withIsoTime(row: Row): Row {
  const at = row[0]
  return typeof at === 'number' ? [new Date(at).toISOString(), ...row.slice(1)] : row
}

export interface LogWriter {
  /** hands over a batch; rows are committed in order, one transaction per table per batch */
  write(traffic: readonly Row[], latency: readonly Row[]): void
  /** waits (blocking, up to `timeoutMs`) until every batch handed over is committed; false on timeout */
  settle(timeoutMs: number): boolean
  /** rows committed so far, and rows a failed transaction lost */
  counts(): { traffic: number; latency: number; failed: number }
  /** whether a writer thread is running now (it stops when idle) */
  running(): boolean
  /** settles, then stops the worker */
  close(): Promise<void>
}

export const TRAFFIC_INSERT = `INSERT INTO traffic_logs (timestamp, client_ip, method, path, status_code, duration_ms, host, error, user_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`

export const LATENCY_INSERT = `INSERT INTO order_latency (timestamp, order_id, user_id, broker, symbol, order_type, rtt_ms,
       validation_latency_ms, response_latency_ms, overhead_ms, total_latency_ms, status, error,
       parse_ms, auth_ms, validate_ms, handler_ms, broker_ms, broker_calls, serialise_ms, path,
       http_status, request_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

/**
 * Rows per INSERT statement on the writer thread. One statement of 32 rows (736 parameters for
 * the latency table, far below SQLite's 32,766) measured 10–20% less time a row than 32 single-row
 * statements in the same transaction: fewer steps and driver calls per row.
 */
const ROWS_PER_INSERT = 32

/** `sql` (an `INSERT … VALUES (?, …)` of one row) rewritten to insert `rows` rows at once. */
function insertOfRows(sql: string, rows: number): string {
  const at = sql.lastIndexOf('VALUES')
  const tuple = sql.slice(at + 'VALUES'.length).trim()
  return `${sql.slice(0, at)}VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`
}

/** Shared counters: [done batch seq, traffic rows written, latency rows written, rows failed]. */
const DONE = 0
const TRAFFIC = 1
const LATENCY = 2
const FAILED = 3

// Plain CommonJS, evaluated in the worker: opens both files with the connection policy of
// `openSqlite` (WAL, synchronous=NORMAL, busy timeout, page cache cap), writes each batch, bumps
// the counters.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const counters = new Int32Array(workerData.counters)
const open = (path) => {
  const db = new Database(path, { fileMustExist: true })
  db.pragma('busy_timeout = 15000')
  db.pragma('cache_size = -' + workerData.cacheKib)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  return db
}
const logs = open(workerData.logsPath)
const latency = open(workerData.latencyPath)
// the timestamp comes as epoch ms (see withIsoTime)
const iso = (r) => { if (typeof r[0] === 'number') r[0] = new Date(r[0]).toISOString(); return r }
// rows go in groups of workerData.group per statement (fewer steps and binds through the driver),
// the rest one by one
const writer = (db, one, many) => {
  const single = db.prepare(one)
  const grouped = db.prepare(many)
  const k = workerData.group
  const params = []
  return db.transaction((rows) => {
    let i = 0
    for (; i + k <= rows.length; i += k) {
      params.length = 0
      for (let j = i; j < i + k; j++) for (const v of iso(rows[j])) params.push(v)
      grouped.run(params)
    }
    for (; i < rows.length; i++) single.run(iso(rows[i]))
  })
}
const writeTraffic = writer(logs, workerData.trafficSql, workerData.trafficSqlMany)
const writeLatency = writer(latency, workerData.latencySql, workerData.latencySqlMany)
parentPort.on('message', (batch) => {
  if (batch === 'close') {
    logs.close()
    latency.close()
    parentPort.close()
    return
  }
  const errors = []
  try {
    if (batch.traffic.length > 0) writeTraffic(batch.traffic)
    Atomics.add(counters, ${TRAFFIC}, batch.traffic.length)
  } catch (error) {
    Atomics.add(counters, ${FAILED}, batch.traffic.length)
    errors.push(String(error && error.message))
  }
  try {
    if (batch.latency.length > 0) writeLatency(batch.latency)
    Atomics.add(counters, ${LATENCY}, batch.latency.length)
  } catch (error) {
    Atomics.add(counters, ${FAILED}, batch.latency.length)
    errors.push(String(error && error.message))
  }
  Atomics.store(counters, ${DONE}, batch.seq)
  Atomics.notify(counters, ${DONE})
  if (errors.length > 0) parentPort.postMessage({ seq: batch.seq, errors })
})
`

/** Writes on the calling thread (in-memory databases; the fallback when the worker fails). */
export function inlineLogWriter(logs: SqliteDatabase, latency: SqliteDatabase): LogWriter {
  const insertTraffic = logs.prepare(TRAFFIC_INSERT)
  const insertLatency = latency.prepare(LATENCY_INSERT)
  const writeTraffic = logs.transaction((rows: readonly Row[]) => {
    for (const r of rows) insertTraffic.run(withIsoTime(r))
  })
  const writeLatency = latency.transaction((rows: readonly Row[]) => {
    for (const r of rows) insertLatency.run(withIsoTime(r))
  })
  const n = { traffic: 0, latency: 0, failed: 0 }
  return {
    write(traffic, latencyRows) {
      // each table on its own: a failed traffic write must not lose the latency rows
      try {
        if (traffic.length > 0) writeTraffic(traffic)
        n.traffic += traffic.length
      } catch {
        n.failed += traffic.length
      }
      try {
        if (latencyRows.length > 0) writeLatency(latencyRows)
        n.latency += latencyRows.length
      } catch {
        n.failed += latencyRows.length
      }
    },
    settle: () => true,
    counts: () => ({ ...n }),
    running: () => false,
    close: () => Promise.resolve(),
  }
}

/** One running writer thread and its shared counters. */
interface Thread {
  readonly worker: Worker
  readonly counters: Int32Array
  /** the last batch handed to it */
  seq: number
  /** retired after an idle spell, or closing: its exit is expected */
  leaving: boolean
}

export interface LogWriterOptions {
  /** a thread idle this long (ms, default 10 s) is stopped; the next batch starts another */
  readonly idleMs?: number
}

/**
 * A writer on a worker thread over the files of `logs` and `latency`, or the inline writer when
 * they are in-memory databases. The thread starts with the first batch and stops after `idleMs`
 * without one: it costs ~20 MB of resident memory (a V8 isolate and two SQLite caches), which a
 * quiet server should not carry. `onError` hears of failed batches and of a thread that died
 * (whose unwritten batches are then lost: log rows, never orders or funds).
 */
export function createLogWriter(
  logs: SqliteDatabase,
  latency: SqliteDatabase,
  onError: (message: string) => void,
  options: LogWriterOptions = {},
): LogWriter {
  const inline = (): LogWriter => inlineLogWriter(logs, latency)
  if (logs.memory || latency.memory || logs.name === '' || latency.name === '') return inline()
  const idleMs = options.idleMs ?? 10_000
  let thread: Thread | null = null
  let fallback: LogWriter | null = null
  let lastWriteAt = 0
  let idleTimer: NodeJS.Timeout | null = null
  /** counts of threads already stopped */
  const past = { traffic: 0, latency: 0, failed: 0 }

  const start = (): Thread => {
    const shared = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT)
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: SQLITE_DRIVER_PATH,
        cacheKib: DEFAULT_CACHE_KIB,
        counters: shared,
        logsPath: logs.name,
        latencyPath: latency.name,
        trafficSql: TRAFFIC_INSERT,
        latencySql: LATENCY_INSERT,
        trafficSqlMany: insertOfRows(TRAFFIC_INSERT, ROWS_PER_INSERT),
        latencySqlMany: insertOfRows(LATENCY_INSERT, ROWS_PER_INSERT),
        group: ROWS_PER_INSERT,
      },
      // the worker needs none of the parent's flags (tsx, source conditions)
      execArgv: [],
      // batches are small: a small young generation keeps the thread's footprint down
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
    })
    worker.unref()
    const t: Thread = { worker, counters: new Int32Array(shared), seq: 0, leaving: false }
    worker.on('message', (m: { seq: number; errors: string[] }) =>
      onError(`request log batch ${m.seq} failed: ${m.errors.join('; ')}`),
    )
    worker.on('error', (error) => {
      onError(`request log writer stopped: ${error.message}; writing inline from now on`)
      fallback ??= inline()
    })
    worker.on('exit', () => {
      if (!t.leaving) fallback ??= inline()
    })
    return t
  }

  /** stops a thread whose batches are all committed; its counts move to `past` */
  const retire = (t: Thread): void => {
    t.leaving = true
    past.traffic += Atomics.load(t.counters, TRAFFIC)
    past.latency += Atomics.load(t.counters, LATENCY)
    past.failed += Atomics.load(t.counters, FAILED)
    t.worker.postMessage('close')
    if (thread === t) thread = null
  }

  const checkIdle = (): void => {
    const t = thread
    if (t && Date.now() - lastWriteAt >= idleMs && Atomics.load(t.counters, DONE) >= t.seq)
      retire(t)
    if (!thread && idleTimer) {
      clearInterval(idleTimer)
      idleTimer = null
    }
  }

  const settle = (timeoutMs: number): boolean => {
    const t = thread
    if (fallback || !t) return true
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const done = Atomics.load(t.counters, DONE)
      if (done >= t.seq) return true
      const left = deadline - Date.now()
      if (left <= 0 || fallback) return fallback !== null
      Atomics.wait(t.counters, DONE, done, Math.min(left, 50))
    }
  }

  return {
    write(traffic, latencyRows) {
      if (fallback) return fallback.write(traffic, latencyRows)
      thread ??= start()
      thread.seq += 1
      thread.worker.postMessage({ seq: thread.seq, traffic, latency: latencyRows })
      lastWriteAt = Date.now()
      if (!idleTimer) {
        idleTimer = setInterval(checkIdle, Math.max(10, Math.min(idleMs, 1_000)))
        idleTimer.unref()
      }
    },
    settle,
    counts() {
      const extra = fallback?.counts() ?? { traffic: 0, latency: 0, failed: 0 }
      const live = thread?.counters
      return {
        traffic: past.traffic + extra.traffic + (live ? Atomics.load(live, TRAFFIC) : 0),
        latency: past.latency + extra.latency + (live ? Atomics.load(live, LATENCY) : 0),
        failed: past.failed + extra.failed + (live ? Atomics.load(live, FAILED) : 0),
      }
    },
    running: () => thread !== null,
    async close() {
      if (!settle(5_000)) onError('request log writer did not finish its last batches in 5 s')
      if (idleTimer) clearInterval(idleTimer)
      idleTimer = null
      const t = thread
      if (fallback || !t) return
      // keep the process alive while the worker closes its connections (it is unref'd otherwise:
      // an idle writer must not hold a stopping process open)
      t.worker.ref()
      const exited = new Promise<void>((resolve) => t.worker.once('exit', () => resolve()))
      retire(t)
      let timer: NodeJS.Timeout | undefined
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 2_000)))])
      clearTimeout(timer)
      await t.worker.terminate()
    },
  }
}
