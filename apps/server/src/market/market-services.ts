// The market core of the server, built once in the composition root: broker registry, symbol
// cache, master-contract pipeline, and the services the `/api/v1` endpoints and the web app's
// session routes share.
import type { SqliteDatabase } from '@oa/db'
import type { BrokerPlugin } from '@oa/broker-sdk'
import type { OaConfig } from '@oa/env-check'
import {
  createBrokerRegistry,
  type BrokerRegistry,
  type StoredSession,
} from '../brokers/registry.js'
import { serverBrokerPlugins } from '../brokers/plugins.js'
import type { Clock } from '../clock.js'
import type { EventBus } from '../events/bus.js'
import type { Logger } from '../logger.js'
import { createFundsService, type AnalyzerFundsSeam, type FundsService } from '../services/funds.js'
import { createMarketDataService, type MarketDataService } from '../services/market-data.js'
import { createOptionSymbolService } from '../services/option-symbol.js'
import type { ServiceCaller, ServiceReply } from '../services/reply.js'
import { createSymbolsService, type SymbolsService } from '../services/symbols.js'
import type { OptionSymbolInput } from '../services/option-symbol.js'
import { createMasterContractService, type MasterContractService } from './master-contract.js'
import {
  createSymbolService,
  type SymbolService,
  type SymbolServiceOptions,
} from './symbol-service.js'

/** What the market core needs from the identity area (structural, so tests pass plain objects). */
export interface IdentityPort {
  /** the user's live broker session, decrypted; null when none */
  sessionOf(username: string): StoredSession | null
  /** the same, re-read past the caches */
  refreshSession(username: string): StoredSession | null
  /** users with a non-revoked broker session, for the startup restore */
  liveSessions(): readonly { readonly username: string; readonly broker: string }[]
  /** registers a broker-login listener */
  onBrokerLogin(
    listener: (event: { readonly username: string; readonly broker: string }) => void,
  ): () => void
}

export interface MarketServicesOptions {
  readonly config: Pick<OaConfig, 'broker' | 'simulator' | 'session'>
  readonly clock: Clock
  readonly logger: Logger
  readonly sqlite: SqliteDatabase
  readonly events: EventBus
  readonly identity: IdentityPort
  /** plugins to register; default the server's list (the simulator) */
  readonly plugins?: readonly BrokerPlugin[]
  /** symbol-service knobs (tests inject the boundary schedule) */
  readonly symbols?: Pick<
    SymbolServiceOptions,
    'pageRows' | 'epochPollMs' | 'scheduleBoundary' | 'afterLoad'
  >
}

export interface MarketServices {
  readonly symbols: SymbolService
  readonly brokers: BrokerRegistry
  readonly masterContract: MasterContractService
  readonly marketData: MarketDataService
  readonly symbolsApi: SymbolsService
  readonly optionSymbol: (caller: ServiceCaller, input: OptionSymbolInput) => Promise<ServiceReply>
  readonly funds: FundsService
  /** the broker this server trades through (REDIRECT_URL's, when registered), else null */
  readonly activeBroker: string | null
  /** plugs in the analyzer-mode branch of `/funds` (the sandbox area) */
  setAnalyzerFunds(seam: AnalyzerFundsSeam | undefined): void
  /** startup `caches` phase: freeze quantities (seeded when empty), duplicate-row note */
  prepare(): { freezeQuantities: number; seeded: number }
  /**
   * Startup `master-contract` phase: which broker's contract will be restored or downloaded in the
   * background once the server listens (none for a real broker without a live session).
   */
  plan(): { broker: string | null; download: boolean; reason: string }
  /** after listening: boundary reload, epoch poll, and the planned restore/download */
  start(): void
  /** the background restore/download started by `start()`, for tests and benches */
  readonly started: Promise<void>
  stop(): Promise<void>
}

export function createMarketServices(options: MarketServicesOptions): MarketServices {
  const { config, clock, logger, sqlite, events, identity } = options
  const symbols = createSymbolService({
    sqlite,
    clock,
    logger,
    events,
    sessionExpiry: config.session.expiryTime,
    ...options.symbols,
  })
  const brokers = createBrokerRegistry({
    plugins: options.plugins ?? serverBrokerPlugins(config),
    config,
    clock,
    logger,
    symbols: symbols.cache,
    sessionOf: (u) => identity.sessionOf(u),
    refreshSession: (u) => identity.refreshSession(u),
  })
  // background downloads of a broker that needs a login use the last user who logged in with it
  const lastUser = new Map<string, string>()
  const masterContract = createMasterContractService({
    sqlite,
    clock,
    logger,
    events,
    symbols,
    cutoff: config.session.masterContractCutoff,
    cryptoCutoff: config.session.cryptoMasterContractCutoff,
    brokerFor: (id) => brokers.forBackground(id, lastUser.get(id)),
  })
  const marketData = createMarketDataService({ cache: symbols.cache, brokers })
  const symbolsApi = createSymbolsService({ cache: symbols.cache, sqlite })
  const optionSymbol = createOptionSymbolService({ cache: symbols.cache, marketData })
  let analyzer: AnalyzerFundsSeam | undefined
  const funds = createFundsService({ brokers, analyzer: () => analyzer })

  const configured = config.broker.name
  const activeBroker = brokers.plugin(configured) !== undefined ? configured : null
  let unsubscribe: (() => void) | null = null
  let stopped = false
  let resolveStarted: () => void = () => undefined
  const started = new Promise<void>((resolve) => {
    resolveStarted = resolve
  })

  const plan = (): { broker: string | null; download: boolean; reason: string } => {
    if (activeBroker === null) {
      return { broker: null, download: false, reason: `broker "${configured}" is not registered` }
    }
    const live = identity.liveSessions().filter((s) => s.broker === activeBroker)
    for (const s of live) lastUser.set(s.broker, s.username)
    if (!brokers.isSessionless(activeBroker) && live.length === 0) {
      return { broker: null, download: false, reason: 'no live broker session; waiting for login' }
    }
    const decision = masterContract.decide(activeBroker)
    return { broker: activeBroker, download: decision.shouldDownload, reason: decision.reason }
  }

  return {
    symbols,
    brokers,
    masterContract,
    marketData,
    symbolsApi,
    optionSymbol,
    funds,
    activeBroker,
    started,
    setAnalyzerFunds(seam) {
      analyzer = seam
    },
    prepare() {
      const freeze = symbols.loadFreezeQuantities()
      const note = sqlite
        .prepare("SELECT value FROM app_meta WHERE key = 'symtoken_duplicates_dropped'")
        .get() as { value: string } | undefined
      if (note !== undefined) {
        logger.warn(
          { rows: Number(note.value) },
          'migration dropped symtoken rows repeating an (exchange, symbol); the first of each was kept',
        )
        sqlite.prepare("DELETE FROM app_meta WHERE key = 'symtoken_duplicates_dropped'").run()
      }
      return { freezeQuantities: freeze.loaded, seeded: freeze.seeded }
    },
    plan,
    start() {
      if (unsubscribe !== null || stopped) return
      symbols.start()
      unsubscribe = identity.onBrokerLogin(({ username, broker }) => {
        lastUser.set(broker, username)
        if (brokers.plugin(broker) === undefined) return
        void masterContract.onBrokerLogin(broker)
      })
      // on the next turn: the caller (the startup sequence) finishes what it is doing first, and the
      // first contract batch a download computes does not delay its log line or a /health answer
      setImmediate(() => {
        if (stopped) return resolveStarted()
        const { broker } = plan()
        const work = broker === null ? Promise.resolve() : masterContract.restore(broker)
        void work.then(resolveStarted, resolveStarted)
      })
    },
    async stop() {
      stopped = true
      unsubscribe?.()
      unsubscribe = null
      symbols.stop()
      await masterContract.stop()
      resolveStarted()
    },
  }
}
