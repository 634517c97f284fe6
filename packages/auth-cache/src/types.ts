/**
 * Epoch milliseconds, UTC. Every time rule in this package reads this, never the global clock
 * (STYLE.md §6); lru-cache TTLs read it too (`perf: { now }`).
 */
export interface Clock {
  now(): number
}

/** Cryptographically strong random bytes; injected so tests can pin IVs, salts and keys. */
export interface RandomSource {
  bytes(length: number): Buffer
}

/** Wall-clock time of day in IST (same shape as `@oa/env-check`'s `TimeOfDay`). */
export interface TimeOfDay {
  readonly hour: number
  readonly minute: number
}

/** The daily session rollover: `SESSION_EXPIRY_TIME` IST, or none (`DISABLE_SESSION_EXPIRY`). */
export interface SessionExpiry {
  readonly time: TimeOfDay
  /** true: sessions and broker tokens never roll over (24/7 crypto brokers) */
  readonly disabled: boolean
}

type LogFn = (fields: object, msg: string) => void
/** The structural logger this package writes to (pino fits); it never logs a secret. */
export interface AuthLogger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
}

export const silentLogger: AuthLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
}
