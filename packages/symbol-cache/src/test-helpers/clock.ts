import type { Clock } from '../types.js'

/** A clock tests move by hand. */
export interface ManualClock extends Clock {
  advance(ms: number): void
  set(iso: string): void
}

/** Starts at `iso` (give an offset, e.g. `2025-04-17T02:59:59+05:30`). */
export function createManualClock(iso: string): ManualClock {
  let t = parse(iso)
  return {
    now: () => t,
    advance(ms) {
      t += ms
    },
    set(next) {
      t = parse(next)
    },
  }
}

function parse(iso: string): number {
  const t = Date.parse(iso)
  if (!Number.isFinite(t)) throw new Error(`not an ISO time: ${iso}`)
  return t
}
