import type { ApiKeyRecord, ApiKeyStore } from './api-key-verifier.js'
import type { BrokerSessionSource, StoredBrokerSession } from './broker-session-cache.js'

/** The subset of a better-sqlite3 statement this package uses (kysely's structural trick). */
export interface SqliteStatementLike {
  get(...params: unknown[]): unknown
  all(...params: unknown[]): unknown[]
  run(...params: unknown[]): unknown
}

/** The subset of a better-sqlite3 connection this package uses; pass `handle.sqlite` of `@oa/db`. */
export interface SqliteConnectionLike {
  prepare(sql: string): SqliteStatementLike
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R
}

/** Epoch rows this package writes in `app_meta` (spec platform.md §5.8). */
export const AUTH_EPOCH = 'auth_epoch'

interface ApiKeyRow {
  id: number
  user_id: string
  api_key_hash: string
}
interface AuthRow {
  name: string
  broker: string
  auth: string
  feed_token: string | null
  user_id: string | null
  is_revoked: number | null
  issued_at: string | null
}

const toApiKeyRecord = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id,
  username: r.user_id,
  hash: r.api_key_hash,
})
const toStoredSession = (r: AuthRow): StoredBrokerSession => {
  const issued = r.issued_at === null ? Number.NaN : Date.parse(r.issued_at)
  return {
    username: r.name,
    broker: r.broker,
    authCiphertext: r.auth,
    feedCiphertext: r.feed_token,
    brokerUserId: r.user_id,
    revoked: Boolean(r.is_revoked),
    issuedAtMs: Number.isFinite(issued) ? issued : null,
  }
}

/** What the writers store for a new API key. */
export interface ApiKeyMaterial {
  readonly hash: string
  readonly lookup: string
  readonly ciphertext: string
}

/** What the writers store for a broker login. */
export interface BrokerSessionMaterial {
  readonly username: string
  readonly broker: string
  readonly authCiphertext: string
  readonly feedCiphertext: string | null
  readonly brokerUserId: string | null
}

/**
 * SQL over the identity tables of `@oa/db` (`api_keys`, `auth`, `app_meta`): the reads the
 * verifier and the token cache need, and the writes that must bump `auth_epoch` in the same
 * transaction. Statements are prepared once.
 */
export interface SqliteAuthStore {
  readonly apiKeys: ApiKeyStore
  readonly brokerSessions: BrokerSessionSource
  /** every non-revoked `auth` row, for the startup restore */
  liveBrokerSessions(): StoredBrokerSession[]
  /** `PRAGMA data_version` of this connection */
  dataVersion(): number
  /** current values of the named `app_meta` rows ('' when absent) */
  readEpochs(names: readonly string[]): Record<string, string>
  /** Fernet ciphertext of the user's key, or undefined */
  apiKeyCiphertext(username: string): string | undefined
  apiKeyMeta(username: string): { createdAt: string | null; orderMode: string } | undefined
  orderMode(username: string): string | undefined
  /** inserts or replaces the user's key and bumps the epoch, atomically */
  saveApiKey(username: string, material: ApiKeyMaterial, atIso: string): void
  /** deletes the user's key and bumps the epoch; false when there was none */
  deleteApiKey(username: string, atIso: string): boolean
  setOrderMode(username: string, mode: string, atIso: string): boolean
  /** upserts the user's broker session (not revoked, issued now) and bumps the epoch */
  saveBrokerSession(material: BrokerSessionMaterial, atIso: string): void
  /** blanks and revokes the user's broker token and bumps the epoch; false when none was live */
  revokeBrokerSession(username: string, atIso: string): boolean
  /** revokes every live broker token (daily boundary) and bumps the epoch; returns the count */
  revokeAllBrokerSessions(atIso: string): number
  /** bumps `name` (default `auth_epoch`) on its own, for changes made elsewhere (logout, ...) */
  bumpEpoch(atIso: string, name?: string): void
  /** runs `fn` and bumps the epoch in one transaction: for writers outside this store */
  withEpochBump<T>(atIso: string, fn: () => T, name?: string): T
}

export function createSqliteAuthStore(db: SqliteConnectionLike): SqliteAuthStore {
  const byLookup = db.prepare(
    'SELECT id, user_id, api_key_hash FROM api_keys WHERE api_key_lookup = ?',
  )
  const legacy = db.prepare(
    'SELECT id, user_id, api_key_hash FROM api_keys WHERE api_key_lookup IS NULL ORDER BY id',
  )
  const backfill = db.prepare(
    'UPDATE api_keys SET api_key_lookup = ? WHERE id = ? AND api_key_lookup IS NULL',
  )
  const authColumns = 'name, broker, auth, feed_token, user_id, is_revoked, issued_at'
  const authByName = db.prepare(`SELECT ${authColumns} FROM auth WHERE name = ?`)
  const liveAuth = db.prepare(
    `SELECT ${authColumns} FROM auth WHERE COALESCE(is_revoked, 0) = 0 AND auth <> ''`,
  )
  const dataVersion = db.prepare('PRAGMA data_version')
  const epochOf = db.prepare('SELECT value FROM app_meta WHERE key = ?')
  const bump = db.prepare(
    `INSERT INTO app_meta (key, value, updated_at) VALUES (?, '1', ?)
     ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT), updated_at = excluded.updated_at`,
  )
  const keyCipher = db.prepare('SELECT api_key_encrypted FROM api_keys WHERE user_id = ?')
  const keyMeta = db.prepare('SELECT created_at, order_mode FROM api_keys WHERE user_id = ?')
  const upsertKey = db.prepare(
    `INSERT INTO api_keys (user_id, api_key_hash, api_key_encrypted, api_key_lookup, created_at, order_mode)
     VALUES (?, ?, ?, ?, ?, 'auto')
     ON CONFLICT (user_id) DO UPDATE SET api_key_hash = excluded.api_key_hash,
       api_key_encrypted = excluded.api_key_encrypted, api_key_lookup = excluded.api_key_lookup,
       created_at = excluded.created_at`,
  )
  const deleteKey = db.prepare('DELETE FROM api_keys WHERE user_id = ?')
  const setMode = db.prepare('UPDATE api_keys SET order_mode = ? WHERE user_id = ?')
  const upsertAuth = db.prepare(
    `INSERT INTO auth (name, auth, feed_token, broker, user_id, is_revoked, issued_at)
     VALUES (?, ?, ?, ?, ?, 0, ?)
     ON CONFLICT (name) DO UPDATE SET auth = excluded.auth, feed_token = excluded.feed_token,
       broker = excluded.broker, user_id = excluded.user_id, is_revoked = 0, issued_at = excluded.issued_at`,
  )
  const revokeOne = db.prepare(
    `UPDATE auth SET auth = '', feed_token = '', is_revoked = 1 WHERE name = ? AND COALESCE(is_revoked, 0) = 0`,
  )
  const revokeAll = db.prepare(
    `UPDATE auth SET auth = '', feed_token = '', is_revoked = 1 WHERE COALESCE(is_revoked, 0) = 0`,
  )

  const changes = (result: unknown): number =>
    Number((result as { changes?: number | bigint }).changes ?? 0)
  const withEpochBump = <T>(atIso: string, fn: () => T, name = AUTH_EPOCH): T =>
    db.transaction(() => {
      const value = fn()
      bump.run(name, atIso)
      return value
    })()

  return {
    apiKeys: {
      findByLookup: (lookup) => {
        const row = byLookup.get(lookup) as ApiKeyRow | undefined
        return row ? toApiKeyRecord(row) : undefined
      },
      legacyRecords: () => (legacy.all() as ApiKeyRow[]).map(toApiKeyRecord),
      backfillLookup: (id, lookup) => void backfill.run(lookup, id),
    },
    brokerSessions: {
      load: (username) => {
        const row = authByName.get(username) as AuthRow | undefined
        return row ? toStoredSession(row) : undefined
      },
    },
    liveBrokerSessions: () => (liveAuth.all() as AuthRow[]).map(toStoredSession),
    dataVersion: () => Number((dataVersion.get() as { data_version: number }).data_version),
    readEpochs(names) {
      const out: Record<string, string> = {}
      for (const name of names)
        out[name] = (epochOf.get(name) as { value: string } | undefined)?.value ?? ''
      return out
    },
    apiKeyCiphertext: (username) =>
      (keyCipher.get(username) as { api_key_encrypted: string } | undefined)?.api_key_encrypted,
    apiKeyMeta(username) {
      const row = keyMeta.get(username) as
        { created_at: string | null; order_mode: string | null } | undefined
      return row ? { createdAt: row.created_at, orderMode: row.order_mode ?? 'auto' } : undefined
    },
    orderMode: (username) =>
      (keyMeta.get(username) as { order_mode: string | null } | undefined)?.order_mode ?? undefined,
    saveApiKey: (username, m, atIso) =>
      withEpochBump(
        atIso,
        () => void upsertKey.run(username, m.hash, m.ciphertext, m.lookup, atIso),
      ),
    deleteApiKey: (username, atIso) =>
      withEpochBump(atIso, () => changes(deleteKey.run(username)) > 0),
    setOrderMode: (username, mode, atIso) =>
      withEpochBump(atIso, () => changes(setMode.run(mode, username)) > 0),
    saveBrokerSession: (m, atIso) =>
      withEpochBump(
        atIso,
        () =>
          void upsertAuth.run(
            m.username,
            m.authCiphertext,
            m.feedCiphertext,
            m.broker,
            m.brokerUserId,
            atIso,
          ),
      ),
    revokeBrokerSession: (username, atIso) =>
      withEpochBump(atIso, () => changes(revokeOne.run(username)) > 0),
    revokeAllBrokerSessions: (atIso) => withEpochBump(atIso, () => changes(revokeAll.run())),
    bumpEpoch: (atIso, name = AUTH_EPOCH) => void bump.run(name, atIso),
    withEpochBump,
  }
}
