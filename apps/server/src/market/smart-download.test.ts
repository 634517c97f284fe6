import { describe, expect, it } from 'vitest'
import { decideDownload, type SmartDownloadInput } from './smart-download.js'

const ist = (text: string) => Date.parse(`${text}+05:30`)
const utc = (text: string) => Date.parse(`${text}Z`)

const base: SmartDownloadInput = {
  broker: 'zerodha',
  nowMs: ist('2025-04-17T10:00:00'),
  lastDownloadMs: ist('2025-04-17T08:30:00'),
  lastDownloadedBroker: 'zerodha',
  cutoff: { hour: 8, minute: 0 },
  cryptoCutoff: { hour: 0, minute: 0 },
}

describe('smart master-contract download (platform.md §8.2), row by row', () => {
  it('row 1: downloads when this broker never downloaded', () => {
    expect(decideDownload({ ...base, lastDownloadMs: undefined })).toEqual({
      shouldDownload: true,
      reason: 'No previous download found',
      cutoffTime: '08:00',
      cutoffTimezone: 'IST',
    })
  })

  it('row 2: downloads when another broker downloaded more recently', () => {
    expect(decideDownload({ ...base, lastDownloadedBroker: 'angel' })).toMatchObject({
      shouldDownload: true,
      reason: 'Broker changed from angel to zerodha, symtoken needs refresh',
    })
  })

  it('row 3+4: compares IST dates, whatever the host zone, and downloads on a new day', () => {
    // 23:30 IST on the 16th is 18:00 UTC on the 16th; at 00:10 IST on the 17th the IST date moved
    expect(
      decideDownload({
        ...base,
        lastDownloadMs: ist('2025-04-16T23:30:00'),
        nowMs: ist('2025-04-17T00:10:00'),
      }),
    ).toMatchObject({
      shouldDownload: true,
      reason: 'Last download was on 2025-04-16 IST, today is 2025-04-17',
    })
  })

  it('row 5: skips when already downloaded today after the cutoff', () => {
    expect(decideDownload(base)).toMatchObject({
      shouldDownload: false,
      reason: 'Already downloaded today at 08:30 IST (after 08:00 cutoff)',
    })
    // exactly at the cutoff counts as after it
    expect(
      decideDownload({ ...base, lastDownloadMs: ist('2025-04-17T08:00:00') }).shouldDownload,
    ).toBe(false)
  })

  it('row 6: downloads when today’s download was before the cutoff', () => {
    expect(decideDownload({ ...base, lastDownloadMs: ist('2025-04-17T07:59:00') })).toMatchObject({
      shouldDownload: true,
      reason: 'Download was before 08:00 IST cutoff',
    })
  })

  it('uses the UTC day and the crypto cutoff for crypto brokers', () => {
    const crypto = {
      ...base,
      broker: 'deltaexchange',
      lastDownloadedBroker: 'deltaexchange',
      cryptoCutoff: { hour: 0, minute: 0 },
    }
    // 04:00 IST on the 17th is 22:30 UTC on the 16th: a different UTC day from 10:00 IST
    expect(
      decideDownload({
        ...crypto,
        lastDownloadMs: utc('2025-04-16T22:30:00'),
        nowMs: ist('2025-04-17T10:00:00'),
      }),
    ).toEqual({
      shouldDownload: true,
      reason: 'Last download was on 2025-04-16 UTC, today is 2025-04-17',
      cutoffTime: '00:00',
      cutoffTimezone: 'UTC',
    })
    expect(
      decideDownload({
        ...crypto,
        lastDownloadMs: utc('2025-04-17T01:15:00'),
        nowMs: utc('2025-04-17T09:00:00'),
      }),
    ).toMatchObject({
      shouldDownload: false,
      reason: 'Already downloaded today at 01:15 UTC (after 00:00 cutoff)',
    })
  })

  it('downloads when symtoken is empty or holds another broker’s rows (W-24)', () => {
    expect(decideDownload({ ...base, stored: { rows: 0, broker: null } })).toMatchObject({
      shouldDownload: true,
      reason: 'No master contract stored',
    })
    expect(decideDownload({ ...base, stored: { rows: 10, broker: 'angel' } })).toMatchObject({
      shouldDownload: true,
      reason: 'Broker changed from angel to zerodha, symtoken needs refresh',
    })
    // rows the original wrote have no broker: the status rows decide
    expect(decideDownload({ ...base, stored: { rows: 10, broker: null } }).shouldDownload).toBe(
      false,
    )
  })
})
