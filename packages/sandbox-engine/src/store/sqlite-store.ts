import type {
  SandboxFundsTable,
  SandboxHoldingsTable,
  SandboxMarginGroupsTable,
  SandboxOrdersTable,
  SandboxPositionsTable,
  SandboxTradesTable,
} from './schema.js'
import {
  fromFunds,
  fromGroup,
  fromHolding,
  fromOrder,
  fromPosition,
  fromTrade,
  toFunds,
  toGroup,
  toHolding,
  toOrder,
  toPosition,
  toTrade,
} from './kysely-store.js'
import type { CommitBatch, SandboxStore, UserSnapshot } from './store.js'

/** The subset of a prepared better-sqlite3 statement this store uses. */
export interface SqliteStatementLike {
  get(...params: unknown[]): unknown
  all(...params: unknown[]): unknown[]
  run(...params: unknown[]): { readonly changes: number }
}

/**
 * The subset of a better-sqlite3 connection this store uses (a structural type, as kysely takes
 * its SQLite driver): pass `handle.sqlite` of `@oa/db`, or any `new Database(path)`.
 */
export interface SqliteConnectionLike {
  prepare(sql: string): SqliteStatementLike
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R
}

const ORDER_COLUMNS = [
  'order_id',
  'user_id',
  'strategy',
  'symbol',
  'exchange',
  'action',
  'quantity',
  'price_type',
  'product',
  'price_e4',
  'trigger_price_e4',
  'reference_price_e4',
  'status',
  'average_price_e4',
  'filled_quantity',
  'pending_quantity',
  'reserved_margin_e4',
  'rejection_reason',
  'placed_at_ms',
  'updated_at_ms',
  'idempotency_key',
] as const
// what an existing order may change (the rest is fixed at placement, as at a broker)
const ORDER_MUTABLE = [
  'quantity',
  'price_e4',
  'trigger_price_e4',
  'reference_price_e4',
  'status',
  'average_price_e4',
  'filled_quantity',
  'pending_quantity',
  'reserved_margin_e4',
  'rejection_reason',
  'updated_at_ms',
] as const
const TRADE_COLUMNS = [
  'trade_id',
  'order_id',
  'user_id',
  'symbol',
  'exchange',
  'action',
  'quantity',
  'price_e4',
  'product',
  'strategy',
  'traded_at_ms',
] as const
const POSITION_COLUMNS = [
  'user_id',
  'symbol',
  'exchange',
  'product',
  'quantity',
  'cost_e4',
  'margin_e4',
  'realized_pnl_e4',
  'session_realized_pnl_e4',
  'session',
  'last_price_e4',
  'opened_day',
  'trade_day',
  'updated_at_ms',
  'instrument_type',
  'expiry',
  'strike_e4',
  'contract_value_e4',
  'margin_group',
] as const
const HOLDING_COLUMNS = [
  'user_id',
  'symbol',
  'exchange',
  'quantity',
  'cost_e4',
  'last_price_e4',
  'settlement_day',
  'updated_at_ms',
] as const
const GROUP_COLUMNS = [
  'user_id',
  'group_key',
  'margin_e4',
  'underlying_price_e4',
  'updated_at_ms',
] as const
const FUNDS_COLUMNS = [
  'user_id',
  'starting_capital_e4',
  'deposits_e4',
  'available_e4',
  'utilised_e4',
  'holdings_cost_e4',
  'realized_pnl_e4',
  'session_realized_pnl_e4',
  'session',
  'last_reset_at_ms',
  'reset_count',
  'created_at_ms',
  'updated_at_ms',
] as const

/** `INSERT … ON CONFLICT (key) DO UPDATE SET` every column outside the key (named parameters) */
function upsert(
  table: string,
  columns: readonly string[],
  key: readonly string[],
  update: readonly string[] = columns.filter((c) => !key.includes(c)),
  where = '',
): string {
  return (
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')}) ` +
    `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}` +
    where
  )
}

/**
 * A `SandboxStore` on a raw better-sqlite3 connection with statements prepared once. Same tables,
 * same semantics and the same migrations as {@link createKyselyStore} (run `migrateSandbox` with
 * a kysely over the same file first); it exists because kysely compiles and prepares every
 * statement on every call, which capped a commit at about 1,000 orders/s, while a prepared
 * statement runs in microseconds. Each `commit` is one synchronous transaction, so it is applied
 * whole or not at all; the store never opens or closes the file.
 *
 * @example
 * ```ts
 * const sqlite = openSqlite('db/sandbox.db')             // @oa/db connection policy
 * await migrateSandbox(new Kysely({ dialect: new SqliteDialect({ database: sqlite }) }))
 * const engine = createSandboxEngine({ ...deps, store: createSqliteStore(sqlite) })
 * ```
 */
export function createSqliteStore(db: SqliteConnectionLike): SandboxStore {
  const q = {
    userIds: db.prepare('SELECT user_id FROM sandbox_funds ORDER BY user_id'),
    funds: db.prepare('SELECT * FROM sandbox_funds WHERE user_id = ?'),
    positions: db.prepare('SELECT * FROM sandbox_positions WHERE user_id = ?'),
    holdings: db.prepare('SELECT * FROM sandbox_holdings WHERE user_id = ?'),
    groups: db.prepare('SELECT * FROM sandbox_margin_groups WHERE user_id = ?'),
    active: db.prepare(
      `SELECT * FROM sandbox_orders WHERE user_id = ? AND status IN ('open', 'trigger_pending')
       ORDER BY placed_at_ms, order_id`,
    ),
    jobKeys: db.prepare('SELECT job_key FROM sandbox_job_runs WHERE user_id = ?'),
    order: db.prepare('SELECT * FROM sandbox_orders WHERE order_id = ? AND user_id = ?'),
    byKey: db.prepare('SELECT * FROM sandbox_orders WHERE user_id = ? AND idempotency_key = ?'),
    orders: db.prepare(
      `SELECT * FROM sandbox_orders WHERE user_id = ? AND placed_at_ms >= ?
       ORDER BY placed_at_ms DESC, order_id DESC`,
    ),
    trades: db.prepare(
      `SELECT * FROM sandbox_trades WHERE user_id = ? AND traded_at_ms >= ?
       ORDER BY traded_at_ms DESC, trade_id DESC`,
    ),
    jobs: db.prepare(
      'SELECT user_id, job_key, ran_at_ms FROM sandbox_job_runs WHERE user_id = ? ORDER BY ran_at_ms',
    ),
    maxSeq: db.prepare(
      'SELECT MAX(order_id) AS max FROM sandbox_orders WHERE order_id >= ? AND order_id <= ?',
    ),
  }
  const w = {
    // an id owned by another user is a collision, not an update: the WHERE makes it change nothing
    order: db.prepare(
      upsert(
        'sandbox_orders',
        ORDER_COLUMNS,
        ['order_id'],
        ORDER_MUTABLE,
        ' WHERE sandbox_orders.user_id = excluded.user_id',
      ),
    ),
    trade: db.prepare(
      `INSERT INTO sandbox_trades (${TRADE_COLUMNS.join(', ')}) VALUES (${TRADE_COLUMNS.map((c) => `@${c}`).join(', ')})`,
    ),
    deletePosition: db.prepare(
      'DELETE FROM sandbox_positions WHERE user_id = ? AND symbol = ? AND exchange = ? AND product = ?',
    ),
    position: db.prepare(
      upsert('sandbox_positions', POSITION_COLUMNS, ['user_id', 'symbol', 'exchange', 'product']),
    ),
    deleteHolding: db.prepare(
      'DELETE FROM sandbox_holdings WHERE user_id = ? AND symbol = ? AND exchange = ?',
    ),
    holding: db.prepare(
      upsert('sandbox_holdings', HOLDING_COLUMNS, ['user_id', 'symbol', 'exchange']),
    ),
    deleteGroup: db.prepare(
      'DELETE FROM sandbox_margin_groups WHERE user_id = ? AND group_key = ?',
    ),
    group: db.prepare(upsert('sandbox_margin_groups', GROUP_COLUMNS, ['user_id', 'group_key'])),
    funds: db.prepare(
      upsert(
        'sandbox_funds',
        FUNDS_COLUMNS,
        ['user_id'],
        FUNDS_COLUMNS.filter((c) => c !== 'user_id' && c !== 'created_at_ms'),
      ),
    ),
    job: db.prepare('INSERT INTO sandbox_job_runs (user_id, job_key, ran_at_ms) VALUES (?, ?, ?)'),
  }

  const writeBatch = (b: CommitBatch): void => {
    for (const o of b.orders) {
      if (w.order.run(fromOrder(o)).changes !== 1) {
        throw new Error(`order id collision in batch for ${b.userId}`)
      }
    }
    for (const t of b.trades) w.trade.run(fromTrade(t))
    for (const k of b.deletedPositions)
      w.deletePosition.run(b.userId, k.symbol, k.exchange, k.product)
    for (const p of b.positions) w.position.run(fromPosition(p))
    for (const k of b.deletedHoldings) w.deleteHolding.run(b.userId, k.symbol, k.exchange)
    for (const h of b.holdings) w.holding.run(fromHolding(h))
    for (const g of b.deletedMarginGroups) w.deleteGroup.run(b.userId, g)
    for (const g of b.marginGroups) w.group.run(fromGroup(g))
    if (b.funds) w.funds.run(fromFunds(b.funds))
    for (const j of b.jobRuns) w.job.run(j.userId, j.jobKey, j.ranAtMs)
  }
  const write = db.transaction(writeBatch)
  // one transaction for a group: BEGIN, COMMIT and the WAL frames of the touched pages are paid
  // once per group instead of once per order (most of a commit's cost at a few thousand orders/s)
  const writeAll = db.transaction((batches: readonly CommitBatch[]): void => {
    for (const b of batches) writeBatch(b)
  })

  return {
    async listUserIds() {
      return (q.userIds.all() as { user_id: string }[]).map((r) => r.user_id)
    },

    async loadUser(userId): Promise<UserSnapshot> {
      const funds = q.funds.get(userId) as SandboxFundsTable | undefined
      return {
        funds: funds ? toFunds(funds) : undefined,
        positions: (q.positions.all(userId) as SandboxPositionsTable[]).map(toPosition),
        holdings: (q.holdings.all(userId) as SandboxHoldingsTable[]).map(toHolding),
        marginGroups: (q.groups.all(userId) as SandboxMarginGroupsTable[]).map(toGroup),
        activeOrders: (q.active.all(userId) as SandboxOrdersTable[]).map(toOrder),
        jobKeys: (q.jobKeys.all(userId) as { job_key: string }[]).map((r) => r.job_key),
      }
    },

    async commit(batch) {
      write(batch)
    },

    async commitAll(batches) {
      writeAll(batches)
    },

    async getOrder(userId, orderId) {
      const r = q.order.get(orderId, userId) as SandboxOrdersTable | undefined
      return r ? toOrder(r) : undefined
    },

    async findOrderByIdempotencyKey(userId, key) {
      const r = q.byKey.get(userId, key) as SandboxOrdersTable | undefined
      return r ? toOrder(r) : undefined
    },

    async listOrders(userId, options) {
      const rows = q.orders.all(userId, options?.sinceMs ?? Number.MIN_SAFE_INTEGER)
      return (rows as SandboxOrdersTable[]).map(toOrder)
    },

    async listTrades(userId, options) {
      const rows = q.trades.all(userId, options?.sinceMs ?? Number.MIN_SAFE_INTEGER)
      return (rows as SandboxTradesTable[]).map(toTrade)
    },

    async listJobRuns(userId) {
      const rows = q.jobs.all(userId) as { user_id: string; job_key: string; ran_at_ms: number }[]
      return rows.map((r) => ({ userId: r.user_id, jobKey: r.job_key, ranAtMs: r.ran_at_ms }))
    },

    async maxOrderSeq(yymmdd) {
      const r = q.maxSeq.get(`${yymmdd}00000000`, `${yymmdd}99999999`) as
        { max: string | null } | undefined
      return typeof r?.max === 'string' ? Number(r.max.slice(6)) : 0
    },

    close: () => Promise.resolve(),
  }
}
