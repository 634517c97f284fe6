/**
 * The OpenAlgo symbol grammar (brokers.md §2.2): equities and indices are plain names, futures are
 * `<BASE><DD><MMM><YY>FUT`, options `<BASE><DD><MMM><YY><STRIKE><CE|PE>`.
 */
import type { Exchange } from './enums.js'

/** Upper-case English month abbreviations, index 0 = January. */
export const MONTHS = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
] as const

/** The validator regex of an OA future symbol (brokers.md §2.2, verbatim). */
export const FUTURE_SYMBOL_PATTERN = /^[A-Z0-9&-]+\d{2}[A-Z]{3}\d{2}FUT$/

/** The validator regex of an OA option symbol (brokers.md §2.2, verbatim). */
export const OPTION_SYMBOL_PATTERN = /^[A-Z0-9&-]+\d{2}[A-Z]{3}\d{2}\d+(\.\d+)?(CE|PE)$/

/** Canonical index names (brokers.md §2.2); brokers' own spellings are mapped onto these. */
export const CANONICAL_INDEX_NAMES: ReadonlySet<string> = new Set([
  'NIFTY',
  'BANKNIFTY',
  'FINNIFTY',
  'MIDCPNIFTY',
  'NIFTYNXT50',
  'INDIAVIX',
  'SENSEX',
  'BANKEX',
  'SENSEX50',
  'GIFTNIFTY',
])

/** A contract expiry as calendar parts (no time zone: it is an exchange date). */
export interface ExpiryDate {
  year: number
  /** 1–12 */
  month: number
  day: number
}

/** An OA symbol taken apart. */
export type ParsedSymbol =
  | { kind: 'equity' | 'index'; base: string }
  | { kind: 'future'; base: string; expiry: ExpiryDate }
  | {
      kind: 'option'
      base: string
      expiry: ExpiryDate
      strike: number
      strikeText: string
      optionType: 'CE' | 'PE'
    }

const MONTH_ALT = MONTHS.join('|')
// lazy base so the leftmost valid expiry wins; the month alternation keeps digits in a base
// (NIFTYNXT50, 726GS2033) from being read as a day
const DERIVATIVE = new RegExp(
  `^([A-Z0-9&-]+?)(\\d{2})(${MONTH_ALT})(\\d{2})(FUT|(\\d+(?:\\.\\d+)?)(CE|PE))$`,
)
const PLAIN = /^[A-Z0-9&_.-]+$/

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** True when the parts name a real calendar date. */
export function isValidExpiry(e: ExpiryDate): boolean {
  return (
    Number.isInteger(e.year) &&
    Number.isInteger(e.month) &&
    Number.isInteger(e.day) &&
    e.month >= 1 &&
    e.month <= 12 &&
    e.day >= 1 &&
    e.day <= daysInMonth(e.year, e.month)
  )
}

/**
 * Takes an OA symbol apart. `exchange` decides index vs equity when given (`*_INDEX` ⇒ index);
 * without it, canonical index names are indices. Returns `undefined` for text that is not an OA
 * symbol (lower case, spaces, an impossible expiry date).
 */
export function parseSymbol(symbol: string, exchange?: Exchange): ParsedSymbol | undefined {
  const match = DERIVATIVE.exec(symbol)
  if (match !== null) {
    const [, base = '', dd = '', mmm = '', yy = '', tail = '', strikeText, optionType] = match
    const expiry = {
      year: 2000 + Number(yy),
      month: MONTHS.indexOf(mmm as (typeof MONTHS)[number]) + 1,
      day: Number(dd),
    }
    if (!isValidExpiry(expiry)) return undefined
    if (tail === 'FUT') return { kind: 'future', base, expiry }
    if (strikeText !== undefined && (optionType === 'CE' || optionType === 'PE')) {
      return { kind: 'option', base, expiry, strike: Number(strikeText), strikeText, optionType }
    }
  }
  if (!PLAIN.test(symbol)) return undefined
  const isIndex =
    exchange !== undefined ? exchange.endsWith('_INDEX') : CANONICAL_INDEX_NAMES.has(symbol)
  return { kind: isIndex ? 'index' : 'equity', base: symbol }
}

/** `DDMMMYY` of an expiry, zero-padded day, upper-case month (`04APR24`). */
export function formatExpiryCompact(expiry: ExpiryDate): string {
  if (!isValidExpiry(expiry)) throw new Error(`not a calendar date: ${JSON.stringify(expiry)}`)
  const month = MONTHS[expiry.month - 1] ?? ''
  return `${String(expiry.day).padStart(2, '0')}${month}${String(expiry.year % 100).padStart(2, '0')}`
}

/**
 * The symbol table's expiry text, `DD-MMM-YY` upper case (`25-APR-24`).
 *
 * @throws Error when the parts are not a calendar date.
 */
export function formatExpiry(expiry: ExpiryDate): string {
  const compact = formatExpiryCompact(expiry)
  return `${compact.slice(0, 2)}-${compact.slice(2, 5)}-${compact.slice(5)}`
}

const EXPIRY_FORMATS: readonly [RegExp, (m: RegExpExecArray) => ExpiryDate | undefined][] = [
  // DD-MMM-YY, DD-MMM-YYYY, DDMMMYY, DDMMMYYYY, DD MMM YY (any case)
  [
    /^(\d{1,2})[- ]?([A-Za-z]{3})[- ]?(\d{2}|\d{4})$/,
    (m) => {
      const month = MONTHS.indexOf((m[2] ?? '').toUpperCase() as (typeof MONTHS)[number]) + 1
      const y = Number(m[3])
      return month === 0 ? undefined : { year: y < 100 ? 2000 + y : y, month, day: Number(m[1]) }
    },
  ],
  // YYYY-MM-DD, optionally followed by a time (Dhan: `2024-04-25 14:30:00`)
  [
    /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/,
    (m) => ({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }),
  ],
]

/**
 * Reads the expiry spellings master contracts use (`25-APR-24`, `25-Apr-2024`, `25APR2024`,
 * `2024-04-25`, `2024-04-25 14:30:00`). Returns `undefined` for anything else, including `-1` and
 * empty text (non-derivative rows).
 */
export function parseExpiry(text: string): ExpiryDate | undefined {
  const trimmed = text.trim()
  for (const [pattern, build] of EXPIRY_FORMATS) {
    const match = pattern.exec(trimmed)
    if (match === null) continue
    const expiry = build(match)
    return expiry !== undefined && isValidExpiry(expiry) ? expiry : undefined
  }
  return undefined
}

/** The calendar parts of an instant in IST (for epoch-stamped expiries such as Upstox's and Fyers'). */
export function expiryFromEpochMs(epochMs: number): ExpiryDate {
  const ist = new Date(epochMs + 19_800_000)
  return { year: ist.getUTCFullYear(), month: ist.getUTCMonth() + 1, day: ist.getUTCDate() }
}

/**
 * The shortest decimal text of a strike: integral values without `.0` (`22500`), fractional ones
 * with their digits (`292.5`, `82.25`), never exponent or separators. Accepts master-file text
 * (`'22500.000000'`).
 *
 * @throws Error for negative, non-finite or non-numeric strikes.
 */
export function formatStrike(strike: number | string): string {
  const text = typeof strike === 'number' ? String(strike) : strike.trim()
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text)
  if (match === null || (typeof strike === 'number' && !(Number.isFinite(strike) && strike >= 0))) {
    throw new Error(`strike must be a non-negative decimal, got ${String(strike)}`)
  }
  const intPart = (match[1] ?? '0').replace(/^0+(?=\d)/, '')
  const frac = (match[2] ?? '').replace(/0+$/, '')
  return frac === '' ? intPart : `${intPart}.${frac}`
}

/** `<BASE><DD><MMM><YY>FUT` (`BANKNIFTY24APR24FUT`). */
export function formatFutureSymbol(base: string, expiry: ExpiryDate): string {
  return `${base.toUpperCase()}${formatExpiryCompact(expiry)}FUT`
}

/** `<BASE><DD><MMM><YY><STRIKE><CE|PE>` (`VEDL25APR24292.5CE`). */
export function formatOptionSymbol(
  base: string,
  expiry: ExpiryDate,
  strike: number | string,
  optionType: 'CE' | 'PE',
): string {
  return `${base.toUpperCase()}${formatExpiryCompact(expiry)}${formatStrike(strike)}${optionType}`
}

/** Removes an exchange series suffix from an equity trading symbol (`SBIN-EQ` → `SBIN`). */
export function stripSeriesSuffix(tradingSymbol: string): string {
  return tradingSymbol.replace(/-(EQ|BE|MF|SG)$/, '')
}

/** True when `symbol` is a well-formed OA future or option symbol (the §2.2 regexes). */
export function isDerivativeSymbol(symbol: string): boolean {
  return FUTURE_SYMBOL_PATTERN.test(symbol) || OPTION_SYMBOL_PATTERN.test(symbol)
}
