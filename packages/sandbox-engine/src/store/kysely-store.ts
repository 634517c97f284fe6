import type { Kysely, Transaction } from 'kysely'
import type { Inr4 } from '../money.js'
import type { InstrumentType } from '../ports.js'
import type {
  Action,
  Funds,
  Holding,
  JobRun,
  MarginGroup,
  Order,
  OrderStatus,
  Position,
  PriceType,
  Product,
  Trade,
} from '../types.js'
import type {
  SandboxDatabase,
  SandboxFundsTable,
  SandboxHoldingsTable,
  SandboxMarginGroupsTable,
  SandboxOrdersTable,
  SandboxPositionsTable,
  SandboxTradesTable,
} from './schema.js'
import type { CommitBatch, ListOptions, SandboxStore, UserSnapshot } from './store.js'

/**
 * A `SandboxStore` on SQLite through kysely, for the server. The host opens the database (e.g.
 * `@oa/db`'s connection policy: WAL, `synchronous=NORMAL`) and runs `migrateSandbox(db)` first;
 * this store never opens or closes the file. Each `commit` is one transaction.
 */
export function createKyselyStore(db: Kysely<SandboxDatabase>): SandboxStore {
  return {
    async listUserIds() {
      const rows = await db
        .selectFrom('sandbox_funds')
        .select('user_id')
        .orderBy('user_id')
        .execute()
      return rows.map((r) => r.user_id)
    },

    async loadUser(userId): Promise<UserSnapshot> {
      const [funds, positions, holdings, groups, orders, jobs] = await Promise.all([
        db.selectFrom('sandbox_funds').selectAll().where('user_id', '=', userId).executeTakeFirst(),
        db.selectFrom('sandbox_positions').selectAll().where('user_id', '=', userId).execute(),
        db.selectFrom('sandbox_holdings').selectAll().where('user_id', '=', userId).execute(),
        db.selectFrom('sandbox_margin_groups').selectAll().where('user_id', '=', userId).execute(),
        db
          .selectFrom('sandbox_orders')
          .selectAll()
          .where('user_id', '=', userId)
          .where('status', 'in', ['open', 'trigger_pending'])
          .orderBy('placed_at_ms')
          .orderBy('order_id')
          .execute(),
        db.selectFrom('sandbox_job_runs').select('job_key').where('user_id', '=', userId).execute(),
      ])
      return {
        funds: funds ? toFunds(funds) : undefined,
        positions: positions.map(toPosition),
        holdings: holdings.map(toHolding),
        marginGroups: groups.map(toGroup),
        activeOrders: orders.map(toOrder),
        jobKeys: jobs.map((j) => j.job_key),
      }
    },

    async commit(b: CommitBatch) {
      await db.transaction().execute(async (trx) => {
        await writeBatch(trx, b)
      })
    },

    async commitAll(batches) {
      await db.transaction().execute(async (trx) => {
        for (const b of batches) await writeBatch(trx, b)
      })
    },

    async getOrder(userId, orderId) {
      const r = await db
        .selectFrom('sandbox_orders')
        .selectAll()
        .where('order_id', '=', orderId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      return r ? toOrder(r) : undefined
    },

    async findOrderByIdempotencyKey(userId, key) {
      const r = await db
        .selectFrom('sandbox_orders')
        .selectAll()
        .where('user_id', '=', userId)
        .where('idempotency_key', '=', key)
        .executeTakeFirst()
      return r ? toOrder(r) : undefined
    },

    async listOrders(userId, options?: ListOptions) {
      const rows = await db
        .selectFrom('sandbox_orders')
        .selectAll()
        .where('user_id', '=', userId)
        .where('placed_at_ms', '>=', options?.sinceMs ?? Number.MIN_SAFE_INTEGER)
        .orderBy('placed_at_ms', 'desc')
        .orderBy('order_id', 'desc')
        .execute()
      return rows.map(toOrder)
    },

    async listTrades(userId, options?: ListOptions) {
      const rows = await db
        .selectFrom('sandbox_trades')
        .selectAll()
        .where('user_id', '=', userId)
        .where('traded_at_ms', '>=', options?.sinceMs ?? Number.MIN_SAFE_INTEGER)
        .orderBy('traded_at_ms', 'desc')
        .orderBy('trade_id', 'desc')
        .execute()
      return rows.map(toTrade)
    },

    async listJobRuns(userId) {
      const rows = await db
        .selectFrom('sandbox_job_runs')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('ran_at_ms')
        .execute()
      return rows.map((r): JobRun => ({
        userId: r.user_id,
        jobKey: r.job_key,
        ranAtMs: r.ran_at_ms,
      }))
    },

    async maxOrderSeq(yymmdd) {
      const r = await db
        .selectFrom('sandbox_orders')
        .select((eb) => eb.fn.max('order_id').as('max'))
        .where('order_id', '>=', `${yymmdd}00000000`)
        .where('order_id', '<=', `${yymmdd}99999999`)
        .executeTakeFirst()
      const max = r?.max
      return typeof max === 'string' ? Number(max.slice(6)) : 0
    },

    close: () => Promise.resolve(),
  }
}

async function writeBatch(trx: Transaction<SandboxDatabase>, b: CommitBatch): Promise<void> {
  if (b.orders.length > 0) {
    const res = await trx
      .insertInto('sandbox_orders')
      .values(b.orders.map(fromOrder))
      .onConflict((oc) =>
        oc
          .column('order_id')
          .doUpdateSet((eb) => ({
            quantity: eb.ref('excluded.quantity'),
            price_e4: eb.ref('excluded.price_e4'),
            trigger_price_e4: eb.ref('excluded.trigger_price_e4'),
            reference_price_e4: eb.ref('excluded.reference_price_e4'),
            status: eb.ref('excluded.status'),
            average_price_e4: eb.ref('excluded.average_price_e4'),
            filled_quantity: eb.ref('excluded.filled_quantity'),
            pending_quantity: eb.ref('excluded.pending_quantity'),
            reserved_margin_e4: eb.ref('excluded.reserved_margin_e4'),
            rejection_reason: eb.ref('excluded.rejection_reason'),
            updated_at_ms: eb.ref('excluded.updated_at_ms'),
          }))
          // an id owned by another user is a collision, not an update
          .whereRef('sandbox_orders.user_id', '=', 'excluded.user_id'),
      )
      .executeTakeFirst()
    if (Number(res.numInsertedOrUpdatedRows ?? 0n) !== b.orders.length) {
      throw new Error(`order id collision in batch for ${b.userId}`)
    }
  }
  if (b.trades.length > 0) {
    await trx.insertInto('sandbox_trades').values(b.trades.map(fromTrade)).execute()
  }
  for (const k of b.deletedPositions) {
    await trx
      .deleteFrom('sandbox_positions')
      .where('user_id', '=', b.userId)
      .where('symbol', '=', k.symbol)
      .where('exchange', '=', k.exchange)
      .where('product', '=', k.product)
      .execute()
  }
  if (b.positions.length > 0) {
    await trx
      .insertInto('sandbox_positions')
      .values(b.positions.map(fromPosition))
      .onConflict((oc) =>
        oc.columns(['user_id', 'symbol', 'exchange', 'product']).doUpdateSet((eb) => ({
          quantity: eb.ref('excluded.quantity'),
          cost_e4: eb.ref('excluded.cost_e4'),
          margin_e4: eb.ref('excluded.margin_e4'),
          realized_pnl_e4: eb.ref('excluded.realized_pnl_e4'),
          session_realized_pnl_e4: eb.ref('excluded.session_realized_pnl_e4'),
          session: eb.ref('excluded.session'),
          last_price_e4: eb.ref('excluded.last_price_e4'),
          opened_day: eb.ref('excluded.opened_day'),
          trade_day: eb.ref('excluded.trade_day'),
          updated_at_ms: eb.ref('excluded.updated_at_ms'),
          instrument_type: eb.ref('excluded.instrument_type'),
          expiry: eb.ref('excluded.expiry'),
          strike_e4: eb.ref('excluded.strike_e4'),
          contract_value_e4: eb.ref('excluded.contract_value_e4'),
          margin_group: eb.ref('excluded.margin_group'),
        })),
      )
      .execute()
  }
  for (const k of b.deletedHoldings) {
    await trx
      .deleteFrom('sandbox_holdings')
      .where('user_id', '=', b.userId)
      .where('symbol', '=', k.symbol)
      .where('exchange', '=', k.exchange)
      .execute()
  }
  if (b.holdings.length > 0) {
    await trx
      .insertInto('sandbox_holdings')
      .values(b.holdings.map(fromHolding))
      .onConflict((oc) =>
        oc.columns(['user_id', 'symbol', 'exchange']).doUpdateSet((eb) => ({
          quantity: eb.ref('excluded.quantity'),
          cost_e4: eb.ref('excluded.cost_e4'),
          last_price_e4: eb.ref('excluded.last_price_e4'),
          settlement_day: eb.ref('excluded.settlement_day'),
          updated_at_ms: eb.ref('excluded.updated_at_ms'),
        })),
      )
      .execute()
  }
  if (b.deletedMarginGroups.length > 0) {
    await trx
      .deleteFrom('sandbox_margin_groups')
      .where('user_id', '=', b.userId)
      .where('group_key', 'in', [...b.deletedMarginGroups])
      .execute()
  }
  if (b.marginGroups.length > 0) {
    await trx
      .insertInto('sandbox_margin_groups')
      .values(b.marginGroups.map(fromGroup))
      .onConflict((oc) =>
        oc.columns(['user_id', 'group_key']).doUpdateSet((eb) => ({
          margin_e4: eb.ref('excluded.margin_e4'),
          underlying_price_e4: eb.ref('excluded.underlying_price_e4'),
          updated_at_ms: eb.ref('excluded.updated_at_ms'),
        })),
      )
      .execute()
  }
  if (b.funds) {
    const row = fromFunds(b.funds)
    const { user_id: _u, created_at_ms: _c, ...rest } = row
    await trx
      .insertInto('sandbox_funds')
      .values(row)
      .onConflict((oc) => oc.column('user_id').doUpdateSet(rest))
      .execute()
  }
  if (b.jobRuns.length > 0) {
    await trx
      .insertInto('sandbox_job_runs')
      .values(
        b.jobRuns.map((j) => ({ user_id: j.userId, job_key: j.jobKey, ran_at_ms: j.ranAtMs })),
      )
      .execute()
  }
}

const e4 = (v: number): Inr4 => v as Inr4

/** row mapper, shared with the SQLite store */
export function toFunds(r: SandboxFundsTable): Funds {
  return {
    userId: r.user_id,
    startingCapital: e4(r.starting_capital_e4),
    deposits: e4(r.deposits_e4),
    available: e4(r.available_e4),
    utilised: e4(r.utilised_e4),
    holdingsCost: e4(r.holdings_cost_e4),
    realizedPnl: e4(r.realized_pnl_e4),
    sessionRealizedPnl: e4(r.session_realized_pnl_e4),
    session: r.session,
    lastResetAtMs: r.last_reset_at_ms,
    resetCount: r.reset_count,
    createdAtMs: r.created_at_ms,
    updatedAtMs: r.updated_at_ms,
  }
}

/** row mapper, shared with the SQLite store */
export function fromFunds(f: Funds): SandboxFundsTable {
  return {
    user_id: f.userId,
    starting_capital_e4: f.startingCapital,
    deposits_e4: f.deposits,
    available_e4: f.available,
    utilised_e4: f.utilised,
    holdings_cost_e4: f.holdingsCost,
    realized_pnl_e4: f.realizedPnl,
    session_realized_pnl_e4: f.sessionRealizedPnl,
    session: f.session,
    last_reset_at_ms: f.lastResetAtMs,
    reset_count: f.resetCount,
    created_at_ms: f.createdAtMs,
    updated_at_ms: f.updatedAtMs,
  }
}

/** row mapper, shared with the SQLite store */
export function toOrder(r: SandboxOrdersTable): Order {
  return {
    orderId: r.order_id,
    userId: r.user_id,
    strategy: r.strategy,
    symbol: r.symbol,
    exchange: r.exchange,
    action: r.action as Action,
    quantity: r.quantity,
    priceType: r.price_type as PriceType,
    product: r.product as Product,
    price: e4(r.price_e4),
    triggerPrice: e4(r.trigger_price_e4),
    referencePrice: e4(r.reference_price_e4),
    status: r.status as OrderStatus,
    averagePrice: e4(r.average_price_e4),
    filledQuantity: r.filled_quantity,
    pendingQuantity: r.pending_quantity,
    reservedMargin: e4(r.reserved_margin_e4),
    rejectionReason: r.rejection_reason,
    placedAtMs: r.placed_at_ms,
    updatedAtMs: r.updated_at_ms,
    idempotencyKey: r.idempotency_key,
  }
}

/** row mapper, shared with the SQLite store */
export function fromOrder(o: Order): SandboxOrdersTable {
  return {
    order_id: o.orderId,
    user_id: o.userId,
    strategy: o.strategy,
    symbol: o.symbol,
    exchange: o.exchange,
    action: o.action,
    quantity: o.quantity,
    price_type: o.priceType,
    product: o.product,
    price_e4: o.price,
    trigger_price_e4: o.triggerPrice,
    reference_price_e4: o.referencePrice,
    status: o.status,
    average_price_e4: o.averagePrice,
    filled_quantity: o.filledQuantity,
    pending_quantity: o.pendingQuantity,
    reserved_margin_e4: o.reservedMargin,
    rejection_reason: o.rejectionReason,
    placed_at_ms: o.placedAtMs,
    updated_at_ms: o.updatedAtMs,
    idempotency_key: o.idempotencyKey,
  }
}

/** row mapper, shared with the SQLite store */
export function toTrade(r: SandboxTradesTable): Trade {
  return {
    tradeId: r.trade_id,
    orderId: r.order_id,
    userId: r.user_id,
    symbol: r.symbol,
    exchange: r.exchange,
    action: r.action as Action,
    quantity: r.quantity,
    price: e4(r.price_e4),
    product: r.product as Product,
    strategy: r.strategy,
    tradedAtMs: r.traded_at_ms,
  }
}

/** row mapper, shared with the SQLite store */
export function fromTrade(t: Trade): SandboxTradesTable {
  return {
    trade_id: t.tradeId,
    order_id: t.orderId,
    user_id: t.userId,
    symbol: t.symbol,
    exchange: t.exchange,
    action: t.action,
    quantity: t.quantity,
    price_e4: t.price,
    product: t.product,
    strategy: t.strategy,
    traded_at_ms: t.tradedAtMs,
  }
}

/** row mapper, shared with the SQLite store */
export function toPosition(r: SandboxPositionsTable): Position {
  return {
    userId: r.user_id,
    symbol: r.symbol,
    exchange: r.exchange,
    product: r.product as Product,
    quantity: r.quantity,
    cost: e4(r.cost_e4),
    margin: e4(r.margin_e4),
    realizedPnl: e4(r.realized_pnl_e4),
    sessionRealizedPnl: e4(r.session_realized_pnl_e4),
    session: r.session,
    lastPrice: e4(r.last_price_e4),
    openedDay: r.opened_day,
    tradeDay: r.trade_day,
    updatedAtMs: r.updated_at_ms,
    instrumentType: r.instrument_type as InstrumentType,
    expiry: r.expiry,
    strike: e4(r.strike_e4),
    contractValueE4: r.contract_value_e4,
    marginGroup: r.margin_group,
  }
}

/** row mapper, shared with the SQLite store */
export function fromPosition(p: Position): SandboxPositionsTable {
  return {
    user_id: p.userId,
    symbol: p.symbol,
    exchange: p.exchange,
    product: p.product,
    quantity: p.quantity,
    cost_e4: p.cost,
    margin_e4: p.margin,
    realized_pnl_e4: p.realizedPnl,
    session_realized_pnl_e4: p.sessionRealizedPnl,
    session: p.session,
    last_price_e4: p.lastPrice,
    opened_day: p.openedDay,
    trade_day: p.tradeDay,
    updated_at_ms: p.updatedAtMs,
    instrument_type: p.instrumentType,
    expiry: p.expiry,
    strike_e4: p.strike,
    contract_value_e4: p.contractValueE4,
    margin_group: p.marginGroup,
  }
}

/** row mapper, shared with the SQLite store */
export function toHolding(r: SandboxHoldingsTable): Holding {
  return {
    userId: r.user_id,
    symbol: r.symbol,
    exchange: r.exchange,
    quantity: r.quantity,
    cost: e4(r.cost_e4),
    lastPrice: e4(r.last_price_e4),
    settlementDay: r.settlement_day,
    updatedAtMs: r.updated_at_ms,
  }
}

/** row mapper, shared with the SQLite store */
export function fromHolding(h: Holding): SandboxHoldingsTable {
  return {
    user_id: h.userId,
    symbol: h.symbol,
    exchange: h.exchange,
    quantity: h.quantity,
    cost_e4: h.cost,
    last_price_e4: h.lastPrice,
    settlement_day: h.settlementDay,
    updated_at_ms: h.updatedAtMs,
  }
}

/** row mapper, shared with the SQLite store */
export function toGroup(r: SandboxMarginGroupsTable): MarginGroup {
  return {
    userId: r.user_id,
    groupKey: r.group_key,
    margin: e4(r.margin_e4),
    underlyingPrice: e4(r.underlying_price_e4),
    updatedAtMs: r.updated_at_ms,
  }
}

/** row mapper, shared with the SQLite store */
export function fromGroup(g: MarginGroup): SandboxMarginGroupsTable {
  return {
    user_id: g.userId,
    group_key: g.groupKey,
    margin_e4: g.margin,
    underlying_price_e4: g.underlyingPrice,
    updated_at_ms: g.updatedAtMs,
  }
}
