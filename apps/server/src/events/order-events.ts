/**
 * Order events of the server (streaming.md §1.7, §2.7): every order-state change, from the sandbox
 * engine in analyzer mode and from the user's broker in live mode, goes through
 * {@link OrderEventPublisher.publishOrderEvent}: in-process listeners (the web app's push channel,
 * tests) get it synchronously, and it is appended to the durable per-user event log
 * (`order_events`, read by the ws-proxy) in batches, off the request's path.
 *
 * Event shape: {@link OrderEvent}, the `@oa/db` contract (`orderEventSchema`): `kind` is what
 * happened (`placed`, `open`, `trigger_pending`, `complete`, `rejected`, `cancelled`,
 * `modified`), `status` the state afterwards, prices in integer 1/10,000 rupee, `fill` the
 * execution of a `complete` event.
 */
import type { Logger } from '../logger.js'

/** What happened to the order. */
export type OrderEventKind =
  | 'placed'
  | 'open'
  | 'trigger_pending'
  | 'partially_filled'
  | 'complete'
  | 'rejected'
  | 'cancelled'
  | 'modified'
  | 'expired'

/** The order's state after the event. */
export type OrderEventStatus =
  'open' | 'trigger_pending' | 'complete' | 'rejected' | 'cancelled' | 'expired'

/** One order-state change (structurally `OrderEvent` of `@oa/db`). */
export interface OrderEvent {
  readonly kind: OrderEventKind
  readonly status: OrderEventStatus
  readonly mode: 'live' | 'analyze'
  readonly broker: string
  readonly orderId: string
  readonly symbol: string
  readonly exchange: string
  readonly action: 'BUY' | 'SELL'
  readonly quantity: number
  readonly priceE4: number
  readonly triggerPriceE4: number
  readonly priceType: 'MARKET' | 'LIMIT' | 'SL' | 'SL-M'
  readonly product: 'CNC' | 'NRML' | 'MIS'
  readonly filledQuantity: number
  readonly pendingQuantity: number
  readonly averagePriceE4: number
  readonly fill: {
    readonly priceE4: number
    readonly quantity: number
    readonly tradeId?: string
  } | null
  readonly rejectionReason: string
  readonly atEpochMs: number
  readonly strategy?: string
}

/** Appends events to the durable log, in order, in one go (e.g. `appendOrderEvent` per event in one transaction). */
export type OrderEventSink = (batch: readonly { username: string; event: OrderEvent }[]) => void

export interface OrderEventPublisher {
  /**
   * Publishes one event: listeners first (synchronously), then the durable append, batched on
   * the next turn of the event loop. Never throws.
   */
  publishOrderEvent(username: string, event: OrderEvent): void
  /** subscribes to every user's events; returns the remover */
  onOrderEvent(listener: (username: string, event: OrderEvent) => void): () => void
  /** connects the durable log (the ws-proxy's `order_events`); until then events are in-process only */
  setSink(sink: OrderEventSink | undefined): void
  /** writes what is queued now (shutdown, tests) */
  flush(): void
}

export function createOrderEventPublisher(options: {
  readonly logger: Logger
}): OrderEventPublisher {
  const logger = options.logger.child({ component: 'order-events' })
  const listeners = new Set<(username: string, event: OrderEvent) => void>()
  let sink: OrderEventSink | undefined
  let queue: { username: string; event: OrderEvent }[] = []
  let scheduled = false

  const flush = (): void => {
    scheduled = false
    if (queue.length === 0 || sink === undefined) {
      queue = []
      return
    }
    const batch = queue
    queue = []
    try {
      sink(batch)
    } catch (error) {
      logger.error({ err: error, events: batch.length }, 'order events could not be stored')
    }
  }

  return {
    publishOrderEvent(username, event) {
      for (const listener of [...listeners]) {
        try {
          listener(username, event)
        } catch (error) {
          logger.error({ err: error }, 'order event listener failed')
        }
      }
      if (sink === undefined) return
      queue.push({ username, event })
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    },
    onOrderEvent(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    setSink(next) {
      flush()
      sink = next
    },
    flush,
  }
}
