/**
 * The orders area of the server, composed: the analyzer switch, the sandbox host (analyzer mode),
 * the order, account and analyzer services over it and the user's broker (live mode), the
 * analyzer request log and the order-event publisher. Built once in the composition root.
 */
import type { SqliteDatabase } from '@oa/db'
import type {
  InstrumentSource,
  PriceSource,
  SandboxConfigInput,
  SandboxEngine,
  TradingCalendar,
} from '@oa/sandbox-engine'
import type { Clock } from '../clock.js'
import { createOrderEventPublisher, type OrderEventPublisher } from '../events/order-events.js'
import type { Logger } from '../logger.js'
import { createAccountServices, type AccountServices } from '../services/account.js'
import { createAnalyzerServices, type AnalyzerServices } from '../services/analyzer.js'
import { createOrderServices, type BrokerSource, type OrderServices } from '../services/orders.js'
import { createAnalyzerMode, type AnalyzerMode } from '../settings/analyzer-mode.js'
import { createAnalyzerLog, type AnalyzerLog } from './analyzer-log.js'
import type { PriceFeed } from './price-feed.js'
import { openSandboxHost, type SandboxHost } from './sandbox-host.js'

export interface TradingArea {
  readonly mode: AnalyzerMode
  readonly sandbox: SandboxHost
  readonly orders: OrderServices
  readonly account: AccountServices
  readonly analyzer: AnalyzerServices
  readonly analyzerLog: AnalyzerLog
  readonly events: OrderEventPublisher
  /** watches the switch; activates the sandbox when analyzer mode is on (catch-up first) */
  start(): Promise<void>
  stop(): Promise<void>
}

export interface TradingAreaOptions {
  readonly clock: Clock
  readonly logger: Logger
  /** the main database's connection (`settings`, `app_meta`, `analyzer_logs`) */
  readonly main: SqliteDatabase
  /** `config.storage.sandboxDb` */
  readonly sandboxPath: string
  /** the user's broker (the registry) */
  readonly brokers: BrokerSource
  /** the sandbox's instruments (the symbol cache) and prices (the broker's quotes) */
  readonly instruments: InstrumentSource
  readonly prices: PriceSource
  readonly calendar?: TradingCalendar
  readonly sandboxConfig?: SandboxConfigInput
  readonly feed?: (engine: SandboxEngine) => PriceFeed
  /** start the sandbox's croner jobs and price feed when active (default true; tests: false) */
  readonly timers?: boolean
  /** the broker name order events carry */
  readonly brokerName: string
  /** the caller's order mode is semi-auto */
  readonly isSemiAuto?: (username: string) => boolean
  /** epoch poll period of the switch, default 100 ms */
  readonly pollIntervalMs?: number
}

export async function createTradingArea(options: TradingAreaOptions): Promise<TradingArea> {
  const { clock, logger } = options
  const events = createOrderEventPublisher({ logger })
  const mode = createAnalyzerMode({
    db: options.main,
    clock,
    logger,
    pollIntervalMs: options.pollIntervalMs,
  })
  const sandbox = await openSandboxHost({
    path: options.sandboxPath,
    clock,
    logger,
    prices: options.prices,
    instruments: options.instruments,
    calendar: options.calendar,
    config: options.sandboxConfig,
    publish: (u, e) => events.publishOrderEvent(u, e),
    brokerOf: () => options.brokerName,
    feed: options.feed,
    timers: options.timers,
  })
  const analyzerLog = createAnalyzerLog({ db: options.main, clock, logger })
  const orders = createOrderServices({
    analyzer: mode,
    sandbox,
    brokers: options.brokers,
    publish: (u, e) => events.publishOrderEvent(u, e),
    clock,
    logger,
  })
  const account = createAccountServices({ analyzer: mode, sandbox, brokers: options.brokers })
  const analyzer = createAnalyzerServices({
    mode,
    log: analyzerLog,
    isSemiAuto: options.isSemiAuto,
  })

  let switching: Promise<void> = Promise.resolve()
  const follow = (on: boolean): Promise<void> => {
    // switches apply in order; a failed activation is logged and retried on the next switch
    switching = switching.then(async () => {
      try {
        if (on) await sandbox.activate()
        else sandbox.deactivate()
      } catch (error) {
        logger.error({ err: error, analyzeMode: on }, 'sandbox could not follow analyzer mode')
      }
    })
    return switching
  }
  let off: (() => void) | undefined

  return {
    mode,
    sandbox,
    orders,
    account,
    analyzer,
    analyzerLog,
    events,
    async start() {
      off ??= mode.onChange((on) => void follow(on))
      mode.start()
      if (mode.isOn()) await follow(true)
    },
    async stop() {
      off?.()
      off = undefined
      mode.stop()
      await switching
      analyzerLog.close()
      events.flush()
      await sandbox.close()
    },
  }
}
