// Underlying extraction (spec: platform.md §4.9). A hand-written scanner rather than the regex the
// spec describes: it runs once per F&O row at load, and on 150k rows the backtracking regex took
// ~175 ms where this takes a few. underlying.test.ts checks it against the regex.

/** Exchanges whose rows get a derived underlying (spec: platform.md §4.9). */
export const FNO_EXCHANGES: ReadonlySet<string> = new Set([
  'NFO',
  'BFO',
  'MCX',
  'CDS',
  'BCD',
  'NCDEX',
  'NCO',
  'CRYPTO',
])

/** Crypto exchanges: dated contracts use the alphanumeric-root rule, perpetuals the suffix rule. */
export const CRYPTO_EXCHANGES: ReadonlySet<string> = new Set(['CRYPTO'])

const PERPETUAL_QUOTES = ['USDT', 'USD', '_INR', 'INR'] as const

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

function isUpperAlpha(c: number): boolean {
  return c >= 65 && c <= 90
}

// JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC, as three char codes each
const MONTH_CODES: readonly number[] = 'JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC'
  .split('')
  .map((c) => c.charCodeAt(0))

function isMonthAt(s: string, i: number): boolean {
  const a = s.charCodeAt(i)
  const b = s.charCodeAt(i + 1)
  const c = s.charCodeAt(i + 2)
  for (let m = 0; m < 36; m += 3) {
    if (MONTH_CODES[m] === a && MONTH_CODES[m + 1] === b && MONTH_CODES[m + 2] === c) return true
  }
  return false
}

/** `DDMMMYY` at `i` with a real month name (Indian F&O rule). */
function isIndianDateAt(s: string, i: number): boolean {
  return (
    isDigit(s.charCodeAt(i)) &&
    isDigit(s.charCodeAt(i + 1)) &&
    isMonthAt(s, i + 2) &&
    isDigit(s.charCodeAt(i + 5)) &&
    isDigit(s.charCodeAt(i + 6))
  )
}

/** `\d{2}[A-Z]{3}\d{2}` at `i` (crypto rule: any three letters). */
function isLooseDateAt(s: string, i: number): boolean {
  return (
    isDigit(s.charCodeAt(i)) &&
    isDigit(s.charCodeAt(i + 1)) &&
    isUpperAlpha(s.charCodeAt(i + 2)) &&
    isUpperAlpha(s.charCodeAt(i + 3)) &&
    isUpperAlpha(s.charCodeAt(i + 4)) &&
    isDigit(s.charCodeAt(i + 5)) &&
    isDigit(s.charCodeAt(i + 6))
  )
}

/** The tail after the date: `(\d+(\.\d+)?)?(FUT|CE|PE)?` up to the end. */
function isContractTail(s: string, j: number): boolean {
  let k = j
  while (k < s.length && isDigit(s.charCodeAt(k))) k++
  if (k > j && s.charCodeAt(k) === 46 /* . */) {
    let m = k + 1
    while (m < s.length && isDigit(s.charCodeAt(m))) m++
    if (m > k + 1) k = m
  }
  const rest = s.length - k
  if (rest === 0) return true
  if (rest === 3) return s.endsWith('FUT')
  if (rest === 2) return s.endsWith('CE') || s.endsWith('PE')
  return false
}

/**
 * The underlying of an OpenAlgo F&O symbol (spec: platform.md §4.9), upper case; null for
 * exchanges outside {@link FNO_EXCHANGES} or when the symbol does not follow the grammar.
 *
 * - Indian F&O: shortest root followed by `DDMMMYY`, an optional strike (decimals allowed) and
 *   an optional `FUT`/`CE`/`PE` (`VEDL25APR24292.5CE` → `VEDL`).
 * - CRYPTO dated: shortest alphanumeric prefix followed by `DDMMMYY` (`1INCH28FEB25FUT` →
 *   `1INCH`).
 * - CRYPTO perpetual: strip a trailing `.P`, then the first of `USDT`, `USD`, `_INR`, `INR`
 *   (`BTCUSD.P` → `BTC`); otherwise the whole symbol.
 *
 * @example extractUnderlying('NIFTY28MAR2420800CE', 'NFO') // 'NIFTY'
 */
export function extractUnderlying(symbol: string, exchange: string): string | null {
  if (symbol === '' || !FNO_EXCHANGES.has(exchange)) return null
  return underlyingOfUpper(symbol.toUpperCase(), exchange)
}

/** {@link extractUnderlying} for an already upper-cased symbol on an F&O exchange. */
export function underlyingOfUpper(s: string, exchange: string): string | null {
  if (CRYPTO_EXCHANGES.has(exchange)) return cryptoUnderlying(s)
  for (let i = 1; i + 7 <= s.length; i++) {
    if (isIndianDateAt(s, i) && isContractTail(s, i + 7)) return s.slice(0, i)
  }
  return null
}

function cryptoUnderlying(s: string): string {
  for (let i = 1; i + 7 <= s.length; i++) {
    const c = s.charCodeAt(i - 1)
    if (!isDigit(c) && !isUpperAlpha(c)) break // the root is alphanumeric only
    if (isLooseDateAt(s, i)) return s.slice(0, i)
  }
  const base = s.endsWith('.P') ? s.slice(0, -2) : s
  for (const quote of PERPETUAL_QUOTES) {
    if (base.endsWith(quote) && base.length > quote.length) return base.slice(0, -quote.length)
  }
  return base
}
