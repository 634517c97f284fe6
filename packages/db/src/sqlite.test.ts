import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { closeSqlite, DEFAULT_CACHE_KIB, openSqlite, releaseSqliteMemory } from './sqlite.js'

const dirs: string[] = []
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-sqlite-'))
  dirs.push(dir)
  return join(dir, 'nested', 'test.db')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('openSqlite', () => {
  it('applies the connection policy: WAL, synchronous=NORMAL, busy timeout, foreign keys', () => {
    const db = openSqlite(tempPath())
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(15_000)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    closeSqlite(db)
  })

  it("caps the page cache at SQLite's own 2 MiB, not the driver's 16 MB build default", () => {
    const db = openSqlite(tempPath())
    expect(DEFAULT_CACHE_KIB).toBe(2048)
    expect(db.pragma('cache_size', { simple: true })).toBe(-2048)
    closeSqlite(db)
    const big = openSqlite(tempPath(), { cacheKib: 8192 })
    expect(big.pragma('cache_size', { simple: true })).toBe(-8192)
    closeSqlite(big)
  })

  it('applies the cache cap to read-only connections too', () => {
    const path = tempPath()
    closeSqlite(openSqlite(path))
    const ro = openSqlite(path, { readonly: true, cacheKib: 512 })
    expect(ro.pragma('cache_size', { simple: true })).toBe(-512)
    closeSqlite(ro)
  })
})

describe('releaseSqliteMemory', () => {
  it('leaves the connection working and its data intact', () => {
    const db = openSqlite(tempPath())
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)')
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
    db.transaction(() => {
      for (let i = 0; i < 5_000; i++) insert.run(Buffer.alloc(400, i % 251))
    })()
    releaseSqliteMemory(db)
    expect(db.prepare('SELECT COUNT(*) AS n, SUM(length(v)) AS bytes FROM t').get()).toEqual({
      n: 5_000,
      bytes: 2_000_000,
    })
    closeSqlite(db)
  })

  it('does not throw on a connection busy iterating, nor on a closed one', () => {
    const db = openSqlite(tempPath())
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2), (3)')
    const seen: number[] = []
    for (const row of db.prepare('SELECT id FROM t').iterate() as Iterable<{ id: number }>) {
      releaseSqliteMemory(db)
      seen.push(row.id)
    }
    expect(seen).toEqual([1, 2, 3])
    closeSqlite(db)
    expect(() => releaseSqliteMemory(db)).not.toThrow()
  })
})
