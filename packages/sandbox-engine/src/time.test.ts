import { describe, expect, it } from 'vitest'
import {
  addDays,
  createManualClock,
  istInstant,
  istParts,
  nextTradingDay,
  parseHhMm,
  weekdayCalendar,
} from './time.js'

describe('IST helpers', () => {
  it('derives IST wall time from epoch ms whatever the host time zone', () => {
    const ms = Date.UTC(2025, 3, 15, 9, 45, 0)
    expect(istParts(ms)).toEqual({
      date: '2025-04-15',
      yymmdd: '250415',
      minuteOfDay: 15 * 60 + 15,
      weekday: 2,
    })
    expect(istParts(Date.UTC(2025, 3, 15, 18, 30))).toMatchObject({
      date: '2025-04-16',
      minuteOfDay: 0,
    })
    expect(istInstant('2025-04-15', 15 * 60 + 15)).toBe(ms)
  })

  it('moves a manual clock only when told', () => {
    const c = createManualClock('2025-04-17T15:14:59+05:30')
    expect(istParts(c.now()).minuteOfDay).toBe(15 * 60 + 14)
    c.advance(1_000)
    expect(istParts(c.now()).minuteOfDay).toBe(15 * 60 + 15)
    c.set('2025-04-18T09:00:00+05:30')
    expect(istParts(c.now()).date).toBe('2025-04-18')
    expect(() => createManualClock('not a date')).toThrow()
  })

  it('skips weekends for the next trading day', () => {
    expect(nextTradingDay(weekdayCalendar, '2025-04-18')).toBe('2025-04-21')
    expect(nextTradingDay(weekdayCalendar, '2025-04-15')).toBe('2025-04-16')
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01')
  })

  it('parses HH:MM and refuses anything else', () => {
    expect(parseHhMm('15:15')).toBe(915)
    expect(parseHhMm('00:00')).toBe(0)
    expect(() => parseHhMm('24:00')).toThrow()
    expect(() => parseHhMm('9am')).toThrow()
  })
})
