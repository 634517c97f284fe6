import { DERIVATIVE_EXCHANGES, EQUITY_EXCHANGES } from '../config.js'
import { SandboxError } from '../errors.js'
import { formatInr4, type Inr4, isTickMultiple } from '../money.js'
import type { InstrumentInfo, InstrumentSource } from '../ports.js'
import type { OrderRequest } from '../types.js'

const ACTIONS = new Set(['BUY', 'SELL'])
const PRICE_TYPES = new Set(['MARKET', 'LIMIT', 'SL', 'SL-M'])
const PRODUCTS = new Set(['CNC', 'NRML', 'MIS'])
const EQUITY = new Set(EQUITY_EXCHANGES)
const DERIVATIVE = new Set(DERIVATIVE_EXCHANGES)

/** Result of checking an order request against its instrument. */
export type Checked =
  | { readonly ok: true; readonly info: InstrumentInfo }
  | { readonly ok: false; readonly error: SandboxError }

/** true for NSE/BSE cash equity */
export function isEquityExchange(exchange: string): boolean {
  return EQUITY.has(exchange)
}

function fail(code: SandboxError['code'], message: string): Checked {
  return { ok: false, error: new SandboxError(code, message) }
}

/**
 * Checks everything about a request that needs no account state (sandbox.md §5 step 1–4, plus
 * tick size, freeze quantity and the SL price/trigger relation the original never checked).
 * `exit` (closing a whole position) skips the freeze quantity.
 */
export function checkRequest(
  req: OrderRequest,
  instruments: InstrumentSource,
  exit = false,
): Checked {
  if (!ACTIONS.has(req.action)) {
    return fail('invalid_order', `Invalid action "${String(req.action)}". Must be BUY or SELL`)
  }
  if (!PRICE_TYPES.has(req.priceType)) {
    return fail(
      'invalid_order',
      `Invalid price type "${String(req.priceType)}". Must be MARKET, LIMIT, SL, or SL-M`,
    )
  }
  if (!PRODUCTS.has(req.product)) {
    return fail(
      'invalid_order',
      `Invalid product "${String(req.product)}". Must be CNC, NRML, or MIS`,
    )
  }
  const ex = req.exchange
  if (!EQUITY.has(ex) && !DERIVATIVE.has(ex)) {
    return fail(
      'invalid_exchange',
      `Exchange ${ex} is not tradable. Must be one of ${[...EQUITY_EXCHANGES, ...DERIVATIVE_EXCHANGES].join(', ')}`,
    )
  }
  if (EQUITY.has(ex) && req.product === 'NRML') {
    return fail(
      'product_not_allowed',
      `NRML product not allowed for ${ex} equity segment. Use CNC for delivery or MIS for intraday.`,
    )
  }
  if (DERIVATIVE.has(ex) && req.product === 'CNC') {
    return fail(
      'product_not_allowed',
      `CNC product not allowed for ${ex} derivatives segment. Use NRML for carryforward or MIS for intraday.`,
    )
  }
  if (!Number.isSafeInteger(req.quantity) || req.quantity <= 0) {
    return fail(
      'invalid_quantity',
      `quantity must be a positive integer, got "${String(req.quantity)}"`,
    )
  }
  const info = instruments.get(req.symbol, ex)
  if (!info) return fail('unknown_symbol', `Symbol ${req.symbol} not found on ${ex}`)
  if (info.instrumentType === 'INDEX') {
    return fail('invalid_order', `${req.symbol} is an index and cannot be traded`)
  }
  const qtyError = checkQuantity(
    req.quantity,
    req.symbol,
    exit ? { ...info, freezeQty: undefined } : info,
  )
  if (qtyError) return { ok: false, error: qtyError }
  const priceError = checkPrices(req.priceType, req.action, req.price, req.triggerPrice, info)
  if (priceError) return { ok: false, error: priceError }
  return { ok: true, info }
}

/** Lot-size and freeze-quantity check of a quantity (also used by modify). */
export function checkQuantity(
  qty: number,
  symbol: string,
  info: InstrumentInfo,
): SandboxError | undefined {
  if (!Number.isSafeInteger(qty) || qty <= 0) {
    return new SandboxError('invalid_quantity', `quantity must be a positive integer, got "${qty}"`)
  }
  const lot = info.lotSize > 0 ? info.lotSize : 1
  if (qty % lot !== 0) {
    return new SandboxError('lot_size_mismatch', `Quantity must be in multiples of lot size ${lot}`)
  }
  if (info.freezeQty !== undefined && info.freezeQty > 0 && qty > info.freezeQty) {
    return new SandboxError(
      'freeze_quantity_exceeded',
      `Quantity ${qty} exceeds the freeze quantity ${info.freezeQty} of ${symbol}; use a split order`,
    )
  }
  return undefined
}

/** Price/trigger presence, sign, tick size and the SL relation (also used by modify). */
export function checkPrices(
  priceType: OrderRequest['priceType'],
  action: OrderRequest['action'],
  price: Inr4 | undefined,
  trigger: Inr4 | undefined,
  info: InstrumentInfo,
): SandboxError | undefined {
  const needsPrice = priceType === 'LIMIT' || priceType === 'SL'
  const needsTrigger = priceType === 'SL' || priceType === 'SL-M'
  if (needsPrice) {
    if (price === undefined || !Number.isSafeInteger(price) || price <= 0) {
      return new SandboxError('invalid_price', `${priceType} orders require a positive price`)
    }
    if (!isTickMultiple(price, info.tickSize)) {
      return new SandboxError(
        'tick_size_mismatch',
        `price ${formatInr4(price)} is not a multiple of the tick size ${formatInr4(info.tickSize)}`,
      )
    }
  }
  if (needsTrigger) {
    if (trigger === undefined || !Number.isSafeInteger(trigger) || trigger <= 0) {
      return new SandboxError(
        'invalid_trigger_price',
        `${priceType} orders require a positive trigger price`,
      )
    }
    if (!isTickMultiple(trigger, info.tickSize)) {
      return new SandboxError(
        'tick_size_mismatch',
        `trigger price ${formatInr4(trigger)} is not a multiple of the tick size ${formatInr4(info.tickSize)}`,
      )
    }
  }
  if (priceType === 'SL' && price !== undefined && trigger !== undefined) {
    if (action === 'BUY' && trigger > price) {
      return new SandboxError(
        'invalid_trigger_price',
        `for a BUY SL order the trigger price (${formatInr4(trigger)}) must not be above the limit price (${formatInr4(price)})`,
      )
    }
    if (action === 'SELL' && trigger < price) {
      return new SandboxError(
        'invalid_trigger_price',
        `for a SELL SL order the trigger price (${formatInr4(trigger)}) must not be below the limit price (${formatInr4(price)})`,
      )
    }
  }
  return undefined
}
