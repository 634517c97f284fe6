/**
 * Exchange holidays and session timings (spec api.md §11.7–11.8, platform.md §3.3), read from
 * the main database's `market_holidays`, `market_holiday_exchanges` and `market_timings` (seeded
 * by migration 0060 with the original's data). The tables are small and change only through an
 * admin edit, so they are read once and kept for an hour, as the original caches them.
 */
import type { DatabaseHandle, MainDatabase } from '@oa/db'
import type { Clock } from '../clock.js'

/** Exchanges the calendar knows, in the original's order (`SUPPORTED_EXCHANGES`). */
export const CALENDAR_EXCHANGES = [
  'NSE',
  'BSE',
  'NFO',
  'BFO',
  'MCX',
  'BCD',
  'CDS',
  'NCO',
  'CRYPTO',
] as const

const IST_MS = 19_800_000
const DAY_MS = 86_400_000
const CACHE_MS = 3_600_000

export interface HolidayRow {
  readonly date: string
  readonly description: string
  readonly holiday_type: string
  readonly closed_exchanges: string[]
  readonly open_exchanges: { exchange: string; start_time: number; end_time: number }[]
}

export interface SessionWindow {
  readonly exchange: string
  /** epoch ms */
  readonly start_time: number
  readonly end_time: number
}

export type CalendarResult<T> =
  { ok: true; value: T } | { ok: false; status: 400 | 500; message: string }

export interface MarketCalendar {
  /** every holiday of `year` (default: the current IST year), by date */
  holidays(year?: number): CalendarResult<{ year: number; data: HolidayRow[] }>
  /** the sessions of a `YYYY-MM-DD` day: empty on weekends and full holidays */
  timings(date: string): CalendarResult<SessionWindow[]>
  /** whether `exchange` trades at all on the IST day `date` */
  isTradingDay(date: string, exchange: string): boolean
}

interface Snapshot {
  readAtMs: number
  byDate: Map<string, HolidayRow>
  byYear: Map<number, HolidayRow[]>
  offsets: Map<string, { start: number; end: number }>
}

export function createMarketCalendar(deps: {
  readonly main: DatabaseHandle<MainDatabase>
  readonly clock: Clock
}): MarketCalendar {
  const { clock } = deps
  let snapshot: Snapshot | null = null

  const load = (): Snapshot => {
    const now = clock.now()
    if (snapshot && now - snapshot.readAtMs < CACHE_MS) return snapshot
    const db = deps.main.sqlite
    const holidays = db
      .prepare<
        [],
        {
          id: number
          holiday_date: string
          description: string
          holiday_type: string
          year: number
        }
      >(
        'SELECT id, holiday_date, description, holiday_type, year FROM market_holidays ORDER BY holiday_date, id',
      )
      .all()
    const exchanges = db
      .prepare<
        [],
        {
          holiday_id: number
          exchange_code: string
          is_open: number
          start_time: number | null
          end_time: number | null
        }
      >(
        'SELECT holiday_id, exchange_code, is_open, start_time, end_time FROM market_holiday_exchanges ORDER BY id',
      )
      .all()
    const byHoliday = new Map<number, typeof exchanges>()
    for (const e of exchanges) {
      const list = byHoliday.get(e.holiday_id) ?? []
      list.push(e)
      byHoliday.set(e.holiday_id, list)
    }
    const byDate = new Map<string, HolidayRow>()
    const byYear = new Map<number, HolidayRow[]>()
    for (const h of holidays) {
      const rows = byHoliday.get(h.id) ?? []
      const row: HolidayRow = {
        date: String(h.holiday_date).slice(0, 10),
        description: h.description,
        holiday_type: h.holiday_type,
        closed_exchanges: rows.filter((e) => !e.is_open).map((e) => e.exchange_code),
        open_exchanges: rows
          .filter((e) => e.is_open)
          .map((e) => ({
            exchange: e.exchange_code,
            start_time: Number(e.start_time),
            end_time: Number(e.end_time),
          })),
      }
      // the first row of a date wins, as the original's `.first()`
      if (!byDate.has(row.date)) byDate.set(row.date, row)
      const list = byYear.get(h.year) ?? []
      list.push(row)
      byYear.set(h.year, list)
    }
    const offsets = new Map<string, { start: number; end: number }>()
    for (const t of db
      .prepare<[], { exchange_code: string; start_offset: number; end_offset: number }>(
        'SELECT exchange_code, start_offset, end_offset FROM market_timings',
      )
      .all()) {
      offsets.set(t.exchange_code, { start: Number(t.start_offset), end: Number(t.end_offset) })
    }
    snapshot = { readAtMs: now, byDate, byYear, offsets }
    return snapshot
  }

  const defaultWindows = (
    s: Snapshot,
    midnightMs: number,
    exchanges: readonly string[],
  ): SessionWindow[] => {
    const out: SessionWindow[] = []
    for (const exchange of exchanges) {
      const o = s.offsets.get(exchange)
      if (o) out.push({ exchange, start_time: midnightMs + o.start, end_time: midnightMs + o.end })
    }
    return out
  }

  const windowsOf = (date: string): SessionWindow[] => {
    const s = load()
    const midnight = Date.parse(`${date}T00:00:00Z`) - IST_MS
    const holiday = s.byDate.get(date)
    if (holiday) {
      if (holiday.holiday_type === 'SPECIAL_SESSION')
        return holiday.open_exchanges.map((o) => ({ ...o }))
      if (holiday.holiday_type === 'SETTLEMENT_HOLIDAY')
        return defaultWindows(s, midnight, CALENDAR_EXCHANGES)
      const closed = new Set(holiday.closed_exchanges)
      if (CALENDAR_EXCHANGES.every((e) => closed.has(e)) && holiday.open_exchanges.length === 0)
        return []
      // a trading holiday lists only the exchanges it leaves open (the original's behaviour)
      return holiday.open_exchanges.map((o) => ({ ...o }))
    }
    const weekday = new Date(midnight + IST_MS).getUTCDay()
    if (weekday === 0 || weekday === 6) return defaultWindows(s, midnight, ['CRYPTO'])
    return defaultWindows(s, midnight, CALENDAR_EXCHANGES)
  }

  return {
    holidays(year) {
      const y = year ?? new Date(clock.now() + IST_MS).getUTCFullYear()
      if (y < 2020 || y > 2050)
        return { ok: false, status: 400, message: 'Year must be between 2020 and 2050' }
      return { ok: true, value: { year: y, data: load().byYear.get(y) ?? [] } }
    },
    timings(date) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
      const parsed = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null
      if (
        !m ||
        !parsed ||
        parsed.getUTCFullYear() !== Number(m[1]) ||
        parsed.getUTCMonth() !== Number(m[2]) - 1 ||
        parsed.getUTCDate() !== Number(m[3])
      )
        return { ok: false, status: 400, message: 'Invalid date format. Use YYYY-MM-DD' }
      if (date < '2020-01-01' || date > '2050-12-31')
        return { ok: false, status: 400, message: 'Date must be between 2020-01-01 and 2050-12-31' }
      return { ok: true, value: windowsOf(date) }
    },
    isTradingDay(date, exchange) {
      return windowsOf(date).some((w) => w.exchange === exchange)
    },
  }
}

/** The IST calendar date (`YYYY-MM-DD`) of an instant. */
export function istDate(epochMs: number): string {
  return new Date(epochMs + IST_MS).toISOString().slice(0, 10)
}

export { DAY_MS }
