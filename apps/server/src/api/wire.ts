/**
 * zod building blocks for OpenAlgo's wire format (spec api.md §0, §3.2, §6): numbers arrive as
 * JSON numbers or numeric strings (the official SDK stringifies every number), defaults apply
 * only when a key is absent, `null` is "Field may not be null.", and the messages are
 * marshmallow's, word for word, because users see them through the SDK.
 */
import { z } from 'zod'

export const MISSING = 'Missing data for required field.'
export const NULL = 'Field may not be null.'

/** Error text for a field: missing, null, or `invalid` for anything else of the wrong type. */
export function fieldError(invalid: string) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined ? MISSING : issue.input === null ? NULL : invalid
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

/**
 * JSON Schema keyword marking a number field that also takes a numeric string; the OpenAPI
 * builder turns it into `oneOf: [number, string with a pattern]`.
 */
export const NUMERIC_META = 'x-oa-numeric'

/** A number or a numeric string → number; booleans, blanks, NaN and infinities rejected. */
function toNumber(v: unknown): unknown {
  if (typeof v === 'string') {
    const t = v.trim()
    return NUMERIC.test(t) ? Number(t) : v
  }
  return v
}

/** marshmallow `String`. */
export function str(invalid = 'Not a valid string.') {
  return z.string({ error: fieldError(invalid) })
}

/** A required string of 1..256 characters (the `apikey` rule). */
export function apikeyField() {
  return str().check(
    z.refine((s: string) => s.length >= 1 && s.length <= 256, 'Length must be between 1 and 256.'),
  )
}

/** marshmallow `Float`: number or numeric string, finite. */
export function float(invalid = 'Not a valid number.') {
  return z.preprocess(
    toNumber,
    z
      .number({ error: fieldError(invalid) })
      .check(
        z.refine(
          (n: number) => Number.isFinite(n),
          'Special numeric values (nan or infinity) are not permitted.',
        ),
      )
      .meta({ [NUMERIC_META]: 'number' }),
  )
}

/** marshmallow `Integer` (not strict): integral number or integral numeric string. */
export function int(invalid = 'Not a valid integer.') {
  return z.preprocess(
    toNumber,
    z
      .number({ error: fieldError(invalid) })
      .check(z.refine((n: number) => Number.isSafeInteger(n), invalid))
      .meta({ [NUMERIC_META]: 'integer' }),
  )
}

/** A float field that must satisfy `ok`, else `message` (e.g. "Quantity must be a positive number."). */
export function floatWhere(ok: (n: number) => boolean, message: string) {
  return float().check(z.refine(ok, message))
}

/** An int field that must satisfy `ok`, else `message`. */
export function intWhere(ok: (n: number) => boolean, message: string) {
  return int().check(z.refine(ok, message))
}

/** marshmallow `OneOf`: exact, case-sensitive; the message lists the choices in schema order. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: fieldError(`Must be one of: ${values.join(', ')}.`),
  })
}

const TRUTHY = new Set(['t', 'true', 'on', 'y', 'yes', '1'])
const FALSY = new Set(['f', 'false', 'off', 'n', 'no', '0'])

/** marshmallow `Boolean`: true/false, 1/0 and the usual spellings (the SDK sends "True"/"False"). */
export function bool() {
  return z.preprocess(
    (v) => {
      if (typeof v === 'string') {
        const t = v.trim().toLowerCase()
        if (TRUTHY.has(t)) return true
        if (FALSY.has(t)) return false
      }
      if (v === 1) return true
      if (v === 0) return false
      return v
    },
    z.boolean({ error: fieldError('Not a valid boolean.') }),
  )
}

/** `YYYY-MM-DD` calendar date, kept as text. */
export function isoDate() {
  return str('Not a valid date.').check(
    z.refine((s: string) => isCalendarDate(s), 'Not a valid date.'),
  )
}

function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

/** An order id: the original demands a JSON string; numbers are accepted too (W-15), as text. */
export function orderId() {
  return z.preprocess(
    (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v),
    str().check(z.refine((s: string) => s.trim().length > 0, 'Order id must not be empty.')),
  )
}

/** marshmallow `List`: an array of `item`. */
export function list<T extends z.ZodType>(item: T) {
  return z.array(item, { error: fieldError('Not a valid list.') })
}

/** marshmallow `Nested`: an object. */
export function nested<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape, { error: fieldError('Invalid input type.') })
}

/** Exchanges in the original's schema order (api.md §6.1); used verbatim in messages. */
export const EXCHANGES = [
  'NSE',
  'NFO',
  'CDS',
  'BSE',
  'BFO',
  'BCD',
  'MCX',
  'NCDEX',
  'NCO',
  'NSE_INDEX',
  'BSE_INDEX',
  'MCX_INDEX',
  'GLOBAL_INDEX',
  'CRYPTO',
] as const
export type WireExchange = (typeof EXCHANGES)[number]

/** Derivative exchanges (`F_AND_O_EXCHANGES`, api.md §6.1). */
export const FNO_EXCHANGES = ['NFO', 'BFO', 'MCX', 'CDS', 'NCO', 'BCD', 'NCDEX', 'CRYPTO'] as const

export const ACTIONS = ['BUY', 'SELL', 'buy', 'sell'] as const
export const PRICE_TYPES = ['MARKET', 'LIMIT', 'SL', 'SL-M'] as const
export const PRODUCTS = ['MIS', 'NRML', 'CNC'] as const
