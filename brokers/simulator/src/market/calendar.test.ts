import { describe, expect, it } from 'vitest'
import {
  dayOf,
  formatExpiry,
  formatSymbolExpiry,
  istDayOf,
  istEpochMs,
  istMinuteOfDay,
  lastWeekdayOfMonth,
  parseIsoDate,
  parseSymbolExpiry,
  weekdayOf,
} from './calendar.js'

describe('IST calendar', () => {
  it('reads IST wall-clock parts from epoch ms without the host time zone', () => {
    const t = Date.parse('2025-04-17T00:30:00+05:30') // still the 16th in UTC
    expect(istDayOf(t)).toBe(dayOf(2025, 4, 17))
    expect(istMinuteOfDay(t)).toBe(30)
    expect(istEpochMs(dayOf(2025, 4, 17), 9 * 60 + 15)).toBe(
      Date.parse('2025-04-17T09:15:00+05:30'),
    )
  })

  it('formats expiries as DD-MMM-YY and DDMMMYY, zero-padded and upper case', () => {
    expect(formatExpiry(dayOf(2024, 4, 4))).toBe('04-APR-24')
    expect(formatSymbolExpiry(dayOf(2024, 3, 28))).toBe('28MAR24')
  })

  it('parses ISO dates and symbol expiries, refusing impossible dates', () => {
    expect(parseIsoDate('2025-02-28')).toBe(dayOf(2025, 2, 28))
    expect(parseIsoDate('2025-02-29')).toBeUndefined()
    expect(parseIsoDate('17-04-2025')).toBeUndefined()
    expect(parseSymbolExpiry('29', 'FEB', '24')).toBe(dayOf(2024, 2, 29))
    expect(parseSymbolExpiry('29', 'FEB', '25')).toBeUndefined()
    expect(parseSymbolExpiry('10', 'XYZ', '25')).toBeUndefined()
  })

  it('knows weekdays and the last Tuesday of a month', () => {
    expect(weekdayOf(dayOf(2025, 4, 17))).toBe(4) // Thursday
    expect(lastWeekdayOfMonth(2025, 4, 2)).toBe(dayOf(2025, 4, 29))
    expect(lastWeekdayOfMonth(2025, 9, 4)).toBe(dayOf(2025, 9, 25))
  })
})
