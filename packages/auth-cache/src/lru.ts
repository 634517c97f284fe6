import type { Clock } from './types.js'

/**
 * lru-cache options that make its TTLs read the injected clock on every check: `perf` is the
 * clock, and `ttlResolution: 0` stops lru-cache from memoising `now()` behind a setTimeout (which
 * would both start timers from a package and freeze time under a manual test clock).
 */
export function clockOptions(clock: Clock): { perf: { now(): number }; ttlResolution: 0 } {
  return { perf: { now: () => clock.now() }, ttlResolution: 0 }
}
