import type { CommitBatch, Order, SandboxStore, Trade } from '@oa/sandbox-engine'
import type { OrderEvent, OrderEventKind, OrderEventStatus } from '../events/order-events.js'

/**
 * Wraps the sandbox's store so that every committed order change becomes order events: every
 * change of the engine (placement, fill on a tick, cancel, square-off, expiry) passes through one
 * `commit`, so nothing is missed, and an event is published only once its change is durable.
 * Which event a row is comes from the status the order had before (kept for working orders only).
 */
export function withOrderEvents(
  store: SandboxStore,
  publish: (username: string, event: OrderEvent) => void,
  brokerOf: (username: string) => string,
): SandboxStore {
  /** last status of working orders (open, trigger_pending); dropped once an order is done */
  const working = new Map<string, Order['status']>()
  const publishBatch = (batch: CommitBatch): void => {
    if (batch.orders.length === 0) return
    const fills = new Map<string, Trade>()
    for (const t of batch.trades) fills.set(t.orderId, t)
    const broker = brokerOf(batch.userId)
    for (const o of batch.orders) {
      const before = working.get(o.orderId)
      const active = o.status === 'open' || o.status === 'trigger_pending'
      if (active) working.set(o.orderId, o.status)
      else working.delete(o.orderId)
      const fill = fills.get(o.orderId)
      const isNew = before === undefined && o.placedAtMs === o.updatedAtMs
      if (isNew) publish(batch.userId, toEvent(o, 'placed', broker, undefined))
      const kind: OrderEventKind =
        before !== undefined && before === o.status ? 'modified' : o.status
      publish(batch.userId, toEvent(o, kind, broker, fill))
    }
  }
  const { commitAll } = store
  return {
    ...store,
    async commit(batch: CommitBatch) {
      await store.commit(batch)
      publishBatch(batch)
    },
    // a group commit: the events of each batch, in the order the batches were made
    ...(commitAll && {
      async commitAll(batches: readonly CommitBatch[]) {
        await commitAll.call(store, batches)
        for (const b of batches) publishBatch(b)
      },
    }),
  }
}

function toEvent(
  o: Order,
  kind: OrderEventKind,
  broker: string,
  fill: Trade | undefined,
): OrderEvent {
  return {
    kind,
    status: o.status as OrderEventStatus,
    mode: 'analyze',
    broker,
    orderId: o.orderId,
    symbol: o.symbol,
    exchange: o.exchange,
    action: o.action,
    quantity: o.quantity,
    priceE4: o.price,
    triggerPriceE4: o.triggerPrice,
    priceType: o.priceType,
    product: o.product,
    filledQuantity: o.filledQuantity,
    pendingQuantity: o.pendingQuantity,
    averagePriceE4: o.averagePrice,
    fill:
      fill === undefined || kind === 'placed'
        ? null
        : { priceE4: fill.price, quantity: fill.quantity, tradeId: fill.tradeId },
    rejectionReason: o.status === 'rejected' ? (o.rejectionReason ?? '') : '',
    atEpochMs: o.updatedAtMs,
    ...(o.strategy === '' ? {} : { strategy: o.strategy }),
  }
}
