// The broker registry (STYLE.md §15 step 7): the plugins this server can talk to, and one `Broker`
// per user built from their stored session. A user's instance is reused while their broker token
// stays the same and rebuilt when it changes (login, token refresh); logout or the daily
// boundary makes the session disappear and the instance with it.
import {
  createBrokerContext,
  createSystemTimers,
  type Broker,
  type BrokerPlugin,
  type BrokerSession,
  type RateLimiter,
  type SymbolResolver,
  type Timers,
} from '@oa/broker-sdk'
import type { OaConfig } from '@oa/env-check'
import type { SymbolCache } from '@oa/symbol-cache'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import type { BrokerTiming } from '../services/reply.js'

/** A user's decrypted broker session, as the identity area keeps it. */
export interface StoredSession {
  readonly broker: string
  readonly authToken: string
  readonly feedToken: string | null
  readonly brokerUserId: string | null
}

/** Why no broker instance could be built. */
export type RegistryFailure =
  /** the broker is not registered in this server (the original's "Broker-specific module not found") */
  | 'broker_module_not_found'
  /** the broker needs a login and the user has no live session */
  | 'broker_session_missing'

export type BrokerLookup =
  | { readonly ok: true; readonly broker: Broker }
  | { readonly ok: false; readonly error: RegistryFailure; readonly message: string }

export interface BrokerRegistryOptions {
  readonly plugins: readonly BrokerPlugin[]
  readonly config: Pick<OaConfig, 'broker'>
  readonly clock: Clock
  readonly logger: Logger
  /** the symbol cache; brokers resolve symbols and tokens through it, never the DB */
  readonly symbols: SymbolCache
  /** the user's live session, decrypted; null when none (identity's broker-session cache) */
  readonly sessionOf: (username: string) => StoredSession | null
  /** re-reads the user's session bypassing caches (streaming adapters reconnecting after 03:00) */
  readonly refreshSession?: (username: string) => StoredSession | null
  readonly timers?: Timers
}

export interface BrokerRegistry {
  /** registered broker ids */
  ids(): readonly string[]
  plugin(id: string): BrokerPlugin | undefined
  /** true when the broker needs no login at all (the simulator) */
  isSessionless(id: string): boolean
  /**
   * The caller's broker: the instance built from their session, cached per user while the token
   * is unchanged. A sessionless broker (the simulator) serves a user without a session.
   * `trace` is the request's latency trace: the registry ignores it; once the API has instrumented
   * the registry (`api/trace.ts`), calls on the broker it answers add their time to it.
   */
  forUser(username: string, brokerId: string | null, trace?: BrokerTiming): BrokerLookup
  /**
   * An instance for background work on behalf of nobody in particular (the master-contract
   * download at startup): with `username`'s session when given and live, else without one.
   */
  forBackground(brokerId: string, username?: string): BrokerLookup
  /** forgets a user's instance (logout); the next call builds a fresh one */
  drop(username: string): void
  /** instances held */
  readonly size: number
}

interface Entry {
  readonly brokerId: string
  readonly token: string | null
  readonly broker: Broker
}

/** The SDK's symbol lookups over the symbol cache. */
export function symbolResolver(cache: SymbolCache): SymbolResolver {
  return {
    getToken: (symbol, exchange) => cache.getToken(symbol, exchange),
    getBrSymbol: (symbol, exchange) => cache.getBrSymbol(symbol, exchange),
    getOaSymbol: (brSymbol, exchange) => cache.getOaSymbol(brSymbol, exchange),
    getSymbolByToken: (token, exchange) => cache.getSymbol(token, exchange),
    getBrExchange: (symbol, exchange) => cache.getBrExchange(symbol, exchange),
    getSymbolInfo: (symbol, exchange) => cache.getSymbolInfo(symbol, exchange),
  }
}

const NOT_FOUND = 'Broker-specific module not found'
const NO_SESSION = 'Invalid openalgo apikey'

export function createBrokerRegistry(options: BrokerRegistryOptions): BrokerRegistry {
  const plugins = new Map(options.plugins.map((p) => [p.manifest.id, p]))
  const resolver = symbolResolver(options.symbols)
  const timers = options.timers ?? createSystemTimers()
  const logger = options.logger.child({ component: 'brokers' })
  const { broker: cfg } = options.config
  const credentials = {
    apiKey: cfg.apiKey,
    apiSecret: cfg.apiSecret,
    ...(cfg.apiKeyMarket ? { marketApiKey: cfg.apiKeyMarket } : {}),
    ...(cfg.apiSecretMarket ? { marketApiSecret: cfg.apiSecretMarket } : {}),
  }
  // one limiter per broker account, kept across logins so a new session does not reset the budget
  const limiters = new Map<string, RateLimiter | undefined>()
  const users = new Map<string, Entry>()

  const toSdkSession = (s: StoredSession): BrokerSession => ({
    authToken: s.authToken,
    ...(s.feedToken === null ? {} : { feedToken: s.feedToken }),
    ...(s.brokerUserId === null ? {} : { brokerUserId: s.brokerUserId }),
  })

  const build = (
    plugin: BrokerPlugin,
    session: StoredSession | null,
    username?: string,
  ): Broker => {
    const id = plugin.manifest.id
    const refresh = options.refreshSession
    const ctx = createBrokerContext({
      plugin,
      credentials,
      symbols: resolver,
      session: session === null ? undefined : toSdkSession(session),
      refreshSession:
        refresh === undefined || username === undefined
          ? undefined
          : () => {
              const next = refresh(username)
              return Promise.resolve(next === null ? undefined : toSdkSession(next))
            },
      clock: options.clock,
      timers,
      logger,
      limiter: limiters.get(id),
    })
    if (!limiters.has(id)) limiters.set(id, ctx.limiter)
    // a plain copy of the SDK's frozen facade: the host may wrap it (the latency monitor proxies
    // it, and a Proxy over a frozen object may not hand out wrapped members)
    return { ...plugin.createBroker(ctx) }
  }

  const isSessionless = (id: string): boolean => plugins.get(id)?.manifest.auth === 'none'

  return {
    ids: () => [...plugins.keys()],
    plugin: (id) => plugins.get(id),
    isSessionless,
    forUser(username, brokerId) {
      const session = options.sessionOf(username)
      const id = session?.broker ?? brokerId
      const plugin = id === null ? undefined : plugins.get(id)
      if (id === null || plugin === undefined) {
        users.delete(username)
        return { ok: false, error: 'broker_module_not_found', message: NOT_FOUND }
      }
      if (session === null && !isSessionless(id)) {
        users.delete(username)
        return { ok: false, error: 'broker_session_missing', message: NO_SESSION }
      }
      const token = session?.authToken ?? null
      const held = users.get(username)
      if (held !== undefined && held.brokerId === id && held.token === token) {
        return { ok: true, broker: held.broker }
      }
      const broker = build(plugin, session, username)
      users.set(username, { brokerId: id, token, broker })
      return { ok: true, broker }
    },
    forBackground(brokerId, username) {
      const plugin = plugins.get(brokerId)
      if (plugin === undefined) {
        return { ok: false, error: 'broker_module_not_found', message: NOT_FOUND }
      }
      const session = username === undefined ? null : options.sessionOf(username)
      const usable = session !== null && session.broker === brokerId ? session : null
      if (usable === null && !isSessionless(brokerId)) {
        return {
          ok: false,
          error: 'broker_session_missing',
          message: `no live ${brokerId} session to download with; log in to the broker`,
        }
      }
      return { ok: true, broker: build(plugin, usable, username) }
    },
    drop: (username) => void users.delete(username),
    get size() {
      return users.size
    },
  }
}
