import type { MarketStatus } from '@oa/web-contract'
import { istClock, toIstIso } from './ist.js'

/** Regular sessions in IST minutes, Monday to Friday (exchange holidays are not applied here). */
const SESSIONS: readonly { exchange: string; open: number; close: number }[] = [
  { exchange: 'NSE', open: 9 * 60 + 15, close: 15 * 60 + 30 },
  { exchange: 'BSE', open: 9 * 60 + 15, close: 15 * 60 + 30 },
  { exchange: 'NFO', open: 9 * 60 + 15, close: 15 * 60 + 30 },
  { exchange: 'BFO', open: 9 * 60 + 15, close: 15 * 60 + 30 },
  { exchange: 'CDS', open: 9 * 60, close: 17 * 60 },
  { exchange: 'MCX', open: 9 * 60, close: 23 * 60 + 30 },
]

const hhmm = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`

/**
 * Which markets are in their regular session now, from the IST clock: the dashboard's "market
 * status". Holidays come with the market calendar (the market-core area); until then a holiday
 * on a weekday shows as open, and the session text says the hours so the trader can tell.
 */
export function marketStatusAt(nowMs: number): MarketStatus {
  const { weekday, minutes } = istClock(nowMs)
  const weekend = weekday === 0 || weekday === 6
  return {
    now: toIstIso(nowMs),
    exchanges: SESSIONS.map((s) => ({
      exchange: s.exchange,
      open: !weekend && minutes >= s.open && minutes < s.close,
      session: `${hhmm(s.open)}–${hhmm(s.close)} IST, Mon–Fri`,
    })),
  }
}
