import type { DatabaseHandle, LatencyDatabase, LogsDatabase, MainDatabase } from '@oa/db'
import type { OaConfig } from '@oa/env-check'
import type { Clock } from './clock.js'
import type { Logger } from './logger.js'
import type { IdentityServices } from './identity/identity.js'
import type { Readiness } from './readiness.js'
import type { SecurityServices } from './security/security.js'
import type { EventBus } from './events/bus.js'
import type { MarketServices } from './market/market-services.js'
import type { RequestLog } from './api/request-log.js'
import type { TradingArea } from './trading/trading.js'

/**
 * Everything the HTTP layer and the background jobs share, built once by the startup sequence
 * (the composition root). Areas add their services here as they land.
 */
export interface ServerContext {
  readonly config: OaConfig
  readonly logger: Logger
  readonly clock: Clock
  readonly readiness: Readiness
  readonly main: DatabaseHandle<MainDatabase>
  readonly logs: DatabaseHandle<LogsDatabase>
  readonly latency: DatabaseHandle<LatencyDatabase>
  /** client IP, bans, rate limits (apps/server/src/security) */
  readonly security: SecurityServices
  /** auth cache, users, sessions, CSRF, API-key auth, broker-login hooks (apps/server/src/identity) */
  readonly identity: IdentityServices
  /** the in-process event bus: master contract, cache and (later) order events (events/bus.ts) */
  readonly events?: EventBus
  /** broker registry, symbol cache, master contract, market-data services (apps/server/src/market) */
  readonly market?: MarketServices
  /** the traffic log and latency monitor, written off the hot path (apps/server/src/api) */
  readonly requestLog?: RequestLog
  /** analyzer switch, sandbox engine, order/account/analyzer services (apps/server/src/trading) */
  readonly trading?: TradingArea
}
