import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './rate-limit.js'

describe('moving-window rate limiter', () => {
  it('admits `count` hits per window and says how long until the next one', () => {
    let now = 1_000_000
    const limiter = createRateLimiter([{ count: 3, per: 'second' }], { now: () => now })
    expect(limiter.hit('a').ok).toBe(true)
    now += 300
    expect([limiter.hit('a'), limiter.hit('a')].every((v) => v.ok)).toBe(true)
    now += 400
    expect(limiter.hit('a')).toEqual({ ok: false, retryAfterSeconds: 1 })
    expect(limiter.hit('b').ok).toBe(true) // keys are independent
    now += 301 // only the first hit left the window
    expect(limiter.hit('a').ok).toBe(true)
    expect(limiter.hit('a').ok).toBe(false)
  })

  it('applies stacked rules (minute and hour) together, the longer wait winning', () => {
    let now = 0
    const limiter = createRateLimiter(
      [
        { count: 5, per: 'minute' },
        { count: 6, per: 'hour' },
      ],
      { now: () => now },
    )
    for (let i = 0; i < 5; i++) expect(limiter.hit('ip').ok).toBe(true)
    expect(limiter.hit('ip')).toEqual({ ok: false, retryAfterSeconds: 60 })
    now += 60_000
    expect(limiter.hit('ip').ok).toBe(true) // 6th within the hour
    const blocked = limiter.hit('ip')
    expect(blocked.ok).toBe(false)
    expect(!blocked.ok && blocked.retryAfterSeconds).toBe(3_540) // until the first hit is an hour old
  })

  it('does not count refused hits (a client that keeps hammering is not locked out forever)', () => {
    let now = 0
    const limiter = createRateLimiter([{ count: 1, per: 'second' }], { now: () => now })
    expect(limiter.hit('x').ok).toBe(true)
    for (let i = 0; i < 10; i++) {
      now += 50
      expect(limiter.hit('x').ok).toBe(false)
    }
    now = 1_000
    expect(limiter.hit('x').ok).toBe(true)
  })
})
