import { describe, expect, it } from 'vitest'
import { dayOf, formatExpiry } from './calendar.js'
import { monthlyExpiry, upcomingMonths, upcomingWeekly } from './expiry.js'

const f = (days: number[]): string[] => days.map(formatExpiry)
const TUESDAY = 2
const THURSDAY = 4

describe('expiry rules', () => {
  it('expires NIFTY weekly on Tuesdays and monthly on the last Tuesday', () => {
    expect(f(upcomingWeekly(TUESDAY, 'equity', dayOf(2025, 9, 3), 4))).toEqual([
      '09-SEP-25',
      '16-SEP-25',
      '23-SEP-25',
      '30-SEP-25',
    ])
    const rule = { kind: 'last-weekday', weekday: TUESDAY } as const
    expect(formatExpiry(monthlyExpiry(rule, 'equity', 2025, 9))).toBe('30-SEP-25')
  })

  it('moves an expiry on a holiday back to the previous trading day', () => {
    // 31 March 2026 (last Tuesday) is Shri Mahavir Jayanti
    const rule = { kind: 'last-weekday', weekday: TUESDAY } as const
    expect(formatExpiry(monthlyExpiry(rule, 'equity', 2026, 3))).toBe('30-MAR-26')
    // SENSEX weekly: Thursday 1 May 2025 is Maharashtra Day
    expect(f(upcomingWeekly(THURSDAY, 'equity', dayOf(2025, 4, 25), 2))).toEqual([
      '30-APR-25',
      '08-MAY-25',
    ])
  })

  it('includes an expiry falling on the trading day itself', () => {
    expect(f(upcomingWeekly(TUESDAY, 'equity', dayOf(2025, 9, 9), 1))).toEqual(['09-SEP-25'])
  })

  it('expires currency futures two trading days before the last trading day of the month', () => {
    const rule = { kind: 'before-last-trading-day', tradingDays: 2 } as const
    // last trading day of April 2025 is Wednesday the 30th
    expect(formatExpiry(monthlyExpiry(rule, 'currency', 2025, 4))).toBe('28-APR-25')
  })

  it('lists only the contract months a commodity trades', () => {
    const months = upcomingMonths(
      { kind: 'day-of-month', day: 5 },
      'commodity',
      dayOf(2025, 4, 17),
      3,
      [2, 4, 6, 8, 10, 12],
    )
    expect(f(months.map((m) => m.futuresExpiry))).toEqual(['05-JUN-25', '05-AUG-25', '03-OCT-25'])
  })
})
