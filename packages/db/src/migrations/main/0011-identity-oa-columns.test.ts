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
  const dir = mkdtempSync(join(tmpdir(), 'oa-identity-mig-'))
  dirs.push(dir)
  return join(dir, 'openalgo.db')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** The original's DDL as SQLAlchemy emits it (openalgo: database/auth_db.py, user_db.py). */
function writeOriginalDatabase(path: string): void {
  const db = openSqlite(path)
  db.exec(`
    CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(80) NOT NULL UNIQUE,
      email VARCHAR(120) NOT NULL UNIQUE, password_hash VARCHAR(255) NOT NULL,
      totp_secret VARCHAR(255) NOT NULL, is_admin BOOLEAN, totp_enabled BOOLEAN NOT NULL DEFAULT 0,
      totp_required_for_login BOOLEAN NOT NULL DEFAULT 0, totp_required_for_mcp BOOLEAN NOT NULL DEFAULT 0,
      totp_required_for_password_reset BOOLEAN NOT NULL DEFAULT 0);
    CREATE TABLE api_keys (id INTEGER PRIMARY KEY, user_id VARCHAR NOT NULL UNIQUE,
      api_key_hash TEXT NOT NULL, api_key_encrypted TEXT NOT NULL,
      created_at DATETIME DEFAULT CURRENT_TIMESTAMP, order_mode VARCHAR(20) DEFAULT 'auto');
    CREATE TABLE active_sessions (id INTEGER PRIMARY KEY, username VARCHAR(255) NOT NULL,
      session_id VARCHAR(64) NOT NULL UNIQUE, device_info VARCHAR(500), ip_address VARCHAR(45),
      broker VARCHAR(20), login_time DATETIME, last_seen DATETIME);
    INSERT INTO users (username, email, password_hash, totp_secret, is_admin)
      VALUES ('admin', 'a@example.com', '$argon2id$old', 'gAAAA-ct', 1);
    INSERT INTO api_keys (user_id, api_key_hash, api_key_encrypted) VALUES ('admin', '$argon2id$k', 'gAAAA-k');
    INSERT INTO active_sessions (username, session_id) VALUES ('admin', '${'a'.repeat(64)}');
  `)
  db.close()
}

describe('identity migrations', () => {
  it('migrates an original OpenAlgo database in place, keeping its user and key', async () => {
    const path = tempPath()
    writeOriginalDatabase(path)
    const main = await openDatabase<MainDatabase>(path, mainMigrations)
    const user = await main.db.selectFrom('users').selectAll().executeTakeFirstOrThrow()
    expect(user).toMatchObject({ username: 'admin', password_hash: '$argon2id$old', totp_last_step: null })
    const key = await main.db.selectFrom('api_keys').selectAll().executeTakeFirstOrThrow()
    expect(key).toMatchObject({ user_id: 'admin', api_key_hash: '$argon2id$k', api_key_lookup: null })
    // the original's cookie sessions cannot be resumed by oa: dropped, not kept as ghosts
    expect(await main.db.selectFrom('active_sessions').selectAll().execute()).toEqual([])
    const auth = await main.db.selectFrom('auth').selectAll().execute()
    expect(auth).toEqual([])
    await main.close()
  })

  it('nulls a stale lookup when another writer changes the key hash without it', async () => {
    const main = await openDatabase<MainDatabase>(tempPath(), mainMigrations)
    await main.db
      .insertInto('api_keys')
      .values({ user_id: 'u', api_key_hash: 'h1', api_key_encrypted: 'e1', api_key_lookup: 'L1' })
      .execute()
    // a writer that knows the lookup (oa) keeps it
    await main.db.updateTable('api_keys').set({ api_key_hash: 'h2', api_key_lookup: 'L2' }).execute()
    expect((await main.db.selectFrom('api_keys').select('api_key_lookup').executeTakeFirstOrThrow()).api_key_lookup).toBe('L2')
    // the original's upsert_api_key rewrites hash + ciphertext only
    await main.db.updateTable('api_keys').set({ api_key_hash: 'h3', api_key_encrypted: 'e3' }).execute()
    expect((await main.db.selectFrom('api_keys').select('api_key_lookup').executeTakeFirstOrThrow()).api_key_lookup).toBeNull()
    await main.close()
  })

  it('refuses two keys with the same lookup value', async () => {
    const main = await openDatabase<MainDatabase>(tempPath(), mainMigrations)
    const row = { api_key_hash: 'h', api_key_encrypted: 'e', api_key_lookup: 'same' }
    await main.db.insertInto('api_keys').values({ ...row, user_id: 'a' }).execute()
    await expect(main.db.insertInto('api_keys').values({ ...row, user_id: 'b' }).execute()).rejects.toThrow(/UNIQUE/)
    await main.close()
  })
})
