import { Hono } from 'hono'
import type { ServerContext } from '../context.js'
import { errorJson } from './envelope.js'
import { healthRoutes } from './health.js'
import { webUiRoutes } from './web-ui.js'
import { mountIdentityRoutes } from '../identity/mount.js'
import { mountMarketArea } from '../market/mount.js'
import { mountWebRoutes } from '../web/mount.js'
import { installSecurityMiddleware, record404 } from '../security/security.js'
import { methodNotAllowed } from '../api/endpoint.js'
import { mountApiArea } from '../api/mount.js'
import { apiDeps } from '../identity/mount.js'
import { mountTradingArea } from '../trading/mount.js'

/** The parts of the context the HTTP app needs before the full context exists. */
export type AppDeps = Pick<ServerContext, 'logger' | 'readiness'> &
  Partial<ServerContext> & {
    /** the built web app to serve at `/`; omitted in API-only tests */
    readonly webUiDir?: string
  }

/**
 * Builds the Hono application: middleware, then each area's routes, then the envelope-shaped
 * 404 and error handlers. Pure wiring; tested in-process with `app.request()`.
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono()
  if (deps.config && deps.security)
    installSecurityMiddleware(app, deps.config, deps.security, deps.identity?.csrf.middleware())
  // the request log sees every request past the ban gate; it writes off the hot path
  if (deps.requestLog) app.use('*', deps.requestLog.middleware)
  app.route('/', healthRoutes(deps.readiness))

  // ── each area mounts its routes here, above the web app ──
  if (deps.config && deps.clock && deps.identity && deps.security) {
    const { config, clock, identity, security, logger } = deps
    mountIdentityRoutes(app, { config, clock, identity, security, logger })
    // the web app's session routes and push stream (`/ui/api/*`)
    if (deps.main && deps.logs)
      mountWebRoutes(app, {
        ...deps,
        config,
        clock,
        identity,
        security,
        main: deps.main,
        logs: deps.logs,
      })
  }

  // symbol and market-data endpoints, cache and master-contract session routes
  if (deps.market && deps.identity && deps.security) {
    const { market, identity, security, logger } = deps
    mountMarketArea(app, { market, identity, security, logger })
  }

  // order, account and analyzer endpoints and the analyzer page's data (the orders area)
  if (deps.trading && deps.clock && deps.identity && deps.security) {
    const { trading, clock, identity, security, logger } = deps
    mountTradingArea(app, {
      trading,
      clock,
      identity,
      api: apiDeps({ identity, security, logger }),
      // the market core serves /funds and asks the orders area in analyzer mode
      funds: deps.market === undefined,
    })
  }

  // the API area last among the areas: its OpenAPI document lists every mounted endpoint
  if (deps.clock && deps.identity && deps.security && deps.main && deps.logs)
    mountApiArea(app, {
      ...deps,
      clock: deps.clock,
      identity: deps.identity,
      security: deps.security,
      main: deps.main,
      logs: deps.logs,
    })

  // the web app last: API and health routes above always win over the SPA shell
  if (deps.webUiDir) app.route('/', webUiRoutes(deps.webUiDir))

  app.notFound((c) => {
    const path = c.req.path
    // a known /api/v1 path with another method is a 405 in the envelope, not a 404
    const wrongMethod = path.startsWith('/api/') ? methodNotAllowed(app, c) : null
    if (wrongMethod) return wrongMethod
    if (deps.security)
      record404(deps.security, c, deps.identity?.sessions.current(c)?.stage === 'broker')
    if (path.startsWith('/api/')) return errorJson(c, 404, 'Not found', { path })
    return c.text('Not Found', 404)
  })
  app.onError((error, c) => {
    const requestId = crypto.randomUUID()
    deps.logger.error(
      { err: error, requestId, path: c.req.path, method: c.req.method },
      'unhandled error',
    )
    return errorJson(c, 500, 'An unexpected error occurred', { request_id: requestId })
  })
  return app
}
