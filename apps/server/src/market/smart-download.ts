// The smart download decision (spec platform.md §8.2): download the master contract again, or
// reuse the one stored. A pure function of the stored facts and the clock.
import { formatHhMm, istDate, istMinuteOfDay, utcDate, utcMinuteOfDay } from './ist.js'

/** Brokers whose contract day is the UTC day (the original's CRYPTO_BROKERS). */
export const CRYPTO_BROKERS: ReadonlySet<string> = new Set(['deltaexchange'])

export interface TimeOfDay {
  readonly hour: number
  readonly minute: number
}

export interface SmartDownloadInput {
  readonly broker: string
  readonly nowMs: number
  /** this broker's last successful download, epoch ms; undefined when never */
  readonly lastDownloadMs: number | undefined
  /** the broker with the most recent successful download of any (the table holds only one) */
  readonly lastDownloadedBroker: string | undefined
  /** MASTER_CONTRACT_CUTOFF_TIME, IST */
  readonly cutoff: TimeOfDay
  /** CRYPTO_MASTER_CONTRACT_CUTOFF_TIME, UTC */
  readonly cryptoCutoff: TimeOfDay
  /**
   * what `symtoken` holds now (W-24): a table emptied by hand, or holding another broker's rows,
   * needs a download whatever the status rows say; undefined skips these checks
   */
  readonly stored?: { readonly rows: number; readonly broker: string | null }
}

export interface SmartDownloadDecision {
  readonly shouldDownload: boolean
  /** the original's reason text */
  readonly reason: string
  /** `HH:MM` */
  readonly cutoffTime: string
  readonly cutoffTimezone: 'IST' | 'UTC'
}

/**
 * Decides per §8.2, in the original's order and words: never downloaded → download; another
 * broker downloaded last → download; the last download's reference-zone date is not today →
 * download; today after the cutoff → skip; today before it → download. Indian brokers use
 * `cutoff` in IST, crypto brokers `cryptoCutoff` in UTC.
 */
export function decideDownload(input: SmartDownloadInput): SmartDownloadDecision {
  const crypto = CRYPTO_BROKERS.has(input.broker.toLowerCase())
  const cutoff = crypto ? input.cryptoCutoff : input.cutoff
  const tz = crypto ? 'UTC' : 'IST'
  const cutoffMinute = cutoff.hour * 60 + cutoff.minute
  const cutoffTime = formatHhMm(cutoffMinute)
  const decide = (shouldDownload: boolean, reason: string): SmartDownloadDecision => ({
    shouldDownload,
    reason,
    cutoffTime,
    cutoffTimezone: tz,
  })

  if (input.lastDownloadMs === undefined) return decide(true, 'No previous download found')
  const last = input.lastDownloadedBroker
  if (last !== undefined && last !== input.broker) {
    return decide(true, `Broker changed from ${last} to ${input.broker}, symtoken needs refresh`)
  }
  if (input.stored !== undefined) {
    if (input.stored.rows === 0) return decide(true, 'No master contract stored')
    if (input.stored.broker !== null && input.stored.broker !== input.broker) {
      return decide(
        true,
        `Broker changed from ${input.stored.broker} to ${input.broker}, symtoken needs refresh`,
      )
    }
  }
  const dateOf = crypto ? utcDate : istDate
  const minuteOf = crypto ? utcMinuteOfDay : istMinuteOfDay
  const downloadDate = dateOf(input.lastDownloadMs)
  const today = dateOf(input.nowMs)
  if (downloadDate !== today) {
    return decide(true, `Last download was on ${downloadDate} ${tz}, today is ${today}`)
  }
  const downloadMinute = minuteOf(input.lastDownloadMs)
  if (downloadMinute >= cutoffMinute) {
    return decide(
      false,
      `Already downloaded today at ${formatHhMm(downloadMinute)} ${tz} (after ${cutoffTime} cutoff)`,
    )
  }
  return decide(true, `Download was before ${cutoffTime} ${tz} cutoff`)
}
