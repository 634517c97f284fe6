/**
 * Time without the host's time zone: IST wall-clock parts come from `epochMs + 19_800_000` read
 * with UTC getters, in this one module (STYLE.md §6). India has no DST, so the offset is fixed.
 */

/** A source of "now" in epoch milliseconds (UTC). */
export interface Clock {
  now(): number
}

/** A clock that only moves when told to; for tests, replays and backtests. */
export interface ManualClock extends Clock {
  /** moves forward by `ms` (negative moves back) */
  advance(ms: number): void
  /** jumps to an instant: epoch ms or ISO text with an offset (`'2025-04-17T15:14:59+05:30'`) */
  set(at: number | string): void
}

/** IST offset from UTC in milliseconds (+05:30). */
export const IST_OFFSET_MS = 19_800_000
const DAY_MS = 86_400_000

/**
 * Creates a manual clock starting at `start` (epoch ms or ISO text with an offset).
 *
 * @throws Error when `start` is not a valid instant.
 */
export function createManualClock(start: number | string): ManualClock {
  let now = toEpochMs(start)
  return {
    now: () => now,
    advance(ms: number): void {
      now += ms
    },
    set(at: number | string): void {
      now = toEpochMs(at)
    },
  }
}

function toEpochMs(at: number | string): number {
  const ms = typeof at === 'number' ? at : new Date(at).getTime()
  if (!Number.isFinite(ms)) throw new Error(`not a valid instant: ${String(at)}`)
  return ms
}

/** Wall-clock parts of an instant in IST. */
export interface IstParts {
  /** `YYYY-MM-DD` */
  readonly date: string
  /** `YYMMDD`, the order id prefix */
  readonly yymmdd: string
  /** minutes since IST midnight, 0..1439 */
  readonly minuteOfDay: number
  /** 0 = Sunday … 6 = Saturday */
  readonly weekday: number
}

/** IST date and time of day of an epoch-ms instant. */
export function istParts(epochMs: number): IstParts {
  const d = new Date(epochMs + IST_OFFSET_MS)
  const y = d.getUTCFullYear()
  const mo = d.getUTCMonth() + 1
  const da = d.getUTCDate()
  const date = `${y}-${pad2(mo)}-${pad2(da)}`
  return {
    date,
    yymmdd: `${pad2(y % 100)}${pad2(mo)}${pad2(da)}`,
    minuteOfDay: d.getUTCHours() * 60 + d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  }
}

/** `YYYY-MM-DD` IST date of an instant. */
export function istDate(epochMs: number): string {
  return istParts(epochMs).date
}

/** Epoch ms of `date` (`YYYY-MM-DD`) at `minuteOfDay` IST. */
export function istInstant(date: string, minuteOfDay = 0): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return Date.UTC(y, m - 1, d) + minuteOfDay * 60_000 - IST_OFFSET_MS
}

/** The calendar date `days` after `date` (`YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  return istDate(istInstant(date) + days * DAY_MS)
}

/** Weekday of a `YYYY-MM-DD` date, 0 = Sunday. */
export function weekdayOf(date: string): number {
  return istParts(istInstant(date)).weekday
}

const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/

/**
 * Minutes since midnight of `HH:MM` text.
 *
 * @throws Error on anything else (config is validated once, at engine creation).
 */
export function parseHhMm(text: string): number {
  const m = HHMM.exec(text)
  if (!m) throw new Error(`time must be HH:MM (00:00–23:59), got "${text}"`)
  return Number(m[1]) * 60 + Number(m[2])
}

/** `HH:MM` text of minutes since midnight. */
export function formatHhMm(minuteOfDay: number): string {
  return `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** Which days the exchanges trade; the host may plug in a holiday list. */
export interface TradingCalendar {
  /** true when `date` (`YYYY-MM-DD`, IST) is a trading day */
  isTradingDay(date: string): boolean
}

/** Monday to Friday, no holidays. */
export const weekdayCalendar: TradingCalendar = {
  isTradingDay: (date) => {
    const w = weekdayOf(date)
    return w !== 0 && w !== 6
  },
}

/**
 * The first trading day strictly after `date`.
 *
 * @throws Error when the calendar has no trading day in the next 60 days.
 */
export function nextTradingDay(calendar: TradingCalendar, date: string): string {
  let d = date
  for (let i = 0; i < 60; i++) {
    d = addDays(d, 1)
    if (calendar.isTradingDay(d)) return d
  }
  throw new Error(`trading calendar has no trading day within 60 days after ${date}`)
}
