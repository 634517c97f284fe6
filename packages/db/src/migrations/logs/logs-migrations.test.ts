import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../databases.js'
import type { LogsDatabase } from '../../schema/logs.js'
import { logsMigrations } from './index.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('logs.db migrations', () => {
  it('keep only the traffic indexes a query or the purge uses, and the queries still use them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oa-logs-db-'))
    dirs.push(dir)
    const logs = await openDatabase<LogsDatabase>(join(dir, 'logs.db'), logsMigrations)
    const indexes = logs.sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'traffic_logs' ORDER BY name",
      )
      .pluck()
      .all()
    expect(indexes).toEqual(['idx_traffic_ip_timestamp', 'idx_traffic_timestamp'])
    const plan = (query: string): string =>
      (logs.sqlite.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join('; ')
    expect(plan("SELECT * FROM traffic_logs WHERE client_ip = '10.0.0.1'")).toContain(
      'idx_traffic_ip_timestamp',
    )
    expect(plan("DELETE FROM traffic_logs WHERE timestamp < '2026-01-01'")).toContain(
      'idx_traffic_timestamp',
    )
    await logs.close()
  })
})
