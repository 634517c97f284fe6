/**
 * IST calendar arithmetic on "day numbers" (days since 1970-01-01 in IST). Wall-clock parts come
 * from `epochMs + 19_800_000` read with UTC getters, never from the host time zone (STYLE.md §6).
 */

/** IST is UTC+05:30 all year (no DST). */
export const IST_OFFSET_MS = 19_800_000
/** Milliseconds per day. */
export const DAY_MS = 86_400_000
/** Milliseconds per minute. */
export const MINUTE_MS = 60_000

const MONTHS = [
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

/** A calendar date. `month` is 1..12. */
export interface Ymd {
  year: number
  month: number
  day: number
}

/** IST day number of an instant. */
export function istDayOf(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS)
}

/** Minutes since IST midnight of an instant, fractional. */
export function istMinuteOfDay(epochMs: number): number {
  const ms = (epochMs + IST_OFFSET_MS) % DAY_MS
  return (ms < 0 ? ms + DAY_MS : ms) / MINUTE_MS
}

/** Epoch ms of `minute` minutes after IST midnight of day `day`. */
export function istEpochMs(day: number, minute: number): number {
  return day * DAY_MS + minute * MINUTE_MS - IST_OFFSET_MS
}

/** Day number of a calendar date. */
export function dayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS
}

/** Calendar date of a day number. */
export function ymdOf(dayNumber: number): Ymd {
  const d = new Date(dayNumber * DAY_MS)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** Weekday of a day number: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: number): number {
  const w = (dayNumber + 4) % 7
  return w < 0 ? w + 7 : w
}

/** Whether a day number falls on Saturday or Sunday. */
export function isWeekend(dayNumber: number): boolean {
  const w = weekdayOf(dayNumber)
  return w === 0 || w === 6
}

/** Number of days in a month. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** Day number of the last `weekday` (0..6) of a month. */
export function lastWeekdayOfMonth(year: number, month: number, weekday: number): number {
  const last = dayOf(year, month, daysInMonth(year, month))
  return last - ((weekdayOf(last) - weekday + 7) % 7)
}

/** Day number of the first `weekday` on or after `dayNumber`. */
export function nextWeekdayOnOrAfter(dayNumber: number, weekday: number): number {
  return dayNumber + ((weekday - weekdayOf(dayNumber) + 7) % 7)
}

/** `DD-MMM-YY` upper case (`28-MAR-24`), the master-contract expiry format. */
export function formatExpiry(dayNumber: number): string {
  const { year, month, day } = ymdOf(dayNumber)
  return `${pad2(day)}-${MONTHS[month - 1] ?? '???'}-${pad2(year % 100)}`
}

/** `DDMMMYY` upper case (`28MAR24`), the expiry part of an OpenAlgo symbol. */
export function formatSymbolExpiry(dayNumber: number): string {
  const { year, month, day } = ymdOf(dayNumber)
  return `${pad2(day)}${MONTHS[month - 1] ?? '???'}${pad2(year % 100)}`
}

/** `YYYY-MM-DD`. */
export function formatIsoDate(dayNumber: number): string {
  const { year, month, day } = ymdOf(dayNumber)
  return `${year}-${pad2(month)}-${pad2(day)}`
}

/** Day number of `YYYY-MM-DD`, or undefined when the text is not a real date. */
export function parseIsoDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (m === null) return undefined
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  return dayOf(year, month, day)
}

/**
 * Day number of a symbol expiry `DD`, `MMM`, `YY` (two-digit years are 20YY), or undefined when
 * the parts are not a real date.
 */
export function parseSymbolExpiry(dd: string, mmm: string, yy: string): number | undefined {
  const month = MONTHS.indexOf(mmm as (typeof MONTHS)[number]) + 1
  if (month === 0) return undefined
  const year = 2000 + Number(yy)
  const day = Number(dd)
  if (day < 1 || day > daysInMonth(year, month)) return undefined
  return dayOf(year, month, day)
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}
