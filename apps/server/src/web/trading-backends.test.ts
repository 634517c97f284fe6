import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { mountIdentityRoutes } from '../identity/mount.js'
import { loggedInBrowser } from '../identity/test-helpers/harness.js'
import { installSecurityMiddleware } from '../security/security.js'
import { createTradingHarness, p, type TradingHarness } from '../trading/test-helpers/harness.js'
import { mountWebRoutes } from './mount.js'
import { istText, toE4, tradingWebBackends } from './trading-backends.js'

/** The trading harness's server, with the web routes over the trading area. */
function webApp(h: TradingHarness): Hono {
  const app = new Hono()
  installSecurityMiddleware(app, h.config, h.security, h.identity.csrf.middleware())
  const deps = {
    config: h.config,
    clock: h.clock,
    logger: h.logger,
    identity: h.identity,
    security: h.security,
    main: h.main,
    logs: h.logs,
  }
  mountIdentityRoutes(app, deps)
  mountWebRoutes(app, deps, tradingWebBackends(h.trading))
  return app
}

async function ready(): Promise<{ h: TradingHarness; app: Hono }> {
  const h = await createTradingHarness()
  h.prices?.set('SBIN', 'NSE', { ltp: p('800'), bid: p('799.95'), ask: p('800.05') })
  return { h, app: webApp(h) }
}

const SBIN = {
  symbol: 'SBIN',
  exchange: 'NSE',
  action: 'BUY',
  quantity: 10,
  priceType: 'MARKET',
  product: 'MIS',
}

describe('web backends over the trading area', () => {
  it('reads rupees through decimal text into 1/10,000 rupee', () => {
    expect(toE4(245.55)).toBe(2_455_500)
    expect(toE4('9999590.92')).toBe(99_995_909_200)
    expect(toE4('-0.02')).toBe(-200)
    expect(toE4(0.00005)).toBe(1)
    expect(toE4('x')).toBe(0)
    expect(istText('02-Mar-2026 10:00:04')).toBe('2026-03-02T10:00:04+05:30')
    expect(istText('2026-03-02 10:00:04')).toBe('2026-03-02T10:00:04+05:30')
  })

  it('places from the web app, and the order, position and funds read back in integer rupees', async () => {
    const { h, app } = await ready()
    const b = await loggedInBrowser(app, { broker: true })
    const placed = await b.post('/ui/api/orders', SBIN)
    expect(placed.status).toBe(200)
    const { data } = (await placed.json()) as { data: { orderId: string } }
    expect(data.orderId).toMatch(/^\d+$/)

    const book = (await (await b.get('/ui/api/orderbook')).json()) as {
      data: { orders: { orderId: string; status: string; averagePriceE4: number; time: string }[] }
    }
    const row = book.data.orders.find((o) => o.orderId === data.orderId)
    expect(row).toMatchObject({ status: 'complete', averagePriceE4: 8_000_500 })
    expect(row?.time).toMatch(/^2025-04-15T10:00:\d\d\+05:30$/)

    const positions = (await (await b.get('/ui/api/positions')).json()) as {
      data: { positions: unknown[] }
    }
    expect(positions.data.positions).toEqual([
      expect.objectContaining({ symbol: 'SBIN', quantity: 10, averagePriceE4: 8_000_500 }),
    ])
    const funds = (await (await b.get('/ui/api/funds')).json()) as {
      data: { availableCashE4: number }
    }
    expect(Number.isSafeInteger(funds.data.availableCashE4)).toBe(true)
    expect(h.trading.mode.isOn()).toBe(true)
  })

  it('closes one position with a smart order to zero', async () => {
    const { app } = await ready()
    const b = await loggedInBrowser(app, { broker: true })
    await b.post('/ui/api/orders', SBIN)
    const closed = await b.post('/ui/api/positions/close', {
      symbol: 'SBIN',
      exchange: 'NSE',
      product: 'MIS',
    })
    expect(closed.status).toBe(200)
    const positions = (await (await b.get('/ui/api/positions')).json()) as {
      data: { positions: { quantity: number }[] }
    }
    expect(positions.data.positions.every((x) => x.quantity === 0)).toBe(true)
  })

  it('shows a refused order with the service message, in place', async () => {
    const { app } = await ready()
    const b = await loggedInBrowser(app, { broker: true })
    const res = await b.post('/ui/api/orders', { ...SBIN, symbol: 'NOSUCH' })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { code: string; message: string }
    expect(body.code).toBe('upstream')
    expect(body.message.length).toBeGreaterThan(0)
  })

  it('pushes the changed order row to the user as soon as it is placed', async () => {
    const { h } = await ready()
    const backends = tradingWebBackends(h.trading)
    const seen: { user: string | null; type: string }[] = []
    const off = backends.subscribe!((user, e) => seen.push({ user, type: e.type }))
    await h.api('/placeorder', {
      strategy: 'test',
      symbol: 'SBIN',
      exchange: 'NSE',
      action: 'BUY',
      quantity: 1,
      pricetype: 'MARKET',
      product: 'MIS',
    })
    off()
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every((s) => s.user === 'admin' && s.type === 'order')).toBe(true)
  })

  it('lists the analyzer requests of the day with their stats', async () => {
    const { h, app } = await ready()
    const b = await loggedInBrowser(app, { broker: true })
    await h.api('/placeorder', {
      strategy: 'test',
      symbol: 'SBIN',
      exchange: 'NSE',
      action: 'BUY',
      quantity: 1,
      pricetype: 'MARKET',
      product: 'MIS',
    })
    h.trading.analyzerLog.flush()
    const res = (await (await b.get('/ui/api/analyzer/log')).json()) as {
      data: { stats: { totalRequests: number; symbols: string[] }; requests: { apiType: string }[] }
    }
    expect(res.data.stats.totalRequests).toBeGreaterThanOrEqual(1)
    expect(res.data.stats.symbols).toContain('SBIN')
    expect(res.data.requests.map((r) => r.apiType)).toContain('placeorder')
  })
})
