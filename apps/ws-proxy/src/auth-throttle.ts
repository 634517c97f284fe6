/**
 * Per-address throttling of failed authentications (W-8, streaming.md §2.6): after `maxFailures`
 * failures within `windowMs` an address is refused for `blockMs` without any key check, so a
 * brute-forcer costs neither Argon2 nor a database read. Bounded memory: at most `maxAddresses`
 * addresses are tracked (the stalest are forgotten first).
 */
import type { Clock } from '@oa/broker-sdk'

/** See the module comment. */
export interface AuthThrottle {
  /** ms the address must still wait, 0 when it may try */
  blockedForMs(ip: string): number
  recordFailure(ip: string): void
  recordSuccess(ip: string): void
}

/** Options of {@link createAuthThrottle}. */
export interface AuthThrottleOptions {
  readonly clock: Clock
  /** default 5 */
  readonly maxFailures?: number
  /** default 60 000 */
  readonly windowMs?: number
  /** default 300 000 */
  readonly blockMs?: number
  /** default 10 000 */
  readonly maxAddresses?: number
}

/** Creates an {@link AuthThrottle}. */
export function createAuthThrottle(options: AuthThrottleOptions): AuthThrottle {
  const { clock } = options
  const maxFailures = options.maxFailures ?? 5
  const windowMs = options.windowMs ?? 60_000
  const blockMs = options.blockMs ?? 300_000
  const maxAddresses = options.maxAddresses ?? 10_000
  const state = new Map<string, { since: number; failures: number; blockedUntil: number }>()
  return {
    blockedForMs(ip) {
      const s = state.get(ip)
      if (s === undefined) return 0
      return Math.max(0, s.blockedUntil - clock.now())
    },
    recordFailure(ip) {
      const now = clock.now()
      let s = state.get(ip)
      if (s === undefined || now - s.since > windowMs) {
        s = { since: now, failures: 0, blockedUntil: s?.blockedUntil ?? 0 }
      }
      s.failures++
      if (s.failures >= maxFailures) {
        s.blockedUntil = now + blockMs
        s.failures = 0
        s.since = now
      }
      // re-insert so Map order is least recently failed first
      state.delete(ip)
      state.set(ip, s)
      while (state.size > maxAddresses) {
        const oldest = state.keys().next()
        if (oldest.done === true) break
        state.delete(oldest.value)
      }
    },
    recordSuccess(ip) {
      const s = state.get(ip)
      if (s !== undefined && s.blockedUntil <= clock.now()) state.delete(ip)
    },
  }
}
