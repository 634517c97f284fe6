/**
 * The web app's cache and master-contract routes (spec platform.md §4.6, §8.4; blueprint prefix
 * `/api`, not `/api/v1`): session-authenticated (a browser logged in to the broker), CSRF-checked
 * on POST by the global middleware, the original's payloads and messages.
 */
import { Hono, type Context } from 'hono'
import type { IdentityServices } from '../identity/identity.js'
import type { MarketServices } from '../market/market-services.js'

const SESSION_EXPIRED = {
  status: 'error',
  error: 'session_expired',
  message: 'Your session has expired. Please log in again.',
}

export function marketRoutes(deps: {
  readonly identity: Pick<IdentityServices, 'sessions'>
  readonly market: MarketServices
}): Hono {
  const { identity, market } = deps
  const { symbols, masterContract } = market
  const app = new Hono()

  /**
   * The original's `@check_session_validity`: a live session that completed the broker login;
   * `null` after answering 401 otherwise.
   */
  const sessionOf = (c: Context): { broker: string | null } | Response => {
    const s = identity.sessions.current(c)
    if (s === null || s.stage !== 'broker') return c.json(SESSION_EXPIRED, 401)
    return { broker: s.broker }
  }
  const noBroker = (c: Context) =>
    c.json({ status: 'error', message: 'No broker session found' }, 401)

  app.get('/api/master-contract/status', (c) => {
    const s = sessionOf(c)
    if (s instanceof Response) return s
    if (s.broker === null) return noBroker(c)
    return c.json(masterContract.status(s.broker))
  })

  app.get('/api/master-contract/ready', (c) => {
    const s = sessionOf(c)
    if (s instanceof Response) return s
    if (s.broker === null) return c.json({ ready: false, message: 'No broker session found' }, 401)
    const ready = masterContract.status(s.broker).is_ready
    return c.json({
      ready,
      message: ready ? 'Master contracts are ready' : 'Master contracts not ready',
    })
  })

  app.get('/api/master-contract/smart-status', (c) => {
    const s = sessionOf(c)
    if (s instanceof Response) return s
    if (s.broker === null) return noBroker(c)
    const decision = masterContract.decide(s.broker)
    return c.json({
      ...masterContract.status(s.broker),
      smart_download: {
        should_download: decision.shouldDownload,
        reason: decision.reason,
        cutoff_time: decision.cutoffTime,
        cutoff_timezone: decision.cutoffTimezone,
      },
    })
  })

  app.post('/api/master-contract/download', async (c) => {
    const s = sessionOf(c)
    if (s instanceof Response) return s
    if (s.broker === null) return noBroker(c)
    let force = false
    try {
      const body: unknown = await c.req.json()
      if (typeof body === 'object' && body !== null) {
        const f = (body as Record<string, unknown>)['force']
        force = f === true || f === 1 || (typeof f === 'string' && /^(true|1|yes)$/i.test(f))
      }
    } catch {
      // the original reads the body with get_json(silent=True): no body means no force
    }
    if (market.brokers.plugin(s.broker) === undefined) {
      return c.json({ status: 'error', message: 'Broker-specific module not found' }, 404)
    }
    const request = masterContract.requestDownload(s.broker, { force })
    if (request.status === 'skipped') {
      return c.json({ status: 'skipped', message: request.reason, should_download: false })
    }
    // W-20: a second trigger joins the running download instead of starting another
    return c.json({
      status: 'success',
      message:
        request.status === 'started'
          ? 'Master contract download started'
          : 'Master contract download already in progress',
      started: request.status === 'started',
    })
  })

  app.get('/api/cache/status', (c) => {
    const s = sessionOf(c)
    if (s instanceof Response) return s
    return c.json(symbols.cache.getCacheStats())
  })

  app.get('/api/cache/health', (c) => {
    const s = sessionOf(c)
    if (s instanceof Response) return s
    return c.json(symbols.cache.getCacheHealth())
  })

  app.post('/api/cache/reload', async (c) => {
    const s = sessionOf(c)
    if (s instanceof Response) return s
    if (s.broker === null) return noBroker(c)
    const outcome = await symbols.reload()
    if (!outcome.ok) {
      return c.json(
        { status: 'error', message: 'Failed to reload cache', reason: outcome.error.message },
        500,
      )
    }
    return c.json({
      status: 'success',
      message: `Cache reloaded successfully for broker: ${s.broker}`,
    })
  })

  app.post('/api/cache/clear', (c) => {
    const s = sessionOf(c)
    if (s instanceof Response) return s
    symbols.cache.clear()
    return c.json({ status: 'success', message: 'Cache cleared successfully' })
  })

  return app
}
