import type { OaConfig } from '@oa/env-check'
import type { Hono } from 'hono'
import { mountEndpoints, type MountApiDeps } from '../api/endpoint.js'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import type { SecurityServices } from '../security/security.js'
import { apiKeyRoutes } from './apikey-routes.js'
import { authRoutes } from './auth-routes.js'
import { brokerRoutes } from './broker-routes.js'
import type { IdentityServices } from './identity.js'
import { pingEndpoint } from './ping.js'

/**
 * The `/api/v1` framework's hooks from the identity and security areas: use these when mounting
 * endpoints (`mountEndpoints(app, defs, apiDeps(...))`).
 */
export function apiDeps(deps: {
  readonly identity: IdentityServices
  readonly security: SecurityServices
  readonly logger: Logger
}): MountApiDeps {
  return {
    authenticate: (apiKey, clientIp) => deps.identity.authenticateApiKey(apiKey, clientIp),
    rateLimit: (group, request) =>
      deps.security.rateLimitApi(group, request.clientIp, request.routePath),
    clientIp: deps.security.clientIp,
    onUnexpectedError: (error, request, requestId) =>
      deps.logger.error({ err: error, requestId, path: request.path }, 'unhandled api error'),
  }
}

/** Mounts the identity routes (auth, setup, API key, broker callback) and `POST /api/v1/ping`. */
export function mountIdentityRoutes(
  app: Hono,
  deps: {
    readonly config: OaConfig
    readonly clock: Clock
    readonly logger: Logger
    readonly identity: IdentityServices
    readonly security: SecurityServices
  },
): void {
  app.route('/', authRoutes(deps))
  app.route('/', apiKeyRoutes(deps))
  mountEndpoints(app, [pingEndpoint], apiDeps(deps))
  // last: `/:broker/callback` is a catch-all shape
  app.route('/', brokerRoutes(deps))
}
