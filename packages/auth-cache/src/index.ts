/**
 * `@oa/auth-cache`: identity primitives and per-process auth caches for oa (spec platform.md §5):
 * Fernet compatible with Python's `cryptography` and the original's PBKDF2 key, Argon2id with
 * the original's parameters, three-level API-key verification with an HMAC lookup index and
 * single-flight, per-user broker/feed token caches that expire at the daily session boundary,
 * TOTP (RFC 6238), and cross-process invalidation through a durable SQLite epoch.
 * No app imports, no timers at import, no environment reads: clock, randomness, the database
 * connection and the timer are injected.
 *
 * @example
 * ```ts
 * import { createAuthCache, secureRandom } from '@oa/auth-cache'
 * const auth = createAuthCache({
 *   db: main.sqlite,                                     // @oa/db handle's raw connection
 *   secrets: { pepper: config.secrets.apiKeyPepper, fernetSaltHex: config.secrets.fernetSalt },
 *   clock: { now: () => Date.now() }, random: secureRandom,
 *   expiry: { time: config.session.expiryTime, disabled: config.session.disableExpiry },
 *   watch: { schedule: (fn, ms) => { const t = setInterval(fn, ms); t.unref(); return () => clearInterval(t) } },
 * })
 * auth.watcher.start()                                   // other processes' changes within ~100 ms
 * const hit = auth.verifier.cached(apiKey)               // ~one Map.get
 * const verdict = hit ? { ok: true, key: hit } : await auth.verifier.verify(apiKey)
 * const session = verdict.ok ? auth.brokerSessions.get(verdict.key.username) : null
 * ```
 */
export { createAuthCache } from './auth-cache.js'
export type { AuthCache, AuthCacheOptions, BrokerLogin, OrderMode } from './auth-cache.js'
export { createApiKeyVerifier } from './api-key-verifier.js'
export type {
  ApiKeyVerifier,
  ApiKeyVerifierOptions,
  ApiKeyVerifierStats,
  ApiKeyStore,
  ApiKeyRecord,
  ApiKeyVerdict,
  VerifiedApiKey,
} from './api-key-verifier.js'
export { generateApiKey, apiKeyLookup, apiKeyFingerprint } from './api-key.js'
export { createSecretHasher, ARGON2_PARAMS } from './argon2.js'
export type { SecretHasher, SecretHasherOptions, HasherStats } from './argon2.js'
export { createBrokerSessionCache } from './broker-session-cache.js'
export type {
  BrokerSession,
  BrokerSessionCache,
  BrokerSessionCacheOptions,
  BrokerSessionSource,
  StoredBrokerSession,
  RestoreResult,
} from './broker-session-cache.js'
export { createEpochWatcher } from './epoch-watcher.js'
export type { EpochWatcher, EpochWatcherOptions } from './epoch-watcher.js'
export { createFernet } from './fernet.js'
export type { FernetCodec, FernetDecryptOptions } from './fernet.js'
export { deriveFernetKey, deriveSubKey, LEGACY_FERNET_SALT, FERNET_KDF_ITERATIONS } from './kdf.js'
export type { SubKeyPurpose } from './kdf.js'
export { secureRandom } from './random.js'
export { createSemaphore } from './semaphore.js'
export type { Semaphore } from './semaphore.js'
export {
  lastBoundaryAtOrBefore,
  nextBoundaryAfter,
  ttlUntilBoundary,
  isIssuedBeforeLastBoundary,
} from './session-boundary.js'
export { createSqliteAuthStore, AUTH_EPOCH } from './sqlite-store.js'
export type {
  SqliteAuthStore,
  SqliteConnectionLike,
  SqliteStatementLike,
  ApiKeyMaterial,
  BrokerSessionMaterial,
} from './sqlite-store.js'
export {
  generateTotpSecret,
  verifyTotp,
  totpCodeAt,
  totpStep,
  totpUri,
  base32Encode,
  base32Decode,
} from './totp.js'
export type { TotpCheck } from './totp.js'
export { silentLogger } from './types.js'
export type { Clock, RandomSource, TimeOfDay, SessionExpiry, AuthLogger } from './types.js'
