import type { Hono } from 'hono'
import { mountMarketApi } from '../api/market-endpoints.js'
import { marketRoutes } from '../http/market-routes.js'
import type { IdentityServices } from '../identity/identity.js'
import { apiDeps } from '../identity/mount.js'
import type { Logger } from '../logger.js'
import type { SecurityServices } from '../security/security.js'
import type { MarketServices } from './market-services.js'

/**
 * Mounts the market area: the symbol and market-data endpoints of `/api/v1` (API key) and the
 * session routes under `/api/cache/*` and `/api/master-contract/*` (cookie + CSRF).
 */
export function mountMarketArea(
  app: Hono,
  deps: {
    readonly market: MarketServices
    readonly identity: IdentityServices
    readonly security: SecurityServices
    readonly logger: Logger
  },
): void {
  mountMarketApi(app, deps.market, apiDeps(deps))
  app.route('/', marketRoutes(deps))
}
