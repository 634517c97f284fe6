/**
 * Money as integers in 1/10,000 of a rupee (STYLE.md §8). Currency derivatives tick at ₹0.0025, so
 * paise are not enough; integer maths keeps books and totals exact without a decimal library.
 */

/** An amount in 1/10,000 rupee, always a safe integer (`245.55` rupees is `2_455_500`). */
export type Inr4 = number & { readonly __unit: 'inr_e4' }

/** Units per rupee of {@link Inr4}. */
export const INR4_PER_RUPEE = 10_000

/** Zero rupees. */
export const ZERO_INR4 = 0 as Inr4

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/

/**
 * Brands a safe integer as {@link Inr4}. Throws a plain `Error` when `value` is not a safe
 * integer: that is a broken invariant, not bad input.
 */
export function asInr4(value: number): Inr4 {
  if (!Number.isSafeInteger(value)) throw new Error(`Inr4 must be a safe integer, got ${value}`)
  return (value === 0 ? 0 : value) as Inr4
}

/**
 * Expands a JS number to plain decimal text without exponent (`1e21` → `'1000000000000000000000'`,
 * `1.5e-7` → `'0.00000015'`), using the shortest round-trip digits `String(n)` gives.
 */
function plainDecimal(value: number): string {
  const text = String(value)
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text)
  if (match === null) return text
  const [, sign = '', intPart = '', fracPart = '', expText = '0'] = match
  const exp = Number(expText)
  const digits = intPart + fracPart
  const point = intPart.length + exp
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
}

/**
 * Converts decimal text to {@link Inr4}; `round` decides what happens past 4 decimals.
 * Returns `undefined` for anything that is not plain decimal text or that overflows.
 */
function decimalToInr4(text: string, round: boolean): Inr4 | undefined {
  const match = DECIMAL.exec(text.trim())
  if (match === null) return undefined
  const [, sign = '', intPart = '', rawFrac = ''] = match
  const frac = rawFrac.replace(/0+$/, '')
  let units = Number(intPart) * INR4_PER_RUPEE + Number(frac.slice(0, 4).padEnd(4, '0'))
  if (frac.length > 4) {
    if (!round) return undefined
    // half away from zero, decided on the decimal digits (no binary fraction involved)
    if (frac.charCodeAt(4) - 48 >= 5) units += 1
  }
  if (!Number.isSafeInteger(units)) return undefined
  return (sign === '-' && units !== 0 ? -units : units) as Inr4
}

/**
 * Parses decimal rupee text (`'245.55'`, `'-3.1'`, `'765.500000'`) into {@link Inr4} exactly.
 * Trailing zeros past 4 places are fine; a significant 5th decimal is not.
 *
 * @throws Error when the text is not a plain decimal or needs more than 4 decimal places. Validate
 * with {@link DECIMAL4_PATTERN} first at an input boundary so this never throws there.
 */
export function parseInr4(text: string): Inr4 {
  const value = decimalToInr4(text, false)
  if (value === undefined) {
    throw new Error(`expected a rupee amount with at most 4 decimals, got "${text}"`)
  }
  return value
}

/** The grammar {@link parseInr4} accepts for non-negative prices (use in zod `regex`). */
export const DECIMAL4_PATTERN = /^\d+(\.\d{1,4}0*)?$/

/**
 * Converts a broker value (number or decimal text) to {@link Inr4}, returning `undefined` when it
 * is not a finite decimal. With `round: true`, values with more than 4 decimals (broker averages
 * such as `1283.123456`) are rounded half away from zero on their decimal digits.
 */
export function tryParseInr4(
  value: string | number,
  options: { round?: boolean } = {},
): Inr4 | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined
    return decimalToInr4(plainDecimal(value), options.round === true)
  }
  return decimalToInr4(value, options.round === true)
}

/**
 * Converts a JS number in rupees to {@link Inr4} through its shortest decimal text (never
 * `Math.round(x * 10_000)`). Pass `round: true` for computed broker values with long fractions.
 *
 * @throws Error for NaN, infinities, overflow, or (without `round`) more than 4 decimals.
 */
export function fromRupees(rupees: number, options: { round?: boolean } = {}): Inr4 {
  const value = tryParseInr4(rupees, options)
  if (value === undefined) throw new Error(`not an exact rupee amount: ${rupees}`)
  return value
}

/** Converts {@link Inr4} to a JS number of rupees, for JSON at the edge only (`2_455_500` → `245.55`). */
export function toRupees(value: Inr4): number {
  return value / INR4_PER_RUPEE
}

/**
 * Integer division rounded half away from zero (`divRound(5, 2) === 3`, `divRound(-5, 2) === -3`).
 *
 * @throws Error when `divisor` is 0 or an operand is not a safe integer.
 */
export function divRound(dividend: number, divisor: number): number {
  if (divisor === 0) throw new Error('divRound: division by zero')
  if (!Number.isSafeInteger(dividend) || !Number.isSafeInteger(divisor)) {
    throw new Error(`divRound needs safe integers, got ${dividend} / ${divisor}`)
  }
  const negative = dividend < 0 !== divisor < 0
  const a = Math.abs(dividend)
  const b = Math.abs(divisor)
  const quotient = Math.floor(a / b)
  const remainder = a - quotient * b
  const rounded = remainder * 2 >= b ? quotient + 1 : quotient
  return negative && rounded !== 0 ? -rounded : rounded
}

/**
 * Formats {@link Inr4} as fixed-decimal rupee text, rounding half away from zero
 * (`formatInr(3_206_600) === '320.66'`, `formatInr(0) === '0.00'`). Used for OpenAlgo's 2-dp strings.
 */
export function formatInr(value: Inr4, decimals: 0 | 1 | 2 | 3 | 4 = 2): string {
  const scale = 10 ** (4 - decimals)
  const scaled = divRound(value, scale)
  const negative = scaled < 0
  const digits = String(Math.abs(scaled)).padStart(decimals + 1, '0')
  const intPart = digits.slice(0, digits.length - decimals)
  const fracPart = decimals === 0 ? '' : `.${digits.slice(digits.length - decimals)}`
  return `${negative ? '-' : ''}${intPart}${fracPart}`
}

/**
 * Price × quantity in the same unit, exact.
 *
 * @throws Error when the product leaves the safe-integer range.
 */
export function notional(price: Inr4, quantity: number): Inr4 {
  const value = price * quantity
  if (!Number.isSafeInteger(value)) throw new Error(`notional overflow: ${price} × ${quantity}`)
  return (value === 0 ? 0 : value) as Inr4
}
