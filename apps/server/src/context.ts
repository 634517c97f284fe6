import type { DatabaseHandle, LatencyDatabase, LogsDatabase, MainDatabase } from '@oa/db'
import type { OaConfig } from '@oa/env-check'
import type { Clock } from './clock.js'
import type { Logger } from './logger.js'
import type { Readiness } from './readiness.js'

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
}
