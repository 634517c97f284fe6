/**
 * Order updates on the market-data socket (streaming.md §1.7, §2.7, §4.2): events arrive from the
 * server over IPC (at once) and from the `order_events` table (a poll, which is all a standalone
 * proxy has); both carry the user's `seq`, so the router delivers each event once, in order, to
 * every socket of that user that sent `subscribe_orders`, and to nobody else. A gap (an IPC
 * message lost, a poll that raced the IPC) is filled from the table before the newer event.
 */
import {
  lastOrderEventId,
  readOrderEvents,
  readOrderEventsAfterId,
  toOrderUpdateFrame,
  type OrderEvent,
  type SqliteDatabase,
  type StoredOrderEvent,
} from '@oa/db'
import type { Logger, TimerHandle, Timers } from '@oa/broker-sdk'
import type { ProxyMetrics } from './metrics.js'

/** A socket that may receive order updates. */
export interface OrderSubscriber {
  /** the highest `order_seq` already queued to this socket */
  lastOrderSeq: number
  pushControl(frame: Record<string, unknown>): void
}

/** Where missing events are read from (the main database), when there is one. */
export interface OrderEventStore {
  readAfter(username: string, afterSeq: number, limit: number): StoredOrderEvent[]
}

/** See the module comment. */
export interface OrderEventRouter {
  /** Delivers one event (duplicates and stale seqs are ignored; gaps are filled first). */
  deliver(username: string, seq: number, event: OrderEvent): void
  /** Replays the user's events after `afterSeq` to one socket (`subscribe_orders` + `after_seq`). */
  replay(subscriber: OrderSubscriber, username: string, afterSeq: number): number
}

/** Events one replay sends at most; older history comes from the REST catch-up. */
export const MAX_REPLAY = 1_000

/** Creates the router. `subscribersOf` lists a user's sockets that subscribed to orders. */
export function createOrderEventRouter(options: {
  readonly subscribersOf: (username: string) => Iterable<OrderSubscriber>
  readonly store?: OrderEventStore | undefined
  readonly metrics: ProxyMetrics
  readonly logger: Logger
}): OrderEventRouter {
  const { metrics, store, logger } = options
  /** highest seq delivered per user, since this process started */
  const last = new Map<string, number>()

  const send = (username: string, seq: number, event: OrderEvent): void => {
    let frame: Record<string, unknown> | undefined
    for (const s of options.subscribersOf(username)) {
      if (seq <= s.lastOrderSeq) continue
      frame ??= toOrderUpdateFrame(username, seq, event)
      s.lastOrderSeq = seq
      s.pushControl(frame)
      metrics.orderEvents++
    }
  }

  return {
    deliver(username, seq, event) {
      const before = last.get(username)
      if (before !== undefined && seq <= before) return
      if (before !== undefined && seq > before + 1 && store !== undefined) {
        try {
          for (const missing of store.readAfter(username, before, seq - before - 1)) {
            if (missing.seq < seq) send(username, missing.seq, missing.event)
          }
        } catch (cause) {
          logger.warn({ err: String(cause), username }, 'could not fill an order event gap')
        }
      }
      last.set(username, seq)
      send(username, seq, event)
    },
    replay(subscriber, username, afterSeq) {
      if (store === undefined) return 0
      let n = 0
      for (const e of store.readAfter(username, afterSeq, MAX_REPLAY)) {
        if (e.seq <= subscriber.lastOrderSeq) continue
        subscriber.lastOrderSeq = e.seq
        subscriber.pushControl(toOrderUpdateFrame(username, e.seq, e.event))
        metrics.orderEvents++
        n++
      }
      return n
    },
  }
}

/** The main database as an {@link OrderEventStore}. */
export function createDbOrderEventStore(db: SqliteDatabase): OrderEventStore {
  return {
    readAfter: (username, afterSeq, limit) => readOrderEvents(db, username, afterSeq, limit),
  }
}

/** Polls `order_events` for rows other processes appended. */
export interface OrderEventPoller {
  /** Reads new rows if the database changed since the last poll; returns how many it delivered. */
  pollOnce(): number
  start(): void
  stop(): void
}

/**
 * Creates a poller starting after the newest existing row (history is not replayed at start).
 * Each poll reads `PRAGMA data_version` (well under a microsecond) and queries only when another
 * connection committed since.
 */
export function createOrderEventPoller(options: {
  readonly db: SqliteDatabase
  readonly timers: Timers
  readonly intervalMs: number
  readonly onEvent: (username: string, seq: number, event: OrderEvent) => void
  readonly logger: Logger
}): OrderEventPoller {
  const { db, timers } = options
  const dataVersion = db.prepare('PRAGMA data_version')
  let version = -1
  let lastId = lastOrderEventId(db)
  let timer: TimerHandle | undefined
  let running = false

  const pollOnce = (): number => {
    const v = (dataVersion.get() as { data_version: number }).data_version
    if (v === version) return 0
    version = v
    let delivered = 0
    for (;;) {
      const before = lastId
      const page = readOrderEventsAfterId(db, lastId, 500)
      lastId = page.lastId
      for (const e of page.events) options.onEvent(e.username, e.seq, e.event)
      delivered += page.events.length
      if (lastId === before) break
    }
    return delivered
  }

  const loop = (): void => {
    timer = undefined
    if (!running) return
    try {
      pollOnce()
    } catch (cause) {
      // a busy or closing database: try again next time
      options.logger.warn({ err: String(cause) }, 'order event poll failed')
    }
    timer = timers.setTimeout(loop, options.intervalMs)
  }

  return {
    pollOnce,
    start() {
      if (running) return
      running = true
      timer = timers.setTimeout(loop, options.intervalMs)
    },
    stop() {
      running = false
      if (timer !== undefined) timers.clearTimeout(timer)
      timer = undefined
    },
  }
}
