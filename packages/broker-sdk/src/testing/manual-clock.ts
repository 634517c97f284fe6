import type { Clock, TimerHandle, Timers } from '../deps.js'

/** A clock and timers that only move when a test says so. */
export interface ManualClock extends Clock, Timers {
  /** Moves time forward, running due timers in order (synchronously). */
  advance(ms: number): void
  /**
   * Moves time forward timer by timer, letting promises and I/O settle before each one: use it when
   * timers and async code interleave (retries, reconnects).
   */
  advanceAsync(ms: number): Promise<void>
  /** Jumps to each pending timer until none is left (or `limitMs` of virtual time has passed). */
  runAllAsync(limitMs?: number): Promise<void>
  /** timers scheduled and not yet run or cleared */
  readonly pending: number
  /** every delay passed to `setTimeout`, in order (for backoff assertions) */
  readonly delays: readonly number[]
}

interface Entry {
  id: number
  at: number
  fn: () => void
}

/** Lets pending promise callbacks and socket events run. */
export function flushAsync(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/**
 * Creates a {@link ManualClock} at `start` (epoch ms, or ISO text such as
 * `'2025-04-17T09:15:00+05:30'`).
 */
export function createManualClock(start: number | string = 0): ManualClock {
  let now = typeof start === 'number' ? start : Date.parse(start)
  if (!Number.isFinite(now)) throw new Error(`not a start time: ${String(start)}`)
  let nextId = 1
  const timers = new Map<number, Entry>()
  const delays: number[] = []

  const nextDue = (limit: number): Entry | undefined => {
    let best: Entry | undefined
    for (const entry of timers.values()) {
      if (
        entry.at <= limit &&
        (best === undefined || entry.at < best.at || (entry.at === best.at && entry.id < best.id))
      ) {
        best = entry
      }
    }
    return best
  }

  const runOne = (entry: Entry): void => {
    timers.delete(entry.id)
    now = Math.max(now, entry.at)
    entry.fn()
  }

  return {
    now: () => now,
    setTimeout: (fn, delayMs) => {
      const id = nextId++
      const delay = Math.max(0, Number.isFinite(delayMs) ? delayMs : 0)
      delays.push(delay)
      timers.set(id, { id, at: now + delay, fn })
      return { id } as unknown as TimerHandle
    },
    clearTimeout: (handle) => {
      const id = (handle as { id?: number } | undefined)?.id
      if (id !== undefined) timers.delete(id)
    },
    advance(ms) {
      const target = now + ms
      for (let entry = nextDue(target); entry !== undefined; entry = nextDue(target)) runOne(entry)
      now = target
    },
    async advanceAsync(ms) {
      const target = now + ms
      await flushAsync()
      for (let entry = nextDue(target); entry !== undefined; entry = nextDue(target)) {
        runOne(entry)
        await flushAsync()
      }
      now = target
      await flushAsync()
    },
    async runAllAsync(limitMs = 86_400_000) {
      const limit = now + limitMs
      await flushAsync()
      for (let entry = nextDue(limit); entry !== undefined; entry = nextDue(limit)) {
        runOne(entry)
        await flushAsync()
      }
    },
    get pending() {
      return timers.size
    },
    get delays() {
      return delays
    },
  }
}
