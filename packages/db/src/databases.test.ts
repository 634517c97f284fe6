import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from './databases.js'
import { MigrationError } from './migrate.js'
import { mainMigrations } from './migrations/main/index.js'
import type { MainDatabase } from './schema/main.js'
import { openSqlite } from './sqlite.js'

const dirs: string[] = []
function tempPath(name = 'openalgo.db'): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-db-'))
  dirs.push(dir)
  return join(dir, 'nested', name)
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('openDatabase', () => {
  it('creates the file and its folder, applies migrations and seeds the settings row', async () => {
    const path = tempPath()
    const main = await openDatabase<MainDatabase>(path, mainMigrations)
    const settings = await main.db.selectFrom('settings').selectAll().execute()
    expect(settings).toHaveLength(1)
    expect(settings[0]).toMatchObject({ id: 1, analyze_mode: 0, security_404_threshold: 100 })
    expect(main.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    await main.close()
  })

  it('is idempotent: reopening applies nothing twice and keeps the data', async () => {
    const path = tempPath()
    const first = await openDatabase<MainDatabase>(path, mainMigrations)
    await first.db.updateTable('settings').set({ analyze_mode: 1 }).execute()
    await first.close()
    const second = await openDatabase<MainDatabase>(path, mainMigrations)
    const versions = await sql<{ name: string }>`SELECT name FROM schema_version`.execute(second.db)
    // every migration recorded exactly once, whichever areas have landed theirs
    expect(versions.rows.map((r) => r.name)).toEqual(Object.keys(mainMigrations.migrations).sort())
    const row = await second.db.selectFrom('settings').select('analyze_mode').executeTakeFirstOrThrow()
    expect(row.analyze_mode).toBe(1)
    await second.close()
  })

  it('leaves a file that passes integrity_check after a clean close', async () => {
    const path = tempPath()
    const main = await openDatabase<MainDatabase>(path, mainMigrations)
    await main.close()
    await main.close()
    const check = openSqlite(path, { readonly: true })
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
    check.close()
  })

  it('names the database and migration when a migration fails', async () => {
    const path = tempPath()
    const broken = {
      database: 'main',
      migrations: {
        '0001_bad': { up: async () => { throw new Error('boom') } },
      },
    }
    await expect(openDatabase(path, broken)).rejects.toThrow(MigrationError)
    await expect(openDatabase(path, broken)).rejects.toThrow(/0001_bad of the main database failed: boom/)
  })
})
