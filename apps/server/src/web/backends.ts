import type {
  ActionReply,
  AnalyzerLog,
  ClosePositionInput,
  Funds,
  Holdings,
  MasterContract,
  OrderBook,
  PositionBook,
  Quotes,
  TradeBook,
  WebEvent,
} from '@oa/web-contract'
import type { z } from 'zod'
import type { modifyOrderInput, placeOrderInput } from '@oa/web-contract'
import type { Caller } from '../api/endpoint.js'

/** A typed order as the session routes validated it (prices still decimal text). */
export type PlaceOrder = z.output<typeof placeOrderInput>
export type ModifyOrder = z.output<typeof modifyOrderInput>

/**
 * The seam between the web app's session routes and the server's service functions
 * (`apps/server/src/services/`, spec architecture "A request through /api/v1"): each member
 * calls the same `(caller, input)` service the `/api/v1` handler calls and maps its result to
 * the web contract. A member that is missing means that part of the server has not landed in
 * this build: its route answers 503 `not_available`, never a made-up value.
 *
 * Members throw {@link WebBackendError} for expected refusals (the broker or the sandbox said
 * no); anything else is a 500 with a logged stack.
 */
export interface WebBackends {
  funds?(caller: Caller): Promise<Funds>
  orderBook?(caller: Caller): Promise<OrderBook>
  tradeBook?(caller: Caller): Promise<TradeBook>
  positions?(caller: Caller): Promise<PositionBook>
  holdings?(caller: Caller): Promise<Holdings>
  quotes?(caller: Caller, symbols: readonly { exchange: string; symbol: string }[]): Promise<Quotes>
  masterContract?(caller: Caller): Promise<MasterContract>
  reloadMasterContract?(caller: Caller): Promise<ActionReply>
  placeOrder?(caller: Caller, input: PlaceOrder): Promise<ActionReply>
  modifyOrder?(caller: Caller, input: ModifyOrder): Promise<ActionReply>
  cancelOrder?(caller: Caller, orderId: string): Promise<ActionReply>
  cancelAllOrders?(caller: Caller): Promise<ActionReply>
  closePosition?(caller: Caller, input: ClosePositionInput): Promise<ActionReply>
  closeAllPositions?(caller: Caller): Promise<ActionReply>
  analyzerLog?(caller: Caller, range: { startIst: string; endIst: string }): Promise<AnalyzerLog>
  /** the analyzer switch, when the orders area owns it (else the settings row is used) */
  analyzerMode?: {
    get(): 'live' | 'analyze'
    set(mode: 'live' | 'analyze', caller: Caller): Promise<void>
  }
  /**
   * Subscribes to the in-process event bus (`apps/server/src/events/bus.ts`): `username` null
   * means every logged-in browser. Returns the remover.
   */
  subscribe?(listener: (username: string | null, event: WebEvent) => void): () => void
  /**
   * true once `subscribe` carries order and portfolio events (the orders area's bus); until
   * then the web app polls the books every few seconds instead
   */
  orderEvents?: boolean
}

/** An expected refusal from a backend, shown to the trader as-is. */
export class WebBackendError extends Error {
  override readonly name = 'WebBackendError'
  constructor(
    readonly status: 400 | 404 | 409 | 502,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
