import { createFernet, deriveFernetKey, secureRandom } from '@oa/auth-cache'
import type { SqliteDatabase } from '@oa/db'
import type { Clock } from '../clock.js'

/** Every column encrypted with the main Fernet key (spec platform.md §3.4). */
const ENCRYPTED_COLUMNS: readonly (readonly [table: string, column: string])[] = [
  ['auth', 'auth'],
  ['auth', 'feed_token'],
  ['auth', 'secret_api_key'],
  ['api_keys', 'api_key_encrypted'],
  ['users', 'totp_secret'],
]

export interface SaltMigrationResult {
  /** values now encrypted under the new salt */
  readonly reencrypted: number
  /** values that did not decrypt with the legacy key and were left as they were */
  readonly undecryptable: number
}

/**
 * FERNET_SALT cases C and D (spec platform.md §2.10): `.env` just received a fresh salt while
 * the database still holds values encrypted under the legacy static salt. Re-encrypts every such
 * value under the new key in ONE transaction (all or nothing). A value that does not decrypt with
 * the legacy key is left untouched and counted: it forces a re-login later, as daily token expiry
 * would. Tables or columns that do not exist are skipped.
 */
export function reencryptFromLegacySalt(
  sqlite: SqliteDatabase,
  options: { readonly pepper: string; readonly newSaltHex: string; readonly clock: Clock },
): SaltMigrationResult {
  const deps = { clock: options.clock, random: secureRandom }
  const legacy = createFernet(deriveFernetKey(options.pepper, null), deps)
  const current = createFernet(deriveFernetKey(options.pepper, options.newSaltHex), deps)
  let reencrypted = 0
  let undecryptable = 0
  sqlite.transaction(() => {
    for (const [table, column] of ENCRYPTED_COLUMNS) {
      const columns = sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]
      if (!columns.some((c) => c.name === column)) continue
      const rows = sqlite
        .prepare(
          `SELECT rowid AS id, ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL AND ${column} != ''`,
        )
        .all() as { id: number; value: string }[]
      const update = sqlite.prepare(`UPDATE ${table} SET ${column} = ? WHERE rowid = ?`)
      for (const row of rows) {
        const plain = legacy.decrypt(row.value)
        if (plain === null) {
          undecryptable++
          continue
        }
        update.run(current.encrypt(plain), row.id)
        reencrypted++
      }
    }
  })()
  return { reencrypted, undecryptable }
}

/**
 * Case D or E (spec platform.md §2.10): samples up to 20 stored ciphertexts and tries the legacy
 * static salt. `decrypts` when one does (a fresh salt plus re-encryption is safe), `undecryptable`
 * when rows exist and none does (a per-install salt was lost: refuse to start), `none` otherwise.
 */
export function probeLegacyCiphertexts(
  sqlite: SqliteDatabase,
  options: { readonly pepper: string; readonly clock: Clock },
): 'none' | 'decrypts' | 'undecryptable' {
  if (options.pepper.length < 32) return 'none'
  const legacy = createFernet(deriveFernetKey(options.pepper, null), {
    clock: options.clock,
    random: secureRandom,
  })
  let sampled = 0
  for (const [table, column] of ENCRYPTED_COLUMNS) {
    const columns = sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]
    if (!columns.some((c) => c.name === column)) continue
    const rows = sqlite
      .prepare(
        `SELECT ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL AND ${column} != '' LIMIT ?`,
      )
      .all(20 - sampled) as { value: string }[]
    for (const row of rows) {
      if (legacy.decrypt(row.value) !== null) return 'decrypts'
      sampled++
    }
    if (sampled >= 20) break
  }
  return sampled === 0 ? 'none' : 'undecryptable'
}
