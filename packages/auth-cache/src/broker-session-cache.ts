import { LRUCache } from 'lru-cache'
import { clockOptions } from './lru.js'
import { isIssuedBeforeLastBoundary, ttlUntilBoundary } from './session-boundary.js'
import type { AuthLogger, Clock, SessionExpiry } from './types.js'
import { silentLogger } from './types.js'

/** A broker session as stored: tokens still encrypted (spec platform.md §3.3 `auth`). */
export interface StoredBrokerSession {
  readonly username: string
  readonly broker: string
  /** Fernet ciphertext of the broker access token; '' when revoked */
  readonly authCiphertext: string
  /** Fernet ciphertext of the feed token, or null */
  readonly feedCiphertext: string | null
  /** the broker's own client id, when the broker has one */
  readonly brokerUserId: string | null
  readonly revoked: boolean
  /** when the token was issued (epoch ms); null for rows written by the original */
  readonly issuedAtMs: number | null
}

/** A usable broker session: tokens decrypted, in memory only. */
export interface BrokerSession {
  readonly username: string
  readonly broker: string
  readonly authToken: string
  readonly feedToken: string | null
  readonly brokerUserId: string | null
  readonly issuedAtMs: number
}

/** Where the cache reads a user's session on a miss; sync or async. */
export interface BrokerSessionSource {
  load(username: string): StoredBrokerSession | undefined
}

export interface BrokerSessionCacheOptions {
  readonly clock: Clock
  /** SESSION_EXPIRY_TIME / DISABLE_SESSION_EXPIRY */
  readonly expiry: SessionExpiry
  readonly source: BrokerSessionSource
  /** Fernet decryption of one column; null when it does not decrypt (lost pepper/salt) */
  readonly decrypt: (ciphertext: string) => string | null
  readonly logger?: AuthLogger
  /** upper bound of any entry's TTL, default 24 h */
  readonly capMs?: number
  /** users at most, default 1024 */
  readonly max?: number
}

export interface RestoreResult {
  readonly loaded: number
  /** rows skipped: revoked, issued before the last boundary, or not decryptable */
  readonly skipped: number
  readonly users: readonly string[]
}

/**
 * Per-user cache of decrypted broker auth and feed tokens (spec platform.md §5.1, §5.5, §5.6).
 * Each entry lives `min(cap, ms until the next SESSION_EXPIRY_TIME)` (W-27), so nothing cached
 * survives the daily boundary; a session issued before the last boundary is never served (W-16).
 * "No session" is cached too (same TTL), so an API call for a logged-out user costs no query;
 * every change goes through {@link invalidate} (and the epoch, across processes).
 */
export interface BrokerSessionCache {
  /** the user's live session, or null (none, revoked, stale, or not decryptable). Sync. */
  get(username: string): BrokerSession | null
  /** the feed token alone (ws-proxy), or null */
  feedToken(username: string): string | null
  /** caches a session just written (after broker login); the writer bumps the epoch */
  set(session: BrokerSession): void
  invalidate(username: string): void
  clear(): void
  /** startup restore (§5.6): only sessions issued after the last boundary (W-16) */
  restore(rows: Iterable<StoredBrokerSession>): RestoreResult
  readonly size: number
}

const NONE = Symbol('no broker session')

export function createBrokerSessionCache(options: BrokerSessionCacheOptions): BrokerSessionCache {
  const { clock, expiry } = options
  const logger = options.logger ?? silentLogger
  const capMs = options.capMs ?? 86_400_000
  const cache = new LRUCache<string, BrokerSession | typeof NONE>({
    max: options.max ?? 1024,
    ttl: capMs,
    ...clockOptions(clock),
  })
  const put = (username: string, value: BrokerSession | typeof NONE): void => {
    cache.set(username, value, { ttl: ttlUntilBoundary(clock.now(), expiry, capMs) })
  }

  const open = (row: StoredBrokerSession): BrokerSession | null => {
    if (row.revoked || row.authCiphertext === '' || row.issuedAtMs === null) return null
    if (isIssuedBeforeLastBoundary(row.issuedAtMs, clock.now(), expiry)) return null
    const authToken = options.decrypt(row.authCiphertext)
    if (authToken === null) {
      // encrypted under another pepper/salt: the user must log in to the broker again (§5.4)
      logger.warn({ username: row.username, broker: row.broker }, 'broker token does not decrypt')
      return null
    }
    const feedToken =
      row.feedCiphertext === null || row.feedCiphertext === ''
        ? null
        : options.decrypt(row.feedCiphertext)
    return {
      username: row.username,
      broker: row.broker,
      authToken,
      feedToken,
      brokerUserId: row.brokerUserId,
      issuedAtMs: row.issuedAtMs,
    }
  }

  const get = (username: string): BrokerSession | null => {
    const hit = cache.get(username)
    if (hit !== undefined) return hit === NONE ? null : hit
    const row = options.source.load(username)
    const session = row ? open(row) : null
    put(username, session ?? NONE)
    return session
  }

  return {
    get,
    feedToken: (username) => get(username)?.feedToken ?? null,
    set: (session) => put(session.username, session),
    invalidate: (username) => void cache.delete(username),
    clear: () => cache.clear(),
    restore(rows) {
      let loaded = 0
      let skipped = 0
      const users: string[] = []
      for (const row of rows) {
        const session = open(row)
        if (!session) {
          skipped++
          continue
        }
        put(row.username, session)
        users.push(row.username)
        loaded++
      }
      return { loaded, skipped, users }
    },
    get size() {
      return cache.size
    },
  }
}
