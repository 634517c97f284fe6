import type { Context, Hono } from 'hono'
import { mountEndpoints, type MountApiDeps } from '../api/endpoint.js'
import { userSession } from '../identity/auth-routes.js'
import type { IdentityServices } from '../identity/identity.js'
import { tradingEndpoints } from './endpoints.js'
import type { TradingArea } from './trading.js'

const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * Mounts the orders area: the `/api/v1` order, account and analyzer endpoints, the analyzer log
 * of schema errors made in analyzer mode (the handlers log everything else), and the web app's
 * `GET /analyzer/api/data` (session).
 */
export function mountTradingArea(
  app: Hono,
  deps: {
    readonly trading: TradingArea
    readonly api: MountApiDeps
    readonly identity: IdentityServices
    readonly clock: { now(): number }
    /** false when another area serves `/funds` (the market core, with the analyzer branch) */
    readonly funds?: boolean
  },
): void {
  const { trading, clock } = deps
  const defs = tradingEndpoints({
    orders: trading.orders,
    account: trading.account,
    analyzer: trading.analyzer,
    mode: trading.mode,
    log: trading.analyzerLog,
    clock,
    funds: deps.funds,
  })
  // schema errors are answered by the framework before a handler runs: log them here (rare path)
  mountEndpoints(app, defs, {
    ...deps.api,
    onSchemaError: (request, raw, answer) => {
      if (!trading.mode.isOn()) return
      trading.analyzerLog.record({
        username: null,
        apiType: request.path
          .replace(/^\/api\/v1\//, '')
          .replace(/\/+$/, '')
          .replace('/', '_'),
        request: raw,
        response: answer,
        atMs: clock.now(),
      })
    },
  })

  app.get('/analyzer/api/data', (c: Context) => {
    const session = userSession(deps.identity, c)
    if (!session) return c.json({ status: 'error', message: 'Not authenticated' }, 401)
    const start = c.req.query('start_date')
    const end = c.req.query('end_date')
    if ((start && !DATE.test(start)) || (end && !DATE.test(end)))
      return c.json({ status: 'error', message: 'Dates must be YYYY-MM-DD' }, 400)
    const data = trading.analyzer.requests(
      { username: session.username, broker: null },
      { ...(start ? { start } : {}), ...(end ? { end } : {}) },
    )
    return c.json({ status: 'success', data })
  })
}
