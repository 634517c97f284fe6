import { describe, expect, it } from 'vitest'
import { compareExpiries, parseExpiryDay, sortExpiries } from './expiry.js'

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000

describe('parseExpiryDay', () => {
  it('reads DD-MMM-YY and DD-MMM-YYYY as the same calendar day', () => {
    expect(parseExpiryDay('25-APR-24')).toBe(day('2024-04-25'))
    expect(parseExpiryDay('25-APR-2024')).toBe(day('2024-04-25'))
  })

  it('accepts the month in any case and a one-digit day, as strptime did', () => {
    expect(parseExpiryDay('25-apr-24')).toBe(day('2024-04-25'))
    expect(parseExpiryDay('5-Apr-24')).toBe(day('2024-04-05'))
  })

  it('maps two-digit years 00-68 to 20xx and 69-99 to 19xx', () => {
    expect(parseExpiryDay('01-JAN-68')).toBe(day('2068-01-01'))
    expect(parseExpiryDay('01-JAN-69')).toBe(day('1969-01-01'))
  })

  it('treats impossible dates and other formats as unparsable', () => {
    for (const text of [
      '31-FEB-25',
      '2025-04-24',
      '24APR25',
      '-1',
      '',
      '24-APRIL-25',
      '00-APR-25',
    ]) {
      expect(parseExpiryDay(text)).toBeUndefined()
    }
    expect(parseExpiryDay('29-FEB-24')).toBe(day('2024-02-29'))
  })
})

describe('sortExpiries', () => {
  it('orders chronologically across both formats and puts unparsable ones last', () => {
    expect(
      sortExpiries(['-1', '29-MAY-25', '24-APR-2025', 'weekly', '17-APR-25', '01-MAY-25']),
    ).toEqual(['17-APR-25', '24-APR-2025', '01-MAY-25', '29-MAY-25', '-1', 'weekly'])
  })

  it('breaks ties between two spellings of one day by text, deterministically', () => {
    expect(sortExpiries(['24-APR-2025', '24-APR-25'])).toEqual(['24-APR-2025', '24-APR-25'])
    expect(compareExpiries('24-APR-25', '24-APR-25')).toBe(0)
  })
})
