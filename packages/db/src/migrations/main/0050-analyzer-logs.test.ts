import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../databases.js'
import type { MainDatabase } from '../../schema/main.js'
import { openSqlite } from '../../sqlite.js'
import { mainMigrations } from './index.js'

const dirs: string[] = []
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-analyzer-mig-'))
  dirs.push(dir)
  return join(dir, 'openalgo.db')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('main migration 0050 (analyzer_logs)', () => {
  it('creates the table the analyzer log writes and reads', async () => {
    const main = await openDatabase<MainDatabase>(tempPath(), mainMigrations)
    await main.db
      .insertInto('analyzer_logs')
      .values({
        api_type: 'placeorder',
        request_data: '{"symbol":"SBIN"}',
        response_data: '{"status":"success"}',
        created_at: '2025-04-17T04:30:00.000Z',
        username: 'admin',
      })
      .execute()
    const rows = await main.db.selectFrom('analyzer_logs').selectAll().execute()
    expect(rows).toEqual([expect.objectContaining({ id: 1, api_type: 'placeorder', username: 'admin' })])
    await main.close()
  })

  it('keeps the rows of an OpenAlgo database and adds the username column', async () => {
    const path = tempPath()
    const db = openSqlite(path)
    // the original's DDL (openalgo: database/analyzer_db.py, SQLAlchemy on SQLite)
    db.exec(`
      CREATE TABLE analyzer_logs (id INTEGER NOT NULL, api_type VARCHAR(50) NOT NULL,
        request_data TEXT NOT NULL, response_data TEXT NOT NULL,
        created_at DATETIME DEFAULT (CURRENT_TIMESTAMP), PRIMARY KEY (id));
      CREATE INDEX idx_analyzer_api_type ON analyzer_logs (api_type);
      INSERT INTO analyzer_logs (api_type, request_data, response_data, created_at)
        VALUES ('placeorder', '{}', '{}', '2025-04-17 10:00:00.000000');
    `)
    db.close()
    const main = await openDatabase<MainDatabase>(path, mainMigrations)
    const rows = await main.db.selectFrom('analyzer_logs').selectAll().execute()
    expect(rows).toEqual([
      {
        id: 1,
        api_type: 'placeorder',
        request_data: '{}',
        response_data: '{}',
        created_at: '2025-04-17 10:00:00.000000',
        username: null,
      },
    ])
    await main.close()
  })
})
