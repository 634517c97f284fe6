import type { Clock, Random } from './deps.js'

/** Options of {@link createReconnectPolicy} (the manifest's `streaming.reconnect`). */
export interface ReconnectPolicyOptions {
  baseMs: number
  capMs: number
  maxAttempts: number
  /** a connection that stayed up this long resets the attempt counter */
  healthyResetMs: number
  clock: Clock
  random?: Random | undefined
  /** floor of a delay so a jitter draw of 0 does not spin; default 100 ms */
  minMs?: number | undefined
}

/** Decides when (and whether) a dropped socket reconnects (streaming.md §2.5). */
export interface ReconnectPolicy {
  /** Call when a connection is established. */
  onConnected(): void
  /** Call when it drops; resets the counter if the connection had stayed healthy long enough. */
  onDisconnected(): void
  /** The wait before the next attempt (full jitter), or `undefined` once attempts are exhausted. */
  nextDelayMs(): number | undefined
  /** attempts made since the last reset */
  readonly attempts: number
  /** Forgets past attempts (after a fresh login). */
  reset(): void
}

/**
 * Exponential backoff with full jitter: attempt n waits a uniform draw in
 * [minMs, min(capMs, baseMs × 2^(n−1))); after `maxAttempts` it gives up; a session that stays up
 * `healthyResetMs` earns a fresh budget. Time and randomness are injected.
 */
export function createReconnectPolicy(options: ReconnectPolicyOptions): ReconnectPolicy {
  const random = options.random ?? Math.random
  const minMs = options.minMs ?? 100
  let attempts = 0
  let connectedAt: number | undefined
  return {
    onConnected() {
      connectedAt = options.clock.now()
    },
    onDisconnected() {
      if (connectedAt !== undefined && options.clock.now() - connectedAt >= options.healthyResetMs)
        attempts = 0
      connectedAt = undefined
    },
    nextDelayMs() {
      if (attempts >= options.maxAttempts) return undefined
      attempts += 1
      const ceiling = Math.min(options.capMs, options.baseMs * 2 ** (attempts - 1))
      return Math.max(minMs, Math.floor(random() * ceiling))
    },
    get attempts() {
      return attempts
    },
    reset() {
      attempts = 0
      connectedAt = undefined
    },
  }
}
