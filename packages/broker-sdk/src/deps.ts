/**
 * The injected dependencies every part of the SDK reads time, timers and logs through
 * (STYLE.md §6, §9). Structural types: a host may pass pino, a manual clock or anything that fits.
 */

/** A source of the current time, in epoch milliseconds (UTC). IST is derived, never read. */
export interface Clock {
  now(): number
}

/** Opaque handle returned by {@link Timers.setTimeout}. */
export type TimerHandle = { readonly __timer: unique symbol } | object

/**
 * Timers behind an injectable provider (TanStack/query's `timeoutManager` idea): retries, rate
 * limiting, reconnect backoff and stall watchdogs all wait through this, so tests drive them with
 * a manual clock instead of sleeping.
 */
export interface Timers {
  /** Calls `fn` once after `delayMs` milliseconds. */
  setTimeout(fn: () => void, delayMs: number): TimerHandle
  /** Cancels a pending timer; a no-op for a timer that already ran or was cleared. */
  clearTimeout(handle: TimerHandle): void
}

/** One log call: fields first, a constant message second (STYLE.md §9). */
export type LogFn = (fields: object, msg: string) => void

/** The structural logger packages depend on; pino satisfies it. */
export interface Logger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
  child(bindings: object): Logger
}

/** A random source returning a float in [0, 1); injected so backoff jitter is reproducible. */
export type Random = () => number

/**
 * Waits `delayMs` on the given timers. Resolves early with no error when `signal` aborts, so a
 * caller can stop a retry loop without leaving a timer behind.
 */
export function sleep(timers: Timers, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve()
    const onAbort = (): void => {
      timers.clearTimeout(handle)
      resolve()
    }
    const handle = timers.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      },
      Math.max(0, delayMs),
    )
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Timers backed by the host's global `setTimeout`. For the composition root (apps) to pass in;
 * nothing inside the SDK calls it on its own.
 */
export function createSystemTimers(): Timers {
  return {
    setTimeout: (fn, delayMs) => setTimeout(fn, delayMs),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  }
}

/** A logger that drops everything; handy as a default in tests and examples. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
}
