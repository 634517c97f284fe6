import { describe, expect, it } from 'vitest'
import { createReconnectPolicy } from './reconnect-policy.js'
import { createManualClock } from './testing/manual-clock.js'

describe('reconnect policy', () => {
  it('doubles the jitter ceiling per attempt up to the cap, then gives up', () => {
    const clock = createManualClock(0)
    const policy = createReconnectPolicy({
      baseMs: 2000,
      capMs: 10_000,
      maxAttempts: 5,
      healthyResetMs: 60_000,
      clock,
      random: () => 0.999,
    })
    const delays = [1, 2, 3, 4, 5, 6].map(() => policy.nextDelayMs())
    expect(delays).toEqual([1998, 3996, 7992, 9990, 9990, undefined])
  })

  it('never spins on a zero jitter draw', () => {
    const policy = createReconnectPolicy({
      baseMs: 1000,
      capMs: 5000,
      maxAttempts: 3,
      healthyResetMs: 1,
      clock: createManualClock(0),
      random: () => 0,
    })
    expect(policy.nextDelayMs()).toBe(100)
  })

  it('resets the budget after a session stayed healthy, not after a flap', () => {
    const clock = createManualClock(0)
    const policy = createReconnectPolicy({
      baseMs: 1000,
      capMs: 5000,
      maxAttempts: 3,
      healthyResetMs: 60_000,
      clock,
      random: () => 0.5,
    })
    policy.nextDelayMs()
    policy.nextDelayMs()
    policy.onConnected()
    clock.advance(5_000)
    policy.onDisconnected()
    expect(policy.attempts).toBe(2)
    policy.onConnected()
    clock.advance(60_000)
    policy.onDisconnected()
    expect(policy.attempts).toBe(0)
  })
})
