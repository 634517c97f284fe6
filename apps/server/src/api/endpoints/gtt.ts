import { z } from 'zod'
import { body, defineEndpoint, type EndpointDefinition } from '../endpoint.js'
import {
  ACTIONS,
  EXCHANGES,
  apikeyField,
  fieldError,
  float,
  floatWhere,
  oneOf,
  str,
} from '../wire.js'
import type { AccountMode } from '../../services/account-mode.js'
import { gttCall, type GttAction } from '../../services/gtt.js'

const PRODUCT_MESSAGE =
  'GTT supports only CNC (delivery) or NRML (overnight F&O); MIS is intraday-only.'

/** `""` means "not given" for the trigger and leg prices (the original's pre_load). */
const blankToZero = (v: unknown) => (v === '' ? 0 : v)
const blankToNull = (v: unknown) => (v === '' ? null : v)

const nonNegative = (message: string) =>
  z.preprocess(
    blankToZero,
    floatWhere((n) => n >= 0, message),
  )

function gttFields() {
  return {
    apikey: apikeyField(),
    strategy: str(),
    trigger_type: str(),
    exchange: oneOf(EXCHANGES),
    symbol: str(),
    action: oneOf(ACTIONS),
    product: z.enum(['NRML', 'CNC'], { error: fieldError(PRODUCT_MESSAGE) }),
    quantity: floatWhere((n) => n > 0, 'Quantity must be a positive number.'),
    pricetype: oneOf(['LIMIT', 'MARKET'] as const).default('LIMIT'),
    price: floatWhere((n) => n >= 0, 'Price must be a non-negative number.'),
    triggerprice_sl: nonNegative('triggerprice_sl must be non-negative.').default(0),
    triggerprice_tg: nonNegative('triggerprice_tg must be non-negative.').default(0),
    stoploss: z.preprocess(blankToNull, float().nullable()).optional(),
    target: z.preprocess(blankToNull, float().nullable()).optional(),
  }
}

interface GttShape {
  trigger_type: string
  exchange: string
  quantity: number
  triggerprice_sl: number
  triggerprice_tg: number
  stoploss?: number | null | undefined
  target?: number | null | undefined
}

/** The original's post-load rules (`_validate_gtt_place_request`), as zod issues on the field. */
function gttRules(data: GttShape, ctx: z.RefinementCtx): void {
  const add = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message })
  const type = data.trigger_type.toUpperCase()
  if (type !== 'SINGLE' && type !== 'OCO') return add('trigger_type', "Must be 'SINGLE' or 'OCO'.")
  if (type === 'OCO') {
    if (!data.triggerprice_sl) return add('triggerprice_sl', 'Required for OCO (stoploss trigger).')
    if (!data.stoploss) return add('stoploss', 'Required for OCO (stoploss leg limit).')
    if (!data.triggerprice_tg) return add('triggerprice_tg', 'Required for OCO (target trigger).')
    if (!data.target) return add('target', 'Required for OCO (target leg limit).')
    if (data.triggerprice_sl >= data.triggerprice_tg)
      return add(
        'triggerprice_sl',
        'Stoploss trigger must be less than target trigger (triggerprice_tg).',
      )
  } else if (data.triggerprice_sl <= 0 && data.triggerprice_tg <= 0) {
    return add(
      'triggerprice_sl',
      'SINGLE GTT requires a positive triggerprice_sl or triggerprice_tg.',
    )
  }
  if (data.exchange !== 'CRYPTO' && !Number.isInteger(data.quantity))
    add(
      'quantity',
      `Fractional quantity (${data.quantity}) is not allowed for non-crypto exchanges.`,
    )
}

/**
 * The GTT endpoints (spec api.md §11.2) with the original's schemas: place/modify ignore unknown
 * keys, `""` is null for `stoploss`/`target` and 0 for the triggers, and the SINGLE/OCO rules
 * report under the field. The service answers 400, not supported (no GTT API on the simulator or sandbox).
 */
export function gttEndpoints(mode: AccountMode): EndpointDefinition[] {
  const analyzeExtra = () => (mode.isAnalyze() ? { mode: 'analyze' } : {})
  const reply =
    (action: GttAction) => (_input: unknown, call: { caller: Parameters<typeof gttCall>[1] }) =>
      gttCall(mode, call.caller, action)

  const place = defineEndpoint({
    method: 'post',
    path: '/placegttorder',
    summary: 'Place a GTT (single or OCO) order',
    description:
      'SINGLE: exactly one positive trigger (`triggerprice_sl` wins when both are given). OCO: `triggerprice_sl`, `stoploss`, `triggerprice_tg`, `target` all required, `triggerprice_sl < triggerprice_tg`. The simulator has no GTT API, so a valid request answers 400 with the original not-supported message.',
    tags: ['gtt'],
    rateLimit: 'order',
    errorShape: 'repr',
    auth: 'apikey',
    schemaErrorExtra: analyzeExtra,
    input: body({ ...gttFields(), expires_at: str().nullable().optional() }).superRefine(gttRules),
    handler: reply('place'),
  })
  const modify = defineEndpoint({
    method: 'post',
    path: '/modifygttorder',
    summary: 'Modify (replace) an active GTT order',
    tags: ['gtt'],
    rateLimit: 'order',
    errorShape: 'repr',
    auth: 'apikey',
    schemaErrorExtra: analyzeExtra,
    input: body({
      ...gttFields(),
      trigger_id: str().check(z.minLength(1, 'Shorter than minimum length 1.')),
    }).superRefine(gttRules),
    handler: reply('modify'),
  })
  const cancel = defineEndpoint({
    method: 'post',
    path: '/cancelgttorder',
    summary: 'Cancel an active GTT order',
    tags: ['gtt'],
    rateLimit: 'order',
    errorShape: 'repr',
    auth: 'apikey',
    schemaErrorExtra: analyzeExtra,
    input: body({
      apikey: apikeyField(),
      strategy: str(),
      trigger_id: str().check(z.minLength(1, 'Shorter than minimum length 1.')),
    }),
    handler: reply('cancel'),
  })
  const book = defineEndpoint({
    method: 'post',
    path: '/gttorderbook',
    summary: 'List GTT triggers',
    tags: ['gtt'],
    rateLimit: 'api',
    errorShape: 'object',
    auth: 'apikey',
    input: body({ apikey: apikeyField() }),
    handler: reply('book'),
  })
  return [place, modify, cancel, book]
}
