import type { Generated } from 'kysely'

/** `market_holidays` (spec platform.md §3.3): one row per holiday or special session. */
export interface MarketHolidaysTable {
  id: Generated<number>
  /** `YYYY-MM-DD` */
  holiday_date: string
  description: string
  /** `TRADING_HOLIDAY` | `SETTLEMENT_HOLIDAY` | `SPECIAL_SESSION` */
  holiday_type: Generated<string>
  year: number
}

/** `market_holiday_exchanges`: which exchanges a holiday closes, and special open windows. */
export interface MarketHolidayExchangesTable {
  id: Generated<number>
  holiday_id: number
  exchange_code: string
  is_open: Generated<number>
  /** epoch ms */
  start_time: number | null
  end_time: number | null
}

/** `market_timings`: the default session per exchange, offsets in ms after IST midnight. */
export interface MarketTimingsTable {
  id: Generated<number>
  exchange_code: string
  start_time: string
  end_time: string
  start_offset: number
  end_offset: number
}

/** `chart_preferences`: per-user chart UI state (`/api/v1/chart`). */
export interface ChartPreferencesTable {
  user_id: string
  key: string
  value: string | null
  /** UTC ISO-8601 */
  updated_at: string | null
}

/** Main-database tables of the API area (migrations 0060–0069). */
export interface ApiTables {
  market_holidays: MarketHolidaysTable
  market_holiday_exchanges: MarketHolidayExchangesTable
  market_timings: MarketTimingsTable
  chart_preferences: ChartPreferencesTable
}
