import { describe, expect, it, vi } from 'vitest'
import { loggedInBrowser } from '../identity/test-helpers/harness.js'
import { createMarketHarness } from './test-helpers/market-harness.js'

describe('the web app’s market backends (/ui/api)', () => {
  it('shows the master contract, quotes LTPs in 1/10,000 rupee, and forces a download', async () => {
    const h = await createMarketHarness()
    h.market.start()
    await h.market.started
    const b = await loggedInBrowser(h.app, { broker: true })
    await vi.waitFor(() => expect(h.market.masterContract.isDownloading('simulator')).toBe(false), {
      timeout: 30_000,
    })
    const data = async (res: Response) => ((await res.json()) as { data: unknown }).data
    const contract = (await data(await b.get('/ui/api/master-contract'))) as Record<string, unknown>
    expect(contract).toMatchObject({
      status: 'success',
      broker: 'simulator',
      lastDownloadedAt: '2025-04-17T04:30:00.000Z',
      progressPercent: null,
    })
    expect(contract['totalSymbols']).toBeGreaterThan(100_000)
    expect(contract['exchanges']).toMatchObject({ NSE: 2300 })

    const quotes = await b.post('/ui/api/quotes', {
      symbols: [
        { exchange: 'NSE', symbol: 'RELIANCE' },
        { exchange: 'NSE', symbol: 'NOPE' },
      ],
    })
    expect(quotes.status).toBe(200)
    const body = (await data(quotes)) as { quotes: { symbol: string; ltpE4: number }[] }
    expect(body.quotes.map((q) => q.symbol)).toEqual(['RELIANCE'])
    expect(Number.isInteger(body.quotes[0]?.ltpE4)).toBe(true)

    const reload = await b.post('/ui/api/master-contract/reload', {})
    expect(reload.status).toBe(200)
    expect(await data(reload)).toMatchObject({ message: 'Master contract download started' })
    await vi.waitFor(() => expect(h.market.masterContract.isDownloading('simulator')).toBe(false), {
      timeout: 60_000,
    })
  }, 120_000)
})
