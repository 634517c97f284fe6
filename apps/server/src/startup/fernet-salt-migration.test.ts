import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFernet, deriveFernetKey, secureRandom } from '@oa/auth-cache'
import { openSqlite } from '@oa/db'
import { afterEach, describe, expect, it } from 'vitest'
import { reencryptFromLegacySalt } from './fernet-salt-migration.js'

const PEPPER = 'p'.repeat(64)
const SALT = 'ab'.repeat(16)
const clock = { now: () => 1_700_000_000_000 }
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function db() {
  const dir = mkdtempSync(join(tmpdir(), 'oa-salt-'))
  dirs.push(dir)
  const sqlite = openSqlite(join(dir, 'openalgo.db'))
  sqlite.exec(`CREATE TABLE auth (id INTEGER PRIMARY KEY, name TEXT, auth TEXT, feed_token TEXT);
               CREATE TABLE users (id INTEGER PRIMARY KEY, totp_secret TEXT);`)
  return sqlite
}

describe('re-encryption from the legacy Fernet salt', () => {
  it('moves every legacy ciphertext to the new key and leaves foreign ones untouched', () => {
    const sqlite = db()
    const legacy = createFernet(deriveFernetKey(PEPPER, null), { clock, random: secureRandom })
    const other = createFernet(deriveFernetKey('q'.repeat(64), null), {
      clock,
      random: secureRandom,
    })
    sqlite
      .prepare('INSERT INTO auth (name, auth, feed_token) VALUES (?, ?, ?)')
      .run('u', legacy.encrypt('tok-1'), '')
    sqlite
      .prepare('INSERT INTO auth (name, auth, feed_token) VALUES (?, ?, ?)')
      .run('v', other.encrypt('tok-2'), null)
    sqlite
      .prepare('INSERT INTO users (totp_secret) VALUES (?)')
      .run(legacy.encrypt('JBSWY3DPEHPK3PXP'))

    const result = reencryptFromLegacySalt(sqlite, { pepper: PEPPER, newSaltHex: SALT, clock })
    expect(result).toEqual({ reencrypted: 2, undecryptable: 1 })

    const current = createFernet(deriveFernetKey(PEPPER, SALT), { clock, random: secureRandom })
    const rows = sqlite.prepare('SELECT name, auth FROM auth ORDER BY name').all() as {
      name: string
      auth: string
    }[]
    expect(current.decrypt(rows[0]!.auth)).toBe('tok-1')
    expect(legacy.decrypt(rows[0]!.auth)).toBeNull()
    expect(other.decrypt(rows[1]!.auth)).toBe('tok-2')
    const totp = sqlite.prepare('SELECT totp_secret FROM users').get() as { totp_secret: string }
    expect(current.decrypt(totp.totp_secret)).toBe('JBSWY3DPEHPK3PXP')
    sqlite.close()
  })

  it('skips tables that do not exist', () => {
    const sqlite = db()
    expect(reencryptFromLegacySalt(sqlite, { pepper: PEPPER, newSaltHex: SALT, clock })).toEqual({
      reencrypted: 0,
      undecryptable: 0,
    })
    sqlite.close()
  })
})

describe('probing stored ciphertexts for the legacy salt', () => {
  it('says decrypts, undecryptable or none', async () => {
    const { probeLegacyCiphertexts } = await import('./fernet-salt-migration.js')
    const sqlite = db()
    expect(probeLegacyCiphertexts(sqlite, { pepper: PEPPER, clock })).toBe('none')
    const other = createFernet(deriveFernetKey(PEPPER, SALT), { clock, random: secureRandom })
    sqlite.prepare('INSERT INTO auth (name, auth) VALUES (?, ?)').run('u', other.encrypt('x'))
    expect(probeLegacyCiphertexts(sqlite, { pepper: PEPPER, clock })).toBe('undecryptable')
    const legacy = createFernet(deriveFernetKey(PEPPER, null), { clock, random: secureRandom })
    sqlite.prepare('INSERT INTO users (totp_secret) VALUES (?)').run(legacy.encrypt('y'))
    expect(probeLegacyCiphertexts(sqlite, { pepper: PEPPER, clock })).toBe('decrypts')
    sqlite.close()
  })
})
