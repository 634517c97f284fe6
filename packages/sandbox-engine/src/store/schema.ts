/**
 * The sandbox database schema (kysely table types). Tables are prefixed `sandbox_` as in
 * sandbox.md §2; money columns are INTEGER `*_e4` (1/10,000 ₹), instants INTEGER `*_ms`.
 */

/** Applied migrations. */
export interface SandboxMigrationsTable {
  name: string
  applied_at_ms: number
}

/** One row per user. */
export interface SandboxFundsTable {
  user_id: string
  starting_capital_e4: number
  deposits_e4: number
  available_e4: number
  utilised_e4: number
  holdings_cost_e4: number
  realized_pnl_e4: number
  session_realized_pnl_e4: number
  session: string
  last_reset_at_ms: number
  reset_count: number
  created_at_ms: number
  updated_at_ms: number
}

/** Every order, any status. */
export interface SandboxOrdersTable {
  order_id: string
  user_id: string
  strategy: string
  symbol: string
  exchange: string
  action: string
  quantity: number
  price_type: string
  product: string
  price_e4: number
  trigger_price_e4: number
  reference_price_e4: number
  status: string
  average_price_e4: number
  filled_quantity: number
  pending_quantity: number
  reserved_margin_e4: number
  rejection_reason: string | null
  placed_at_ms: number
  updated_at_ms: number
  idempotency_key: string | null
}

/** One row per filled order (UNIQUE order_id: no double fill). */
export interface SandboxTradesTable {
  trade_id: string
  order_id: string
  user_id: string
  symbol: string
  exchange: string
  action: string
  quantity: number
  price_e4: number
  product: string
  strategy: string
  traded_at_ms: number
}

/** Net positions, exact running totals. */
export interface SandboxPositionsTable {
  user_id: string
  symbol: string
  exchange: string
  product: string
  quantity: number
  cost_e4: number
  margin_e4: number
  realized_pnl_e4: number
  session_realized_pnl_e4: number
  session: string
  last_price_e4: number
  opened_day: string
  trade_day: string
  updated_at_ms: number
  instrument_type: string
  expiry: string | null
  strike_e4: number
  contract_value_e4: number
  margin_group: string | null
}

/** Settled delivery holdings. */
export interface SandboxHoldingsTable {
  user_id: string
  symbol: string
  exchange: string
  quantity: number
  cost_e4: number
  last_price_e4: number
  settlement_day: string
  updated_at_ms: number
}

/** F&O margin per underlying. */
export interface SandboxMarginGroupsTable {
  user_id: string
  group_key: string
  margin_e4: number
  underlying_price_e4: number
  updated_at_ms: number
}

/** Jobs that ran per user (T+1 of a day, resets, square-offs): what catch-up must not repeat. */
export interface SandboxJobRunsTable {
  user_id: string
  job_key: string
  ran_at_ms: number
}

/** The kysely database type of the sandbox tables. */
export interface SandboxDatabase {
  sandbox_migrations: SandboxMigrationsTable
  sandbox_funds: SandboxFundsTable
  sandbox_orders: SandboxOrdersTable
  sandbox_trades: SandboxTradesTable
  sandbox_positions: SandboxPositionsTable
  sandbox_holdings: SandboxHoldingsTable
  sandbox_margin_groups: SandboxMarginGroupsTable
  sandbox_job_runs: SandboxJobRunsTable
}
