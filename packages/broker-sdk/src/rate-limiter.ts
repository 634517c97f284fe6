import { sleep } from './deps.js'
import type { Clock, Timers } from './deps.js'
import type { RateLimiter } from './http-types.js'
import type { RateLimit } from './manifest.js'

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  clock: Clock
  timers: Timers
  /** how to wait; defaults to `timers` (virtual-time tests advance a manual clock instead) */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined
  /** account-wide budgets, plus optional per-category budgets taken in addition */
  limits: RateLimit & { byCategory?: Readonly<Record<string, RateLimit>> | undefined }
}

/**
 * One window's bucket of `capacity` tokens where a spent token comes back exactly `windowMs` after
 * it was taken. Unlike a continuously refilling bucket (which lets `capacity + rate × window`
 * through in a window), this never grants more than `capacity` in any sliding window, which is
 * what "200 per minute" means to a broker. O(1) per call; memory is one number per token.
 */
interface Bucket {
  capacity: number
  windowMs: number
  /** grant times, a ring buffer; `head` is the oldest when full */
  ring: Float64Array
  head: number
  count: number
}

const WINDOWS: readonly [keyof RateLimit, number][] = [
  ['perSecond', 1_000],
  ['perMinute', 60_000],
  ['perDay', 86_400_000],
]

function bucketsOf(limit: RateLimit | undefined): Bucket[] {
  const out: Bucket[] = []
  for (const [key, windowMs] of WINDOWS) {
    const capacity = limit?.[key]
    if (capacity !== undefined) {
      if (capacity > 1_000_000)
        throw new Error(`rate limit ${key}=${capacity} is implausibly large`)
      out.push({ capacity, windowMs, ring: new Float64Array(capacity), head: 0, count: 0 })
    }
  }
  return out
}

function waitOf(bucket: Bucket, now: number): number {
  if (bucket.count < bucket.capacity) return 0
  return Math.max(0, (bucket.ring[bucket.head] ?? 0) + bucket.windowMs - now)
}

function take(bucket: Bucket, now: number): void {
  if (bucket.count < bucket.capacity) {
    bucket.ring[(bucket.head + bucket.count) % bucket.capacity] = now
    bucket.count += 1
  } else {
    bucket.ring[bucket.head] = now
    bucket.head = (bucket.head + 1) % bucket.capacity
  }
}

/**
 * The limiter of one broker account (brokers.md §1.5 "shared RateLimiter per broker account"): one
 * token bucket per window (second, minute, day), all of which must have a token; category buckets
 * (`quotes`, `history`) are taken in addition. Waiters of one category are served first come,
 * first served. Time comes from the injected clock and timers, so tests run it in virtual time.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { clock, timers, limits } = options
  const global = bucketsOf(limits)
  const byCategory = new Map<string, Bucket[]>()
  for (const [name, limit] of Object.entries(limits.byCategory ?? {})) {
    byCategory.set(name, bucketsOf(limit))
  }
  const queues = new Map<string, Promise<void>>()
  const wait = options.sleep ?? ((ms: number, signal?: AbortSignal) => sleep(timers, ms, signal))

  const tryAcquire = (category?: string): number => {
    const now = clock.now()
    const buckets =
      category === undefined ? global : [...global, ...(byCategory.get(category) ?? [])]
    let waitMs = 0
    for (const bucket of buckets) waitMs = Math.max(waitMs, waitOf(bucket, now))
    if (waitMs > 0) return waitMs
    for (const bucket of buckets) take(bucket, now)
    return 0
  }

  return {
    tryAcquire,
    acquire(category, signal) {
      const key = category ?? ''
      const previous = queues.get(key) ?? Promise.resolve()
      const turn = previous.then(async () => {
        for (;;) {
          if (signal?.aborted === true) throw new Error('rate limiter wait aborted')
          const waitMs = tryAcquire(category)
          if (waitMs === 0) return
          await wait(waitMs, signal)
        }
      })
      const settled = turn.then(
        () => undefined,
        () => undefined,
      )
      queues.set(key, settled)
      void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key)
      })
      return turn
    },
  }
}
