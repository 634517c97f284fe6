import {
  createAuthCache,
  deriveSubKey,
  type AuthCache,
  type RandomSource,
  type SessionExpiry,
} from '@oa/auth-cache'
import type { DatabaseHandle, MainDatabase } from '@oa/db'
import type { OaConfig } from '@oa/env-check'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import { BAN_EPOCH, type SecurityServices } from '../security/security.js'
import { createApiKeyAuthenticator, type ApiKeyAuthResult } from './api-key-auth.js'
import { registeredBrokers, type BrokerLoginPlugin } from './brokers.js'
import { createCsrf, type Csrf } from './csrf.js'
import { createRollover, type Rollover } from './rollover.js'
import { createSessionManager, type SessionManager } from './sessions.js'
import { createUserService, type UserService } from './users.js'

/** Called after every successful broker login (the master-contract download hooks in here). */
export type BrokerLoginListener = (event: {
  readonly username: string
  readonly broker: string
}) => void | Promise<void>

/**
 * Identity services of the server (spec platform.md §5, §6): the auth cache over the main DB,
 * users, server-side sessions, CSRF, API-key authentication, broker-login hooks and the daily
 * rollover. Built once in the composition root.
 */
export interface IdentityServices {
  readonly auth: AuthCache
  readonly users: UserService
  readonly sessions: SessionManager
  readonly csrf: Csrf
  readonly rollover: Rollover
  /** REDIRECT_URL's broker when it is valid and registered */
  readonly configuredBroker: BrokerLoginPlugin | undefined
  /** `/api/v1`'s authenticator (fits `MountApiDeps.authenticate`); never throws */
  authenticateApiKey(apiKey: string, clientIp: string): Promise<ApiKeyAuthResult>
  /** registers a broker-login listener; returns its remover */
  onBrokerLogin(listener: BrokerLoginListener): () => void
  /** runs the listeners (errors are logged, never thrown) */
  emitBrokerLogin(username: string, broker: string): Promise<void>
  /** startup restore: boundary rollover if one was missed, then live broker tokens into memory */
  restore(): { tokensLoaded: number; users: readonly string[]; rolledOver: boolean }
  /** starts the epoch watcher and the rollover job */
  start(): void
  stop(): void
}

export interface IdentityOptions {
  readonly config: OaConfig
  readonly clock: Clock
  readonly random: RandomSource
  readonly logger: Logger
  readonly main: DatabaseHandle<MainDatabase>
  readonly security: SecurityServices
  /** epoch poll period, default 100 ms */
  readonly pollIntervalMs?: number
}

export function createIdentityServices(options: IdentityOptions): IdentityServices {
  const { config, clock, random, main, security } = options
  const logger = options.logger.child({ component: 'identity' })
  const expiry: SessionExpiry = {
    time: config.session.expiryTime,
    disabled: config.session.disableExpiry,
  }
  const auth = createAuthCache({
    db: main.sqlite,
    secrets: { pepper: config.secrets.apiKeyPepper, fernetSaltHex: config.secrets.fernetSalt },
    clock,
    random,
    expiry,
    logger,
    watch: {
      intervalMs: options.pollIntervalMs ?? 100,
      schedule: (fn, ms) => {
        const timer = setInterval(fn, ms)
        timer.unref()
        return () => clearInterval(timer)
      },
      // `oa unban` and the ws-proxy change bans in other processes
      extra: { [BAN_EPOCH]: () => security.bans.clearCache() },
    },
  })
  const users = createUserService({ db: main.sqlite, auth, clock, random, logger })
  const secure = config.server.isHttps
  const sessions = createSessionManager({
    db: main.sqlite,
    clock,
    random,
    cookieKey: deriveSubKey(config.secrets.appKey, 'cookie-signing'),
    idKey: deriveSubKey(config.secrets.appKey, 'session-id'),
    cookieName: config.security.sessionCookieName,
    secure,
    expiry,
  })
  const csrf = createCsrf({
    enabled: config.security.csrf.enabled,
    key: deriveSubKey(config.secrets.appKey, 'csrf'),
    cookieName: `${config.security.sessionCookieName}_csrf`,
    secure,
    timeLimitSeconds: config.security.csrf.timeLimitSeconds,
    clock,
    random,
    // tokens bind to an authenticated session; a pending-TOTP browser is still anonymous, so an
    // expired pending login answers "Login session expired", not a CSRF error
    session: (c) => {
      const s = sessions.current(c)
      return s && s.stage !== 'totp_pending' ? s : null
    },
  })
  const rollover = createRollover({ db: main.sqlite, auth, sessions, clock, expiry, logger })
  const brokers = registeredBrokers(random)
  const name = config.broker.name
  const configuredBroker = config.broker.validBrokers.includes(name) ? brokers.get(name) : undefined
  const authenticateApiKey = createApiKeyAuthenticator({
    auth,
    bans: security.bans,
    configuredBroker,
  })
  const listeners = new Set<BrokerLoginListener>()

  return {
    auth,
    users,
    sessions,
    csrf,
    rollover,
    configuredBroker,
    authenticateApiKey,
    onBrokerLogin(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async emitBrokerLogin(username, broker) {
      for (const listener of listeners) {
        try {
          await listener({ username, broker })
        } catch (error) {
          logger.error({ err: error, username, broker }, 'broker-login listener failed')
        }
      }
    },
    restore() {
      const rolledOver = rollover.runDue()
      const result = auth.restore()
      return { tokensLoaded: result.loaded, users: result.users, rolledOver }
    },
    start() {
      auth.watcher.start()
      rollover.start()
    },
    stop() {
      rollover.stop()
      auth.stop()
    },
  }
}
