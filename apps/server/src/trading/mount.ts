import type { Context, Hono, MiddlewareHandler } from 'hono'
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
  const logSchemaErrors: MiddlewareHandler = async (c, next) => {
    const wasOn = trading.mode.isOn()
    await next()
    if (!wasOn || c.res.status !== 400 || c.get('oaApi')?.errorMessage !== 'validation error')
      return
    const request = await c.req.json().catch(() => ({}))
    const response = (await c.res
      .clone()
      .json()
      .catch(() => ({}))) as unknown
    trading.analyzerLog.record({
      username: null,
      apiType: c.req.path
        .replace(/^\/api\/v1\//, '')
        .replace(/\/+$/, '')
        .replace('/', '_'),
      request,
      response,
      atMs: clock.now(),
    })
  }
  for (const def of defs) {
    app.use(`/api/v1${def.path}`, logSchemaErrors)
    app.use(`/api/v1${def.path}/`, logSchemaErrors)
  }
  mountEndpoints(app, defs, deps.api)

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
