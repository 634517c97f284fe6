import type { Context, MiddlewareHandler } from 'hono'
import type { OaConfig, RateLimitRule } from '@oa/env-check'
import type { Clock } from '../clock.js'

const WINDOW_MS: Record<RateLimitRule['per'], number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
}

export type LimitVerdict =
  { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number }

/**
 * One moving-window limiter (the original's Flask-Limiter strategy, spec platform.md §7.7): per
 * key, the timestamps of the last `count` admitted hits for each rule in a ring buffer; a hit is
 * admitted iff, for every rule, fewer than `count` hits fall inside the window. Exact, O(rules)
 * per hit, memory `count` numbers per key per rule; keys are bounded (oldest dropped first).
 */
export interface RateLimiter {
  hit(key: string): LimitVerdict
  /** forgets every key (tests, settings change) */
  reset(): void
}

interface Bucket {
  /** per rule: ring of admitted-hit times, and the next slot */
  readonly rings: Float64Array[]
  readonly next: number[]
}

export function createRateLimiter(
  rules: readonly RateLimitRule[],
  clock: Clock,
  maxKeys = 10_000,
): RateLimiter {
  const live = rules.filter((r) => r.count > 0)
  // memory is `count` doubles per key per rule: cap keys so one limiter stays under ~16 MB
  const perKey = live.reduce((n, r) => n + r.count, 0)
  const keyCap = Math.max(100, Math.min(maxKeys, Math.floor(2_000_000 / Math.max(1, perKey))))
  const buckets = new Map<string, Bucket>()
  return {
    hit(key) {
      if (live.length === 0) return { ok: true }
      const now = clock.now()
      let bucket = buckets.get(key)
      if (!bucket) {
        if (buckets.size >= keyCap) {
          const oldest = buckets.keys().next()
          if (!oldest.done) buckets.delete(oldest.value)
        }
        bucket = {
          rings: live.map((r) => new Float64Array(r.count).fill(Number.NEGATIVE_INFINITY)),
          next: live.map(() => 0),
        }
        buckets.set(key, bucket)
      }
      let retryMs = 0
      live.forEach((rule, i) => {
        // the slot about to be overwritten holds the oldest of the last `count` admitted hits
        const oldest = bucket.rings[i]?.[bucket.next[i] ?? 0] ?? Number.NEGATIVE_INFINITY
        const windowMs = WINDOW_MS[rule.per]
        if (now - oldest < windowMs) retryMs = Math.max(retryMs, oldest + windowMs - now)
      })
      if (retryMs > 0)
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) }
      live.forEach((rule, i) => {
        const ring = bucket.rings[i]
        const slot = bucket.next[i] ?? 0
        if (ring) ring[slot] = now
        bucket.next[i] = (slot + 1) % rule.count
      })
      return { ok: true }
    },
    reset: () => buckets.clear(),
  }
}

/** The route groups with a configured limit (spec api.md §2, platform.md §2.3). */
export type LimitGroup =
  'login' | 'reset' | 'api' | 'order' | 'smartOrder' | 'webhook' | 'strategy' | 'greeks'

export const API_RATE_LIMIT_MESSAGE = 'Rate limit exceeded. Please slow down your requests.'
export const LOGIN_RATE_LIMIT_MESSAGE =
  'Too many login attempts. Please wait a minute and try again.'

/**
 * Every limiter of the server, keyed by the resolved client IP (W-7), one per group and route
 * (Flask-Limiter counts each decorated endpoint separately).
 */
export interface RateLimits {
  /** checks and records one hit of `group` for `key` (an IP, or `key:<id>` for an API key) */
  check(group: LimitGroup, key: string, route?: string): LimitVerdict
  /**
   * Hono middleware for a route or path: 429 in the envelope with `retry_after` and
   * `Retry-After` when over the limit, before the handler (and any password check) runs.
   */
  middleware(group: LimitGroup, options?: { readonly message?: string }): MiddlewareHandler
  reset(): void
}

export function createRateLimits(options: {
  readonly config: OaConfig['rateLimits']
  readonly clock: Clock
  readonly clientIp: (c: Context) => string
}): RateLimits {
  const { config, clock } = options
  const rulesOf: Record<LimitGroup, readonly RateLimitRule[]> = {
    // LOGIN_RATE_LIMIT_MIN and _HOUR stack, as the two decorators do
    login: [...config.loginPerMinute.rules, ...config.loginPerHour.rules],
    reset: config.reset.rules,
    api: config.api.rules,
    order: config.order.rules,
    smartOrder: config.smartOrder.rules,
    webhook: config.webhook.rules,
    strategy: config.strategy.rules,
    greeks: config.greeks.rules,
  }
  const limiters = new Map<string, RateLimiter>()
  const limiterFor = (group: LimitGroup, route: string): RateLimiter => {
    const id = `${group} ${route}`
    let limiter = limiters.get(id)
    if (!limiter) {
      limiter = createRateLimiter(rulesOf[group], clock)
      limiters.set(id, limiter)
    }
    return limiter
  }
  const check = (group: LimitGroup, key: string, route = ''): LimitVerdict =>
    limiterFor(group, route).hit(key)
  return {
    check,
    middleware(group, mwOptions = {}) {
      const message =
        mwOptions.message ??
        (group === 'login' || group === 'reset' ? LOGIN_RATE_LIMIT_MESSAGE : API_RATE_LIMIT_MESSAGE)
      return async (c, next) => {
        const verdict = check(group, options.clientIp(c), c.req.routePath)
        if (!verdict.ok) return rateLimited(c, verdict.retryAfterSeconds, message)
        return next()
      }
    },
    reset() {
      for (const l of limiters.values()) l.reset()
    },
  }
}

/** The 429 envelope of spec api.md §2 / W-5, with a computed `retry_after` and header. */
export function rateLimited(
  c: Context,
  retryAfterSeconds: number,
  message = API_RATE_LIMIT_MESSAGE,
): Response {
  c.header('Retry-After', String(retryAfterSeconds))
  return c.json({ status: 'error', message, retry_after: retryAfterSeconds }, 429)
}
