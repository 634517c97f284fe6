/**
 * IST calendar helpers without the host time zone (STYLE.md §6): IST wall time is
 * `epochMs + 19_800_000` read with UTC getters.
 */

/** IST offset from UTC in milliseconds (+05:30). */
export const IST_OFFSET_MS = 19_800_000

const MS_PER_DAY = 86_400_000
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A calendar date as days since 1970-01-01 (timezone-free). */
export type DayNumber = number

/**
 * Parses `YYYY-MM-DD` into a {@link DayNumber}; `undefined` when the text is not a real date
 * (`2025-02-30` is refused).
 */
export function parseIsoDate(text: string): DayNumber | undefined {
  const match = ISO_DATE.exec(text)
  if (match === null) return undefined
  const [, y = '', m = '', d = ''] = match
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d))
  const back = new Date(ms)
  if (
    back.getUTCFullYear() !== Number(y) ||
    back.getUTCMonth() !== Number(m) - 1 ||
    back.getUTCDate() !== Number(d)
  ) {
    return undefined
  }
  return ms / MS_PER_DAY
}

/** Formats a {@link DayNumber} as `YYYY-MM-DD`. */
export function formatIsoDate(day: DayNumber): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
}

/** The IST calendar date of an instant, as a {@link DayNumber}. */
export function istDayOf(epochMs: number): DayNumber {
  return Math.floor((epochMs + IST_OFFSET_MS) / MS_PER_DAY)
}

/** The instant of 00:00 IST on a date, epoch ms. */
export function istMidnightMs(day: DayNumber): number {
  return day * MS_PER_DAY - IST_OFFSET_MS
}

/**
 * The daily-candle timestamp convention of brokers.md §1.3.11: 00:00 UTC of the IST trading date,
 * in epoch seconds (what Zerodha and Angel return, so clients comparing with the reference agree).
 */
export function dailyCandleTimestamp(day: DayNumber): number {
  return day * 86_400
}
