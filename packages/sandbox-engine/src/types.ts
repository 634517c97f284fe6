import type { SandboxError } from './errors.js'
import type { Inr4 } from './money.js'
import type { InstrumentType } from './ports.js'

/** BUY or SELL. */
export type Action = 'BUY' | 'SELL'
/** MARKET, LIMIT, SL (stop-limit) or SL-M (stop-market). */
export type PriceType = 'MARKET' | 'LIMIT' | 'SL' | 'SL-M'
/** CNC (delivery equity), NRML (carry-forward derivatives), MIS (intraday). */
export type Product = 'CNC' | 'NRML' | 'MIS'
/**
 * Order states (sandbox.md §6.2). The wire spells `trigger_pending` as `trigger pending`; the
 * server maps it.
 */
export type OrderStatus = 'open' | 'trigger_pending' | 'complete' | 'rejected' | 'cancelled'

/** A request to place one order. Prices are `Inr4`; quantities are integer units, not lots. */
export interface OrderRequest {
  readonly symbol: string
  readonly exchange: string
  readonly action: Action
  readonly quantity: number
  readonly priceType: PriceType
  readonly product: Product
  /** limit price for LIMIT and SL; ignored for MARKET and SL-M */
  readonly price?: Inr4 | undefined
  /** trigger for SL and SL-M; ignored otherwise */
  readonly triggerPrice?: Inr4 | undefined
  /** free-text tag, reported back on orders and trades */
  readonly strategy?: string | undefined
  /**
   * client-chosen key: a retried request with the same key returns the first order instead of
   * placing a second one (unique per user, kept with the order)
   */
  readonly idempotencyKey?: string | undefined
  /** underlying price to margin an option/future with, when the host already knows it */
  readonly underlyingPrice?: Inr4 | undefined
}

/** One order as the engine keeps it. */
export interface Order {
  readonly orderId: string
  readonly userId: string
  readonly strategy: string
  readonly symbol: string
  readonly exchange: string
  readonly action: Action
  readonly quantity: number
  readonly priceType: PriceType
  readonly product: Product
  /** limit price of LIMIT/SL orders, 0 otherwise */
  readonly price: Inr4
  /** trigger of SL/SL-M orders, 0 otherwise */
  readonly triggerPrice: Inr4
  /** the price the margin was computed at: LTP for MARKET, the limit, or the trigger */
  readonly referencePrice: Inr4
  readonly status: OrderStatus
  /** fill price, 0 until filled */
  readonly averagePrice: Inr4
  readonly filledQuantity: number
  readonly pendingQuantity: number
  /** margin this order holds while it rests; 0 once it is filled, cancelled or rejected */
  readonly reservedMargin: Inr4
  readonly rejectionReason: string | null
  readonly placedAtMs: number
  readonly updatedAtMs: number
  readonly idempotencyKey: string | null
}

/** One execution. The engine fills orders in full, so there is one trade per filled order. */
export interface Trade {
  readonly tradeId: string
  readonly orderId: string
  readonly userId: string
  readonly symbol: string
  readonly exchange: string
  readonly action: Action
  readonly quantity: number
  readonly price: Inr4
  readonly product: Product
  readonly strategy: string
  readonly tradedAtMs: number
}

/** The net position of one (symbol, exchange, product), kept as exact running totals. */
export interface Position {
  readonly userId: string
  readonly symbol: string
  readonly exchange: string
  readonly product: Product
  /** signed net quantity; negative is short, 0 is flat */
  readonly quantity: number
  /** cost of the open quantity, Σ price × units, ≥ 0; the average is derived from it */
  readonly cost: Inr4
  /** margin attributed to this position (cash equity); F&O margin lives in its margin group */
  readonly margin: Inr4
  /** realized PnL since the last funds reset */
  readonly realizedPnl: Inr4
  /** realized PnL of `session` */
  readonly sessionRealizedPnl: Inr4
  /** the trading session (`YYYY-MM-DD`, boundary `config.sessionBoundary`) of `sessionRealizedPnl` */
  readonly session: string
  /** last fill or settlement price */
  readonly lastPrice: Inr4
  /** IST date the open quantity was opened from flat */
  readonly openedDay: string
  /** IST date of the latest fill (T+1 settles a CNC row after this day) */
  readonly tradeDay: string
  readonly updatedAtMs: number
  /** instrument class at the time of the first fill (kept so expired contracts still settle) */
  readonly instrumentType: InstrumentType
  /** `YYYY-MM-DD` expiry of a future or option, null otherwise */
  readonly expiry: string | null
  /** option strike, 0 otherwise */
  readonly strike: Inr4
  /** contract value × 10,000 (10,000 = a multiplier of 1) */
  readonly contractValueE4: number
  /** F&O margin group (`exchange:underlying`), null for cash equity */
  readonly marginGroup: string | null
}

/** A settled delivery holding (CNC after T+1). */
export interface Holding {
  readonly userId: string
  readonly symbol: string
  readonly exchange: string
  readonly quantity: number
  /** cost of the held quantity, Σ price × units */
  readonly cost: Inr4
  readonly lastPrice: Inr4
  /** IST date the holding was first created by settlement */
  readonly settlementDay: string
  readonly updatedAtMs: number
}

/** Margin blocked for all F&O positions on one underlying (the SPAN-like portfolio margin). */
export interface MarginGroup {
  readonly userId: string
  /** `exchange:underlying`, see `marginGroupKey` */
  readonly groupKey: string
  readonly margin: Inr4
  /** underlying price the margin was last computed at */
  readonly underlyingPrice: Inr4
  readonly updatedAtMs: number
}

/**
 * One user's virtual account. Invariant after every operation:
 * `available + utilised + holdingsCost − realizedPnl = startingCapital + deposits`, and
 * `utilised` = Σ resting orders' reserved margin + Σ positions' margin + Σ margin groups.
 */
export interface Funds {
  readonly userId: string
  readonly startingCapital: Inr4
  /** net deposits since the last reset */
  readonly deposits: Inr4
  /** free cash; API `availablecash` */
  readonly available: Inr4
  /** margin in use; API `utiliseddebits` */
  readonly utilised: Inr4
  /** cost of settled holdings (cash that became shares at T+1) */
  readonly holdingsCost: Inr4
  /** realized PnL since the last reset */
  readonly realizedPnl: Inr4
  /** realized PnL of `session`; API `m2mrealized` */
  readonly sessionRealizedPnl: Inr4
  readonly session: string
  readonly lastResetAtMs: number
  readonly resetCount: number
  readonly createdAtMs: number
  readonly updatedAtMs: number
}

/** A record that a scheduled job ran for a user (T+1 of a day, a reset, a square-off). */
export interface JobRun {
  readonly userId: string
  readonly jobKey: string
  readonly ranAtMs: number
}

/** Outcome of a command: the order, or why it was refused (never thrown). */
export type OrderResult =
  | { readonly ok: true; readonly order: Order }
  | {
      readonly ok: false
      readonly error: SandboxError
      /** present when the refusal was recorded as a `rejected` order (CNC sell without shares) */
      readonly order?: Order | undefined
    }
