import type { SessionExpiry, TimeOfDay } from './types.js'

const IST_OFFSET_MS = 19_800_000
const DAY_MS = 86_400_000

/**
 * The latest daily boundary (`time` IST) at or before `nowMs`. IST is derived as
 * `epochMs + 19_800_000` read as UTC, so the host time zone never matters (STYLE.md §6).
 *
 * @returns epoch ms of the boundary
 */
export function lastBoundaryAtOrBefore(nowMs: number, time: TimeOfDay): number {
  const ist = nowMs + IST_OFFSET_MS
  const midnight = Math.floor(ist / DAY_MS) * DAY_MS
  let boundary = midnight + time.hour * 3_600_000 + time.minute * 60_000
  if (boundary > ist) boundary -= DAY_MS
  return boundary - IST_OFFSET_MS
}

/** The first daily boundary strictly after `nowMs`, epoch ms. */
export function nextBoundaryAfter(nowMs: number, time: TimeOfDay): number {
  return lastBoundaryAtOrBefore(nowMs, time) + DAY_MS
}

/**
 * How long something issued now may live: `min(capMs, ms until the next boundary)`, or `capMs`
 * when expiry is disabled (spec platform.md §10.2 W-27: per-entry TTL, never one TTL computed
 * at import time). Always at least 1 ms.
 */
export function ttlUntilBoundary(nowMs: number, expiry: SessionExpiry, capMs: number): number {
  if (expiry.disabled) return capMs
  return Math.max(1, Math.min(capMs, nextBoundaryAfter(nowMs, expiry.time) - nowMs))
}

/**
 * The W-16 validity rule: something issued at `issuedAtMs` is stale iff it was issued before the
 * last boundary at or before `nowMs` (so a session idle across a whole day is stale too).
 */
export function isIssuedBeforeLastBoundary(
  issuedAtMs: number,
  nowMs: number,
  expiry: SessionExpiry,
): boolean {
  if (expiry.disabled) return false
  return issuedAtMs < lastBoundaryAtOrBefore(nowMs, expiry.time)
}
