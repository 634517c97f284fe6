import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './rate-limiter.js'
import { createManualClock } from './testing/manual-clock.js'

describe('rate limiter', () => {
  it('lets a burst through up to the per-second budget, then waits for the window to pass', () => {
    const clock = createManualClock(0)
    const limiter = createRateLimiter({ clock, timers: clock, limits: { perSecond: 10 } })
    for (let i = 0; i < 10; i += 1) expect(limiter.tryAcquire()).toBe(0)
    expect(limiter.tryAcquire()).toBe(1_000)
    clock.advance(1_000)
    expect(limiter.tryAcquire()).toBe(0)
  })

  it('enforces every window at once (Flattrade: 38/s and 190/min)', async () => {
    const clock = createManualClock(0)
    const granted: number[] = []
    const limiter = createRateLimiter({
      clock,
      timers: clock,
      limits: { perSecond: 38, perMinute: 190 },
      sleep: async (ms) => clock.advance(ms),
    })
    for (let i = 0; i < 400; i += 1) {
      await limiter.acquire()
      granted.push(clock.now())
    }
    // no sliding window ever holds more than the budget
    let worstMinute = 0
    let worstSecond = 0
    for (const t of granted) {
      worstMinute = Math.max(worstMinute, granted.filter((g) => g >= t && g < t + 60_000).length)
      worstSecond = Math.max(worstSecond, granted.filter((g) => g >= t && g < t + 1_000).length)
    }
    expect(worstMinute).toBe(190)
    expect(worstSecond).toBe(38)
    // and it is not slower than it must be: request 381 goes out as the third minute opens
    expect(granted[380]).toBe(120_000)
  })

  it('adds a category budget on top of the account budget', () => {
    const clock = createManualClock(0)
    const limiter = createRateLimiter({
      clock,
      timers: clock,
      limits: { perSecond: 10, byCategory: { history: { perSecond: 2 } } },
    })
    expect(limiter.tryAcquire('history')).toBe(0)
    expect(limiter.tryAcquire('history')).toBe(0)
    expect(limiter.tryAcquire('history')).toBe(1_000)
    // other calls still have the account budget (10 − 2 taken)
    for (let i = 0; i < 8; i += 1) expect(limiter.tryAcquire()).toBe(0)
    expect(limiter.tryAcquire()).toBeGreaterThan(0)
  })

  it('serves waiters first come, first served', async () => {
    const clock = createManualClock(0)
    const limiter = createRateLimiter({ clock, timers: clock, limits: { perSecond: 1 } })
    const order: number[] = []
    const all = [1, 2, 3].map((n) => limiter.acquire().then(() => order.push(n)))
    await clock.advanceAsync(2_000)
    await Promise.all(all)
    expect(order).toEqual([1, 2, 3])
    expect(clock.pending).toBe(0)
  })

  it('stops waiting when the caller aborts, leaving no timer behind', async () => {
    const clock = createManualClock(0)
    const limiter = createRateLimiter({ clock, timers: clock, limits: { perSecond: 1 } })
    await limiter.acquire()
    const controller = new AbortController()
    const waiting = limiter.acquire(undefined, controller.signal)
    await clock.advanceAsync(10)
    controller.abort()
    await expect(waiting).rejects.toThrow(/aborted/)
    expect(clock.pending).toBe(0)
  })
})
