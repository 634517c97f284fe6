import type { MigrationSet } from '../../migrate.js'
import { m0001Foundation } from './0001-foundation.js'
import { m0010Identity } from './0010-identity.js'
import { m0011IdentityOaColumns } from './0011-identity-oa-columns.js'
import { m0030Symbols } from './0030-symbols.js'
import { m0050AnalyzerLogs } from './0050-analyzer-logs.js'
import { m0060MarketCalendar } from './0060-market-calendar.js'
import { m0061ChartPreferences } from './0061-chart-preferences.js'
import { m0070OrderEvents } from './0070-order-events.js'

/** Migrations of the main database, by name (see ../README.md for the reserved ranges). */
export const mainMigrations: MigrationSet = {
  database: 'main',
  migrations: {
    '0001_foundation': m0001Foundation,
    '0010_identity': m0010Identity,
    '0011_identity_oa_columns': m0011IdentityOaColumns,
    '0030_symbols': m0030Symbols,
    '0050_analyzer_logs': m0050AnalyzerLogs,
    '0060_market_calendar': m0060MarketCalendar,
    '0061_chart_preferences': m0061ChartPreferences,
    '0070_order_events': m0070OrderEvents,
  },
}
