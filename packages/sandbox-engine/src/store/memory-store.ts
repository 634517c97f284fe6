import type { Funds, Holding, JobRun, MarginGroup, Order, Position, Trade } from '../types.js'
import {
  type CommitBatch,
  holdingKey,
  type ListOptions,
  positionKey,
  type SandboxStore,
  type UserSnapshot,
} from './store.js'

interface UserRows {
  funds: Funds | undefined
  readonly positions: Map<string, Position>
  readonly holdings: Map<string, Holding>
  readonly groups: Map<string, MarginGroup>
  readonly orders: Map<string, Order>
  readonly idempotency: Map<string, string>
  readonly trades: Trade[]
  readonly tradedOrders: Set<string>
  readonly jobs: Map<string, JobRun>
}

/**
 * An in-memory `SandboxStore` for embedding and backtests: nothing survives the process, but the
 * engine behaves exactly as with SQLite (same batches, same conflicts). Rows are immutable
 * objects shared with the engine, so a commit costs a few map writes.
 */
export function createMemoryStore(): SandboxStore {
  const users = new Map<string, UserRows>()
  const orderOwner = new Map<string, string>()
  const maxSeq = new Map<string, number>()

  const rows = (userId: string): UserRows => {
    let u = users.get(userId)
    if (!u) {
      u = {
        funds: undefined,
        positions: new Map(),
        holdings: new Map(),
        groups: new Map(),
        orders: new Map(),
        idempotency: new Map(),
        trades: [],
        tradedOrders: new Set(),
        jobs: new Map(),
      }
      users.set(userId, u)
    }
    return u
  }

  const check = (b: CommitBatch, u: UserRows): void => {
    for (const o of b.orders) {
      const owner = orderOwner.get(o.orderId)
      if (owner !== undefined && owner !== b.userId) {
        throw new Error(`order id ${o.orderId} already exists`)
      }
      if (o.idempotencyKey !== null) {
        const first = u.idempotency.get(o.idempotencyKey)
        if (first !== undefined && first !== o.orderId) {
          throw new Error(`idempotency key ${o.idempotencyKey} already used by order ${first}`)
        }
      }
    }
    for (const t of b.trades) {
      if (u.tradedOrders.has(t.orderId)) throw new Error(`order ${t.orderId} already has a trade`)
    }
    for (const j of b.jobRuns) {
      if (u.jobs.has(j.jobKey)) throw new Error(`job ${j.jobKey} already ran for ${b.userId}`)
    }
  }

  return {
    listUserIds: () =>
      Promise.resolve([...users].filter(([, u]) => u.funds !== undefined).map(([id]) => id)),
    loadUser(userId): Promise<UserSnapshot> {
      const u = users.get(userId)
      if (!u) {
        return Promise.resolve({
          funds: undefined,
          positions: [],
          holdings: [],
          marginGroups: [],
          activeOrders: [],
          jobKeys: [],
        })
      }
      return Promise.resolve({
        funds: u.funds,
        positions: [...u.positions.values()],
        holdings: [...u.holdings.values()],
        marginGroups: [...u.groups.values()],
        activeOrders: [...u.orders.values()].filter(
          (o) => o.status === 'open' || o.status === 'trigger_pending',
        ),
        jobKeys: [...u.jobs.keys()],
      })
    },
    commit(b): Promise<void> {
      const u = rows(b.userId)
      check(b, u)
      for (const o of b.orders) {
        u.orders.set(o.orderId, o)
        orderOwner.set(o.orderId, b.userId)
        if (o.idempotencyKey !== null) u.idempotency.set(o.idempotencyKey, o.orderId)
        const day = o.orderId.slice(0, 6)
        const seq = Number(o.orderId.slice(6))
        if (seq > (maxSeq.get(day) ?? 0)) maxSeq.set(day, seq)
      }
      for (const t of b.trades) {
        u.trades.push(t)
        u.tradedOrders.add(t.orderId)
      }
      for (const k of b.deletedPositions)
        u.positions.delete(positionKey(k.symbol, k.exchange, k.product))
      for (const p of b.positions) u.positions.set(positionKey(p.symbol, p.exchange, p.product), p)
      for (const k of b.deletedHoldings) u.holdings.delete(holdingKey(k.symbol, k.exchange))
      for (const h of b.holdings) u.holdings.set(holdingKey(h.symbol, h.exchange), h)
      for (const k of b.deletedMarginGroups) u.groups.delete(k)
      for (const g of b.marginGroups) u.groups.set(g.groupKey, g)
      if (b.funds) u.funds = b.funds
      for (const j of b.jobRuns) u.jobs.set(j.jobKey, j)
      return Promise.resolve()
    },
    getOrder: (userId, orderId) => Promise.resolve(users.get(userId)?.orders.get(orderId)),
    findOrderByIdempotencyKey(userId, key) {
      const u = users.get(userId)
      const id = u?.idempotency.get(key)
      return Promise.resolve(id === undefined ? undefined : u?.orders.get(id))
    },
    listOrders(userId, options?: ListOptions) {
      const since = options?.sinceMs ?? -Infinity
      const all = [...(users.get(userId)?.orders.values() ?? [])]
      return Promise.resolve(
        all
          .filter((o) => o.placedAtMs >= since)
          .sort((a, b) => newestFirst(a.placedAtMs, b.placedAtMs, a.orderId, b.orderId)),
      )
    },
    listTrades(userId, options?: ListOptions) {
      const since = options?.sinceMs ?? -Infinity
      const all = users.get(userId)?.trades ?? []
      return Promise.resolve(
        all
          .filter((t) => t.tradedAtMs >= since)
          .sort((a, b) => newestFirst(a.tradedAtMs, b.tradedAtMs, a.tradeId, b.tradeId)),
      )
    },
    listJobRuns: (userId) => Promise.resolve([...(users.get(userId)?.jobs.values() ?? [])]),
    maxOrderSeq: (yymmdd) => Promise.resolve(maxSeq.get(yymmdd) ?? 0),
    close: () => Promise.resolve(),
  }
}

function newestFirst(aMs: number, bMs: number, aId: string, bId: string): number {
  return bMs - aMs || (aId < bId ? 1 : aId > bId ? -1 : 0)
}
