import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  mainMigrations,
  openDatabase,
  replaceSymtoken,
  type MainDatabase,
  type SymbolRow,
} from '@oa/db'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { createEventBus } from '../events/bus.js'
import { createLogger } from '../logger.js'
import { createSymbolService } from './symbol-service.js'

afterEach(() => {
  vi.useRealTimers()
})

function equity(symbol: string, token: string): SymbolRow {
  return {
    symbol,
    brSymbol: `${symbol}-EQ`,
    name: symbol,
    exchange: 'NSE',
    brExchange: 'NSE_EQ',
    token,
    expiry: null,
    strike: null,
    lotSize: 1,
    instrumentType: 'EQ',
    tickSize: 0.05,
    contractValue: null,
  }
}

async function openMain() {
  const dir = mkdtempSync(join(tmpdir(), 'oa-symbol-service-'))
  const main = await openDatabase<MainDatabase>(join(dir, 'openalgo.db'), mainMigrations)
  onTestFinished(async () => {
    await main.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return main
}

const silent = createLogger({ level: 'silent', pretty: false })

describe('symbol cache in the server (platform.md §4.5, W-22)', () => {
  it('reloads by itself at the 03:00 IST boundary and never falls through to the database', async () => {
    // croner and the clock run on the faked Date and timers; setImmediate stays real
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      now: Date.parse('2025-04-17T02:59:50+05:30'),
    })
    const main = await openMain()
    const clock = { now: () => Date.now() }
    await replaceSymtoken(main.sqlite, [equity('SBIN', '1'), equity('TCS', '2')], {
      broker: 'simulator',
      contractDate: '2025-04-16',
      clock,
    })
    const events = createEventBus()
    const loaded: unknown[] = []
    events.on('cache_loaded', (e) => loaded.push(e))
    const service = createSymbolService({
      sqlite: main.sqlite,
      clock,
      logger: silent,
      events,
      sessionExpiry: { hour: 3, minute: 0 },
      epochPollMs: 0,
    })
    onTestFinished(() => service.stop())
    expect((await service.reload()).ok).toBe(true)
    service.start()
    const cache = service.cache
    expect(cache.getToken('SBIN', 'NSE')).toBe('1')
    expect(cache.isValid()).toBe(true)

    // the table gains a row the cache has not seen (a stand-in for the new day's contract)
    main.sqlite
      .prepare(
        "INSERT INTO symtoken (symbol, brsymbol, name, exchange, brexchange, token, lotsize, tick_size) VALUES ('NEWCO', 'NEWCO-EQ', 'NEWCO', 'NSE', 'NSE_EQ', '3', 1, 0.05)",
      )
      .run()

    // 03:00:00.5: past the boundary, the job (03:00:01) not yet run: the old snapshot still answers
    await vi.advanceTimersByTimeAsync(10_500)
    expect(cache.isValid()).toBe(false)
    expect(cache.getToken('SBIN', 'NSE')).toBe('1')
    expect(cache.getToken('NEWCO', 'NSE')).toBeUndefined()

    // 03:00:01: croner fires, the cache reloads from symtoken by itself
    await vi.advanceTimersByTimeAsync(1_000)
    await vi.waitFor(() => expect(cache.getToken('NEWCO', 'NSE')).toBe('3'))
    expect(cache.isValid()).toBe(true)
    expect(cache.getCacheStats()).toMatchObject({
      cache_valid: true,
      session_start: '2025-04-17T03:00:01+05:30',
      next_reset: '2025-04-18T03:00:00+05:30',
      stats: { reloads: 2, db_queries: 0 },
    })
    expect(loaded).toHaveLength(2)

    // lookups are answered from memory alone: with the table gone they still answer
    main.sqlite.exec('ALTER TABLE symtoken RENAME TO symtoken_gone')
    expect(cache.getToken('TCS', 'NSE')).toBe('2')
    expect(cache.getSymbolInfo('NEWCO', 'NSE')?.brSymbol).toBe('NEWCO-EQ')
    expect(cache.getToken('NOPE', 'NSE')).toBeUndefined()
    expect(cache.getCacheStats().stats.db_queries).toBe(0)
    main.sqlite.exec('ALTER TABLE symtoken_gone RENAME TO symtoken')
  })

  it('reloads when another process swaps the contract in (symbols_epoch)', async () => {
    const main = await openMain()
    const clock = { now: () => Date.now() }
    await replaceSymtoken(main.sqlite, [equity('SBIN', '1')], {
      broker: 'simulator',
      contractDate: '2025-04-16',
      clock,
    })
    const service = createSymbolService({
      sqlite: main.sqlite,
      clock,
      logger: silent,
      events: createEventBus(),
      sessionExpiry: { hour: 3, minute: 0 },
      epochPollMs: 10,
    })
    onTestFinished(() => service.stop())
    await service.reload()
    service.start()
    // another process (its own connection) replaces the contract
    const other = await openDatabase<MainDatabase>(main.path, mainMigrations)
    await replaceSymtoken(other.sqlite, [equity('INFY', '9')], {
      broker: 'simulator',
      contractDate: '2025-04-17',
      clock,
    })
    await other.close()
    await vi.waitFor(() => expect(service.cache.getToken('INFY', 'NSE')).toBe('9'), {
      timeout: 5_000,
    })
    expect(service.cache.getToken('SBIN', 'NSE')).toBeUndefined()
  })

  it('seeds freeze quantities and answers them for contracts', async () => {
    const main = await openMain()
    const service = createSymbolService({
      sqlite: main.sqlite,
      clock: { now: () => Date.now() },
      logger: silent,
      events: createEventBus(),
      sessionExpiry: { hour: 3, minute: 0 },
    })
    const first = service.loadFreezeQuantities()
    expect(first.seeded).toBeGreaterThan(200)
    expect(service.cache.getFreezeQty('NIFTY24APR2524500CE', 'NFO')).toBe(1800)
    expect(service.cache.getFreezeQty('BANKNIFTY24APR25FUT', 'NFO')).toBe(600)
    expect(service.cache.getFreezeQty('RELIANCE', 'NSE')).toBe(1)
    expect(service.loadFreezeQuantities().seeded).toBe(0)
  })
})
