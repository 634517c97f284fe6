/**
 * The simulator as the server wires it for the orders area: its live orders' store in
 * `<OA_DATA_DIR>/simulator.db` (accounts survive restarts), and, in analyzer mode, the sandbox's
 * instruments and prices computed in process from the same deterministic market.
 */
import { join } from 'node:path'
import {
  createBrokerContext,
  createSystemTimers,
  type Broker,
  type BrokerPlugin,
  type SymbolResolver,
} from '@oa/broker-sdk'
import {
  createMarket,
  createMarketCalendar,
  createMarketInstruments,
  createMarketPrices,
  createSimulatorPlugin,
  type Market,
  type SimulatorPlugin,
} from '@oa/broker-simulator'
import { closeSqlite, openSqlite } from '@oa/db'
import {
  createSqliteStore,
  migrateSandbox,
  type InstrumentSource,
  type PriceSource,
  type SandboxDatabase,
  type TradingCalendar,
} from '@oa/sandbox-engine'
import { Kysely, SqliteDialect } from 'kysely'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import type { BrokerSource } from '../services/orders.js'

/** `simulator.db` next to the other databases */
export function simulatorDbPath(dataDir: string): string {
  return join(dataDir, 'simulator.db')
}

/**
 * The simulator plugin with its live orders on a SQLite file and background matching of resting
 * orders every second (an unref'd timer). `close()` stops it and closes the file.
 */
export async function openSimulatorPlugin(options: {
  readonly seed: number
  /** OA_SIMULATOR_EXTRA_STRIKES; default 0 */
  readonly extraStrikes?: number
  readonly path: string
  readonly clock: Clock
}): Promise<SimulatorPlugin> {
  const sqlite = openSqlite(options.path)
  try {
    await migrateSandbox(
      new Kysely<SandboxDatabase>({ dialect: new SqliteDialect({ database: sqlite }) }),
      options.clock.now(),
    )
  } catch (error) {
    closeSqlite(sqlite)
    throw error
  }
  const plugin = createSimulatorPlugin({
    seed: options.seed,
    extraStrikes: options.extraStrikes ?? 0,
    liveOrders: {
      store: createSqliteStore(sqlite),
      schedule: (fn, ms) => {
        const timer = setInterval(fn, ms)
        timer.unref()
        return () => clearInterval(timer)
      },
    },
  })
  return {
    ...plugin,
    get engine() {
      return plugin.engine
    },
    async close() {
      await plugin.close()
      closeSqlite(sqlite)
    },
  }
}

const NO_SYMBOLS: SymbolResolver = {
  getToken: () => undefined,
  getBrSymbol: () => undefined,
  getOaSymbol: () => undefined,
  getSymbolByToken: () => undefined,
  getBrExchange: () => undefined,
  getSymbolInfo: () => undefined,
}

/**
 * A {@link BrokerSource} over one sessionless plugin (the simulator): one broker per user, whose
 * account is the username. The market core's registry replaces it where it is wired.
 */
export function sessionlessBrokers(options: {
  readonly plugin: BrokerPlugin
  readonly clock: Clock
  readonly logger: Logger
  readonly symbols?: SymbolResolver
}): BrokerSource {
  const brokers = new Map<string, Broker>()
  const timers = createSystemTimers()
  const id = options.plugin.manifest.id
  return {
    forUser(username, brokerId) {
      if (brokerId !== null && brokerId !== id) {
        return {
          ok: false,
          error: 'broker_module_not_found',
          message: 'Broker-specific module not found',
        }
      }
      let broker = brokers.get(username)
      if (!broker) {
        broker = options.plugin.createBroker(
          createBrokerContext({
            plugin: options.plugin,
            credentials: { apiKey: '', apiSecret: '' },
            symbols: options.symbols ?? NO_SYMBOLS,
            session: { authToken: id, brokerUserId: username },
            clock: options.clock,
            timers,
            logger: options.logger,
          }),
        )
        brokers.set(username, broker)
      }
      return { ok: true, broker }
    },
  }
}

/** The sandbox's ports over the simulator's market (analyzer mode on the simulator). */
export function simulatorSandboxPorts(options: {
  readonly seed: number
  readonly clock: Clock
  readonly market?: Market
}): { instruments: InstrumentSource; prices: PriceSource; calendar: TradingCalendar } {
  const market = options.market ?? createMarket({ seed: options.seed })
  return {
    instruments: createMarketInstruments(market),
    prices: createMarketPrices(market, options.clock),
    calendar: createMarketCalendar(market),
  }
}
