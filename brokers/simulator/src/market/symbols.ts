/**
 * OpenAlgo symbols (brokers.md §2.2) and the simulator's own broker symbols.
 *
 * | instrument | OpenAlgo symbol        | simulator broker symbol     |
 * |------------|------------------------|-----------------------------|
 * | equity     | `RELIANCE`             | `RELIANCE-EQ`               |
 * | index      | `NIFTY`                | `NIFTY 50` (display name)   |
 * | future     | `NIFTY28MAR24FUT`      | `NIFTY:2024-03-28:FUT`      |
 * | option     | `NIFTY28MAR2420800CE`  | `NIFTY:2024-03-28:20800:CE` |
 */
import { formatIsoDate, formatSymbolExpiry, parseSymbolExpiry } from './calendar.js'

/** Future: `^[A-Z0-9&-]+\d{2}[A-Z]{3}\d{2}FUT$` (brokers.md §2.2). */
export const FUTURE_SYMBOL = /^[A-Z0-9&-]+\d{2}[A-Z]{3}\d{2}FUT$/
/** Option: `^[A-Z0-9&-]+\d{2}[A-Z]{3}\d{2}\d+(\.\d+)?(CE|PE)$` (brokers.md §2.2). */
export const OPTION_SYMBOL = /^[A-Z0-9&-]+\d{2}[A-Z]{3}\d{2}\d+(\.\d+)?(CE|PE)$/

/** Strike as OpenAlgo writes it: shortest decimal, no trailing `.0`, no separators. */
export function formatStrike(strike: number): string {
  return String(strike)
}

/** The part of an OpenAlgo derivative symbol before `FUT` or the strike: `NIFTY28MAR24`. */
export function derivativePrefix(base: string, expiryDay: number): string {
  return `${base}${formatSymbolExpiry(expiryDay)}`
}

/** The part of a simulator broker symbol before `FUT` or the strike: `NIFTY:2024-03-28:`. */
export function brDerivativePrefix(base: string, expiryDay: number): string {
  return `${base}:${formatIsoDate(expiryDay)}:`
}

/** OpenAlgo future symbol. */
export function futureSymbol(base: string, expiryDay: number): string {
  return `${derivativePrefix(base, expiryDay)}FUT`
}

/** OpenAlgo option symbol. */
export function optionSymbol(
  base: string,
  expiryDay: number,
  strike: number,
  type: 'CE' | 'PE',
): string {
  return `${derivativePrefix(base, expiryDay)}${formatStrike(strike)}${type}`
}

/** Simulator broker symbol of a future. */
export function futureBrSymbol(base: string, expiryDay: number): string {
  return `${brDerivativePrefix(base, expiryDay)}FUT`
}

/** A parsed derivative symbol. */
export type ParsedDerivative =
  | { kind: 'future'; base: string; expiryDay: number }
  | { kind: 'option'; base: string; expiryDay: number; strike: number; optionType: 'CE' | 'PE' }

const DERIVATIVE = /^([A-Z0-9&-]+?)(\d{2})([A-Z]{3})(\d{2})(?:FUT|(\d+(?:\.\d+)?)(CE|PE))$/

/**
 * Splits an OpenAlgo derivative symbol into base, expiry (day number), strike and type, taking the
 * shortest base that leaves a valid date (so `NIFTYNXT5028MAR24FUT` is `NIFTYNXT50`). Undefined
 * when the text is not a derivative symbol or the date does not exist.
 */
export function parseDerivativeSymbol(symbol: string): ParsedDerivative | undefined {
  const m = DERIVATIVE.exec(symbol)
  if (m === null) return undefined
  const [, base, dd, mmm, yy, strikeText, type] = m
  if (base === undefined || dd === undefined || mmm === undefined || yy === undefined) {
    return undefined
  }
  const expiryDay = parseSymbolExpiry(dd, mmm, yy)
  if (expiryDay === undefined) return undefined
  if (strikeText === undefined) return { kind: 'future', base, expiryDay }
  const strike = Number(strikeText)
  if (!(strike > 0) || (type !== 'CE' && type !== 'PE')) return undefined
  return { kind: 'option', base, expiryDay, strike, optionType: type }
}
