import type { AuthLogger } from './types.js'
import { silentLogger } from './types.js'

/**
 * Cross-process change detection over one SQLite file (spec platform.md §5.8, W-3, W-31, W-44).
 *
 * Writers bump a durable epoch row (`app_meta.auth_epoch`, ...) in the same transaction as the
 * change itself. Each process polls `PRAGMA data_version` on its own connection: SQLite changes
 * that number whenever another connection commits, and reading it costs well under a
 * microsecond with no I/O. Only when it moved does the watcher read the epoch rows and call
 * `onChange` for each epoch that differs. Nothing is lost while a process is down: on start it
 * reads the epochs and compares from there. Latency bound: one poll interval (plus the event
 * loop's delay); the process that made the change invalidates its own caches synchronously.
 */
export interface EpochWatcher {
  /** polls once: reads the epochs if `data_version` moved; true when an epoch changed */
  check(): boolean
  /** the last epoch values seen */
  readonly epochs: Readonly<Record<string, string>>
  /** starts polling every `intervalMs` through the injected scheduler */
  start(): void
  stop(): void
}

export interface EpochWatcherOptions {
  /** `PRAGMA data_version` on this process's own connection */
  readonly dataVersion: () => number
  /** the current epoch values, e.g. `{ auth_epoch: '42', ban_epoch: '3' }` */
  readonly readEpochs: () => Readonly<Record<string, string>>
  /** called for each epoch whose value changed since the last check */
  readonly onChange: (name: string, value: string) => void
  /** poll period, default 100 ms */
  readonly intervalMs?: number
  /** runs `fn` every `ms` until the returned function is called (the host owns timers) */
  readonly schedule?: (fn: () => void, ms: number) => () => void
  readonly logger?: AuthLogger
}

export function createEpochWatcher(options: EpochWatcherOptions): EpochWatcher {
  const logger = options.logger ?? silentLogger
  let version = options.dataVersion()
  let epochs: Record<string, string> = { ...options.readEpochs() }
  let cancel: (() => void) | null = null

  const check = (): boolean => {
    const v = options.dataVersion()
    if (v === version) return false
    version = v
    const next = { ...options.readEpochs() }
    let changed = false
    for (const name of new Set([...Object.keys(epochs), ...Object.keys(next)])) {
      const value = next[name] ?? ''
      if ((epochs[name] ?? '') === value) continue
      changed = true
      try {
        options.onChange(name, value)
      } catch (error) {
        logger.error(
          { epoch: name, err: error instanceof Error ? error.message : String(error) },
          'epoch handler failed',
        )
      }
    }
    epochs = next
    return changed
  }

  return {
    check,
    get epochs() {
      return epochs
    },
    start() {
      if (cancel || !options.schedule) return
      cancel = options.schedule(() => {
        try {
          check()
        } catch (error) {
          // a busy or closing database: try again on the next poll
          logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'epoch poll failed',
          )
        }
      }, options.intervalMs ?? 100)
    },
    stop() {
      cancel?.()
      cancel = null
    },
  }
}
