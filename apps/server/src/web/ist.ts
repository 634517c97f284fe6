/** IST is UTC+05:30 with no DST; computed without the host's zone (STYLE.md §6). */
export const IST_OFFSET_MS = 19_800_000

/** `2026-03-02T10:00:00+05:30` for an epoch-ms instant. */
export function toIstIso(epochMs: number): string {
  const d = new Date(epochMs + IST_OFFSET_MS)
  return `${d.toISOString().slice(0, 19)}+05:30`
}

/** The IST calendar date `YYYY-MM-DD` of an instant. */
export function istDate(epochMs: number): string {
  return new Date(epochMs + IST_OFFSET_MS).toISOString().slice(0, 10)
}

/** Epoch ms of 00:00 IST on `YYYY-MM-DD`. */
export function istMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - IST_OFFSET_MS
}

/** IST weekday (0 = Sunday) and minutes since IST midnight. */
export function istClock(epochMs: number): { weekday: number; minutes: number } {
  const d = new Date(epochMs + IST_OFFSET_MS)
  return { weekday: d.getUTCDay(), minutes: d.getUTCHours() * 60 + d.getUTCMinutes() }
}
