// Time through the wiring: catch-up after downtime runs once, and a mode switch made by another
// process (`oa analyzer on`) reaches the API without a restart.
import { mainMigrations, openDatabase, type MainDatabase } from '@oa/db'
import { describe, expect, it, onTestFinished } from 'vitest'
import { tempInstall } from '../identity/test-helpers/harness.js'
import { writeAnalyzeMode } from '../settings/analyzer-mode.js'
import { createTradingHarness, p } from './test-helpers/harness.js'

const mis = { strategy: 'r', symbol: 'RELIANCE', exchange: 'NSE', action: 'BUY', quantity: 10 }

describe('catch-up after downtime', () => {
  it('squares off a stale MIS position once at the next start, not again at the one after', async () => {
    const install = tempInstall()
    const first = await createTradingHarness({ install, at: '2025-04-15T14:00:00+05:30' })
    first.prices?.set('RELIANCE', 'NSE', p('2500'))
    expect((await first.api('/placeorder', mis)).status).toBe(200)
    await first.trading.stop() // the server goes down before 15:15

    const second = await createTradingHarness({ install, at: '2025-04-15T16:00:00+05:30' })
    second.prices?.set('RELIANCE', 'NSE', p('2510'))
    const auto = async (h: typeof second) =>
      (
        (await h.api('/orderbook')).body['data'] as { orders: { strategy: string }[] }
      ).orders.filter((o) => o.strategy === 'AUTO_SQUARE_OFF')
    expect(await auto(second)).toHaveLength(1)
    expect((await second.api('/funds')).body['data']).toMatchObject({ utiliseddebits: '0.00' })
    await second.trading.stop()

    const third = await createTradingHarness({ install, at: '2025-04-15T16:05:00+05:30' })
    expect(await auto(third)).toHaveLength(1)
  })
})

describe('the analyzer switch across processes', () => {
  it('answers in analyzer mode once another process switched it on, without a restart', async () => {
    const h = await createTradingHarness({
      analyzer: false,
      prices: 'simulator',
      at: '2025-04-22T11:30:00+05:30',
    })
    const liveReply = await h.api('/placeorder', mis)
    expect(liveReply.body['mode']).toBeUndefined()
    // `oa analyzer on` is another connection to openalgo.db
    const other = await openDatabase<MainDatabase>(h.config.storage.mainDb, mainMigrations)
    onTestFinished(() => other.close())
    writeAnalyzeMode(other.sqlite, true, h.clock.now())
    h.trading.mode.check() // the ~100 ms poll, made now
    const analyze = await h.api('/placeorder', mis)
    expect(analyze.status).toBe(200)
    expect(analyze.body).toMatchObject({ status: 'success', mode: 'analyze' })
    await new Promise((r) => setTimeout(r, 50))
    expect(h.trading.sandbox.active).toBe(true)
  })
})
