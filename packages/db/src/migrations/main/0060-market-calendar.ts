import { sql, type Kysely, type Migration } from 'kysely'

type Seed = [
  date: string,
  description: string,
  type: 'TRADING_HOLIDAY' | 'SETTLEMENT_HOLIDAY' | 'SPECIAL_SESSION',
  closed: string[],
  open: [exchange: string, startMs: number, endMs: number][],
]

/**
 * The 2025 and 2026 exchange holidays exactly as the original seeds them
 * (openalgo: database/market_calendar_db.py `seed_holidays_2025/2026`), open-window times in
 * epoch ms. Kept verbatim for byte-compatible `/market/holidays` answers, including the
 * original's odd rows (the 2025 Muhurat row carries 2024 instants; several MCX evening windows
 * of 2025 are not on their holiday's date).
 */
const HOLIDAYS: Seed[] = [
  ['2025-02-26', 'Maha Shivaratri', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1740549000000, 1740602700000]]],
  ['2025-03-14', 'Holi', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1741964400000, 1742018100000]]],
  ['2025-03-31', 'Id-Ul-Fitr (Ramadan)', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1743433800000, 1743487500000]]],
  ['2025-04-10', 'Shri Mahavir Jayanti', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1744297800000, 1744351500000]]],
  ['2025-04-14', 'Dr. Baba Saheb Ambedkar Jayanti', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1744643400000, 1744697100000]]],
  ['2025-04-18', 'Good Friday', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'], []],
  ['2025-05-01', 'Maharashtra Day', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1745766600000, 1745820300000]]],
  ['2025-08-15', 'Independence Day', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'], []],
  ['2025-08-27', 'Janmashtami', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1756383000000, 1756436700000]]],
  ['2025-10-02', 'Mahatma Gandhi Jayanti', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'], []],
  ['2025-10-21', 'Dussehra', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1761091800000, 1761145500000]]],
  ['2025-11-01', 'Diwali Laxmi Pujan (Muhurat Trading)', 'SPECIAL_SESSION', [], [['NSE', 1730469000000, 1730473500000], ['BSE', 1730469000000, 1730473500000], ['NFO', 1730469000000, 1730473500000], ['BFO', 1730469000000, 1730473500000], ['CDS', 1730469000000, 1730473500000], ['BCD', 1730469000000, 1730473500000], ['MCX', 1730469000000, 1730491500000]]],
  ['2025-11-14', 'Guru Nanak Jayanti', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1763152200000, 1763205900000]]],
  ['2025-12-25', 'Christmas', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'], []],
  ['2026-01-15', 'Municipal Corporation Election - Maharashtra', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1768476600000, 1768501500000]]],
  ['2026-01-26', 'Republic Day', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'], []],
  ['2026-03-03', 'Holi', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1772537400000, 1772562300000]]],
  ['2026-03-26', 'Shri Ram Navami', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1774524600000, 1774549500000]]],
  ['2026-03-31', 'Shri Mahavir Jayanti', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1774956600000, 1774981500000]]],
  ['2026-04-03', 'Good Friday', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'], []],
  ['2026-04-14', 'Dr. Baba Saheb Ambedkar Jayanti', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1776166200000, 1776191100000]]],
  ['2026-05-01', 'Maharashtra Day', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1777635000000, 1777659900000]]],
  ['2026-05-28', 'Bakri Id', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1779967800000, 1779992700000]]],
  ['2026-06-26', 'Muharram', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1782473400000, 1782498300000]]],
  ['2026-09-14', 'Ganesh Chaturthi', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1789385400000, 1789410300000]]],
  ['2026-10-02', 'Mahatma Gandhi Jayanti', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'], []],
  ['2026-10-20', 'Dussehra', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1792495800000, 1792520700000]]],
  ['2026-11-08', 'Diwali Laxmi Pujan (Muhurat Trading)', 'SPECIAL_SESSION', [], [['NSE', 1794141000000, 1794145500000], ['BSE', 1794141000000, 1794145500000], ['NFO', 1794141000000, 1794145500000], ['BFO', 1794141000000, 1794145500000], ['CDS', 1794141000000, 1794145500000], ['BCD', 1794141000000, 1794145500000], ['MCX', 1794141000000, 1794163500000]]],
  ['2026-11-10', 'Diwali Balipratipada', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1794310200000, 1794335100000]]],
  ['2026-11-24', 'Prakash Gurpurb Sri Guru Nanak Dev', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'], [['MCX', 1795519800000, 1795544700000]]],
  ['2026-12-25', 'Christmas', 'TRADING_HOLIDAY', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'], []],
]

/** Default sessions (spec platform.md §3.3), ms after IST midnight. */
const TIMINGS: [exchange: string, startMs: number, endMs: number][] = [
  ['NSE', 33_300_000, 55_800_000],
  ['BSE', 33_300_000, 55_800_000],
  ['NFO', 33_300_000, 56_400_000],
  ['BFO', 33_300_000, 56_400_000],
  ['CDS', 32_400_000, 61_200_000],
  ['BCD', 32_400_000, 61_200_000],
  ['MCX', 32_400_000, 86_100_000],
  ['NCO', 32_400_000, 86_100_000],
  ['CRYPTO', 0, 86_399_000],
]

function hhmm(ms: number): string {
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
}

/**
 * Market calendar (spec platform.md §3.3, api.md §11.7–11.8): holidays, per-exchange holiday
 * rows, and editable default timings. Tables are create-if-missing so an original database keeps
 * its rows; seeds go in only when a table is empty, and untouched NFO/BFO 15:30 closes move to
 * 15:40 (the original's CAS migration).
 */
export const m0060MarketCalendar: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('market_holidays')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('holiday_date', 'date', (c) => c.notNull())
      .addColumn('description', 'varchar(150)', (c) => c.notNull())
      .addColumn('holiday_type', 'varchar(30)', (c) => c.notNull().defaultTo('TRADING_HOLIDAY'))
      .addColumn('year', 'integer', (c) => c.notNull())
      .execute()
    await sql`CREATE INDEX IF NOT EXISTS ix_market_holidays_holiday_date ON market_holidays (holiday_date)`.execute(db)
    await sql`CREATE INDEX IF NOT EXISTS ix_market_holidays_year ON market_holidays (year)`.execute(db)
    await sql`CREATE INDEX IF NOT EXISTS idx_holiday_date_year ON market_holidays (holiday_date, year)`.execute(db)

    await db.schema
      .createTable('market_holiday_exchanges')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('holiday_id', 'integer', (c) => c.notNull())
      .addColumn('exchange_code', 'varchar(10)', (c) => c.notNull())
      .addColumn('is_open', 'boolean', (c) => c.notNull().defaultTo(0))
      .addColumn('start_time', 'bigint')
      .addColumn('end_time', 'bigint')
      .execute()
    await sql`CREATE INDEX IF NOT EXISTS idx_holiday_exchange ON market_holiday_exchanges (holiday_id, exchange_code)`.execute(db)

    await db.schema
      .createTable('market_timings')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('exchange_code', 'varchar(10)', (c) => c.notNull().unique())
      .addColumn('start_time', 'varchar(5)', (c) => c.notNull())
      .addColumn('end_time', 'varchar(5)', (c) => c.notNull())
      .addColumn('start_offset', 'bigint', (c) => c.notNull())
      .addColumn('end_offset', 'bigint', (c) => c.notNull())
      .execute()

    const holidays = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM market_holidays`.execute(db)
    if ((holidays.rows[0]?.n ?? 0) === 0) {
      for (const [date, description, type, closed, open] of HOLIDAYS) {
        const inserted = await sql<{ id: number }>`
          INSERT INTO market_holidays (holiday_date, description, holiday_type, year)
          VALUES (${date}, ${description}, ${type}, ${Number(date.slice(0, 4))}) RETURNING id`.execute(db)
        const id = inserted.rows[0]?.id
        for (const exchange of closed) {
          await sql`INSERT INTO market_holiday_exchanges (holiday_id, exchange_code, is_open) VALUES (${id}, ${exchange}, 0)`.execute(db)
        }
        for (const [exchange, start, end] of open) {
          await sql`INSERT INTO market_holiday_exchanges (holiday_id, exchange_code, is_open, start_time, end_time) VALUES (${id}, ${exchange}, 1, ${start}, ${end})`.execute(db)
        }
      }
    }

    const timings = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM market_timings`.execute(db)
    if ((timings.rows[0]?.n ?? 0) === 0) {
      for (const [exchange, start, end] of TIMINGS) {
        await sql`INSERT INTO market_timings (exchange_code, start_time, end_time, start_offset, end_offset)
          VALUES (${exchange}, ${hhmm(start)}, ${hhmm(end)}, ${start}, ${end})`.execute(db)
      }
    }
    await sql`UPDATE market_timings SET end_offset = 56400000, end_time = '15:40'
      WHERE exchange_code IN ('NFO', 'BFO') AND end_offset = 55800000`.execute(db)
  },
}
