import { describe, expect, it, vi } from 'vitest'
import { createBrowser, loggedInBrowser } from '../identity/test-helpers/harness.js'
import { createMarketHarness, switchableSimulator } from '../market/test-helpers/market-harness.js'

const SLOW = 120_000

describe('cache and master-contract session routes (platform.md §4.6, §8.4)', () => {
  it('need a browser logged in to the broker', async () => {
    const h = await createMarketHarness()
    const anonymous = createBrowser(h.app)
    const password = await loggedInBrowser(h.app)
    for (const path of [
      '/api/master-contract/status',
      '/api/master-contract/ready',
      '/api/master-contract/smart-status',
      '/api/cache/status',
      '/api/cache/health',
    ]) {
      for (const browser of [anonymous, password]) {
        const res = await browser.get(path)
        expect(res.status, path).toBe(401)
        expect(await res.json()).toEqual({
          status: 'error',
          error: 'session_expired',
          message: 'Your session has expired. Please log in again.',
        })
      }
    }
    // POSTs need the CSRF token too
    const b = await loggedInBrowser(h.app, { broker: true })
    const noToken = await b.request('/api/cache/clear', { method: 'POST' })
    expect(noToken.status).toBe(400)
    expect(await noToken.json()).toMatchObject({ error: 'CSRF validation failed' })
  })

  it(
    'report the contract, skip a fresh download, force one, and manage the cache',
    async () => {
      const h = await createMarketHarness()
      h.market.start()
      await h.market.started
      const b = await loggedInBrowser(h.app, { broker: true })

      // the broker login ran the smart decision: today's contract is reused
      await vi.waitFor(
        async () =>
          expect(await (await b.get('/api/master-contract/status')).json()).toMatchObject({
            status: 'success',
            message: 'Using cached master contract',
          }),
        { timeout: 30_000 },
      )
      const status = (await (await b.get('/api/master-contract/status')).json()) as Record<
        string,
        unknown
      >
      expect(Object.keys(status)).toEqual([
        'broker',
        'status',
        'message',
        'last_updated',
        'total_symbols',
        'is_ready',
        'last_download_time',
        'download_date',
        'exchange_stats',
        'download_duration_seconds',
      ])
      expect(status).toMatchObject({
        broker: 'simulator',
        is_ready: true,
        download_date: '2025-04-17',
        total_symbols: expect.stringMatching(/^\d{6}$/),
      })
      expect(await (await b.get('/api/master-contract/ready')).json()).toEqual({
        ready: true,
        message: 'Master contracts are ready',
      })
      const smart = (await (await b.get('/api/master-contract/smart-status')).json()) as Record<
        string,
        unknown
      >
      expect(smart['smart_download']).toEqual({
        should_download: false,
        reason: 'Already downloaded today at 10:00 IST (after 08:00 cutoff)',
        cutoff_time: '08:00',
        cutoff_timezone: 'IST',
      })

      expect(await (await b.post('/api/master-contract/download', {})).json()).toEqual({
        status: 'skipped',
        message: 'Already downloaded today at 10:00 IST (after 08:00 cutoff)',
        should_download: false,
      })
      const forced = await b.post('/api/master-contract/download', { force: true })
      expect(await forced.json()).toEqual({
        status: 'success',
        message: 'Master contract download started',
        started: true,
      })
      expect(await (await b.post('/api/master-contract/download', { force: true })).json()).toEqual(
        {
          status: 'success',
          message: 'Master contract download already in progress',
          started: false,
        },
      )
      await vi.waitFor(
        () => expect(h.market.masterContract.isDownloading('simulator')).toBe(false),
        { timeout: 60_000 },
      )
      expect(h.eventsOf('master_contract_download')).toHaveLength(2)

      const cache = (await (await b.get('/api/cache/status')).json()) as Record<string, unknown>
      expect(cache).toMatchObject({
        active_broker: 'simulator',
        cache_loaded: true,
        cache_valid: true,
        stats: { db_queries: 0, memory_usage_mb: expect.stringMatching(/^\d+\.\d\d$/) },
      })
      expect(await (await b.get('/api/cache/health')).json()).toMatchObject({
        health_score: 100,
        status: 'healthy',
        recommendations: ['Cache is operating optimally.'],
      })
      expect(await (await b.post('/api/cache/clear')).json()).toEqual({
        status: 'success',
        message: 'Cache cleared successfully',
      })
      expect(await (await b.get('/api/cache/health')).json()).toMatchObject({
        health_score: 0,
        recommendations: ['Cache is not loaded. Run master contract download.'],
      })
      expect(await (await b.post('/api/cache/reload')).json()).toEqual({
        status: 'success',
        message: 'Cache reloaded successfully for broker: simulator',
      })
      expect(h.market.symbols.cache.getToken('SBIN', 'NSE')).toBeDefined()
    },
    SLOW,
  )

  it(
    'say error with the reason when a download breaks, while the old contract keeps serving',
    async () => {
      const { plugin, contract } = switchableSimulator()
      const h = await createMarketHarness({ plugins: [plugin] })
      h.market.start()
      await h.market.started
      const b = await loggedInBrowser(h.app, { broker: true })
      await vi.waitFor(
        () =>
          expect(h.market.masterContract.status('simulator').message).toBe(
            'Using cached master contract',
          ),
        { timeout: 30_000 },
      )
      contract.mode = 'broken'
      contract.brokenAfter = 50_000
      await b.post('/api/master-contract/download', { force: true })
      await vi.waitFor(
        () => expect(h.market.masterContract.isDownloading('simulator')).toBe(false),
        { timeout: 60_000 },
      )
      expect(await (await b.get('/api/master-contract/status')).json()).toMatchObject({
        status: 'error',
        message:
          'Master contract download error: reading the master contract failed: connection reset by broker. The previous master contract is still in use.',
        is_ready: false,
      })
      expect(await (await b.get('/api/master-contract/ready')).json()).toEqual({
        ready: false,
        message: 'Master contracts not ready',
      })
      // quotes keep answering from the previous contract
      const quote = await h.api('quotes', { apikey: h.apiKey, symbol: 'RELIANCE', exchange: 'NSE' })
      expect(quote.status).toBe(200)
      expect(await (await b.get('/api/cache/status')).json()).toMatchObject({ cache_loaded: true })
    },
    SLOW,
  )
})
