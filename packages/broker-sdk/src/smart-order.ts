import type { Action } from './enums.js'
import type { OrderRequest, PositionRow, SmartOrderRequest } from './models.js'

/** The no-op messages of the reference (api.md §7.2), kept verbatim for client compatibility. */
export const SMART_ORDER_MESSAGES = {
  noOpenPosition: 'No OpenPosition Found. Not placing Exit order.',
  alreadyMatched: 'Positions Already Matched. No Action needed.',
} as const

/** What a smart order decides: place one order, or nothing with a message. */
export type SmartOrderDecision =
  { kind: 'place'; action: Action; quantity: number } | { kind: 'none'; message: string }

/**
 * The smart-order rule of brokers.md §1.6 as a pure function of the request and the current signed
 * net quantity. Integer arithmetic only; the first matching row of the spec's table wins.
 */
export function decideSmartOrder(
  req: Pick<SmartOrderRequest, 'action' | 'quantity' | 'positionSize'>,
  current: number,
): SmartOrderDecision {
  const target = req.positionSize
  if (!Number.isSafeInteger(target) || !Number.isSafeInteger(current)) {
    throw new Error(
      `smart order needs integer quantities, got target ${target}, current ${current}`,
    )
  }
  if (target === 0 && current === 0 && req.quantity !== 0) {
    return { kind: 'place', action: req.action, quantity: req.quantity }
  }
  if (target === current) {
    return {
      kind: 'none',
      message:
        req.quantity === 0
          ? SMART_ORDER_MESSAGES.noOpenPosition
          : SMART_ORDER_MESSAGES.alreadyMatched,
    }
  }
  if (target === 0) {
    return current > 0
      ? { kind: 'place', action: 'SELL', quantity: current }
      : { kind: 'place', action: 'BUY', quantity: -current }
  }
  if (current === 0) {
    return target > 0
      ? { kind: 'place', action: 'BUY', quantity: target }
      : { kind: 'place', action: 'SELL', quantity: -target }
  }
  const diff = target - current
  return diff > 0
    ? { kind: 'place', action: 'BUY', quantity: diff }
    : { kind: 'place', action: 'SELL', quantity: -diff }
}

/** The signed net quantity of (symbol, exchange, product) in a position book; 0 when absent. */
export function netPosition(
  positions: readonly PositionRow[],
  ref: Pick<OrderRequest, 'symbol' | 'exchange' | 'product'>,
): number {
  let net = 0
  for (const row of positions) {
    if (row.symbol === ref.symbol && row.exchange === ref.exchange && row.product === ref.product) {
      net += row.quantity
    }
  }
  return net
}

/** The lock key of a smart order: one queue per `symbol:exchange:product`. */
export function smartOrderKey(req: Pick<OrderRequest, 'symbol' | 'exchange' | 'product'>): string {
  return `${req.symbol}:${req.exchange}:${req.product}`
}
