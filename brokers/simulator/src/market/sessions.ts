/**
 * Market sessions per exchange in IST, as pure functions of a day number or an instant
 * (spec platform.md §3.3 `market_timings`). Three session families:
 *
 * | family    | exchanges                                 | regular session (IST)                 |
 * |-----------|-------------------------------------------|---------------------------------------|
 * | equity    | NSE, BSE, NFO, BFO, NSE_INDEX, BSE_INDEX  | 09:15–15:30                           |
 * | currency  | CDS, BCD                                  | 09:00–17:00                           |
 * | commodity | MCX, NCO, MCX_INDEX                       | 09:00–23:30, 23:55 while the US is on daylight time |
 *
 * Weekends are closed, holidays come from {@link holidayOn}. `alwaysOpen` replaces all of it with
 * one 24-hour session every day, for tests and demos at odd hours.
 */
import {
  DAY_MS,
  dayOf,
  istDayOf,
  istEpochMs,
  istMinuteOfDay,
  isWeekend,
  nextWeekdayOnOrAfter,
} from './calendar.js'
import { holidayOn } from './holidays.js'

/** Session family of an exchange. */
export type SessionFamily = 'equity' | 'currency' | 'commodity'

/** A trading window: minutes after IST midnight, `[startMinute, endMinute)`. */
export interface SessionWindow {
  startMinute: number
  endMinute: number
}

const EQUITY: SessionWindow = { startMinute: 9 * 60 + 15, endMinute: 15 * 60 + 30 }
const CURRENCY: SessionWindow = { startMinute: 9 * 60, endMinute: 17 * 60 }
const COMMODITY_OPEN = 9 * 60
const COMMODITY_CLOSE_WINTER = 23 * 60 + 30
const COMMODITY_CLOSE_SUMMER = 23 * 60 + 55
const EVENING_OPEN = 17 * 60
const ALL_DAY: readonly SessionWindow[] = [{ startMinute: 0, endMinute: 24 * 60 }]

/** Session family of an OpenAlgo exchange code; undefined for exchanges the simulator lacks. */
export function sessionFamilyOf(exchange: string): SessionFamily | undefined {
  switch (exchange) {
    case 'NSE':
    case 'BSE':
    case 'NFO':
    case 'BFO':
    case 'NSE_INDEX':
    case 'BSE_INDEX':
      return 'equity'
    case 'CDS':
    case 'BCD':
      return 'currency'
    case 'MCX':
    case 'NCO':
    case 'MCX_INDEX':
      return 'commodity'
    default:
      return undefined
  }
}

/**
 * Whether US daylight saving time is in force on an IST day (second Sunday of March to the first
 * Sunday of November). MCX energy and metals follow the US close, so its session runs to 23:55 then.
 */
export function isUsDaylightTime(day: number): boolean {
  const year = new Date(day * DAY_MS).getUTCFullYear()
  const secondSundayOfMarch = nextWeekdayOnOrAfter(dayOf(year, 3, 1), 0) + 7
  const firstSundayOfNovember = nextWeekdayOnOrAfter(dayOf(year, 11, 1), 0)
  return day >= secondSundayOfMarch && day < firstSundayOfNovember
}

/** The longest regular session of a family in minutes (the business-time day of the price model). */
export function longestSessionMinutes(family: SessionFamily, alwaysOpen: boolean): number {
  if (alwaysOpen) return 24 * 60
  switch (family) {
    case 'equity':
      return EQUITY.endMinute - EQUITY.startMinute
    case 'currency':
      return CURRENCY.endMinute - CURRENCY.startMinute
    case 'commodity':
      return COMMODITY_CLOSE_SUMMER - COMMODITY_OPEN
  }
}

/** The session calendar the market runs on. */
export interface SessionCalendar {
  readonly alwaysOpen: boolean
  /** Trading windows of a family on an IST day, in time order; empty when closed all day. */
  windows(family: SessionFamily, day: number): readonly SessionWindow[]
  /** Whether the family trades at an instant. */
  isOpenAt(family: SessionFamily, epochMs: number): boolean
  /** Whether an exchange trades at an instant; false for exchanges the simulator lacks. */
  isExchangeOpen(exchange: string, epochMs: number): boolean
  /** The closest day strictly before `day` with at least one window. */
  previousTradingDay(family: SessionFamily, day: number): number
  /** `day` itself when it trades, else the closest earlier trading day. */
  tradingDayOnOrBefore(family: SessionFamily, day: number): number
  /**
   * The trading day whose figures a quote shows at an instant: today once its first window has
   * opened, else the previous trading day (before 09:15 a quote still shows yesterday's session).
   */
  sessionDayAt(family: SessionFamily, epochMs: number): number
  /** The next instant (≥ `epochMs`) at which the family trades, within 30 days; undefined if none. */
  nextOpen(family: SessionFamily, epochMs: number): number | undefined
  /** The end of the trading window containing `epochMs`, or `epochMs` itself when closed. */
  nextClose(family: SessionFamily, epochMs: number): number
}

/** Options of {@link createSessionCalendar}. */
export interface SessionCalendarOptions {
  /** one 24-hour session every day of the week (tests, demos); default false */
  alwaysOpen?: boolean
}

/** Builds a {@link SessionCalendar}; pure, holds only a small memo of computed windows. */
export function createSessionCalendar(options: SessionCalendarOptions = {}): SessionCalendar {
  const alwaysOpen = options.alwaysOpen === true
  const memo = new Map<number, readonly SessionWindow[]>()

  const windows = (family: SessionFamily, day: number): readonly SessionWindow[] => {
    if (alwaysOpen) return ALL_DAY
    const key = day * 4 + (family === 'equity' ? 0 : family === 'currency' ? 1 : 2)
    let found = memo.get(key)
    if (found === undefined) {
      found = computeWindows(family, day)
      if (memo.size > 4096) memo.clear()
      memo.set(key, found)
    }
    return found
  }

  const isOpenAt = (family: SessionFamily, epochMs: number): boolean => {
    const minute = istMinuteOfDay(epochMs)
    for (const w of windows(family, istDayOf(epochMs))) {
      if (minute >= w.startMinute && minute < w.endMinute) return true
    }
    return false
  }

  const previousTradingDay = (family: SessionFamily, day: number): number => {
    for (let d = day - 1; d > day - 40; d--) if (windows(family, d).length > 0) return d
    throw new Error(`no trading day in the 40 days before day ${day}`)
  }

  const tradingDayOnOrBefore = (family: SessionFamily, day: number): number =>
    windows(family, day).length > 0 ? day : previousTradingDay(family, day)

  return {
    alwaysOpen,
    windows,
    isOpenAt,
    isExchangeOpen(exchange, epochMs) {
      const family = sessionFamilyOf(exchange)
      return family !== undefined && isOpenAt(family, epochMs)
    },
    previousTradingDay,
    tradingDayOnOrBefore,
    sessionDayAt(family, epochMs) {
      const day = istDayOf(epochMs)
      const first = windows(family, day)[0]
      if (first !== undefined && istMinuteOfDay(epochMs) >= first.startMinute) return day
      return previousTradingDay(family, day)
    },
    nextOpen(family, epochMs) {
      const day = istDayOf(epochMs)
      const minute = istMinuteOfDay(epochMs)
      for (let d = day; d <= day + 30; d++) {
        for (const w of windows(family, d)) {
          if (d > day || minute < w.endMinute) {
            const start = istEpochMs(d, w.startMinute)
            return Math.max(start, epochMs)
          }
        }
      }
      return undefined
    },
    nextClose(family, epochMs) {
      const day = istDayOf(epochMs)
      const minute = istMinuteOfDay(epochMs)
      for (const w of windows(family, day)) {
        if (minute >= w.startMinute && minute < w.endMinute) return istEpochMs(day, w.endMinute)
      }
      return epochMs
    },
  }
}

/**
 * Whether a family trades on a day under the regular calendar (never `alwaysOpen`): expiry dates
 * are exchange facts and must not move when a demo switches the market to always open.
 */
export function isRegularTradingDay(family: SessionFamily, day: number): boolean {
  return computeWindows(family, day).length > 0
}

/** Trading windows of a family on a day under the regular calendar (never `alwaysOpen`). */
export function regularWindows(family: SessionFamily, day: number): readonly SessionWindow[] {
  return computeWindows(family, day)
}

function commodityClose(day: number): number {
  return isUsDaylightTime(day) ? COMMODITY_CLOSE_SUMMER : COMMODITY_CLOSE_WINTER
}

function computeWindows(family: SessionFamily, day: number): readonly SessionWindow[] {
  const holiday = holidayOn(day)
  if (holiday?.special !== undefined) {
    const { startMinute, endMinute } = holiday.special
    if (family === 'commodity') return [{ startMinute, endMinute: commodityClose(day) }]
    return [{ startMinute, endMinute }]
  }
  if (isWeekend(day)) return []
  if (holiday !== undefined) {
    if (family !== 'commodity' || holiday.commodity === 'closed') return []
    return [{ startMinute: EVENING_OPEN, endMinute: commodityClose(day) }]
  }
  switch (family) {
    case 'equity':
      return [EQUITY]
    case 'currency':
      return [CURRENCY]
    case 'commodity':
      return [{ startMinute: COMMODITY_OPEN, endMinute: commodityClose(day) }]
  }
}
