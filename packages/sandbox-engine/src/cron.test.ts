import { describe, expect, it } from 'vitest'
import { createSandboxCron } from './cron.js'

describe('createSandboxCron', () => {
  it('schedules a poll plus every configured time, in IST, and nothing before start()', () => {
    let calls = 0
    const cron = createSandboxCron(
      { runDue: () => Promise.resolve(calls++) },
      { squareOffTimes: { NSE: '15:20' }, resetDay: 'Sunday', resetTime: '06:30' },
      { pollSeconds: 10 },
    )
    expect(cron.patterns[0]).toBe('*/10 * * * * *')
    expect(cron.patterns).toContain('0 20 15 * * *')
    expect(cron.patterns).toContain('0 30 6 * * *')
    expect(cron.patterns).toContain('0 0 0 * * *')
    expect(cron.patterns).toContain('0 0 3 * * *')
    cron.start()
    cron.stop()
    expect(calls).toBe(0)
  })

  it('folds a trigger that arrives during a run into one follow-up run', async () => {
    let calls = 0
    let release: () => void = () => undefined
    const cron = createSandboxCron({
      runDue: () => {
        calls++
        return calls === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve()
      },
    })
    const first = cron.trigger()
    void cron.trigger()
    void cron.trigger()
    release()
    await first
    expect(calls).toBe(2)
  })

  it('refuses a poll interval outside 1–59 s', () => {
    expect(() =>
      createSandboxCron({ runDue: () => Promise.resolve() }, {}, { pollSeconds: 0 }),
    ).toThrow()
  })
})
