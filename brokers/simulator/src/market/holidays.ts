/**
 * A small, best-effort list of Indian exchange holidays for 2024–2026. Outside these years only
 * weekends close the market. The 2026 list follows the OpenAlgo seed data
 * (openalgo: database/market_calendar_db.py); 2024 and 2025 follow the exchanges' published
 * calendars. On an equity holiday MCX either closes for the day (national holidays) or opens only
 * its evening session from 17:00, as it does in practice.
 */
import { dayOf } from './calendar.js'

/** What MCX does on an equity-market holiday. */
export type CommodityHolidayMode = 'closed' | 'evening'

/** One holiday (or special session) of the NSE/BSE family of segments. */
export interface Holiday {
  /** IST day number */
  day: number
  /** `YYYY-MM-DD` */
  date: string
  description: string
  /** MCX on that day (ignored for special sessions) */
  commodity: CommodityHolidayMode
  /** a special (Muhurat) session instead of a closure: minutes after IST midnight */
  special?: { startMinute: number; endMinute: number }
}

type Row = readonly [date: string, description: string, commodity: CommodityHolidayMode]

const ROWS: readonly Row[] = [
  ['2024-01-22', 'Special holiday (Ram Mandir consecration)', 'evening'],
  ['2024-01-26', 'Republic Day', 'closed'],
  ['2024-03-08', 'Mahashivratri', 'evening'],
  ['2024-03-25', 'Holi', 'evening'],
  ['2024-03-29', 'Good Friday', 'closed'],
  ['2024-04-11', 'Id-Ul-Fitr (Ramadan)', 'evening'],
  ['2024-04-17', 'Shri Ram Navami', 'evening'],
  ['2024-05-01', 'Maharashtra Day', 'evening'],
  ['2024-05-20', 'General Elections (Mumbai)', 'evening'],
  ['2024-06-17', 'Bakri Id', 'evening'],
  ['2024-07-17', 'Moharram', 'evening'],
  ['2024-08-15', 'Independence Day', 'closed'],
  ['2024-10-02', 'Mahatma Gandhi Jayanti', 'closed'],
  ['2024-11-15', 'Guru Nanak Jayanti', 'evening'],
  ['2024-11-20', 'Maharashtra Assembly Elections', 'evening'],
  ['2024-12-25', 'Christmas', 'closed'],
  ['2025-02-26', 'Mahashivratri', 'evening'],
  ['2025-03-14', 'Holi', 'evening'],
  ['2025-03-31', 'Id-Ul-Fitr (Ramadan)', 'evening'],
  ['2025-04-10', 'Shri Mahavir Jayanti', 'evening'],
  ['2025-04-14', 'Dr. Baba Saheb Ambedkar Jayanti', 'evening'],
  ['2025-04-18', 'Good Friday', 'closed'],
  ['2025-05-01', 'Maharashtra Day', 'evening'],
  ['2025-08-15', 'Independence Day', 'closed'],
  ['2025-08-27', 'Ganesh Chaturthi', 'evening'],
  ['2025-10-02', 'Mahatma Gandhi Jayanti / Dussehra', 'closed'],
  ['2025-10-22', 'Diwali Balipratipada', 'evening'],
  ['2025-11-05', 'Prakash Gurpurb Sri Guru Nanak Dev', 'evening'],
  ['2025-12-25', 'Christmas', 'closed'],
  ['2026-01-15', 'Municipal Corporation Election - Maharashtra', 'evening'],
  ['2026-01-26', 'Republic Day', 'closed'],
  ['2026-03-03', 'Holi', 'evening'],
  ['2026-03-26', 'Shri Ram Navami', 'evening'],
  ['2026-03-31', 'Shri Mahavir Jayanti', 'evening'],
  ['2026-04-03', 'Good Friday', 'closed'],
  ['2026-04-14', 'Dr. Baba Saheb Ambedkar Jayanti', 'evening'],
  ['2026-05-01', 'Maharashtra Day', 'evening'],
  ['2026-05-28', 'Bakri Id', 'evening'],
  ['2026-06-26', 'Muharram', 'evening'],
  ['2026-09-14', 'Ganesh Chaturthi', 'evening'],
  ['2026-10-02', 'Mahatma Gandhi Jayanti', 'closed'],
  ['2026-10-20', 'Dussehra', 'evening'],
  ['2026-11-10', 'Diwali Balipratipada', 'evening'],
  ['2026-11-24', 'Prakash Gurpurb Sri Guru Nanak Dev', 'evening'],
  ['2026-12-25', 'Christmas', 'closed'],
]

/** Diwali Muhurat sessions: one hour (or so) of trading on an otherwise closed day. */
const SPECIAL: readonly (readonly [
  date: string,
  description: string,
  start: string,
  end: string,
])[] = [
  ['2024-11-01', 'Diwali Laxmi Pujan (Muhurat trading)', '18:00', '19:00'],
  ['2025-10-21', 'Diwali Laxmi Pujan (Muhurat trading)', '13:45', '14:45'],
  ['2026-11-08', 'Diwali Laxmi Pujan (Muhurat trading)', '18:00', '19:15'],
]

function toDay(date: string): number {
  return dayOf(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)))
}

function toMinute(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
}

/** Every modelled holiday and special session, in date order. */
export const HOLIDAYS: readonly Holiday[] = [
  ...ROWS.map(([date, description, commodity]) => ({
    day: toDay(date),
    date,
    description,
    commodity,
  })),
  ...SPECIAL.map(([date, description, start, end]) => ({
    day: toDay(date),
    date,
    description,
    commodity: 'evening' as const,
    special: { startMinute: toMinute(start), endMinute: toMinute(end) },
  })),
].sort((a, b) => a.day - b.day)

const BY_DAY: ReadonlyMap<number, Holiday> = new Map(HOLIDAYS.map((h) => [h.day, h]))

/** The holiday on an IST day number, or undefined on an ordinary day. */
export function holidayOn(day: number): Holiday | undefined {
  return BY_DAY.get(day)
}
