// Expiry strings (spec: platform.md §4.11, brokers.md §2.3): `DD-MMM-YY` upper case, with
// `DD-MMM-YYYY` tolerated. Parsing follows what Python's strptime accepted in the original
// ("%d-%b-%y" then "%d-%b-%Y"): one- or two-digit day, month name in any case, two-digit years
// 00-68 → 20xx and 69-99 → 19xx, impossible dates (31-FEB-25) unparsable.
import { DAY_MS } from './ist.js'

const MONTH_INDEX: ReadonlyMap<string, number> = new Map(
  ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'].map(
    (m, i) => [m, i],
  ),
)

const EXPIRY_RE = /^(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])-([A-Za-z]{3})-(\d{2}|\d{4})$/

/**
 * The calendar day of an expiry string as days since 1970-01-01; undefined when it is neither
 * `DD-MMM-YY` nor `DD-MMM-YYYY` or names an impossible date.
 *
 * @example parseExpiryDay('25-APR-24') === parseExpiryDay('25-apr-2024') // true
 */
export function parseExpiryDay(text: string): number | undefined {
  const m = EXPIRY_RE.exec(text)
  if (!m) return undefined
  const day = Number((m[1] ?? '').trim())
  const month = MONTH_INDEX.get((m[2] ?? '').toUpperCase())
  if (month === undefined) return undefined
  const yearText = m[3] ?? ''
  const y = Number(yearText)
  const year = yearText.length === 2 ? (y < 69 ? 2000 + y : 1900 + y) : y
  // setUTCFullYear, not Date.UTC, which maps years 0-99 to 19xx ("01-JAN-0024")
  const check = new Date(0)
  check.setUTCFullYear(year, month, day)
  // the Date rolls 31-FEB over into March; strptime rejects it, and so do we
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month) return undefined
  return check.getTime() / DAY_MS
}

/**
 * Orders expiry strings chronologically (both formats interleaved by date), unparsable ones
 * last; equal dates and unparsable strings fall back to plain string order so the result is
 * deterministic.
 */
export function compareExpiries(a: string, b: string): number {
  return compareParsed(a, parseExpiryDay(a), b, parseExpiryDay(b))
}

/** {@link compareExpiries} over already-parsed day numbers (undefined = unparsable). */
export function compareParsed(
  a: string,
  dayA: number | undefined,
  b: string,
  dayB: number | undefined,
): number {
  if (dayA !== dayB) {
    if (dayA === undefined) return 1
    if (dayB === undefined) return -1
    return dayA - dayB
  }
  return a < b ? -1 : a > b ? 1 : 0
}

/** A sorted copy of `expiries` per {@link compareExpiries}. */
export function sortExpiries(expiries: Iterable<string>): string[] {
  return [...expiries]
    .map((text) => ({ text, day: parseExpiryDay(text) }))
    .sort((x, y) => compareParsed(x.text, x.day, y.text, y.day))
    .map((x) => x.text)
}
