/**
 * The one table from error codes to HTTP statuses (STYLE.md §5; tRPC's getHTTPStatusCode): broker
 * failures (`@oa/broker-sdk`), sandbox refusals (`@oa/sandbox-engine`) and the server's own
 * service failures. Only code at the HTTP edge (services replying for `/api/v1` and the session
 * routes) reads it; packages never know about HTTP. Add a code here, never a status elsewhere.
 */
import type { BrokerErrorCode } from '@oa/broker-sdk'
import type { SandboxErrorCode } from '@oa/sandbox-engine'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Failures the server's services report themselves. */
export type ServiceErrorCode =
  /** the user's broker is not registered here (the original's "Broker-specific module not found") */
  | 'broker_module_not_found'
  /** a valid key whose user has no live broker session (403 "Invalid openalgo apikey", api.md W-3) */
  | 'broker_session_missing'

export type ErrorCode = BrokerErrorCode | SandboxErrorCode | ServiceErrorCode

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  // broker (W-6: a broker failure is 400 when the request was refused, 502 when the broker failed)
  auth_required: 403,
  auth_expired: 403,
  invalid_input: 400,
  symbol_not_found: 400,
  rate_limited: 429,
  rejected: 400,
  not_supported: 400,
  broker_down: 502,
  parse_error: 502,
  unknown: 500,
  // sandbox (api.md §4: refusals 400, an unknown order 404)
  invalid_quantity: 400,
  invalid_price: 400,
  invalid_trigger_price: 400,
  tick_size_mismatch: 400,
  lot_size_mismatch: 400,
  freeze_quantity_exceeded: 400,
  unknown_symbol: 400,
  invalid_exchange: 400,
  invalid_order: 400,
  product_not_allowed: 400,
  insufficient_funds: 400,
  insufficient_holdings: 400,
  order_not_found: 404,
  order_not_modifiable: 400,
  position_not_found: 404,
  market_closed: 400,
  no_price: 400,
  too_many_orders: 429,
  // server
  broker_module_not_found: 404,
  broker_session_missing: 403,
}

/** The HTTP status for an error code; 500 for a code this table does not know. */
export function statusOf(code: string): ContentfulStatusCode {
  return (STATUS as Record<string, ContentfulStatusCode | undefined>)[code] ?? 500
}
