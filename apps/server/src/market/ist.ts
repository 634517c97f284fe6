// IST with a fixed +05:30 (W-21, STYLE.md §6): wall-clock parts are read from epochMs + 5:30 with
// UTC getters, never from the host's zone, so a VPS in UTC and a laptop in IST agree.

export const IST_OFFSET_MS = 19_800_000
const DAY_MS = 86_400_000

const pad = (n: number): string => String(n).padStart(2, '0')

/** The IST calendar date of an instant, `YYYY-MM-DD`. */
export function istDate(epochMs: number): string {
  return new Date(epochMs + IST_OFFSET_MS).toISOString().slice(0, 10)
}

/** The UTC calendar date of an instant, `YYYY-MM-DD` (crypto brokers' reference day). */
export function utcDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10)
}

/** Minutes since IST midnight. */
export function istMinuteOfDay(epochMs: number): number {
  return Math.floor(((((epochMs + IST_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / 60_000)
}

/** Minutes since UTC midnight. */
export function utcMinuteOfDay(epochMs: number): number {
  return Math.floor((((epochMs % DAY_MS) + DAY_MS) % DAY_MS) / 60_000)
}

/** `HH:MM` of a minute of the day. */
export function formatHhMm(minuteOfDay: number): string {
  return `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`
}

/** An IST date and time as epoch ms, e.g. `istEpochMs('2025-04-17', 9, 15)`. */
export function istEpochMs(date: string, hour = 0, minute = 0): number {
  return Date.parse(`${date}T${pad(hour)}:${pad(minute)}:00+05:30`)
}

const NAIVE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/

/**
 * A stored timestamp as epoch ms: UTC ISO-8601 as oa writes it, or a naive
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` as the original wrote it, read as IST wall clock (the original's
 * own assumption, spec platform.md §8.2 row 3). Undefined when unreadable.
 */
export function parseStoredTime(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || text === '') return undefined
  const naive = NAIVE.exec(text.trim())
  if (naive) {
    const [, date = '', h = '0', m = '0', s = '0', frac = ''] = naive
    const ms = Number(frac.padEnd(3, '0').slice(0, 3))
    const at = Date.parse(`${date}T${h}:${m}:${s.padStart(2, '0')}+05:30`)
    return Number.isNaN(at) ? undefined : at + ms
  }
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : at
}
