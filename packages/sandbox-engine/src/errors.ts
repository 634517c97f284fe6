/**
 * Every way a sandbox request can be refused. Lower snake_case, closed set (STYLE.md §5): the
 * server maps each code to an HTTP status in one table and never parses messages.
 */
export type SandboxErrorCode =
  | 'invalid_quantity'
  | 'invalid_price'
  | 'invalid_trigger_price'
  | 'tick_size_mismatch'
  | 'lot_size_mismatch'
  | 'freeze_quantity_exceeded'
  | 'unknown_symbol'
  | 'invalid_exchange'
  | 'invalid_order'
  | 'product_not_allowed'
  | 'insufficient_funds'
  | 'insufficient_holdings'
  | 'order_not_found'
  | 'order_not_modifiable'
  | 'position_not_found'
  | 'market_closed'
  | 'no_price'
  | 'too_many_orders'

/**
 * A refusal of a sandbox request, with a message written for the trader (what was wrong and what
 * would be right). Broken invariants are plain `Error`s, never `SandboxError`s.
 */
export class SandboxError extends Error {
  override readonly name = 'SandboxError'
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Throws a plain `Error` for a broken invariant (a bug, not bad input). */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`sandbox invariant broken: ${message}`)
}
