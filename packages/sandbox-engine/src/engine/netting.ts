import { divRound, type Inr4, mulDiv, notional } from '../money.js'

/** What applying a fill of `delta` units at `price` does to a position. */
export interface NetResult {
  /** new signed quantity */
  readonly quantity: number
  /** new cost of the open quantity */
  readonly cost: Inr4
  /** units that closed existing quantity */
  readonly closed: number
  /** units that opened new exposure (added to, or reversed into) */
  readonly opened: number
  /** realized PnL of the closed units before the contract-value multiplier */
  readonly realizedRaw: number
}

/**
 * Nets a fill into a position kept as exact running totals (STYLE.md §8): the cost of closed
 * units is taken pro rata from the cost total with one `divRound`, so the average is never
 * rounded and then added to. A reversal closes the old side in full and opens the rest at
 * `price`.
 */
export function netFill(oldQty: number, oldCost: Inr4, delta: number, price: Inr4): NetResult {
  if (oldQty === 0 || Math.sign(oldQty) === Math.sign(delta)) {
    return {
      quantity: oldQty + delta,
      cost: (oldCost + notional(price, Math.abs(delta))) as Inr4,
      closed: 0,
      opened: Math.abs(delta),
      realizedRaw: 0,
    }
  }
  const absOld = Math.abs(oldQty)
  const closed = Math.min(Math.abs(delta), absOld)
  const costPortion = proRata(oldCost, closed, absOld)
  const proceeds = notional(price, closed)
  const realizedRaw = oldQty > 0 ? proceeds - costPortion : costPortion - proceeds
  const rest = Math.abs(delta) - closed
  if (rest > 0) {
    return {
      quantity: Math.sign(delta) * rest,
      cost: notional(price, rest),
      closed,
      opened: rest,
      realizedRaw,
    }
  }
  return {
    quantity: oldQty + delta,
    cost: (oldCost - costPortion) as Inr4,
    closed,
    opened: 0,
    realizedRaw,
  }
}

/** `total × part / whole`, half away from zero, exact for safe integers. */
export function proRata(total: number, part: number, whole: number): number {
  return part === whole ? total : mulDiv(total, part, whole)
}

/** Average price of a position: cost / |quantity|, half away from zero; 0 when flat. */
export function averagePrice(cost: Inr4, quantity: number): Inr4 {
  return (quantity === 0 ? 0 : divRound(cost, Math.abs(quantity))) as Inr4
}
