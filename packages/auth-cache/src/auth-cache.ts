import { LRUCache } from 'lru-cache'
import { createApiKeyVerifier, type ApiKeyVerifier } from './api-key-verifier.js'
import { generateApiKey } from './api-key.js'
import { createSecretHasher, type SecretHasher } from './argon2.js'
import {
  createBrokerSessionCache,
  type BrokerSession,
  type BrokerSessionCache,
  type RestoreResult,
} from './broker-session-cache.js'
import { createEpochWatcher, type EpochWatcher } from './epoch-watcher.js'
import { createFernet, type FernetCodec } from './fernet.js'
import { deriveFernetKey, deriveSubKey } from './kdf.js'
import { clockOptions } from './lru.js'
import {
  AUTH_EPOCH,
  createSqliteAuthStore,
  type ApiKeyMaterial,
  type SqliteAuthStore,
  type SqliteConnectionLike,
} from './sqlite-store.js'
import type { AuthLogger, Clock, RandomSource, SessionExpiry } from './types.js'
import { silentLogger } from './types.js'

export type OrderMode = 'auto' | 'semi_auto'

export interface AuthCacheOptions {
  /** this process's own connection to the main database (`handle.sqlite` of `@oa/db`) */
  readonly db: SqliteConnectionLike
  readonly secrets: {
    /** API_KEY_PEPPER */
    readonly pepper: string
    /** FERNET_SALT as hex, or null for the legacy static salt */
    readonly fernetSaltHex: string | null
  }
  readonly clock: Clock
  readonly random: RandomSource
  /** SESSION_EXPIRY_TIME / DISABLE_SESSION_EXPIRY */
  readonly expiry: SessionExpiry
  readonly logger?: AuthLogger
  /** Argon2 computations at once, default 2 */
  readonly argon2MaxConcurrent?: number
  /** hot-cache TTL of verified keys, default 60 s */
  readonly hotKeyTtlMs?: number
  /** cross-process invalidation (see {@link EpochWatcher}) */
  readonly watch?: {
    /** poll period, default 100 ms */
    readonly intervalMs?: number
    /** the host's timer: runs `fn` every `ms` until the returned function is called */
    readonly schedule?: (fn: () => void, ms: number) => () => void
    /** more `app_meta` epochs to watch on the same poll, with their handlers */
    readonly extra?: Readonly<Record<string, (value: string) => void>>
  }
}

/** What saving a broker login takes: plaintext tokens, encrypted here before they touch disk. */
export interface BrokerLogin {
  readonly username: string
  readonly broker: string
  readonly authToken: string
  readonly feedToken?: string | null
  readonly brokerUserId?: string | null
}

/**
 * The auth caches of one process over its own connection to the main database: API-key
 * verification, decrypted broker/feed tokens, and every credential write, each of which bumps
 * `app_meta.auth_epoch` in its own transaction and clears this process's caches at once; other
 * processes see the bump within one poll of their {@link EpochWatcher}.
 *
 * @example
 * ```ts
 * import { createAuthCache, secureRandom } from '@oa/auth-cache'
 * const auth = createAuthCache({
 *   db: main.sqlite, secrets: { pepper, fernetSaltHex }, clock, random: secureRandom,
 *   expiry: { time: { hour: 3, minute: 0 }, disabled: false },
 *   watch: { schedule: (fn, ms) => { const t = setInterval(fn, ms); t.unref(); return () => clearInterval(t) } },
 * })
 * auth.watcher.start()
 * const key = await auth.issueApiKey('admin')            // 64 hex chars, shown once
 * const who = auth.verifier.cached(key) ?? (await auth.verifier.verify(key))
 * ```
 */
export interface AuthCache {
  readonly fernet: FernetCodec
  readonly hasher: SecretHasher
  readonly verifier: ApiKeyVerifier
  readonly brokerSessions: BrokerSessionCache
  readonly store: SqliteAuthStore
  readonly watcher: EpochWatcher
  /** Fernet-encrypts a column value; '' stays '' as in the original */
  encrypt(plaintext: string): string
  /** decrypts a column value; '' stays ''; null when it does not decrypt */
  decrypt(ciphertext: string): string | null
  /** creates or rotates the user's API key; resolves with the new plaintext key (show it once) */
  issueApiKey(username: string): Promise<string>
  /**
   * A new key and what to store for it, without writing: for callers that write the key in a
   * larger transaction (first-run setup) through `store.saveApiKey`, then call
   * `credentialsChanged(username)`.
   */
  prepareApiKey(): Promise<{ readonly key: string; readonly material: ApiKeyMaterial }>
  /** the user's plaintext key for an explicit reveal, or null */
  revealApiKey(username: string): string | null
  deleteApiKey(username: string): boolean
  /** `auto` or `semi_auto`, cached 60 s and cleared by the epoch; `auto` when unknown */
  orderMode(username: string): OrderMode
  setOrderMode(username: string, mode: OrderMode): boolean
  /** stores a broker login (tokens encrypted) and caches the decrypted session */
  saveBrokerSession(login: BrokerLogin): BrokerSession
  /** revokes the user's broker token (logout, broker 401) */
  revokeBrokerSession(username: string): boolean
  /** revokes every broker token (the daily boundary) */
  revokeAllBrokerSessions(): number
  /**
   * Records a credential change made outside this object (logout, password change): bumps the
   * epoch so other processes drop their entries, and drops this user's entries here.
   */
  credentialsChanged(username?: string): void
  /** startup restore (§5.6): live sessions issued after the last boundary (W-16) */
  restore(): RestoreResult
  /** stops the watcher */
  stop(): void
}

export function createAuthCache(options: AuthCacheOptions): AuthCache {
  const { clock, random } = options
  const logger = options.logger ?? silentLogger
  const nowIso = (): string => new Date(clock.now()).toISOString()
  const fernet = createFernet(
    deriveFernetKey(options.secrets.pepper, options.secrets.fernetSaltHex),
    {
      clock,
      random,
    },
  )
  const encrypt = (plaintext: string): string => (plaintext === '' ? '' : fernet.encrypt(plaintext))
  const decrypt = (ciphertext: string): string | null =>
    ciphertext === '' ? '' : fernet.decrypt(ciphertext)
  const hasher = createSecretHasher({
    pepper: options.secrets.pepper,
    random,
    maxConcurrent: options.argon2MaxConcurrent,
  })
  const store = createSqliteAuthStore(options.db)
  const verifier = createApiKeyVerifier({
    lookupKey: deriveSubKey(options.secrets.pepper, 'api-key-lookup'),
    hasher,
    store: store.apiKeys,
    clock,
    logger,
    hotTtlMs: options.hotKeyTtlMs,
  })
  const brokerSessions = createBrokerSessionCache({
    clock,
    expiry: options.expiry,
    source: store.brokerSessions,
    decrypt: (ct) => fernet.decrypt(ct),
    logger,
  })
  const orderModes = new LRUCache<string, OrderMode>({
    max: 128,
    ttl: 60_000,
    ...clockOptions(clock),
  })

  const dropUser = (username: string): void => {
    verifier.invalidateUser(username)
    brokerSessions.invalidate(username)
    orderModes.delete(username)
  }
  const dropAll = (): void => {
    verifier.invalidateAll()
    brokerSessions.clear()
    orderModes.clear()
  }

  const prepareApiKey = async (): Promise<{ key: string; material: ApiKeyMaterial }> => {
    const key = generateApiKey(random)
    const hash = await hasher.hash(key)
    return {
      key,
      material: { hash, lookup: verifier.lookupOf(key), ciphertext: fernet.encrypt(key) },
    }
  }

  const extra = options.watch?.extra ?? {}
  const epochNames = [AUTH_EPOCH, ...Object.keys(extra)]
  const watcher = createEpochWatcher({
    dataVersion: () => store.dataVersion(),
    readEpochs: () => store.readEpochs(epochNames),
    onChange: (name, value) => {
      if (name === AUTH_EPOCH) {
        dropAll()
        logger.debug({ epoch: value }, 'auth epoch changed in another process: caches cleared')
      } else extra[name]?.(value)
    },
    intervalMs: options.watch?.intervalMs,
    schedule: options.watch?.schedule
      ? (fn, ms) =>
          options.watch!.schedule!(() => {
            fn()
            verifier.tick()
          }, ms)
      : undefined,
    logger,
  })

  return {
    fernet,
    hasher,
    verifier,
    brokerSessions,
    store,
    watcher,
    encrypt,
    decrypt,
    prepareApiKey,
    async issueApiKey(username) {
      const { key, material } = await prepareApiKey()
      store.saveApiKey(username, material, nowIso())
      dropUser(username)
      logger.info({ username }, 'api key issued')
      return key
    },
    revealApiKey(username) {
      const ct = store.apiKeyCiphertext(username)
      return ct === undefined ? null : fernet.decrypt(ct)
    },
    deleteApiKey(username) {
      const deleted = store.deleteApiKey(username, nowIso())
      dropUser(username)
      return deleted
    },
    orderMode(username) {
      const hit = orderModes.get(username)
      if (hit) return hit
      const mode: OrderMode = store.orderMode(username) === 'semi_auto' ? 'semi_auto' : 'auto'
      orderModes.set(username, mode)
      return mode
    },
    setOrderMode(username, mode) {
      const changed = store.setOrderMode(username, mode, nowIso())
      dropUser(username)
      return changed
    },
    saveBrokerSession(login) {
      const issuedAtMs = clock.now()
      store.saveBrokerSession(
        {
          username: login.username,
          broker: login.broker,
          authCiphertext: encrypt(login.authToken),
          feedCiphertext: login.feedToken ? encrypt(login.feedToken) : null,
          brokerUserId: login.brokerUserId ?? null,
        },
        new Date(issuedAtMs).toISOString(),
      )
      dropUser(login.username)
      const session: BrokerSession = {
        username: login.username,
        broker: login.broker,
        authToken: login.authToken,
        feedToken: login.feedToken ?? null,
        brokerUserId: login.brokerUserId ?? null,
        issuedAtMs,
      }
      brokerSessions.set(session)
      return session
    },
    revokeBrokerSession(username) {
      const revoked = store.revokeBrokerSession(username, nowIso())
      dropUser(username)
      return revoked
    },
    revokeAllBrokerSessions() {
      const count = store.revokeAllBrokerSessions(nowIso())
      dropAll()
      return count
    },
    credentialsChanged(username) {
      store.bumpEpoch(nowIso())
      if (username === undefined) dropAll()
      else dropUser(username)
    },
    restore() {
      return brokerSessions.restore(store.liveBrokerSessions())
    },
    stop: () => watcher.stop(),
  }
}
