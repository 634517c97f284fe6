import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mainMigrations, openDatabase, type MainDatabase } from '@oa/db'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createManualClock } from '../identity/test-helpers/harness.js'
import { createMasterContractStatusStore, STUCK_MESSAGE } from './master-contract-status.js'

async function store(iso = '2025-04-17T09:00:00+05:30') {
  const dir = mkdtempSync(join(tmpdir(), 'oa-mc-status-'))
  const main = await openDatabase<MainDatabase>(join(dir, 'openalgo.db'), mainMigrations)
  onTestFinished(async () => {
    await main.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const clock = createManualClock(iso)
  return { main, clock, store: createMasterContractStatusStore(main.sqlite, clock) }
}

describe('master contract status (platform.md §8.4)', () => {
  it('answers a synthetic "unknown" for a broker with no row', async () => {
    const { store: s } = await store()
    expect(s.get('simulator')).toEqual({
      broker: 'simulator',
      status: 'unknown',
      message: 'No status available',
      last_updated: null,
      total_symbols: '0',
      is_ready: false,
      last_download_time: null,
      download_date: null,
      exchange_stats: null,
      download_duration_seconds: null,
    })
  })

  it('moves pending → downloading → success with the count as a string and stats as JSON', async () => {
    const { store: s, clock } = await store()
    s.set('simulator', 'pending', 'Master contract download pending')
    expect(s.get('simulator')).toMatchObject({ status: 'pending', is_ready: false })
    s.set('simulator', 'downloading', 'Master contract download in progress')
    clock.advance(4_000)
    s.recordSuccess('simulator', {
      totalSymbols: 120188,
      durationSeconds: 4,
      exchangeStats: { NFO: 108953, NSE: 2300 },
    })
    expect(s.get('simulator')).toEqual({
      broker: 'simulator',
      status: 'success',
      message: 'Master contract download completed successfully',
      last_updated: '2025-04-17T03:30:04.000Z',
      total_symbols: '120188',
      is_ready: true,
      last_download_time: '2025-04-17T03:30:04.000Z',
      download_date: '2025-04-17',
      exchange_stats: { NFO: 108953, NSE: 2300 },
      download_duration_seconds: 4,
    })
    expect(s.isReady('simulator')).toBe(true)
    expect(s.lastTotal('simulator')).toBe(120188)
    expect(s.lastDownloadedBroker()).toBe('simulator')
  })

  it('keeps the count and download facts when a later attempt fails', async () => {
    const { store: s } = await store()
    s.recordSuccess('simulator', { totalSymbols: 5, durationSeconds: 1, exchangeStats: { NSE: 5 } })
    s.set('simulator', 'error', 'Master contract download error: boom')
    expect(s.get('simulator')).toMatchObject({
      status: 'error',
      message: 'Master contract download error: boom',
      is_ready: false,
      total_symbols: '5',
      download_date: '2025-04-17',
    })
  })

  it('reports a download stuck for more than 5 minutes as an error', async () => {
    const { store: s, clock } = await store()
    s.set('simulator', 'downloading', 'Master contract download in progress')
    clock.advance(5 * 60_000)
    expect(s.get('simulator').status).toBe('downloading')
    clock.advance(1_000)
    expect(s.get('simulator')).toMatchObject({
      status: 'error',
      message: STUCK_MESSAGE,
      is_ready: false,
    })
  })

  it('marks the stored contract ready only when a download happened before', async () => {
    const { store: s } = await store()
    expect(s.markReadyWithoutDownload('simulator')).toBe(false)
    s.recordSuccess('simulator', { totalSymbols: 5, durationSeconds: 1, exchangeStats: {} })
    s.set('simulator', 'pending', 'Master contract download pending')
    expect(s.markReadyWithoutDownload('simulator')).toBe(true)
    expect(s.get('simulator')).toMatchObject({
      status: 'success',
      message: 'Using cached master contract',
      is_ready: true,
    })
  })

  it('reads the original’s naive local timestamps as IST (W-21)', async () => {
    const { main, store: s } = await store()
    main.sqlite
      .prepare(
        `INSERT INTO master_contract_status (broker, status, message, last_updated, total_symbols, is_ready, last_download_time)
         VALUES ('zerodha', 'success', 'ok', '2025-04-17 08:45:12.123456', '10', 1, '2025-04-17 08:45:12.123456')`,
      )
      .run()
    expect(s.lastDownloadMs('zerodha')).toBe(Date.parse('2025-04-17T08:45:12.123+05:30'))
  })
})
