import { describe, expect, it } from 'vitest'
import { dayOf, istEpochMs } from './calendar.js'
import { createSessionCalendar, isUsDaylightTime } from './sessions.js'

const at = (iso: string): number => Date.parse(iso)
const regular = createSessionCalendar()

describe('market sessions (IST)', () => {
  it('opens NSE, BSE, NFO and the indices 09:15–15:30 on a weekday', () => {
    for (const ex of ['NSE', 'BSE', 'NFO', 'BFO', 'NSE_INDEX', 'BSE_INDEX']) {
      expect(regular.isExchangeOpen(ex, at('2025-04-16T09:14:59+05:30'))).toBe(false)
      expect(regular.isExchangeOpen(ex, at('2025-04-16T09:15:00+05:30'))).toBe(true)
      expect(regular.isExchangeOpen(ex, at('2025-04-16T15:29:59+05:30'))).toBe(true)
      expect(regular.isExchangeOpen(ex, at('2025-04-16T15:30:00+05:30'))).toBe(false)
    }
  })

  it('opens currency derivatives 09:00–17:00', () => {
    expect(regular.isExchangeOpen('CDS', at('2025-04-16T09:00:00+05:30'))).toBe(true)
    expect(regular.isExchangeOpen('CDS', at('2025-04-16T16:59:00+05:30'))).toBe(true)
    expect(regular.isExchangeOpen('CDS', at('2025-04-16T17:00:00+05:30'))).toBe(false)
  })

  it('closes MCX at 23:55 while the US is on daylight time and at 23:30 otherwise', () => {
    expect(isUsDaylightTime(dayOf(2025, 7, 1))).toBe(true)
    expect(isUsDaylightTime(dayOf(2025, 1, 15))).toBe(false)
    expect(regular.isExchangeOpen('MCX', at('2025-07-01T23:50:00+05:30'))).toBe(true)
    expect(regular.isExchangeOpen('MCX', at('2025-01-15T23:29:00+05:30'))).toBe(true)
    expect(regular.isExchangeOpen('MCX', at('2025-01-15T23:40:00+05:30'))).toBe(false)
    expect(regular.isExchangeOpen('MCX', at('2025-07-01T08:59:00+05:30'))).toBe(false)
  })

  it('is closed on weekends', () => {
    for (const ex of ['NSE', 'NFO', 'CDS', 'MCX']) {
      expect(regular.isExchangeOpen(ex, at('2025-04-19T11:00:00+05:30'))).toBe(false)
      expect(regular.isExchangeOpen(ex, at('2025-04-20T11:00:00+05:30'))).toBe(false)
    }
  })

  it('closes everything on Good Friday and opens only the MCX evening on Ambedkar Jayanti', () => {
    expect(regular.isExchangeOpen('NSE', at('2025-04-18T11:00:00+05:30'))).toBe(false)
    expect(regular.isExchangeOpen('MCX', at('2025-04-18T19:00:00+05:30'))).toBe(false)
    expect(regular.isExchangeOpen('NSE', at('2025-04-14T11:00:00+05:30'))).toBe(false)
    expect(regular.isExchangeOpen('MCX', at('2025-04-14T11:00:00+05:30'))).toBe(false)
    expect(regular.isExchangeOpen('MCX', at('2025-04-14T17:30:00+05:30'))).toBe(true)
  })

  it('opens the Diwali Muhurat session only', () => {
    expect(regular.windows('equity', dayOf(2025, 10, 21))).toEqual([
      { startMinute: 13 * 60 + 45, endMinute: 14 * 60 + 45 },
    ])
    expect(regular.isExchangeOpen('NSE', at('2025-10-21T14:00:00+05:30'))).toBe(true)
    expect(regular.isExchangeOpen('NSE', at('2025-10-21T10:00:00+05:30'))).toBe(false)
  })

  it('shows the previous trading day before the open and skips weekends and holidays', () => {
    // Monday 21 April 2025 before the open: the last session was Thursday the 17th (Friday was Good Friday)
    expect(regular.sessionDayAt('equity', at('2025-04-21T09:00:00+05:30'))).toBe(dayOf(2025, 4, 17))
    expect(regular.sessionDayAt('equity', at('2025-04-21T09:15:00+05:30'))).toBe(dayOf(2025, 4, 21))
    expect(regular.previousTradingDay('equity', dayOf(2025, 4, 21))).toBe(dayOf(2025, 4, 17))
  })

  it('finds the next open across a weekend', () => {
    expect(regular.nextOpen('equity', at('2025-04-17T16:00:00+05:30'))).toBe(
      istEpochMs(dayOf(2025, 4, 21), 9 * 60 + 15),
    )
    const inside = at('2025-04-17T10:00:00+05:30')
    expect(regular.nextOpen('equity', inside)).toBe(inside)
  })

  it('is open around the clock, every day, with alwaysOpen', () => {
    const always = createSessionCalendar({ alwaysOpen: true })
    for (const ex of ['NSE', 'MCX', 'CDS', 'BSE_INDEX']) {
      expect(always.isExchangeOpen(ex, at('2025-04-19T03:00:00+05:30'))).toBe(true)
      expect(always.isExchangeOpen(ex, at('2025-04-18T23:59:59+05:30'))).toBe(true)
    }
    expect(always.isExchangeOpen('NASDAQ', at('2025-04-18T12:00:00+05:30'))).toBe(false)
  })
})
