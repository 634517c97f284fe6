import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  latencyMigrations,
  logsMigrations,
  openDatabase,
  openSqlite,
  type DatabaseHandle,
  type LatencyDatabase,
  type LogsDatabase,
} from '@oa/db'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogWriter, type Row } from './log-writer.js'

const opened: { close(): Promise<void> }[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const h of opened.splice(0)) await h.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function databases(): Promise<{
  logs: DatabaseHandle<LogsDatabase>
  latency: DatabaseHandle<LatencyDatabase>
}> {
  const dir = mkdtempSync(join(tmpdir(), 'oa-log-writer-'))
  dirs.push(dir)
  const logs = await openDatabase<LogsDatabase>(join(dir, 'logs.db'), logsMigrations)
  const latency = await openDatabase<LatencyDatabase>(join(dir, 'latency.db'), latencyMigrations)
  opened.push(logs, latency)
  return { logs, latency }
}

// as the request log sends them: traffic with an epoch-ms timestamp, latency with ISO text
const traffic = (i: number): Row => [
  Date.UTC(2026, 2, 2, 4, 30, i),
  '127.0.0.1',
  'POST',
  `/api/v1/ping/${i}`,
  200,
  0.5,
  '127.0.0.1:5000',
  null,
  null,
]

const latencyRow = (i: number): Row => [
  new Date(Date.UTC(2026, 2, 2, 4, 30, i)).toISOString(),
  `req-${i}`,
  null,
  'simulator',
  'SBIN',
  'QUOTES',
  0.1,
  0.1,
  0.1,
  0.1,
  0.4,
  'SUCCESS',
  null,
  0.1,
  0.1,
  0.1,
  0.1,
  0,
  0,
  0.1,
  '/quotes',
  200,
  `req-${i}`,
]

describe('request log writer thread', () => {
  it('commits batches in order on its own connections; settle waits for them', async () => {
    const { logs, latency } = await databases()
    const errors: string[] = []
    const writer = createLogWriter(logs.sqlite, latency.sqlite, (m) => errors.push(m))
    for (let b = 0; b < 5; b++) {
      writer.write(
        Array.from({ length: 100 }, (_, i) => traffic(b * 100 + i)),
        [latencyRow(b)],
      )
    }
    // 40 rows: one 32-row statement, then 8 single ones
    writer.write(
      [],
      Array.from({ length: 40 }, (_, i) => latencyRow(100 + i)),
    )
    expect(writer.settle(10_000)).toBe(true)
    // visible to the main thread's own connection the moment settle returns
    const paths = logs.sqlite
      .prepare('SELECT path, timestamp FROM traffic_logs ORDER BY id')
      .all() as { path: string; timestamp: string }[]
    expect(paths.map((p) => p.path)).toEqual(
      Array.from({ length: 500 }, (_, i) => `/api/v1/ping/${i}`),
    )
    expect(paths[0]).toEqual({ path: '/api/v1/ping/0', timestamp: '2026-03-02T04:30:00.000Z' })
    expect(paths[499]).toEqual({ path: '/api/v1/ping/499', timestamp: '2026-03-02T04:38:19.000Z' })
    expect(latency.sqlite.prepare('SELECT COUNT(*) AS n FROM order_latency').get()).toEqual({
      n: 45,
    })
    // every column of every row lands where it belongs, grouped or not
    const columns =
      'timestamp, order_id, user_id, broker, symbol, order_type, rtt_ms, validation_latency_ms, response_latency_ms, overhead_ms, total_latency_ms, status, error, parse_ms, auth_ms, validate_ms, handler_ms, broker_ms, broker_calls, serialise_ms, path, http_status, request_id'
    const stored = latency.sqlite
      .prepare(`SELECT ${columns} FROM order_latency ORDER BY id`)
      .raw()
      .all()
    expect(stored).toEqual([
      ...Array.from({ length: 5 }, (_, b) => latencyRow(b)),
      ...Array.from({ length: 40 }, (_, i) => latencyRow(100 + i)),
    ])
    expect(latency.sqlite.prepare('SELECT timestamp FROM order_latency LIMIT 1').get()).toEqual({
      timestamp: '2026-03-02T04:30:00.000Z',
    })
    expect(writer.counts()).toEqual({ traffic: 500, latency: 45, failed: 0 })
    expect(errors).toEqual([])
    await writer.close()
  })

  it('counts and reports a batch that fails, and goes on with the next', async () => {
    const { logs, latency } = await databases()
    const errors: string[] = []
    const writer = createLogWriter(logs.sqlite, latency.sqlite, (m) => errors.push(m))
    // a row with the wrong number of values fails its whole transaction
    writer.write([traffic(1), traffic(2).slice(0, 3)], [])
    writer.write([traffic(3)], [latencyRow(3)])
    expect(writer.settle(10_000)).toBe(true)
    expect(writer.counts()).toEqual({ traffic: 1, latency: 1, failed: 2 })
    await new Promise((r) => setTimeout(r, 50)) // the error message arrives as an event
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/batch 1 failed/)
    await writer.close()
  })

  it('stops its thread after an idle spell and starts another for the next batch', async () => {
    const { logs, latency } = await databases()
    const writer = createLogWriter(logs.sqlite, latency.sqlite, () => undefined, { idleMs: 50 })
    expect(writer.running()).toBe(false)
    writer.write([traffic(1)], [])
    expect(writer.running()).toBe(true)
    await vi.waitFor(() => expect(writer.running()).toBe(false), { timeout: 5_000 })
    writer.write([traffic(2)], [latencyRow(2)])
    expect(writer.running()).toBe(true)
    expect(writer.settle(10_000)).toBe(true)
    // the stopped thread's rows still count, and both threads' rows are in the file
    expect(writer.counts()).toEqual({ traffic: 2, latency: 1, failed: 0 })
    expect(logs.sqlite.prepare('SELECT COUNT(*) AS n FROM traffic_logs').get()).toEqual({ n: 2 })
    await writer.close()
    expect(writer.running()).toBe(false)
  })

  it('writes inline for in-memory databases', () => {
    const mem = openSqlite(':memory:')
    mem.exec(
      'CREATE TABLE traffic_logs (id INTEGER PRIMARY KEY, timestamp, client_ip, method, path, status_code, duration_ms, host, error, user_id)',
    )
    mem.exec(
      `CREATE TABLE order_latency (id INTEGER PRIMARY KEY, timestamp, order_id, user_id, broker, symbol, order_type, rtt_ms,
        validation_latency_ms, response_latency_ms, overhead_ms, total_latency_ms, status, error,
        parse_ms, auth_ms, validate_ms, handler_ms, broker_ms, broker_calls, serialise_ms, path, http_status, request_id)`,
    )
    const writer = createLogWriter(mem, mem, () => undefined)
    writer.write([traffic(1)], [latencyRow(1)])
    // no settle needed: the rows are there when write returns
    expect(mem.prepare('SELECT COUNT(*) AS n, timestamp FROM traffic_logs').get()).toEqual({
      n: 1,
      timestamp: '2026-03-02T04:30:01.000Z',
    })
    expect(writer.counts()).toEqual({ traffic: 1, latency: 1, failed: 0 })
    mem.close()
  })
})
