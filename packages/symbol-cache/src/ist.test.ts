import { describe, expect, it } from 'vitest'
import { formatIstIso, istDayNumber, nextBoundaryMs, parseSessionExpiry } from './ist.js'

const at3 = { hour: 3, minute: 0 }

describe('nextBoundaryMs', () => {
  it("is today's 03:00 IST before it, tomorrow's at and after it", () => {
    expect(nextBoundaryMs(Date.parse('2025-04-17T02:59:59+05:30'), at3)).toBe(
      Date.parse('2025-04-17T03:00:00+05:30'),
    )
    expect(nextBoundaryMs(Date.parse('2025-04-17T03:00:00+05:30'), at3)).toBe(
      Date.parse('2025-04-18T03:00:00+05:30'),
    )
    expect(nextBoundaryMs(Date.parse('2025-04-17T23:30:00+05:30'), at3)).toBe(
      Date.parse('2025-04-18T03:00:00+05:30'),
    )
  })

  it('uses the IST date, not the UTC one, around UTC midnight', () => {
    // 2025-04-16T20:00Z is already 01:30 on the 17th in IST
    expect(nextBoundaryMs(Date.parse('2025-04-16T20:00:00Z'), at3)).toBe(
      Date.parse('2025-04-17T03:00:00+05:30'),
    )
    expect(istDayNumber(Date.parse('2025-04-16T20:00:00Z'))).toBe(
      Date.parse('2025-04-17T00:00:00Z') / 86_400_000,
    )
  })

  it('honours a configured boundary such as 09:15', () => {
    expect(nextBoundaryMs(Date.parse('2025-04-17T09:00:00+05:30'), { hour: 9, minute: 15 })).toBe(
      Date.parse('2025-04-17T09:15:00+05:30'),
    )
  })
})

describe('parseSessionExpiry', () => {
  it('reads H:M and rejects anything else so the caller can fall back to 03:00', () => {
    expect(parseSessionExpiry('03:00')).toEqual({ hour: 3, minute: 0 })
    expect(parseSessionExpiry('9:5')).toEqual({ hour: 9, minute: 5 })
    expect(parseSessionExpiry('24:00')).toBeUndefined()
    expect(parseSessionExpiry('3am')).toBeUndefined()
  })
})

describe('formatIstIso', () => {
  it("prints IST the way Python's isoformat() does", () => {
    expect(formatIstIso(Date.parse('2025-04-17T03:00:00+05:30'))).toBe('2025-04-17T03:00:00+05:30')
    expect(formatIstIso(Date.parse('2025-04-16T22:00:00.250Z'))).toBe(
      '2025-04-17T03:30:00.250000+05:30',
    )
  })
})
