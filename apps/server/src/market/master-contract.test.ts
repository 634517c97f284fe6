import { readSymbolsEpoch, symtokenSummary } from '@oa/db'
import { describe, expect, it } from 'vitest'
import { createManualClock } from '../identity/test-helpers/harness.js'
import {
  createMarketHarness,
  marketInstall,
  switchableSimulator,
} from './test-helpers/market-harness.js'

const SLOW = 120_000

describe('master contract pipeline (platform.md §8)', () => {
  it(
    'downloads the simulator contract, swaps it in, reloads the cache and reports each phase',
    async () => {
      const h = await createMarketHarness()
      const outcome = await h.market.masterContract.download('simulator', 'test')
      expect(outcome.ok).toBe(true)
      if (!outcome.ok) return
      expect(outcome.rows).toBeGreaterThan(100_000)
      expect(outcome.cache.ok).toBe(true)

      const status = h.market.masterContract.status('simulator')
      expect(status).toMatchObject({
        broker: 'simulator',
        status: 'success',
        message: 'Master contract download completed successfully',
        total_symbols: String(outcome.rows),
        is_ready: true,
        download_date: '2025-04-17',
        last_download_time: '2025-04-17T04:30:00.000Z',
      })
      expect(status.exchange_stats).toMatchObject({ NSE: 2300, NSE_INDEX: 30 })
      expect(symtokenSummary(h.main.sqlite)).toMatchObject({
        rows: outcome.rows,
        broker: 'simulator',
        contractDate: '2025-04-17',
      })

      expect(h.eventsOf('master_contract_download')).toEqual([
        { broker: 'simulator', status: 'success', message: 'Successfully Downloaded' },
      ])
      expect(h.eventsOf('cache_loaded')).toEqual([
        expect.objectContaining({
          status: 'success',
          broker: 'simulator',
          total_symbols: outcome.rows,
        }),
      ])
      const phases = [...new Set(h.eventsOf('master_contract_progress').map((p) => p.phase))]
      expect(phases).toEqual(['fetching', 'parsing', 'writing', 'indexing', 'done'])
      expect(h.eventsOf('master_contract_progress').at(-1)).toMatchObject({
        phase: 'done',
        rows: outcome.rows,
        percent: 100,
      })
      expect(h.eventsOf('master_contract_status').map((s) => s.status)).toEqual([
        'downloading',
        'success',
      ])
      expect(h.market.symbols.cache.getToken('RELIANCE', 'NSE')).toBeDefined()
      expect(h.market.symbols.loadedEpoch()).toBe(readSymbolsEpoch(h.main.sqlite))
    },
    SLOW,
  )

  it(
    'keeps the previous contract and cache serving when a download breaks or comes back empty',
    async () => {
      const { plugin, contract } = switchableSimulator()
      const h = await createMarketHarness({ plugins: [plugin] })
      const first = await h.market.masterContract.download('simulator', 'test')
      expect(first.ok).toBe(true)
      const rows = symtokenSummary(h.main.sqlite).rows
      const epoch = readSymbolsEpoch(h.main.sqlite)
      const token = h.market.symbols.cache.getToken('NIFTY', 'NSE_INDEX')

      contract.mode = 'broken'
      const broken = await h.market.masterContract.download('simulator', 'test')
      expect(broken).toEqual({
        ok: false,
        broker: 'simulator',
        message:
          'Master contract download error: reading the master contract failed: connection reset by broker. The previous master contract is still in use.',
      })
      expect(h.market.masterContract.status('simulator')).toMatchObject({
        status: 'error',
        message: broken.ok ? '' : broken.message,
        is_ready: false,
        // the facts of the last good download stay
        total_symbols: String(rows),
      })
      expect(symtokenSummary(h.main.sqlite).rows).toBe(rows)
      expect(readSymbolsEpoch(h.main.sqlite)).toBe(epoch)
      expect(h.market.symbols.cache.getToken('NIFTY', 'NSE_INDEX')).toBe(token)

      contract.mode = 'empty'
      const empty = await h.market.masterContract.download('simulator', 'test')
      expect(empty.ok).toBe(false)
      expect(h.market.masterContract.status('simulator')).toMatchObject({
        status: 'error',
        message:
          'Master contract download error: the master contract download returned no instruments. The previous master contract is still in use.',
      })
      expect(symtokenSummary(h.main.sqlite).rows).toBe(rows)
      expect(h.market.symbols.cache.getSymbolCount()).toBe(rows)
      expect(h.eventsOf('master_contract_download').map((e) => e.status)).toEqual([
        'success',
        'error',
        'error',
      ])
    },
    SLOW,
  )

  it(
    'runs one download when two triggers arrive together (W-20)',
    async () => {
      const { plugin, contract } = switchableSimulator()
      contract.mode = 'slow'
      const h = await createMarketHarness({ plugins: [plugin] })
      const a = h.market.masterContract.download('simulator', 'login')
      const b = h.market.masterContract.requestDownload('simulator', { force: true })
      expect(b.status).toBe('already_running')
      const c = h.market.masterContract.download('simulator', 'manual')
      expect(c).toBe(a)
      expect(h.market.masterContract.status('simulator').status).toBe('downloading')
      contract.release()
      await a
      expect(contract.downloads).toBe(1)
      expect(h.market.masterContract.isDownloading('simulator')).toBe(false)
    },
    SLOW,
  )

  it(
    'restores at startup: a fresh contract loads from the table, a stale one downloads in the background',
    async () => {
      const install = marketInstall()
      const first = await createMarketHarness({
        install,
        clock: createManualClock('2025-04-17T09:00:00+05:30'),
      })
      // a fresh data dir: nothing stored, the plan says download
      expect(first.market.plan()).toEqual({
        broker: 'simulator',
        download: true,
        reason: 'No previous download found',
      })
      first.market.start()
      await first.market.started
      expect(first.market.masterContract.status('simulator').status).toBe('success')
      await first.market.stop()

      // the same day after the cutoff: the stored contract is reused, no download
      const { plugin, contract } = switchableSimulator()
      const again = await createMarketHarness({
        install,
        plugins: [plugin],
        withAdmin: false,
        clock: createManualClock('2025-04-17T11:00:00+05:30'),
      })
      expect(again.market.symbols.cache.isLoaded()).toBe(false)
      again.market.start()
      await again.market.started
      expect(contract.downloads).toBe(0)
      expect(again.market.symbols.cache.getToken('SBIN', 'NSE')).toBeDefined()
      expect(again.market.masterContract.status('simulator')).toMatchObject({
        status: 'success',
        message: 'Using cached master contract',
        is_ready: true,
      })
      await again.market.stop()

      // the next trading day: yesterday's contract serves until today's is in
      const nextDay = await createMarketHarness({
        install,
        plugins: [plugin],
        withAdmin: false,
        clock: createManualClock('2025-04-18T09:10:00+05:30'),
      })
      expect(nextDay.market.plan()).toMatchObject({
        download: true,
        reason: 'Last download was on 2025-04-17 IST, today is 2025-04-18',
      })
      nextDay.market.start()
      await nextDay.market.started
      expect(contract.downloads).toBe(1)
      expect(symtokenSummary(nextDay.main.sqlite).contractDate).toBe('2025-04-18')
      expect(nextDay.eventsOf('cache_loaded').map((e) => e.status)).toEqual(['success', 'success'])
    },
    SLOW * 2,
  )

  it(
    'starts the smart decision on broker login',
    async () => {
      const h = await createMarketHarness()
      h.market.start()
      await h.market.started
      const statuses: string[] = []
      h.events.on('master_contract_status', (s) => statuses.push(s.status))
      await h.identity.emitBrokerLogin('admin', 'simulator')
      // the login hook sets `pending`, then reuses today's contract (downloaded by start())
      await h.market.masterContract.onBrokerLogin('simulator')
      expect(statuses.slice(0, 2)).toEqual(['pending', 'success'])
      expect(h.market.masterContract.status('simulator').message).toBe(
        'Using cached master contract',
      )
    },
    SLOW,
  )
})
