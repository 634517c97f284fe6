import { SandboxError } from './errors.js'

/**
 * An amount or price in 1/10,000 rupee, always a safe integer (STYLE.md §8).
 * `2_455_500 as Inr4` is ₹245.55.
 */
export type Inr4 = number & { readonly __unit: 'inr_e4' }

/** 1 rupee in `Inr4` units. */
export const INR4_PER_RUPEE = 10_000

const DEC4 = /^(-)?(\d{1,15})(?:\.(\d{1,4}))?$/

/**
 * Parses decimal text (or a JSON number, read through `String(n)`) into `Inr4` without float
 * arithmetic: `parseInr4('245.55') → 2_455_500`.
 *
 * @throws SandboxError `invalid_price` for anything but an optionally signed decimal with at most
 *   4 decimals (exponents, `NaN`, empty text, more than 4 decimals).
 */
export function parseInr4(text: string | number): Inr4 {
  const s = typeof text === 'number' ? String(text) : text
  const m = DEC4.exec(s)
  if (!m) {
    throw new SandboxError(
      'invalid_price',
      `price must be a decimal number with at most 4 decimals, got "${s}"`,
    )
  }
  const whole = Number(m[2])
  const frac = Number((m[3] ?? '').padEnd(4, '0'))
  const v = whole * INR4_PER_RUPEE + frac
  if (!Number.isSafeInteger(v)) {
    throw new SandboxError('invalid_price', `price is too large, got "${s}"`)
  }
  return (m[1] && v !== 0 ? -v : v) as Inr4
}

/** Casts a safe integer count of 1/10,000 rupee to `Inr4`; throws a plain `Error` otherwise. */
export function asInr4(v: number): Inr4 {
  if (!Number.isSafeInteger(v)) throw new Error(`not an Inr4 amount: ${v}`)
  return v as Inr4
}

/** Converts to rupees as a float, for JSON at the edge only (never compute with the result). */
export function toRupees(v: Inr4): number {
  return v / INR4_PER_RUPEE
}

/**
 * Formats exactly as decimal text with at least `minDecimals` (default 2) and at most 4 decimals:
 * `formatInr4(1_250_000_000) → '125000.00'`, `formatInr4(600_060) → '60.006'`.
 */
export function formatInr4(v: Inr4, minDecimals = 2): string {
  const neg = v < 0
  const abs = Math.abs(v)
  const whole = Math.floor(abs / INR4_PER_RUPEE)
  let frac = String(abs % INR4_PER_RUPEE).padStart(4, '0')
  while (frac.length > minDecimals && frac.endsWith('0')) frac = frac.slice(0, -1)
  return `${neg ? '-' : ''}${whole}${frac.length > 0 ? `.${frac}` : ''}`
}

/**
 * `price × qty` in `Inr4`.
 *
 * @throws Error when the product is not a safe integer (an order worth more than ~₹90 crore crore).
 */
export function notional(price: Inr4, qty: number): Inr4 {
  const v = price * qty
  if (!Number.isSafeInteger(v)) throw new Error(`notional overflow: ${price} × ${qty}`)
  return v as Inr4
}

/** Adds amounts, throwing a plain `Error` if the sum leaves the safe-integer range. */
export function addInr4(a: Inr4, b: number): Inr4 {
  const v = a + b
  if (!Number.isSafeInteger(v)) throw new Error(`amount overflow: ${a} + ${b}`)
  return v as Inr4
}

/** True when `price` is a whole multiple of `tick` (a tick of 0 or less accepts any price). */
export function isTickMultiple(price: Inr4, tick: Inr4): boolean {
  return tick <= 0 || price % tick === 0
}

/** How a quotient is rounded to an integer. */
export type RoundingMode = 'half_away' | 'ceil' | 'floor'

const SMALL = 2 ** 50

/**
 * Integer division of safe integers with one rounding: `half_away` (half away from zero, the
 * default), `ceil` or `floor`. Exact for every safe-integer input (falls back to BigInt when
 * floats could lose a digit).
 *
 * @throws Error on a zero divisor or non-integer input.
 */
export function divRound(num: number, den: number, mode: RoundingMode = 'half_away'): number {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den === 0) {
    throw new Error(`divRound needs safe integers and a non-zero divisor: ${num} / ${den}`)
  }
  if (Math.abs(num) < SMALL && Math.abs(den) < SMALL) {
    let q = Math.trunc(num / den)
    let r = num - q * den
    // float division may land one off when the exact quotient sits next to an integer
    const s = Math.sign(num) * Math.sign(den)
    while (r !== 0 && Math.sign(r) !== Math.sign(num)) {
      q -= s
      r = num - q * den
    }
    while (Math.abs(r) >= Math.abs(den)) {
      q += s
      r = num - q * den
    }
    return applyRounding(q, r, den, s, mode)
  }
  return Number(divRoundBig(BigInt(num), BigInt(den), mode))
}

function applyRounding(q: number, r: number, den: number, s: number, mode: RoundingMode): number {
  // `+ 0` turns the -0 of Math.trunc(-0.3) into 0, so amounts compare equal with Object.is
  if (r === 0) return q + 0
  switch (mode) {
    case 'half_away':
      return (2 * Math.abs(r) >= Math.abs(den) ? q + s : q) + 0
    case 'ceil':
      return (s > 0 ? q + 1 : q) + 0
    case 'floor':
      return (s < 0 ? q - 1 : q) + 0
  }
}

function divRoundBig(num: bigint, den: bigint, mode: RoundingMode): bigint {
  const q = num / den
  const r = num - q * den
  if (r === 0n) return q
  const neg = num < 0n !== den < 0n
  const s = neg ? -1n : 1n
  const absR = r < 0n ? -r : r
  const absD = den < 0n ? -den : den
  switch (mode) {
    case 'half_away':
      return 2n * absR >= absD ? q + s : q
    case 'ceil':
      return neg ? q : q + 1n
    case 'floor':
      return neg ? q - 1n : q
  }
}

/**
 * `a × b / c` with one rounding, exact even when `a × b` leaves the safe-integer range.
 *
 * @throws Error when the result itself is not a safe integer.
 */
export function mulDiv(a: number, b: number, c: number, mode: RoundingMode = 'half_away'): number {
  const p = a * b
  if (Number.isSafeInteger(p)) return divRound(p, c, mode)
  const v = Number(divRoundBig(BigInt(a) * BigInt(b), BigInt(c), mode))
  if (!Number.isSafeInteger(v)) throw new Error(`mulDiv overflow: ${a} × ${b} / ${c}`)
  return v
}
