import { type Kysely, sql } from 'kysely'
import type { SandboxDatabase } from './schema.js'

type Migration = {
  readonly name: string
  readonly up: (db: Kysely<SandboxDatabase>) => Promise<void>
}

const MIGRATIONS: readonly Migration[] = [
  {
    name: '0001-sandbox-core',
    async up(db) {
      await db.schema
        .createTable('sandbox_funds')
        .ifNotExists()
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('starting_capital_e4', 'integer', (c) => c.notNull())
        .addColumn('deposits_e4', 'integer', (c) => c.notNull())
        .addColumn('available_e4', 'integer', (c) => c.notNull())
        .addColumn('utilised_e4', 'integer', (c) => c.notNull())
        .addColumn('holdings_cost_e4', 'integer', (c) => c.notNull())
        .addColumn('realized_pnl_e4', 'integer', (c) => c.notNull())
        .addColumn('session_realized_pnl_e4', 'integer', (c) => c.notNull())
        .addColumn('session', 'text', (c) => c.notNull())
        .addColumn('last_reset_at_ms', 'integer', (c) => c.notNull())
        .addColumn('reset_count', 'integer', (c) => c.notNull())
        .addColumn('created_at_ms', 'integer', (c) => c.notNull())
        .addColumn('updated_at_ms', 'integer', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('sandbox_orders')
        .ifNotExists()
        .addColumn('order_id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('strategy', 'text', (c) => c.notNull())
        .addColumn('symbol', 'text', (c) => c.notNull())
        .addColumn('exchange', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull().check(sql`action IN ('BUY','SELL')`))
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('price_type', 'text', (c) =>
          c.notNull().check(sql`price_type IN ('MARKET','LIMIT','SL','SL-M')`),
        )
        .addColumn('product', 'text', (c) =>
          c.notNull().check(sql`product IN ('CNC','NRML','MIS')`),
        )
        .addColumn('price_e4', 'integer', (c) => c.notNull())
        .addColumn('trigger_price_e4', 'integer', (c) => c.notNull())
        .addColumn('reference_price_e4', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(sql`status IN ('open','trigger_pending','complete','rejected','cancelled')`),
        )
        .addColumn('average_price_e4', 'integer', (c) => c.notNull())
        .addColumn('filled_quantity', 'integer', (c) => c.notNull())
        .addColumn('pending_quantity', 'integer', (c) => c.notNull())
        .addColumn('reserved_margin_e4', 'integer', (c) => c.notNull())
        .addColumn('rejection_reason', 'text')
        .addColumn('placed_at_ms', 'integer', (c) => c.notNull())
        .addColumn('updated_at_ms', 'integer', (c) => c.notNull())
        .addColumn('idempotency_key', 'text')
        .execute()
      await db.schema
        .createIndex('idx_sandbox_orders_user_placed')
        .ifNotExists()
        .on('sandbox_orders')
        .columns(['user_id', 'placed_at_ms'])
        .execute()
      await db.schema
        .createIndex('idx_sandbox_orders_user_status')
        .ifNotExists()
        .on('sandbox_orders')
        .columns(['user_id', 'status'])
        .execute()
      await db.schema
        .createIndex('idx_sandbox_orders_idempotency')
        .ifNotExists()
        .unique()
        .on('sandbox_orders')
        .columns(['user_id', 'idempotency_key'])
        .where(sql.ref('idempotency_key'), 'is not', null)
        .execute()
      await db.schema
        .createTable('sandbox_trades')
        .ifNotExists()
        .addColumn('trade_id', 'text', (c) => c.primaryKey())
        .addColumn('order_id', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('symbol', 'text', (c) => c.notNull())
        .addColumn('exchange', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('price_e4', 'integer', (c) => c.notNull())
        .addColumn('product', 'text', (c) => c.notNull())
        .addColumn('strategy', 'text', (c) => c.notNull())
        .addColumn('traded_at_ms', 'integer', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('idx_sandbox_trades_user_time')
        .ifNotExists()
        .on('sandbox_trades')
        .columns(['user_id', 'traded_at_ms'])
        .execute()
      await db.schema
        .createTable('sandbox_positions')
        .ifNotExists()
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('symbol', 'text', (c) => c.notNull())
        .addColumn('exchange', 'text', (c) => c.notNull())
        .addColumn('product', 'text', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('cost_e4', 'integer', (c) => c.notNull())
        .addColumn('margin_e4', 'integer', (c) => c.notNull())
        .addColumn('realized_pnl_e4', 'integer', (c) => c.notNull())
        .addColumn('session_realized_pnl_e4', 'integer', (c) => c.notNull())
        .addColumn('session', 'text', (c) => c.notNull())
        .addColumn('last_price_e4', 'integer', (c) => c.notNull())
        .addColumn('opened_day', 'text', (c) => c.notNull())
        .addColumn('trade_day', 'text', (c) => c.notNull())
        .addColumn('updated_at_ms', 'integer', (c) => c.notNull())
        .addColumn('instrument_type', 'text', (c) => c.notNull())
        .addColumn('expiry', 'text')
        .addColumn('strike_e4', 'integer', (c) => c.notNull())
        .addColumn('contract_value_e4', 'integer', (c) => c.notNull())
        .addColumn('margin_group', 'text')
        .addPrimaryKeyConstraint('pk_sandbox_positions', [
          'user_id',
          'symbol',
          'exchange',
          'product',
        ])
        .execute()
      await db.schema
        .createTable('sandbox_holdings')
        .ifNotExists()
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('symbol', 'text', (c) => c.notNull())
        .addColumn('exchange', 'text', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('cost_e4', 'integer', (c) => c.notNull())
        .addColumn('last_price_e4', 'integer', (c) => c.notNull())
        .addColumn('settlement_day', 'text', (c) => c.notNull())
        .addColumn('updated_at_ms', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_sandbox_holdings', ['user_id', 'symbol', 'exchange'])
        .execute()
      await db.schema
        .createTable('sandbox_margin_groups')
        .ifNotExists()
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('margin_e4', 'integer', (c) => c.notNull())
        .addColumn('underlying_price_e4', 'integer', (c) => c.notNull())
        .addColumn('updated_at_ms', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_sandbox_margin_groups', ['user_id', 'group_key'])
        .execute()
      await db.schema
        .createTable('sandbox_job_runs')
        .ifNotExists()
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('job_key', 'text', (c) => c.notNull())
        .addColumn('ran_at_ms', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_sandbox_job_runs', ['user_id', 'job_key'])
        .execute()
    },
  },
]

/**
 * Creates or upgrades the sandbox tables. Idempotent: every step uses `IF NOT EXISTS` and applied
 * migrations are recorded in `sandbox_migrations`, so calling it at every start is cheap.
 *
 * @param nowMs when to record the migration as applied (pass your clock's now); default 0
 * @returns the names of the migrations applied by this call
 */
export async function migrateSandbox(db: Kysely<SandboxDatabase>, nowMs = 0): Promise<string[]> {
  await db.schema
    .createTable('sandbox_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at_ms', 'integer', (c) => c.notNull())
    .execute()
  const done = new Set(
    (await db.selectFrom('sandbox_migrations').select('name').execute()).map((r) => r.name),
  )
  const applied: string[] = []
  for (const m of MIGRATIONS) {
    if (done.has(m.name)) continue
    await db.transaction().execute(async (trx) => {
      await m.up(trx)
      await trx
        .insertInto('sandbox_migrations')
        .values({ name: m.name, applied_at_ms: nowMs })
        .execute()
    })
    applied.push(m.name)
  }
  return applied
}
