/**
 * Expiry rules, as the exchanges state them today (NSE and BSE since 1 September 2025), applied to
 * every date the simulator is asked about:
 *
 * - NSE index and stock derivatives: monthly on the last Tuesday; NIFTY also weekly on Tuesdays.
 * - BSE index derivatives: monthly on the last Thursday; SENSEX also weekly on Thursdays.
 * - NSE currency derivatives: futures and monthly options two trading days before the last
 *   trading day of the month; USDINR weekly options on Fridays.
 * - MCX (simplified, see README): crude oil on the 19th, natural gas on the 25th, gold and silver
 *   on the 5th of their contract months, copper and silver mini on the last trading day; options
 *   expire one trading day before their future (bullion: the last trading day of the month before).
 *
 * An expiry that falls on a holiday or weekend moves back to the previous trading day.
 */
import { dayOf, daysInMonth, lastWeekdayOfMonth, nextWeekdayOnOrAfter, ymdOf } from './calendar.js'
import { isRegularTradingDay, type SessionFamily } from './sessions.js'

/** How a monthly expiry date is found. */
export type MonthlyRule =
  | { kind: 'last-weekday'; weekday: number }
  | { kind: 'day-of-month'; day: number }
  | { kind: 'last-trading-day' }
  | { kind: 'before-last-trading-day'; tradingDays: number }

/** Where an option expiry sits relative to its month's futures expiry. */
export type OptionOffset =
  | { kind: 'same' }
  | { kind: 'trading-days-before'; tradingDays: number }
  | { kind: 'prior-month-last-trading-day' }

/** Moves a day back to the closest trading day on or before it. */
export function onOrBeforeTradingDay(family: SessionFamily, day: number): number {
  let d = day
  for (let i = 0; i < 30 && !isRegularTradingDay(family, d); i++) d--
  return d
}

/** `n` trading days before `day` (n ≥ 1). */
export function tradingDaysBefore(family: SessionFamily, day: number, n: number): number {
  let d = day
  for (let k = 0; k < n; k++) d = onOrBeforeTradingDay(family, d - 1)
  return d
}

/** The futures expiry of a contract month under a rule. */
export function monthlyExpiry(
  rule: MonthlyRule,
  family: SessionFamily,
  year: number,
  month: number,
): number {
  switch (rule.kind) {
    case 'last-weekday':
      return onOrBeforeTradingDay(family, lastWeekdayOfMonth(year, month, rule.weekday))
    case 'day-of-month':
      return onOrBeforeTradingDay(family, dayOf(year, month, rule.day))
    case 'last-trading-day':
      return onOrBeforeTradingDay(family, dayOf(year, month, daysInMonth(year, month)))
    case 'before-last-trading-day': {
      const last = onOrBeforeTradingDay(family, dayOf(year, month, daysInMonth(year, month)))
      return tradingDaysBefore(family, last, rule.tradingDays)
    }
  }
}

/** The option expiry that belongs to a futures expiry. */
export function optionExpiryFor(
  offset: OptionOffset,
  family: SessionFamily,
  futuresExpiry: number,
): number {
  switch (offset.kind) {
    case 'same':
      return futuresExpiry
    case 'trading-days-before':
      return tradingDaysBefore(family, futuresExpiry, offset.tradingDays)
    case 'prior-month-last-trading-day': {
      const { year, month } = ymdOf(futuresExpiry)
      const firstOfMonth = dayOf(year, month, 1)
      return onOrBeforeTradingDay(family, firstOfMonth - 1)
    }
  }
}

/** One contract month: its futures expiry and the month it belongs to. */
export interface ContractMonth {
  year: number
  month: number
  futuresExpiry: number
}

/**
 * The next `count` contract months whose futures expiry is on or after `fromDay`, restricted to
 * `months` (1..12) when given (gold trades even months only, for one).
 */
export function upcomingMonths(
  rule: MonthlyRule,
  family: SessionFamily,
  fromDay: number,
  count: number,
  months?: readonly number[],
): ContractMonth[] {
  const out: ContractMonth[] = []
  let { year, month } = ymdOf(fromDay)
  for (let guard = 0; out.length < count && guard < 120; guard++) {
    if (months === undefined || months.includes(month)) {
      const futuresExpiry = monthlyExpiry(rule, family, year, month)
      if (futuresExpiry >= fromDay) out.push({ year, month, futuresExpiry })
    }
    month++
    if (month > 12) {
      month = 1
      year++
    }
  }
  return out
}

/** The next `count` weekly expiries (a weekday each week, moved back over holidays) from `fromDay`. */
export function upcomingWeekly(
  weekday: number,
  family: SessionFamily,
  fromDay: number,
  count: number,
): number[] {
  const out: number[] = []
  for (let raw = nextWeekdayOnOrAfter(fromDay, weekday); out.length < count; raw += 7) {
    const day = onOrBeforeTradingDay(family, raw)
    if (day >= fromDay) out.push(day)
  }
  return out
}

/** Whether `day` is the weekly expiry of its week for a weekday rule. */
export function isWeeklyExpiry(weekday: number, family: SessionFamily, day: number): boolean {
  // the raw weekday of the week that could have been moved back onto `day` is at most 6 days later
  const raw = nextWeekdayOnOrAfter(day, weekday)
  return onOrBeforeTradingDay(family, raw) === day
}
