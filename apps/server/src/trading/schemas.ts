/**
 * Request schemas of the order and account endpoints (api.md §7, §8, §11.1, §11.3), field for
 * field the original's marshmallow schemas (openalgo: restx_api/schemas.py, account_schema.py):
 * defaults only when a key is absent, the original's messages, numbers also as numeric strings.
 * Additions: `idempotency_key` on placeorder, `orderid` as a number or a string (W-15), prices
 * with at most 4 decimals (the engine's exact money), unknown keys ignored (W-2).
 */
import { tryParseInr4, type Inr4 } from '@oa/broker-sdk'
import { z } from 'zod'
import { body } from '../api/endpoint.js'
import {
  ACTIONS,
  EXCHANGES,
  PRICE_TYPES,
  PRODUCTS,
  apikeyField,
  bool,
  float,
  fieldError,
  int,
  list,
  nested,
  oneOf,
  orderId,
  str,
} from '../api/wire.js'

const DECIMALS = 'Must have at most 4 decimal places.'

/** a non-negative price with the original's message, exact to 1/10,000 ₹ */
function price(message: string) {
  return float().check(
    z.refine((n: number) => n >= 0, message),
    z.refine((n: number) => n < 0 || tryParseInr4(String(n)) !== undefined, DECIMALS),
  )
}

/** number → Inr4; the schema guaranteed it parses */
export function inr4(n: number): Inr4 {
  return tryParseInr4(String(n)) ?? (0 as Inr4)
}

const quantityPositive = (message = 'Quantity must be a positive number.') =>
  float().check(z.refine((n: number) => n > 0, message))

const disclosed = () =>
  int().check(z.refine((n: number) => n >= 0, 'Disclosed quantity must be a non-negative integer.'))

/**
 * The original's post_load: a fractional quantity is refused outside CRYPTO, under `quantity`.
 * The message shows the number as Python prints a float (`1.5`).
 */
function wholeQuantity(data: { exchange?: unknown; quantity?: unknown }, ctx: z.RefinementCtx) {
  const q = data.quantity
  if (data.exchange !== 'CRYPTO' && typeof q === 'number' && !Number.isInteger(q)) {
    ctx.addIssue({
      code: 'custom',
      path: ['quantity'],
      message: `Fractional quantity (${q}) is not allowed for non-crypto exchanges.`,
    })
  }
}

const orderFields = {
  apikey: apikeyField(),
  strategy: str(),
  exchange: oneOf(EXCHANGES),
  symbol: str(),
  action: oneOf(ACTIONS),
  pricetype: oneOf(PRICE_TYPES).default('MARKET'),
  product: oneOf(PRODUCTS).default('MIS'),
  price: price('Price must be a non-negative number.').default(0),
  trigger_price: price('Trigger price must be a non-negative number.').default(0),
  disclosed_quantity: disclosed().default(0),
}

/** `POST /placeorder` (`OrderSchema`) plus oa's optional `idempotency_key`. */
export const placeOrderInput = body({
  ...orderFields,
  quantity: quantityPositive(),
  underlying_ltp: float().nullable().default(null),
  idempotency_key: str()
    .check(
      z.refine(
        (s: string) => s.length >= 1 && s.length <= 100,
        'Length must be between 1 and 100.',
      ),
    )
    .optional(),
}).superRefine(wholeQuantity)

/** `POST /placesmartorder` (`SmartOrderSchema`). */
export const smartOrderInput = body({
  ...orderFields,
  quantity: float().check(
    z.refine((n: number) => n >= 0, 'Quantity must be a non-negative number.'),
  ),
  position_size: float(),
}).superRefine(wholeQuantity)

const basketLeg = nested({
  exchange: oneOf(EXCHANGES),
  symbol: str(),
  action: oneOf(ACTIONS),
  quantity: quantityPositive(),
  pricetype: oneOf(PRICE_TYPES).default('MARKET'),
  product: oneOf(PRODUCTS).default('MIS'),
  price: price('Price must be a non-negative number.').default(0),
  trigger_price: price('Trigger price must be a non-negative number.').default(0),
  disclosed_quantity: disclosed().default(0),
}).superRefine(wholeQuantity)

/** `POST /basketorder` (`BasketOrderSchema`); an empty list is accepted. */
export const basketOrderInput = body({
  apikey: apikeyField(),
  strategy: str(),
  orders: list(basketLeg),
})

/** `POST /splitorder` (`SplitOrderSchema`). */
export const splitOrderInput = body({
  ...orderFields,
  quantity: quantityPositive('Total quantity must be a positive number.'),
  splitsize: int().check(z.refine((n: number) => n >= 1, 'Split size must be a positive integer.')),
}).superRefine(wholeQuantity)

/** `POST /modifyorder` (`ModifyOrderSchema`): every field required. */
export const modifyOrderInput = body({
  apikey: apikeyField(),
  strategy: str(),
  exchange: oneOf(EXCHANGES),
  symbol: str(),
  orderid: orderId(),
  action: oneOf(ACTIONS),
  product: oneOf(PRODUCTS),
  pricetype: oneOf(PRICE_TYPES),
  price: price('Price must be a non-negative number.'),
  quantity: quantityPositive(),
  disclosed_quantity: disclosed(),
  trigger_price: price('Trigger price must be a non-negative number.'),
}).superRefine(wholeQuantity)

/** `POST /cancelorder` and `/orderstatus`. */
export const orderIdInput = body({ apikey: apikeyField(), strategy: str(), orderid: orderId() })

/** `POST /cancelallorder` and `/closeposition`: `strategy` is only a tag (W-27). */
export const strategyInput = body({ apikey: apikeyField(), strategy: str() })

/** `POST /openposition`: `exchange` is free text here, as in the original. */
export const openPositionInput = body({
  apikey: apikeyField(),
  strategy: str(),
  symbol: str(),
  exchange: str(),
  product: oneOf(PRODUCTS),
})

/** the book and account endpoints and `/analyzer`: the key only */
export const apikeyOnlyInput = body({ apikey: apikeyField() })

/** `POST /analyzer/toggle`: `mode` is marshmallow's Boolean (`"true"`, `"1"`, `"True"`…). */
export const analyzerToggleInput = body({ apikey: apikeyField(), mode: bool() })

/** a string field that also takes a number (W-23), kept as text */
function textNumber() {
  return z.preprocess(
    (v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v),
    z.string({ error: fieldError('Not a valid string.') }),
  )
}

const marginPosition = nested({
  symbol: str().check(
    z.refine(
      (s: string) => s.length >= 1 && s.length <= 50,
      'Symbol must be between 1 and 50 characters.',
    ),
  ),
  exchange: oneOf(EXCHANGES),
  action: oneOf(ACTIONS),
  quantity: textNumber(),
  product: oneOf(PRODUCTS),
  pricetype: oneOf(PRICE_TYPES),
  price: textNumber().default('0'),
  trigger_price: textNumber().default('0'),
})

/** `POST /margin` (`MarginCalculatorSchema`): 1 to 50 positions. */
export const marginInput = body({
  apikey: str().check(
    z.refine(
      (s: string) => s.length >= 1 && s.length <= 256,
      'API key must be between 1 and 256 characters.',
    ),
  ),
  positions: list(marginPosition).check(
    z.refine(
      (a: unknown[]) => a.length >= 1 && a.length <= 50,
      'Positions must contain 1 to 50 items.',
    ),
  ),
})

export type PlaceOrderWire = z.output<typeof placeOrderInput>
export type SmartOrderWire = z.output<typeof smartOrderInput>
export type BasketOrderWire = z.output<typeof basketOrderInput>
export type SplitOrderWire = z.output<typeof splitOrderInput>
export type ModifyOrderWire = z.output<typeof modifyOrderInput>
export type MarginWire = z.output<typeof marginInput>
