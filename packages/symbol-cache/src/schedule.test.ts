import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { scheduleBoundaryReload } from './schedule.js'
import { createSymbolCache, type LoadOutcome, type LoadRequest } from './symbol-cache.js'
import { row } from './test-helpers/rows.js'

// croner runs on real timers in production; here vitest's fake timers drive both croner and the
// cache's clock (which reads Date.now, as the app's system clock does).
describe('scheduleBoundaryReload', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2025-04-17T02:59:58+05:30'))
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('reloads one second after the IST boundary, whatever the host time zone', async () => {
    const loader = vi.fn((): LoadRequest => ({ rows: [row({ symbol: 'SBIN', token: 'NEW' })] }))
    const cache = createSymbolCache({ clock: { now: () => Date.now() }, loader })
    cache.loadSync([row({ symbol: 'SBIN', token: 'OLD' })])
    const reloaded: LoadOutcome[] = []
    const schedule = scheduleBoundaryReload(cache, { onReload: (o) => reloaded.push(o) })
    expect(schedule.nextRunMs()).toBe(Date.parse('2025-04-17T03:00:01+05:30'))

    await vi.advanceTimersByTimeAsync(2_500) // 03:00:00.5: stale, still serving, not yet run
    expect(loader).not.toHaveBeenCalled()
    expect(cache.getToken('SBIN', 'NSE')).toBe('OLD')

    await vi.advanceTimersByTimeAsync(1_000) // 03:00:01.5
    expect(loader).toHaveBeenCalledTimes(1)
    expect(reloaded.map((o) => o.ok)).toEqual([true])
    expect(cache.getToken('SBIN', 'NSE')).toBe('NEW')
    expect(schedule.nextRunMs()).toBe(Date.parse('2025-04-18T03:00:01+05:30'))
    schedule.stop()
    expect(schedule.nextRunMs()).toBeNull()
  })

  it('retries a failed reload a second later, then every period until one succeeds', async () => {
    let failures = 2
    const loader = vi.fn((): LoadRequest => {
      if (failures-- > 0) throw new Error('database is locked')
      return { rows: [row({ symbol: 'SBIN', token: 'NEW' })] }
    })
    const cache = createSymbolCache({ clock: { now: () => Date.now() }, loader })
    cache.loadSync([row({ symbol: 'SBIN', token: 'OLD' })])
    const schedule = scheduleBoundaryReload(cache, { retryEverySeconds: 30 })

    await vi.advanceTimersByTimeAsync(3_500) // 03:00:01.5: first attempt and quick retry failed
    expect(loader).toHaveBeenCalledTimes(2)
    expect(cache.getToken('SBIN', 'NSE')).toBe('OLD')
    await vi.advanceTimersByTimeAsync(29_000) // 03:00:30.5: not yet a period later
    expect(loader).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(1_000) // 03:00:31.5
    expect(loader).toHaveBeenCalledTimes(3)
    expect(cache.getToken('SBIN', 'NSE')).toBe('NEW')
    await vi.advanceTimersByTimeAsync(120_000)
    expect(loader).toHaveBeenCalledTimes(3)
    schedule.stop()
  })

  it('refuses a bad retry period', () => {
    const cache = createSymbolCache({ clock: { now: () => Date.now() } })
    expect(() => scheduleBoundaryReload(cache, { retryEverySeconds: 0 })).toThrow(
      /positive integer/,
    )
  })
})
