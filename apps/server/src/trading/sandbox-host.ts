/**
 * The sandbox engine as the server runs it (analyzer mode): `sandbox.db` opened with `@oa/db`'s
 * connection policy and migrated, the prepared-statement store wrapped so every committed order
 * change becomes an order event, croner jobs for the time rules (`createSandboxCron`), and a price
 * feed for resting orders. The engine always answers reads and commands; `activate()` (analyzer
 * mode switched on, or on at boot) catches up what is due and starts the timers, `deactivate()`
 * stops them.
 */
import { closeSqlite, openSqlite, type SqliteDatabase } from '@oa/db'
import {
  createCountingIds,
  createSandboxCron,
  createSandboxEngine,
  createSqliteStore,
  migrateSandbox,
  type DueReport,
  type InstrumentSource,
  type PriceSource,
  type SandboxConfigInput,
  type SandboxCron,
  type SandboxDatabase,
  type SandboxEngine,
  type TradingCalendar,
} from '@oa/sandbox-engine'
import { Kysely, SqliteDialect } from 'kysely'
import type { Clock } from '../clock.js'
import type { OrderEvent } from '../events/order-events.js'
import type { Logger } from '../logger.js'
import type { PriceFeed } from './price-feed.js'
import { withOrderEvents } from './sandbox-events.js'

export interface SandboxHostOptions {
  /** `config.storage.sandboxDb` */
  readonly path: string
  readonly clock: Clock
  readonly logger: Logger
  readonly prices: PriceSource
  readonly instruments: InstrumentSource
  readonly calendar?: TradingCalendar
  readonly config?: SandboxConfigInput
  /** every committed order change, as an order event (mode `analyze`) */
  readonly publish: (username: string, event: OrderEvent) => void
  /** the broker name order events carry */
  readonly brokerOf: (username: string) => string
  /** builds the price feed for resting orders over the engine; none: only the cron's poll */
  readonly feed?: (engine: SandboxEngine) => PriceFeed
  /**
   * start the croner jobs and the price feed on `activate()` (default true); false keeps them
   * built but idle, and tests move an injected clock and call `tick()`, the jobs' own path
   */
  readonly timers?: boolean
}

export interface SandboxHost {
  readonly engine: SandboxEngine
  /** the raw connection to `sandbox.db` (durability checks, benchmarks) */
  readonly sqlite: SqliteDatabase
  /** true between `activate()` and `deactivate()` */
  readonly active: boolean
  /**
   * Analyzer mode on: the first call loads every account and runs what is due (the catch-up after
   * downtime: square-off, T+1, expiry, each exactly once), later calls run what is due now; then
   * the cron jobs and the price feed start.
   */
  activate(): Promise<DueReport>
  /** Analyzer mode off: stops the timers (reads and commands still work) */
  deactivate(): void
  /**
   * Runs what is due now through the same path the cron jobs take (square-off, T+1, expiry, DAY
   * expiry, resting orders against current prices); tests move an injected clock and call it.
   */
  tick(): Promise<void>
  close(): Promise<void>
}

export async function openSandboxHost(options: SandboxHostOptions): Promise<SandboxHost> {
  const logger = options.logger.child({ component: 'sandbox' })
  const sqlite = openSqlite(options.path)
  try {
    // migrations are kysely's; the hot path then runs on prepared statements over the same file
    await migrateSandbox(
      new Kysely<SandboxDatabase>({ dialect: new SqliteDialect({ database: sqlite }) }),
      options.clock.now(),
    )
  } catch (error) {
    closeSqlite(sqlite)
    throw error
  }
  const store = withOrderEvents(createSqliteStore(sqlite), options.publish, options.brokerOf)
  const engine = createSandboxEngine({
    clock: options.clock,
    prices: options.prices,
    instruments: options.instruments,
    store,
    // order ids are YYMMDD + a per-day counter resumed from the highest id in sandbox.db
    ids: createCountingIds(),
    config: options.config,
    logger,
    calendar: options.calendar,
    // group commit: the orders of one event-loop turn (every request read in one poll phase)
    // share one transaction, written in the check phase; each is answered after it is durable
    scheduleCommit: (flush) => void setImmediate(flush),
  })
  const cron: SandboxCron = createSandboxCron(engine, options.config, { logger })
  const timers = options.timers ?? true
  const feed = options.feed?.(engine)
  let active = false
  let started = false
  let closed = false
  return {
    engine,
    sqlite,
    get active() {
      return active
    },
    async activate() {
      const report = started ? await engine.runDue() : await engine.start()
      started = true
      if (!closed) {
        active = true
        if (timers) {
          cron.start()
          feed?.start()
        }
      }
      logger.info(
        {
          trades: report.trades.length,
          cancelled: report.cancelled.length,
          squaredOff: report.squaredOff.length,
          settled: report.settledToHoldings.length,
          expired: report.expirySettlements.length,
        },
        'sandbox active',
      )
      return report
    },
    async tick() {
      await cron.trigger()
      await feed?.tick()
    },
    deactivate() {
      active = false
      cron.stop()
      feed?.stop()
    },
    async close() {
      if (closed) return
      closed = true
      active = false
      cron.stop()
      feed?.stop()
      await engine.close()
      closeSqlite(sqlite)
    },
  }
}
