import type {
  Funds,
  Holding,
  JobRun,
  MarginGroup,
  Order,
  Position,
  Product,
  Trade,
} from '../types.js'

/** Everything the engine keeps in memory for one user, as loaded at start. */
export interface UserSnapshot {
  readonly funds: Funds | undefined
  readonly positions: readonly Position[]
  readonly holdings: readonly Holding[]
  readonly marginGroups: readonly MarginGroup[]
  /** orders in `open` or `trigger_pending` */
  readonly activeOrders: readonly Order[]
  /** keys of the jobs that already ran for the user */
  readonly jobKeys: readonly string[]
}

/** Identifies a position row. */
export interface PositionKey {
  readonly symbol: string
  readonly exchange: string
  readonly product: Product
}

/**
 * The effects of one engine event for one user. A store applies a batch atomically (one
 * transaction) or not at all: fills, position, margin and funds changes never half-land.
 */
export interface CommitBatch {
  readonly userId: string
  /** inserted or replaced by `orderId` */
  readonly orders: readonly Order[]
  /** inserted; a second trade for the same order is a conflict */
  readonly trades: readonly Trade[]
  /** inserted or replaced by (symbol, exchange, product) */
  readonly positions: readonly Position[]
  readonly deletedPositions: readonly PositionKey[]
  /** inserted or replaced by (symbol, exchange) */
  readonly holdings: readonly Holding[]
  readonly deletedHoldings: readonly { readonly symbol: string; readonly exchange: string }[]
  /** inserted or replaced by `groupKey` */
  readonly marginGroups: readonly MarginGroup[]
  readonly deletedMarginGroups: readonly string[]
  /** inserted or replaced */
  readonly funds: Funds | undefined
  /** inserted; a job key already recorded for the user is a conflict */
  readonly jobRuns: readonly JobRun[]
}

/** Filters for order and trade listings. */
export interface ListOptions {
  /** only rows at or after this instant (epoch ms) */
  readonly sinceMs?: number | undefined
}

/**
 * Persistence for the engine. The engine keeps live state in memory and writes every change
 * through `commit` before it answers the caller, so an acknowledged order is durable. Two
 * implementations ship: `createMemoryStore()` (embedding, backtests) and
 * `createKyselyStore(db)` (SQLite through kysely, for the server).
 */
export interface SandboxStore {
  /** ids of every user that has a funds row */
  listUserIds(): Promise<string[]>
  loadUser(userId: string): Promise<UserSnapshot>
  /**
   * Applies a batch atomically.
   *
   * @throws Error on a conflict (an order id, trade or idempotency key that already exists for a
   *   new row) — nothing of the batch is applied then.
   */
  commit(batch: CommitBatch): Promise<void>
  /**
   * Optional: applies several batches, in order, in one transaction (all or nothing), which
   * costs one commit instead of one per batch. Without it the engine commits them one by one.
   *
   * @throws Error as `commit` does, for any of the batches — nothing is applied then.
   */
  commitAll?(batches: readonly CommitBatch[]): Promise<void>
  getOrder(userId: string, orderId: string): Promise<Order | undefined>
  findOrderByIdempotencyKey(userId: string, key: string): Promise<Order | undefined>
  /** newest first */
  listOrders(userId: string, options?: ListOptions): Promise<Order[]>
  /** newest first */
  listTrades(userId: string, options?: ListOptions): Promise<Trade[]>
  listJobRuns(userId: string): Promise<JobRun[]>
  /** highest 8-digit sequence of order ids starting with `yymmdd`, 0 when none */
  maxOrderSeq(yymmdd: string): Promise<number>
  /** releases resources the store owns (not a database handle the host passed in) */
  close(): Promise<void>
}

/** An empty batch for `userId`, to fill in. */
export function emptyBatch(userId: string): CommitBatch {
  return {
    userId,
    orders: [],
    trades: [],
    positions: [],
    deletedPositions: [],
    holdings: [],
    deletedHoldings: [],
    marginGroups: [],
    deletedMarginGroups: [],
    funds: undefined,
    jobRuns: [],
  }
}

/** `symbol|exchange|product`, the in-memory key of a position. */
export function positionKey(symbol: string, exchange: string, product: string): string {
  return `${exchange}|${symbol}|${product}`
}

/** `symbol|exchange`, the in-memory key of a holding. */
export function holdingKey(symbol: string, exchange: string): string {
  return `${exchange}|${symbol}`
}
