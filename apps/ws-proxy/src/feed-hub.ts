/**
 * The feeds of every user: one {@link FeedManager} per user (one broker at a time), created on
 * the first authenticated socket, kept for `idleMs` after the last one leaves (a reloading browser
 * tab must not cost a broker reconnect, §4.1 item 14), and kept in step with the user's broker
 * session: a new token reconnects in place, a new broker moves the sockets over with their
 * subscriptions, a revoked session stops the feed until the next login.
 */
import type { Logger, TimerHandle, Timers } from '@oa/broker-sdk'
import type { FeedClient, FeedManager, StreamingBroker } from './feed-manager.js'
import type { UserBroker } from './identity.js'

/** See the module comment. */
export interface FeedHub {
  /** The user's feed for this broker session (created when needed); an error text when impossible. */
  acquire(username: string, login: UserBroker): FeedManager | { error: string }
  /** A socket left `manager`: closes it after `idleMs` unless another socket comes. */
  release(manager: FeedManager): void
  /** Re-reads every user's broker session and applies what changed. */
  refresh(brokerOf: (username: string) => UserBroker | null): void
  managers(): FeedManager[]
  close(): Promise<void>
}

/** Options of {@link createFeedHub}. */
export interface FeedHubOptions {
  readonly brokers: ReadonlyMap<string, StreamingBroker>
  readonly create: (username: string, broker: StreamingBroker, login: UserBroker) => FeedManager
  /** a socket moved to another manager (the user changed broker) */
  readonly onMigrate: (client: FeedClient, to: FeedManager) => void
  readonly timers: Timers
  readonly idleMs: number
  readonly logger: Logger
}

/** Creates an empty hub. */
export function createFeedHub(options: FeedHubOptions): FeedHub {
  const { timers, logger } = options
  const feeds = new Map<string, FeedManager>()
  const idle = new Map<FeedManager, TimerHandle>()

  const cancelIdle = (m: FeedManager): void => {
    const t = idle.get(m)
    if (t !== undefined) timers.clearTimeout(t)
    idle.delete(m)
  }

  const drop = (username: string, m: FeedManager): void => {
    cancelIdle(m)
    if (feeds.get(username) === m) feeds.delete(username)
    void m.close().catch((cause) => logger.warn({ err: String(cause) }, 'feed close failed'))
  }

  const migrate = (from: FeedManager, to: FeedManager): void => {
    for (const client of from.clients()) {
      const items = from.subscriptionsOf(client)
      from.removeClient(client)
      to.addClient(client)
      options.onMigrate(client, to)
      if (items.length > 0) {
        void to
          .subscribe(client, items)
          .catch((cause) =>
            logger.warn({ err: String(cause) }, 'resubscribe after a broker change failed'),
          )
      }
    }
  }

  const hub: FeedHub = {
    acquire(username, login) {
      const broker = options.brokers.get(login.broker)
      if (broker === undefined) {
        return { error: `Broker ${login.broker} has no market-data adapter in this build` }
      }
      const existing = feeds.get(username)
      if (existing !== undefined && existing.broker === login.broker) {
        cancelIdle(existing)
        existing.replaceSession(login.session)
        return existing
      }
      const created = options.create(username, broker, login)
      feeds.set(username, created)
      if (existing !== undefined) {
        logger.info({ username, from: existing.broker, to: login.broker }, 'user changed broker')
        migrate(existing, created)
        drop(username, existing)
      }
      return created
    },
    release(manager) {
      if (manager.clientCount > 0 || idle.has(manager)) return
      idle.set(
        manager,
        timers.setTimeout(() => {
          idle.delete(manager)
          if (manager.clientCount === 0) drop(manager.username, manager)
        }, options.idleMs),
      )
    },
    refresh(brokerOf) {
      for (const [username, m] of [...feeds]) {
        const login = brokerOf(username)
        if (login === null) {
          m.expireSession()
          continue
        }
        if (login.broker === m.broker) {
          m.replaceSession(login.session)
          continue
        }
        const broker = options.brokers.get(login.broker)
        if (broker === undefined) {
          m.expireSession()
          continue
        }
        const created = options.create(username, broker, login)
        feeds.set(username, created)
        logger.info({ username, from: m.broker, to: login.broker }, 'user changed broker')
        migrate(m, created)
        drop(username, m)
      }
    },
    managers: () => [...feeds.values()],
    async close() {
      for (const t of idle.values()) timers.clearTimeout(t)
      idle.clear()
      const all = [...feeds.values()]
      feeds.clear()
      await Promise.all(all.map((m) => m.close()))
    },
  }
  return hub
}
