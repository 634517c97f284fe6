import { z } from 'zod'
import { body, defineEndpoint, type EndpointDefinition } from '../endpoint.js'
import { EXCHANGES, apikeyField, bool, float, int, oneOf, str } from '../wire.js'
import type { OptionChainInput } from '../../services/option-chain.js'
import {
  syntheticFuture,
  type OptionSymbolResolver,
  type QuoteService,
  type Reply,
} from '../../services/option-quotes.js'
import type { Caller } from '../endpoint.js'

/**
 * `POST /api/v1/optionchain` and `/syntheticfuture` (spec api.md §10.6–10.7); schema errors in
 * the "Validation error" shape.
 */
export function optionDataEndpoints(deps: {
  readonly quotes: QuoteService
  readonly optionSymbol: OptionSymbolResolver
  readonly chain: (caller: Caller, input: OptionChainInput) => Promise<Reply>
}): EndpointDefinition[] {
  const chain = defineEndpoint({
    method: 'post',
    path: '/optionchain',
    summary: 'Option chain with live quotes (and Greeks)',
    description:
      'Strikes listed for `expiry_date` (DDMMMYY) around the ATM strike (`strike_count` each side, all when omitted), each CE/PE leg with its ITMn/OTMn label and quote; `with_greeks` adds IV, delta, gamma, theta and vega per leg (Black-76 on the forward K + C − P of the ATM legs).',
    tags: ['options'],
    rateLimit: 'api',
    errorShape: 'validation-error',
    auth: 'apikey',
    input: body({
      apikey: apikeyField(),
      underlying: str(),
      exchange: oneOf(EXCHANGES),
      expiry_date: str(),
      strike_count: int()
        .check(
          z.refine(
            (n: number) => n >= 1 && n <= 100,
            'Must be greater than or equal to 1 and less than or equal to 100.',
          ),
        )
        .nullable()
        .optional(),
      with_greeks: bool().default(false),
      interest_rate: float()
        .check(
          z.refine(
            (n: number) => n >= 0 && n <= 100,
            'Must be greater than or equal to 0 and less than or equal to 100.',
          ),
        )
        .nullable()
        .optional(),
    }),
    handler: (input, call) => deps.chain(call.caller, input),
  })
  const synthetic = defineEndpoint({
    method: 'post',
    path: '/syntheticfuture',
    summary: 'Synthetic future price of an expiry',
    description:
      'ATM strike + ATM call LTP − ATM put LTP, from one batch quote. No order is placed.',
    tags: ['options'],
    rateLimit: 'api',
    errorShape: 'validation-error',
    auth: 'apikey',
    input: body({
      apikey: apikeyField(),
      underlying: str(),
      exchange: oneOf(EXCHANGES),
      expiry_date: str(),
    }),
    handler: (input, call) => syntheticFuture(deps, call.caller, input),
  })
  return [chain, synthetic]
}
