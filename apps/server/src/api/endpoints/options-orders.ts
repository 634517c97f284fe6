import { z } from 'zod'
import { body, defineEndpoint, type EndpointDefinition } from '../endpoint.js'
import {
  ACTIONS,
  EXCHANGES,
  PRICE_TYPES,
  apikeyField,
  float,
  int,
  intWhere,
  list,
  nested,
  oneOf,
  str,
} from '../wire.js'
import type { OptionSymbolResolver } from '../../services/option-quotes.js'
import {
  placeOptionsMultiOrder,
  placeOptionsOrder,
  pnlSymbols,
  type OrderPlacer,
  type PositionBookSource,
} from '../../services/options-orders.js'

const nonNegative = (message: string) => float().check(z.refine((n: number) => n >= 0, message))

/** The fields an options leg shares with `/optionsorder` (the original's schemas). */
function legFields() {
  return {
    offset: str(),
    option_type: oneOf(['CE', 'PE', 'ce', 'pe'] as const),
    action: oneOf(ACTIONS),
    quantity: intWhere((n) => n >= 1, 'Quantity must be a positive integer.'),
    splitsize: intWhere((n) => n >= 0, 'Split size must be a non-negative integer.')
      .nullable()
      .default(0),
    pricetype: oneOf(PRICE_TYPES).default('MARKET'),
    product: oneOf(['MIS', 'NRML'] as const).default('MIS'),
    price: nonNegative('Price must be a non-negative number.').default(0),
    trigger_price: nonNegative('Trigger price must be a non-negative number.').default(0),
    disclosed_quantity: intWhere(
      (n) => n >= 0,
      'Disclosed quantity must be a non-negative integer.',
    ).default(0),
  }
}

const strikeInt = () =>
  int()
    .check(z.refine((n: number) => n >= 1, 'Must be greater than or equal to 1.'))
    .nullable()
    .optional()

/**
 * `POST /api/v1/optionsorder`, `/optionsmultiorder` (spec api.md §10.2–10.3) and
 * `/pnl/symbols` (§11.6), over the market core's option-symbol resolver and the orders area's
 * services; schema errors of the options endpoints in the "Validation error" shape.
 */
export function optionsOrderEndpoints(deps: {
  readonly optionSymbol: OptionSymbolResolver
  readonly orders: OrderPlacer
  readonly account: PositionBookSource
  readonly isAnalyze: () => boolean
}): EndpointDefinition[] {
  const analyzeExtra = () => (deps.isAnalyze() ? { mode: 'analyze' } : {})
  const single = defineEndpoint({
    method: 'post',
    path: '/optionsorder',
    summary: 'Place an option order by offset from the money',
    description:
      'Resolves the option at `offset` (ATM, ITM1..ITM50, OTM1..OTM50) of the underlying’s LTP on the listed strikes of `expiry_date`, then places it (split into `splitsize` orders when > 0).',
    tags: ['options'],
    rateLimit: 'order',
    errorShape: 'validation-error',
    auth: 'apikey',
    schemaErrorExtra: analyzeExtra,
    input: body({
      apikey: apikeyField(),
      strategy: str(),
      underlying: str(),
      exchange: oneOf(EXCHANGES),
      expiry_date: str().optional(),
      strike_int: strikeInt(),
      ...legFields(),
    }),
    handler: (input, call) => placeOptionsOrder(deps, call.caller, input),
  })
  const multi = defineEndpoint({
    method: 'post',
    path: '/optionsmultiorder',
    summary: 'Place a multi-leg options strategy',
    description:
      'Up to 20 legs on one underlying (per-leg `expiry_date` for calendars/diagonals). BUY legs are placed first, then SELL legs; results come back in leg order, each with its `mode`.',
    tags: ['options'],
    rateLimit: 'order',
    errorShape: 'validation-error',
    auth: 'apikey',
    schemaErrorExtra: analyzeExtra,
    input: body({
      apikey: apikeyField(),
      strategy: str(),
      underlying: str(),
      exchange: oneOf(EXCHANGES),
      expiry_date: str().optional(),
      strike_int: strikeInt(),
      legs: list(nested({ ...legFields(), expiry_date: str().optional() })).check(
        z.refine(
          (a: unknown[]) => a.length >= 1 && a.length <= 20,
          'Legs must contain 1 to 20 items.',
        ),
      ),
    }),
    handler: (input, call) => placeOptionsMultiOrder(deps, call.caller, input),
  })
  const pnl = defineEndpoint({
    method: 'post',
    path: '/pnl/symbols',
    summary: 'Day P&L per symbol (analyzer mode)',
    description:
      'Per position: quantity, session P&L, unrealized and today’s realized P&L, with totals. Analyzer (sandbox) mode only; 400 in live mode.',
    tags: ['account'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body({ apikey: apikeyField() }),
    handler: (_input, call) => pnlSymbols(deps, call.caller),
  })
  return [single, multi, pnl]
}
