import { z } from 'zod'
import { body, defineEndpoint, type EndpointDefinition } from '../endpoint.js'
import { FNO_EXCHANGES, apikeyField, float, list, nested, oneOf, str } from '../wire.js'
import type { Clock } from '../../clock.js'
import { multiOptionGreeks, optionGreeks, type OptionQuotes } from '../../services/option-greeks.js'

const INVALID_KEY = { status: 401 as const, message: 'Invalid openalgo apikey' }
const rate = () =>
  float()
    .check(
      z.refine(
        (n: number) => n >= 0 && n <= 100,
        'Must be greater than or equal to 0 and less than or equal to 100.',
      ),
    )
    .optional()

/**
 * `POST /api/v1/optiongreeks` and `/multioptiongreeks` (spec api.md §10.4–10.5): IV and Greeks
 * computed here (Black-76; see services/black76.ts). A bad key is 401 (W-22) and schema errors
 * use the "Validation failed" shape.
 */
export function greeksEndpoints(deps: {
  readonly quotes: OptionQuotes
  readonly clock: Clock
}): EndpointDefinition[] {
  const single = defineEndpoint({
    method: 'post',
    path: '/optiongreeks',
    summary: 'Implied volatility and Greeks of one option',
    description:
      'Black-76 on the forward: `forward_price` when given, else the expiry’s synthetic future (ATM strike + CE − PE), else the underlying’s LTP. IV in percent, theta per day, vega and rho per 1%. Default expiry cut-off 15:30 IST (MCX 23:30, CDS 12:30) unless `expiry_time` (HH:MM).',
    tags: ['options'],
    rateLimit: 'greeks',
    errorShape: 'validation-failed',
    auth: INVALID_KEY,
    input: body({
      apikey: apikeyField(),
      symbol: str(),
      exchange: oneOf(FNO_EXCHANGES),
      interest_rate: rate(),
      forward_price: float()
        .check(z.refine((n: number) => n >= 0, 'Must be greater than or equal to 0.'))
        .optional(),
      underlying_symbol: str().optional(),
      underlying_exchange: str().optional(),
      expiry_time: str().optional(),
    }),
    handler: (input, call) => optionGreeks(deps, call.caller, input),
  })
  const multi = defineEndpoint({
    method: 'post',
    path: '/multioptiongreeks',
    summary: 'IV and Greeks of up to 50 options',
    description:
      'One underlying quote per underlying and one batch of option quotes; per-item failures do not fail the batch (`summary` counts them).',
    tags: ['options'],
    rateLimit: 'api',
    errorShape: 'validation-failed',
    auth: INVALID_KEY,
    input: body({
      apikey: apikeyField(),
      symbols: list(
        nested({
          symbol: str(),
          exchange: oneOf(FNO_EXCHANGES),
          underlying_symbol: str().optional(),
          underlying_exchange: str().optional(),
        }),
      ).check(
        z.refine(
          (a: unknown[]) => a.length >= 1 && a.length <= 50,
          'Length must be between 1 and 50.',
        ),
      ),
      interest_rate: rate(),
      expiry_time: str().optional(),
    }),
    handler: (input, call) => multiOptionGreeks(deps, call.caller, input),
  })
  return [single, multi]
}
