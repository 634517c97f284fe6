import type { DatabaseHandle, LogsDatabase, MainDatabase } from '@oa/db'
import type { OaConfig } from '@oa/env-check'
import type { Context, Hono, MiddlewareHandler } from 'hono'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import { createBanService, readBanSettings, type BanService } from './bans.js'
import { createAddressResolver, createClientIpResolver } from './client-ip.js'
import { apiCors } from './cors.js'
import {
  createRateLimits,
  type LimitGroup,
  type LimitVerdict,
  type RateLimits,
} from './rate-limit.js'
import { securityHeaders } from './security-headers.js'

/** The `app_meta` epoch bumped by every ban and unban, in any process. */
export const BAN_EPOCH = 'ban_epoch'

/**
 * The server's security services (spec platform.md §7): client IP, bans and abuse trackers,
 * rate limits. Built once in the composition root; the middleware below and the API and
 * identity areas use them.
 */
export interface SecurityServices {
  /** the resolved client IP of a request (W-7, W-9) */
  readonly clientIp: (c: Context) => string
  /** the same, from a TCP peer address and a header reader (the Node fast path) */
  readonly addressOf: (
    peer: string | undefined,
    header: (name: string) => string | undefined,
  ) => string
  readonly bans: BanService
  readonly rateLimits: RateLimits
  /**
   * The `/api/v1` framework's rate-limit hook (`MountApiDeps.rateLimit`): one bucket per group
   * and route per client IP. Groups without an env variable fall back to API_RATE_LIMIT.
   */
  readonly rateLimitApi: (
    group: 'api' | 'order' | 'smartOrder' | 'greeks',
    clientIp: string,
    route: string,
  ) => LimitVerdict
  /** a per-API-key bucket for a group, to use after authentication (`key:<keyId>`) */
  readonly rateLimitKey: (group: LimitGroup, keyId: number) => LimitVerdict
}

export function createSecurityServices(options: {
  readonly config: OaConfig
  readonly clock: Clock
  readonly logger: Logger
  readonly main: DatabaseHandle<MainDatabase>
  readonly logs: DatabaseHandle<LogsDatabase>
}): SecurityServices {
  const { config, clock } = options
  const clientIp = createClientIpResolver({ trustProxyHeaders: config.security.trustProxyHeaders })
  const addressOf = createAddressResolver({
    trustProxyHeaders: config.security.trustProxyHeaders,
  })
  const bumpBanEpoch = options.main.sqlite.prepare(
    `INSERT INTO app_meta (key, value, updated_at) VALUES ('${BAN_EPOCH}', '1', ?)
     ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT), updated_at = excluded.updated_at`,
  )
  const bans = createBanService({
    logs: options.logs.sqlite,
    settings: () => readBanSettings(options.main.sqlite),
    clock,
    logger: options.logger.child({ component: 'bans' }),
    onChange: () => void bumpBanEpoch.run(new Date(clock.now()).toISOString()),
  })
  const rateLimits = createRateLimits({ config: config.rateLimits, clock, clientIp })
  return {
    clientIp,
    addressOf,
    bans,
    rateLimits,
    rateLimitApi: (group, ip, route) => rateLimits.check(group, ip, route),
    rateLimitKey: (group, keyId) => rateLimits.check(group, `key:${keyId}`, 'api-key'),
  }
}

/**
 * The outermost middleware, in the order of spec platform.md §10.5: ban check (403 text/plain
 * before anything else runs), security headers on every response, CORS on `/api/*`, the
 * login/reset limiters ahead of any session, CSRF or password work, then `csrf` (the identity
 * area's CSRF check) ahead of every route.
 */
export function installSecurityMiddleware(
  app: Hono,
  config: OaConfig,
  security: SecurityServices,
  csrf?: MiddlewareHandler,
): void {
  const banGate: MiddlewareHandler = async (c, next) => {
    if (security.bans.isBanned(security.clientIp(c))) {
      return c.text('Access Denied: Your IP has been banned', 403)
    }
    return next()
  }
  app.use('*', banGate)
  app.use('*', securityHeaders(config.security, config.server.isHttps))
  app.use('/api/*', apiCors(config.security.cors))
  const login = security.rateLimits.middleware('login')
  for (const path of [
    '/auth/login',
    '/auth/login/totp',
    '/apikey/reveal',
    '/apikey/rotate',
    '/auth/reauth',
  ]) {
    app.on('POST', path, login)
  }
  app.use('/:broker/callback', login)
  app.on('POST', '/auth/reset-password', security.rateLimits.middleware('reset'))
  if (csrf) app.use('*', csrf)
}

/** Paths whose 404s are not counted toward a ban (spec platform.md §7.6: browsers ask for them). */
const BENIGN_404 =
  /^\/(favicon|robots\.txt|sitemap|manifest|sw\.js|\.well-known|apple-touch-icon|service-worker|workbox)/

/**
 * Counts a 404 toward the client's 404 ban threshold (spec platform.md §7.6), except for the
 * benign paths browsers request on their own and for a logged-in browser (`loggedIn`).
 */
export function record404(security: SecurityServices, c: Context, loggedIn: boolean): void {
  const path = c.req.path
  if (loggedIn || BENIGN_404.test(path)) return
  security.bans.record('404', security.clientIp(c), path)
}
