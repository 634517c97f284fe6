/** Epoch milliseconds, UTC. Every time rule reads this, never the global clock (STYLE.md §6). */
export interface Clock {
  now(): number
}

/** The real clock, wired only in the composition root. */
export const systemClock: Clock = { now: () => Date.now() }
