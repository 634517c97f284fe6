import { LRUCache } from 'lru-cache'
import { apiKeyLookup } from './api-key.js'
import type { SecretHasher } from './argon2.js'
import { clockOptions } from './lru.js'
import type { AuthLogger, Clock } from './types.js'
import { silentLogger } from './types.js'

/** One stored API key as the verifier needs it (no plaintext, no ciphertext). */
export interface ApiKeyRecord {
  /** row id of `api_keys`, the key id rate limits and logs use */
  readonly id: number
  readonly username: string
  /** Argon2id PHC string of `key + pepper` */
  readonly hash: string
}

/** Where the verifier reads keys; sync or async (better-sqlite3 is sync). */
export interface ApiKeyStore {
  /** the row whose `api_key_lookup` equals `lookup`, if any */
  findByLookup(lookup: string): ApiKeyRecord | undefined | Promise<ApiKeyRecord | undefined>
  /** rows written without a lookup value (by the original, or before migration 0011) */
  legacyRecords(): readonly ApiKeyRecord[] | Promise<readonly ApiKeyRecord[]>
  /** stores the lookup of a legacy row once a key has matched it */
  backfillLookup(id: number, lookup: string): void | Promise<void>
}

/** Who a valid key belongs to. */
export interface VerifiedApiKey {
  readonly username: string
  /** `api_keys.id`: a stable, non-secret key id */
  readonly keyId: number
}

export type ApiKeyVerdict =
  | { readonly ok: true; readonly key: VerifiedApiKey }
  | {
      readonly ok: false
      /** `invalid`: no stored key matches; `unavailable`: the store failed (not cached) */
      readonly reason: 'invalid' | 'unavailable'
    }

export interface ApiKeyVerifierStats {
  readonly hotHits: number
  readonly verifiedHits: number
  readonly negativeHits: number
  /** verifications that reached the store */
  readonly storeLookups: number
  /** callers that joined a verification already in flight for the same key */
  readonly joinedInFlight: number
  readonly legacyBackfills: number
}

/**
 * Three-level API-key verification (spec platform.md §5.2, fixing W-3, W-4, W-8 and W-26).
 *
 * 1. Hot cache: a `Map` keyed by the key string, size-bounded, short TTL (expired entries are
 *    removed on each epoch poll), cleared on every invalidation. The only structure that holds
 *    a plaintext key, and only for keys that verified within the last `hotTtlMs`;
 *    {@link ApiKeyVerifier.cached} is exactly one `Map.get`: no clock read, no hashing.
 * 2. Keyed-hash caches: `HMAC(k_lookup, key)` → owner (long TTL) and → "invalid" (negative
 *    cache), both lru-cache; a miss of level 1 costs one HMAC (~1–2 µs).
 * 3. Store + Argon2: the row with the matching indexed `api_key_lookup` is Argon2-verified once;
 *    rows without a lookup (legacy) are verified one by one and then backfilled. Concurrent
 *    verifications of one key share a single flight; Argon2 work is capped by the hasher.
 */
export interface ApiKeyVerifier {
  /**
   * The hot path: the owner of `apiKey` when it verified recently, else undefined (then call
   * {@link verify}). Synchronous and allocation-free.
   */
  cached(apiKey: string): VerifiedApiKey | undefined
  /** Full verification through the three levels. Never throws. */
  verify(apiKey: string): Promise<ApiKeyVerdict>
  /** HMAC lookup value of a key, for writers of `api_keys.api_key_lookup` */
  lookupOf(apiKey: string): string
  /** drops every cached verdict about this user's keys (and every negative verdict) */
  invalidateUser(username: string): void
  /** drops every cached verdict */
  invalidateAll(): void
  /** expires hot entries by the clock; call it from a periodic poll (the epoch watcher does) */
  tick(): void
  readonly stats: ApiKeyVerifierStats
}

export interface ApiKeyVerifierOptions {
  /** 32-byte HMAC key, `deriveSubKey(pepper, 'api-key-lookup')` */
  readonly lookupKey: Uint8Array
  readonly hasher: SecretHasher
  readonly store: ApiKeyStore
  readonly clock: Clock
  readonly logger?: AuthLogger
  /** level 1: how long a plaintext key stays in the hot map, default 60 s */
  readonly hotTtlMs?: number
  /** level 1: entries at most, default 256 (a single-user install uses one) */
  readonly hotMax?: number
  /** level 2: how long a verified key's HMAC stays cached, default 1 h */
  readonly verifiedTtlMs?: number
  readonly verifiedMax?: number
  /** negative cache: how long an invalid key's HMAC stays cached, default 5 min */
  readonly negativeTtlMs?: number
  readonly negativeMax?: number
}

const MAX_KEY_LENGTH = 256 // api.md §1.3: the schema accepts 1..256

/** A hot entry is itself the verdict handed out, so a hit is one `Map.get` and one compare. */
interface HotEntry extends VerifiedApiKey {
  readonly expiresAt: number
}

export function createApiKeyVerifier(options: ApiKeyVerifierOptions): ApiKeyVerifier {
  const { clock, hasher, store } = options
  const logger = options.logger ?? silentLogger
  const hotTtlMs = options.hotTtlMs ?? 60_000
  const hotMax = options.hotMax ?? 256
  const hot = new Map<string, HotEntry>()
  const verified = new LRUCache<string, VerifiedApiKey>({
    max: options.verifiedMax ?? 1024,
    ttl: options.verifiedTtlMs ?? 3_600_000,
    ...clockOptions(clock),
  })
  const negative = new LRUCache<string, true>({
    max: options.negativeMax ?? 512,
    ttl: options.negativeTtlMs ?? 300_000,
    ...clockOptions(clock),
  })
  const inFlight = new Map<string, Promise<ApiKeyVerdict>>()
  // bumped by every invalidation; a verification that started under an older generation must
  // not cache its verdict (the key may have been rotated while Argon2 was running)
  let generation = 0
  // Hot entries are removed by purgeHot(), which tick() runs on every epoch poll (100 ms) and
  // verify() runs at most once a second on its slow path, so cached() needs no clock read and
  // no compare: a hot entry outlives its TTL by at most one poll interval.
  let lastPurge = clock.now()
  const purgeHot = (now: number): void => {
    lastPurge = now
    for (const [k, e] of hot) if (e.expiresAt <= now) hot.delete(k)
  }
  let hotHits = 0 // counted on verify() only: cached() stays a bare lookup
  let verifiedHits = 0
  let negativeHits = 0
  let storeLookups = 0
  let joinedInFlight = 0
  let legacyBackfills = 0

  const remember = (apiKey: string, lookup: string, key: VerifiedApiKey): void => {
    verified.set(lookup, key)
    if (hot.size >= hotMax) {
      const oldest = hot.keys().next()
      if (!oldest.done) hot.delete(oldest.value)
    }
    hot.set(apiKey, { username: key.username, keyId: key.keyId, expiresAt: clock.now() + hotTtlMs })
  }

  const resolve = async (apiKey: string, lookup: string): Promise<ApiKeyVerdict> => {
    const startedIn = generation
    storeLookups++
    let match: VerifiedApiKey | undefined
    try {
      const row = await store.findByLookup(lookup)
      if (row) {
        if (await hasher.verify(row.hash, apiKey)) match = { username: row.username, keyId: row.id }
      } else {
        for (const legacy of await store.legacyRecords()) {
          if (!(await hasher.verify(legacy.hash, apiKey))) continue
          match = { username: legacy.username, keyId: legacy.id }
          await store.backfillLookup(legacy.id, lookup)
          legacyBackfills++
          break
        }
      }
    } catch (error) {
      logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'api key store failed',
      )
      return { ok: false, reason: 'unavailable' }
    }
    const current = startedIn === generation
    if (match) {
      if (current) remember(apiKey, lookup, match)
      return { ok: true, key: match }
    }
    if (current) negative.set(lookup, true)
    return { ok: false, reason: 'invalid' }
  }

  const dropUserEntries = (username: string): void => {
    for (const [k, e] of hot) if (e.username === username) hot.delete(k)
    for (const [k, v] of verified.entries()) if (v.username === username) verified.delete(k)
  }
  const bump = (): void => {
    generation++
    inFlight.clear()
    negative.clear()
  }

  return {
    cached: (apiKey) => hot.get(apiKey),
    async verify(apiKey) {
      const entry = hot.get(apiKey)
      if (entry !== undefined) {
        hotHits++
        return { ok: true, key: entry }
      }
      const now = clock.now()
      if (now - lastPurge >= 1_000) purgeHot(now)
      if (apiKey.length === 0 || apiKey.length > MAX_KEY_LENGTH)
        return { ok: false, reason: 'invalid' }
      const lookup = apiKeyLookup(options.lookupKey, apiKey)
      if (negative.get(lookup) === true) {
        negativeHits++
        return { ok: false, reason: 'invalid' }
      }
      const known = verified.get(lookup)
      if (known !== undefined) {
        verifiedHits++
        remember(apiKey, lookup, known)
        return { ok: true, key: known }
      }
      const pending = inFlight.get(lookup)
      if (pending) {
        joinedInFlight++
        return pending
      }
      const flight = resolve(apiKey, lookup).finally(() => {
        if (inFlight.get(lookup) === flight) inFlight.delete(lookup)
      })
      inFlight.set(lookup, flight)
      return flight
    },
    lookupOf: (apiKey) => apiKeyLookup(options.lookupKey, apiKey),
    invalidateUser(username) {
      dropUserEntries(username)
      bump()
    },
    invalidateAll() {
      hot.clear()
      verified.clear()
      bump()
    },
    tick: () => purgeHot(clock.now()),
    get stats() {
      return { hotHits, verifiedHits, negativeHits, storeLookups, joinedInFlight, legacyBackfills }
    },
  }
}
