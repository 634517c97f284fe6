import type { TimeOfDay } from './types.js'

// SESSION_EXPIRY_TIME's exact rule from the original (platform.md §2.3): H:MM or HH:MM, 24-hour.
const CLOCK = /^([01]?[0-9]|2[0-3]):([0-5][0-9])$/

/** `03:00` → {hour: 3, minute: 0}; undefined when the text is not H:MM / HH:MM (00:00–23:59). */
export function parseClockTime(text: string): TimeOfDay | undefined {
  const m = CLOCK.exec(text)
  if (!m) return undefined
  return { hour: Number(m[1]), minute: Number(m[2]) }
}

/**
 * The master-contract cutoffs accept `H` or `H:MM` (the original splits on `:`); hours 0–23 and
 * minutes 0–59. Undefined when unusable: the caller warns and keeps the default, as the original.
 */
export function parseCutoffTime(text: string): TimeOfDay | undefined {
  const m = /^\s*(\d{1,2})(?::(\d{1,2}))?\s*$/.exec(text)
  if (!m) return undefined
  const hour = Number(m[1])
  const minute = m[2] === undefined ? 0 : Number(m[2])
  if (hour > 23 || minute > 59) return undefined
  return { hour, minute }
}

/** `09:00-23:30` → start/end; undefined when not `H:MM-H:MM` with valid times. */
export function parseTimeWindow(text: string): { start: TimeOfDay; end: TimeOfDay } | undefined {
  const parts = text.split('-')
  if (parts.length !== 2) return undefined
  const start = parseClockTime((parts[0] ?? '').trim())
  const end = parseClockTime((parts[1] ?? '').trim())
  return start && end ? { start, end } : undefined
}

/** `{hour: 8, minute: 0}` → `08:00`. */
export function formatTimeOfDay(t: TimeOfDay): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`
}
