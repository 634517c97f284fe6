import type { SandboxError } from '../errors.js'
import type { Inr4 } from '../money.js'
import type { Order, OrderRequest, OrderResult, Product, Trade } from '../types.js'

/** A position with mark-to-market at the current price (positionbook row). */
export interface PositionView {
  readonly symbol: string
  readonly exchange: string
  readonly product: Product
  /** signed net quantity */
  readonly quantity: number
  /** cost / |quantity|, half away from zero; 0 when flat */
  readonly averagePrice: Inr4
  /** price used for MTM: the current quote's LTP, else the last known price */
  readonly ltp: Inr4
  /** MTM of the open quantity (contract value applied) */
  readonly unrealizedPnl: Inr4
  /** realized PnL of the current session (API `today_realized_pnl`) */
  readonly sessionRealizedPnl: Inr4
  /** realized PnL since the last funds reset */
  readonly realizedPnl: Inr4
  /** session realized + unrealized (API `pnl` / `total_pnl_today`) */
  readonly sessionPnl: Inr4
  /** `sessionPnl` as a percentage of the open value (display only, a float); 0 when flat */
  readonly pnlPercent: number
  /** contract value multiplier (API `lot_size` in sandbox mode) */
  readonly contractValue: number
}

/** One holding with MTM. */
export interface HoldingView {
  readonly symbol: string
  readonly exchange: string
  readonly quantity: number
  readonly averagePrice: Inr4
  readonly ltp: Inr4
  /** cost of the held quantity */
  readonly investedValue: Inr4
  /** quantity × ltp */
  readonly currentValue: Inr4
  readonly pnl: Inr4
  /** display only (float) */
  readonly pnlPercent: number
  /** `YYYY-MM-DD` */
  readonly settlementDay: string
}

/** Holdings with the totals `/api/v1/holdings` reports. */
export interface HoldingsView {
  readonly holdings: readonly HoldingView[]
  readonly totalHoldingValue: Inr4
  readonly totalInvestedValue: Inr4
  readonly totalPnl: Inr4
  /** display only (float) */
  readonly totalPnlPercent: number
}

/**
 * The account as `/api/v1/funds` reports it (sandbox.md §10.2): `availablecash` =
 * `availableCash`, `collateral` = 0, `m2munrealized` = `m2mUnrealized` (computed live, not only
 * when the positionbook is read), `m2mrealized` = `m2mRealized`, `utiliseddebits` =
 * `utilisedDebits`.
 */
export interface FundsView {
  readonly availableCash: Inr4
  readonly collateral: Inr4
  readonly m2mUnrealized: Inr4
  readonly m2mRealized: Inr4
  readonly utilisedDebits: Inr4
  /** realized PnL since the last reset (API `total_realized_pnl`) */
  readonly totalRealizedPnl: Inr4
  /** totalRealizedPnl + m2mUnrealized */
  readonly totalPnl: Inr4
  /** cost of settled holdings */
  readonly holdingsCost: Inr4
  readonly startingCapital: Inr4
  readonly deposits: Inr4
  readonly lastResetAtMs: number
  readonly resetCount: number
}

/** What a `runDue()` call did. */
export interface DueReport {
  /** fills of resting orders against current prices */
  readonly trades: Trade[]
  /** orders cancelled by the engine: MIS cut-off, DAY expiry, expired contracts, resets */
  readonly cancelled: Order[]
  /** MARKET orders placed by the MIS auto square-off (strategy `AUTO_SQUARE_OFF`) */
  readonly squaredOff: Order[]
  /** settlement orders of expired F&O positions (strategy `EXPIRY_SETTLEMENT`) */
  readonly expirySettlements: Order[]
  /** CNC positions moved into holdings (T+1) */
  readonly settledToHoldings: SettlementRecord[]
  /** users whose virtual funds were reset */
  readonly resets: string[]
}

/** One CNC position settled at T+1. */
export interface SettlementRecord {
  readonly userId: string
  readonly symbol: string
  readonly exchange: string
  /** signed: bought quantity moved into holdings, or sold quantity taken out */
  readonly quantity: number
  /** IST date the settlement ran for */
  readonly day: string
}

/** Result of `placeSmartOrder`: an order, a no-op with the OpenAlgo message, or a refusal. */
export type SmartOrderResult =
  OrderResult | { readonly ok: true; readonly order: null; readonly message: string }

/** One leg of a basket order, in processing order (BUY legs first). */
export interface BasketLegResult {
  readonly request: OrderRequest
  readonly result: OrderResult
  readonly isLastOrder: boolean
}

/** One chunk of a split order. */
export interface SplitChunkResult {
  /** 1-based */
  readonly orderNum: number
  readonly quantity: number
  readonly result: OrderResult
}

/** Result of `placeSplitOrder`. */
export type SplitOrderResult =
  | {
      readonly ok: true
      readonly totalQuantity: number
      /** chunk size used: `splitSize`, capped at the freeze quantity (in whole lots) */
      readonly splitSize: number
      readonly results: readonly SplitChunkResult[]
    }
  | { readonly ok: false; readonly error: SandboxError }

/** Result of `cancelAllOrders`. */
export interface CancelAllResult {
  readonly cancelled: readonly Order[]
}

/** Result of `closeAllPositions`. */
export interface CloseAllResult {
  readonly closed: readonly Order[]
  readonly failed: readonly {
    readonly symbol: string
    readonly exchange: string
    readonly product: Product
    readonly error: SandboxError
  }[]
}

/** Margin of a basket of orders (`/api/v1/margin`). */
export interface MarginEstimate {
  /** everything below added up */
  readonly total: Inr4
  /** SPAN-like part of futures and short options, after hedge benefit */
  readonly span: Inr4
  /** exposure margin of futures and short options */
  readonly exposure: Inr4
  /** premium of long options */
  readonly premium: Inr4
  /** cash-equity margin (value / leverage) */
  readonly equity: Inr4
  /** SPAN saved by hedges */
  readonly hedgeBenefit: Inr4
}

/** Result of `estimateMargin`. */
export type MarginEstimateResult =
  | { readonly ok: true; readonly estimate: MarginEstimate }
  | {
      readonly ok: false
      /** 0-based position of the offending order */
      readonly index: number
      readonly error: SandboxError
    }

/** The funds identity terms of one user, for tests and health checks. */
export interface FundsAudit {
  readonly available: Inr4
  readonly utilised: Inr4
  readonly holdingsCost: Inr4
  readonly realizedPnl: Inr4
  readonly startingCapital: Inr4
  readonly deposits: Inr4
  /** Σ reserved margin of resting orders */
  readonly reservedByOrders: Inr4
  /** Σ margin of cash-equity positions */
  readonly positionMargin: Inr4
  /** Σ margin of F&O margin groups */
  readonly groupMargin: Inr4
  /** available + utilised + holdingsCost − realized = capital + deposits */
  readonly identityHolds: boolean
  /** utilised = reservedByOrders + positionMargin + groupMargin */
  readonly utilisedMatches: boolean
}
