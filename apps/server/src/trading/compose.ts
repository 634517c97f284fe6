/**
 * How `oa start` builds the orders area (the composition root calls these two functions): the
 * simulator plugin whose live orders live in `<OA_DATA_DIR>/simulator.db`, and the trading area
 * over the market core (broker registry, symbol cache), `sandbox.db` and the main database.
 */
import {
  appendOrderEvents,
  type DatabaseHandle,
  type MainDatabase,
  type OrderEvent as DbOrderEvent,
  type OrderEventsMessage,
} from '@oa/db'
import type { BrokerPlugin } from '@oa/broker-sdk'
import type { SimulatorPlugin } from '@oa/broker-simulator'
import type { OaConfig } from '@oa/env-check'
import type { InstrumentSource } from '@oa/sandbox-engine'
import type { Clock } from '../clock.js'
import type { EventBus } from '../events/bus.js'
import type { Logger } from '../logger.js'
import type { MarketServices } from '../market/market-services.js'
import { createAccountMode } from '../services/account-mode.js'
import { createBrokerPrices } from './broker-prices.js'
import { instrumentsFromSymbols } from './instruments.js'
import { createComputedFeed } from './price-feed.js'
import { openSimulatorPlugin, simulatorDbPath, simulatorSandboxPorts } from './simulator.js'
import { createTradingArea, type TradingArea } from './trading.js'

/**
 * The server's broker plugins with the simulator's live orders on a file: `plugins` (the market
 * core's list) with its simulator replaced by one whose accounts survive restarts.
 */
export async function serverPluginsWithDurableSimulator(options: {
  readonly config: Pick<OaConfig, 'simulator' | 'storage'>
  readonly clock: Clock
  readonly plugins: readonly BrokerPlugin[]
}): Promise<{ plugins: BrokerPlugin[]; simulator: SimulatorPlugin }> {
  const simulator = await openSimulatorPlugin({
    seed: options.config.simulator.seed,
    extraStrikes: options.config.simulator.extraStrikes,
    path: simulatorDbPath(options.config.storage.dataDir),
    clock: options.clock,
  })
  const plugins = options.plugins.map((p) => (p.manifest.id === 'simulator' ? simulator : p))
  return { plugins, simulator }
}

/**
 * The trading area as the server runs it. The sandbox's instruments come from the symbol cache
 * (and, for the simulator, from its market while the cache is still loading); its prices from the
 * simulator's model computed in process, or from the active broker's quotes; resting orders are
 * priced every 250 ms (simulator) or 2 s (REST quotes). Order events are appended to
 * `order_events`, where the ws-proxy reads them; `/funds` in analyzer mode comes from here.
 */
export async function openServerTrading(options: {
  readonly config: OaConfig
  readonly clock: Clock
  readonly logger: Logger
  readonly main: DatabaseHandle<MainDatabase>
  readonly market: MarketServices
  readonly events?: EventBus
  /**
   * Told about order events once they are durable in `order_events` (with their per-user `seq`),
   * so the ws-proxy can push them at once instead of waiting for its poll.
   */
  readonly onDurableOrderEvents?: (events: OrderEventsMessage['events']) => void
}): Promise<TradingArea> {
  const { config, clock, logger, main, market } = options
  const brokerName = market.activeBroker ?? config.broker.name
  const onSimulator = brokerName === 'simulator'
  const sim = simulatorSandboxPorts({ seed: config.simulator.seed, clock })
  const cache = market.symbols.cache
  const fromCache = instrumentsFromSymbols(cache)
  const instruments: InstrumentSource = {
    get: (symbol, exchange) =>
      fromCache.get(symbol, exchange) ??
      (onSimulator && !cache.isLoaded() ? sim.instruments.get(symbol, exchange) : undefined),
  }
  options.events?.on('cache_loaded', () => fromCache.clear())
  const prices = onSimulator
    ? sim.prices
    : createBrokerPrices({
        clock,
        broker: () => {
          const b = market.brokers.forBackground(brokerName)
          return b.ok ? b.broker : undefined
        },
      })
  const mode = createAccountMode(main)
  const trading = await createTradingArea({
    clock,
    logger,
    main: main.sqlite,
    sandboxPath: config.storage.sandboxDb,
    brokers: market.brokers,
    instruments,
    prices,
    calendar: sim.calendar,
    sandboxConfig: {
      sessionBoundary: `${String(config.session.expiryTime.hour).padStart(2, '0')}:${String(config.session.expiryTime.minute).padStart(2, '0')}`,
    },
    feed: (engine) =>
      createComputedFeed({ engine, prices, logger, intervalMs: onSimulator ? 250 : 2_000 }),
    brokerName,
    isSemiAuto: (username) => mode.isSemiAuto(username),
  })
  // one IMMEDIATE transaction per batch (the events of one event-loop turn), each user's next
  // seq read once: a transaction per event (a savepoint each) was 10% of a placeorder's CPU
  trading.events.setSink((batch) => {
    const appended = appendOrderEvents(
      main.sqlite,
      batch.map(({ username, event }) => ({ username, event: event as DbOrderEvent })),
    )
    options.onDurableOrderEvents?.(
      appended.map(({ username, seq, event }) => ({ username, seq, event })),
    )
  })
  market.setAnalyzerFunds({
    isOn: () => trading.mode.isOn(),
    funds: (caller) => trading.account.analyzerFunds(caller),
  })
  return trading
}
