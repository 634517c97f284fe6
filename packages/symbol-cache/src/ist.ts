// IST without the host time zone (STYLE.md §6): wall-clock parts come from epochMs + 5:30 read
// with UTC getters, so a VPS in UTC and a laptop in IST compute the same boundaries.
import type { IstTimeOfDay } from './types.js'

/** IST is UTC+05:30 with no daylight saving. */
export const IST_OFFSET_MS = 19_800_000
/** One day in milliseconds. */
export const DAY_MS = 86_400_000

/** Days since 1970-01-01 of the IST calendar date containing `epochMs`. */
export function istDayNumber(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS)
}

/**
 * The next session boundary (spec: platform.md §4.5): today's `at` in IST, or tomorrow's when
 * `nowMs` is at or past it. Epoch milliseconds.
 *
 * @example nextBoundaryMs(Date.parse('2025-04-17T02:59:59+05:30'), { hour: 3, minute: 0 })
 *          // → Date.parse('2025-04-17T03:00:00+05:30')
 */
export function nextBoundaryMs(nowMs: number, at: IstTimeOfDay): number {
  const todayBoundary =
    istDayNumber(nowMs) * DAY_MS + (at.hour * 60 + at.minute) * 60_000 - IST_OFFSET_MS
  return nowMs >= todayBoundary ? todayBoundary + DAY_MS : todayBoundary
}

/**
 * Parses `SESSION_EXPIRY_TIME` text (`"03:00"`, `"3:5"`); undefined when it is not `H:M` with
 * hour 0-23 and minute 0-59, so the caller can warn and use 03:00 as the original does.
 */
export function parseSessionExpiry(text: string): IstTimeOfDay | undefined {
  const m = /^\s*(\d{1,2}):(\d{1,2})\s*$/.exec(text)
  if (!m) return undefined
  const hour = Number(m[1])
  const minute = Number(m[2])
  if (hour > 23 || minute > 59) return undefined
  return { hour, minute }
}

/** Throws unless `at` is a valid time of day; a broken config must fail at wiring, not at 03:00. */
export function assertTimeOfDay(at: IstTimeOfDay): void {
  if (
    !Number.isInteger(at.hour) ||
    !Number.isInteger(at.minute) ||
    at.hour < 0 ||
    at.hour > 23 ||
    at.minute < 0 ||
    at.minute > 59
  ) {
    throw new Error(`sessionExpiry must be hour 0-23 and minute 0-59, got ${at.hour}:${at.minute}`)
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/**
 * `epochMs` as an IST ISO-8601 string the way Python's `datetime.isoformat()` prints an aware
 * datetime: `2025-04-17T10:00:00+05:30`, with `.mmm000` only when there are milliseconds.
 */
export function formatIstIso(epochMs: number): string {
  const d = new Date(epochMs + IST_OFFSET_MS)
  const ms = d.getUTCMilliseconds()
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  return `${date}T${time}${ms === 0 ? '' : `.${pad(ms, 3)}000`}+05:30`
}
