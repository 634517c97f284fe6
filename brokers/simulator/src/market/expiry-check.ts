/**
 * Whether a date is a real expiry of a series (used to accept or refuse a derivative symbol).
 * Any expiry the rules produce counts, listed today or not: quoting an expired or a far-dated
 * contract is allowed, a made-up date is not.
 */
import { ymdOf } from './calendar.js'
import { isWeeklyExpiry, monthlyExpiry, optionExpiryFor } from './expiry.js'
import type { DerivativeSeries } from './universe.js'

/** Whether `day` is the futures expiry of one of the series' contract months. */
export function isFutureExpiry(series: DerivativeSeries, day: number): boolean {
  const { year, month } = ymdOf(day)
  const { rule, months } = series.futures
  // a month-end expiry moved back over holidays never leaves its month
  if (months !== undefined && !months.includes(month)) return false
  return monthlyExpiry(rule, series.family, year, month) === day
}

/** Whether `day` is an option expiry of the series (weekly or monthly). */
export function isOptionExpiry(series: DerivativeSeries, day: number): boolean {
  const o = series.options
  if (o === undefined) return false
  if (o.weekly !== undefined && isWeeklyExpiry(o.weekly.weekday, series.family, day)) return true
  // the option expiry of this month's or next month's futures (bullion options expire the month before)
  const { year, month } = ymdOf(day)
  for (let k = 0; k < 2; k++) {
    const m = ((month - 1 + k) % 12) + 1
    const y = year + (month + k > 12 ? 1 : 0)
    if (series.futures.months !== undefined && !series.futures.months.includes(m)) continue
    const fut = monthlyExpiry(series.futures.rule, series.family, y, m)
    if (optionExpiryFor(o.offset, series.family, fut) === day) return true
  }
  return false
}
