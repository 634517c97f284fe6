import { afterAll, describe, expect, it, vi } from 'vitest'
import { createRequestLog, type RequestLogOptions } from '../../src/api/request-log.js'
import { startContractServer } from './harness.js'

const server = await startContractServer()
afterAll(() => server.stop())
const ctx = server.running.context

describe('request and latency log', () => {
  it('records each API call off the hot path, with the user, the stages and the broker time', async () => {
    const log = ctx.requestLog
    if (!log) throw new Error('the server composes a request log')
    const before = log.stats()
    expect((await server.post('/api/v1/ping', { apikey: server.apiKey })).status).toBe(200)
    const quotes = server.mounted.has('POST /quotes')
    if (quotes)
      expect(
        (
          await server.post('/api/v1/quotes', {
            apikey: server.apiKey,
            symbol: 'SBIN',
            exchange: 'NSE',
          })
        ).status,
      ).toBe(200)
    // nothing is written inline: the records wait in the queue for the timer
    expect(log.stats().queuedLatency).toBeGreaterThan(before.queuedLatency)

    const traffic = (await (await server.browser.get('/traffic/api/logs?limit=20')).json()) as {
      path: string
      status_code: number
    }[]
    expect(traffic.some((r) => r.path === '/api/v1/ping' && r.status_code === 200)).toBe(true)
    const latency = (await (await server.browser.get('/latency/api/logs?limit=20')).json()) as {
      order_type: string
      user_id: number | null
      broker: string | null
      status: string
      broker_calls: number
      broker_ms: number
      parse_ms: number
      total_latency_ms: number
    }[]
    const ping = latency.find((r) => r.order_type === 'PING')
    expect(ping).toMatchObject({ status: 'SUCCESS', broker: 'simulator', broker_calls: 0 })
    expect(ping?.user_id).toBeGreaterThan(0)
    expect(ping?.total_latency_ms).toBeGreaterThan(0)
    if (quotes) {
      const q = latency.find((r) => r.order_type === 'QUOTES')
      expect(q?.broker_calls, JSON.stringify(latency.slice(0, 3))).toBeGreaterThanOrEqual(1)
      expect(q?.broker_ms).toBeGreaterThan(0)
    }
    const stats = (await (await server.browser.get('/latency/api/stats')).json()) as {
      total_orders: number
      broker_stats: Record<string, unknown>
    }
    expect(stats.total_orders).toBeGreaterThanOrEqual(1)
    expect(Object.keys(stats.broker_stats)).toContain('simulator')
  })

  it('keeps the dashboards behind a signed-in session', async () => {
    expect((await server.get('/traffic/api/logs')).status).toBe(401)
    expect((await server.get('/latency/api/stats')).status).toBe(401)
  })

  /** a request log of its own over the server's databases, in front of a one-route app */
  async function loggedApp(options: Partial<RequestLogOptions>) {
    const log = createRequestLog({
      logs: ctx.logs,
      latency: ctx.latency,
      main: ctx.main,
      clock: ctx.clock,
      logger: ctx.logger,
      clientIp: () => '127.0.0.1',
      retentionDays: 30,
      ...options,
    })
    const { Hono } = await import('hono')
    const app = new Hono()
    app.use('*', log.middleware)
    app.get('/x', (c) => c.text('ok'))
    return { log, app }
  }

  it('drops and counts records beyond the queue bound instead of blocking a request', async () => {
    const { log, app } = await loggedApp({ maxQueue: 2 })
    for (let i = 0; i < 5; i++) await app.request('/x')
    expect(log.stats()).toMatchObject({ queuedTraffic: 2, dropped: 3 })
    // flush returns once the writer thread committed
    log.flush()
    expect(log.stats()).toMatchObject({ queuedTraffic: 0, writtenTraffic: 2 })
    await log.stop()
  })

  it('writes as soon as flushAt records wait, not a whole timer period of them at once', async () => {
    const { log, app } = await loggedApp({ flushIntervalMs: 3_600_000, flushAt: 3 })
    log.start()
    try {
      for (let i = 0; i < 2; i++) await app.request('/x')
      await new Promise((resolve) => setImmediate(resolve))
      expect(log.stats()).toMatchObject({ queuedTraffic: 2, writtenTraffic: 0 })
      await app.request('/x')
      await new Promise((resolve) => setImmediate(resolve))
      // handed to the writer thread at once, committed by it shortly after
      expect(log.stats()).toMatchObject({ queuedTraffic: 0 })
      await vi.waitFor(() => expect(log.stats()).toMatchObject({ writtenTraffic: 3 }))
    } finally {
      await log.stop()
    }
  })

  it('purges traffic past the retention and non-order latency rows past 7 days, keeping order rows', () => {
    const now = ctx.clock.now()
    const old = new Date(now - 40 * 86_400_000).toISOString()
    const week = new Date(now - 8 * 86_400_000).toISOString()
    ctx.logs.sqlite
      .prepare(
        "INSERT INTO traffic_logs (timestamp, client_ip, method, path, status_code, duration_ms) VALUES (?, '1.2.3.4', 'GET', '/old', 200, 1)",
      )
      .run(old)
    const insert = ctx.latency.sqlite.prepare(
      "INSERT INTO order_latency (timestamp, order_id, order_type, total_latency_ms) VALUES (?, 'x', ?, 1)",
    )
    insert.run(week, 'QUOTES')
    insert.run(week, 'PLACE')
    const removed = ctx.requestLog?.purge()
    expect(removed).toMatchObject({ traffic: 1, latency: 1 })
    const kept = ctx.latency.sqlite
      .prepare(
        "SELECT COUNT(*) AS n FROM order_latency WHERE order_type = 'PLACE' AND timestamp = ?",
      )
      .get(week) as { n: number }
    expect(kept.n).toBe(1)
  })
})
