// The server's symbol cache (spec platform.md §4): created once in the composition root, loaded
// from `symtoken` page by page while the server keeps serving, reloaded at the session boundary
// by croner (W-22) and whenever another process replaces the contract (`symbols_epoch`).
import {
  readQtyFreeze,
  readSymbolsEpoch,
  seedQtyFreezeIfEmpty,
  streamSymtoken,
  symtokenSummary,
  type SqliteDatabase,
} from '@oa/db'
import {
  createSymbolCache,
  scheduleBoundaryReload,
  type BoundaryReloadSchedule,
  type LoadOutcome,
  type SymbolCache,
} from '@oa/symbol-cache'
import type { Clock } from '../clock.js'
import type { EventBus } from '../events/bus.js'
import type { Logger } from '../logger.js'

export interface SymbolServiceOptions {
  readonly sqlite: SqliteDatabase
  readonly clock: Clock
  readonly logger: Logger
  readonly events: EventBus
  /** SESSION_EXPIRY_TIME (IST) */
  readonly sessionExpiry: { readonly hour: number; readonly minute: number }
  /** rows per synchronous page while loading; default 8 192 */
  readonly pageRows?: number
  /** how often to look for another process's contract swap; default 250 ms, 0 = never */
  readonly epochPollMs?: number
  /**
   * called after every successful load; `oa start` collects the load's garbage there (see
   * `collectGarbage`), tests leave it out
   */
  readonly afterLoad?: () => void
  /** starts the boundary reload; default croner via `scheduleBoundaryReload` */
  readonly scheduleBoundary?: (
    cache: SymbolCache,
    onReload: (outcome: LoadOutcome) => void,
  ) => BoundaryReloadSchedule
}

export interface SymbolService {
  /** the cache every lookup goes through; never a DB fallback */
  readonly cache: SymbolCache
  /** `symbols_epoch` of the contract the cache holds (-1 before the first load) */
  loadedEpoch(): number
  /**
   * (Re)loads the cache from `symtoken` (single flight) and publishes `cache_loaded`. The
   * previous snapshot keeps serving if the load fails or the table is empty.
   */
  reload(): Promise<LoadOutcome>
  /** seeds an empty `qty_freeze` and loads freeze quantities into the cache; returns how many */
  loadFreezeQuantities(): { loaded: number; seeded: number }
  /** starts the boundary reload and the epoch poll */
  start(): void
  stop(): void
}

export function createSymbolService(options: SymbolServiceOptions): SymbolService {
  const { sqlite, clock, events } = options
  const logger = options.logger.child({ component: 'symbols' })
  // aborted on stop(): a load under way ends at its next page instead of outliving the database
  const stopping = new AbortController()
  let epochOfLoad = -1
  let readingEpoch = -1
  let broker: string | null = null

  const cache = createSymbolCache({
    clock,
    sessionExpiry: options.sessionExpiry,
    logger,
    // every reload (boundary, epoch change, manual) streams the table page by page
    loader: () => {
      const summary = symtokenSummary(sqlite)
      readingEpoch = summary.epoch
      broker = summary.broker
      return {
        rows: streamSymtoken(sqlite, {
          pageRows: options.pageRows ?? 8192,
          signal: stopping.signal,
        }),
        broker: summary.broker,
      }
    },
  })

  const publish = (outcome: LoadOutcome): void => {
    if (outcome.ok) {
      epochOfLoad = readingEpoch
      options.afterLoad?.()
      const stats = cache.getCacheStats()
      events.emit('cache_loaded', {
        status: 'success',
        broker: outcome.value.broker,
        total_symbols: outcome.value.rows,
        memory_usage_mb: stats.stats.memory_usage_mb,
        load_time: (outcome.value.loadMs / 1000).toFixed(2),
      })
    } else if (outcome.error.code !== 'superseded') {
      events.emit('cache_loaded', { status: 'error', broker, message: outcome.error.message })
    }
  }

  const reload = async (): Promise<LoadOutcome> => {
    const outcome = await cache.reload()
    publish(outcome)
    return outcome
  }

  let schedule: BoundaryReloadSchedule | null = null
  let poll: ReturnType<typeof setInterval> | null = null
  let dataVersion = 0

  return {
    cache,
    loadedEpoch: () => epochOfLoad,
    reload,
    loadFreezeQuantities() {
      const seeded = seedQtyFreezeIfEmpty(sqlite)
      const rows = readQtyFreeze(sqlite)
      cache.setFreezeQuantities(rows)
      return { loaded: rows.length, seeded }
    },
    start() {
      if (schedule !== null) return
      const onReload = (outcome: LoadOutcome): void => {
        if (outcome.ok) epochOfLoad = readingEpoch
        logger.info(
          { ok: outcome.ok, rows: outcome.ok ? outcome.value.rows : undefined },
          'symbol cache boundary reload',
        )
        publish(outcome)
      }
      schedule = options.scheduleBoundary
        ? options.scheduleBoundary(cache, onReload)
        : scheduleBoundaryReload(cache, {
            sessionExpiry: options.sessionExpiry,
            logger,
            onReload,
          })
      const every = options.epochPollMs ?? 250
      if (every > 0) {
        dataVersion = sqlite.pragma('data_version', { simple: true }) as number
        poll = setInterval(() => {
          // PRAGMA data_version moves only when another connection commits: a microsecond check
          const v = sqlite.pragma('data_version', { simple: true }) as number
          if (v === dataVersion) return
          dataVersion = v
          const epoch = readSymbolsEpoch(sqlite)
          if (epochOfLoad >= 0 && epoch !== epochOfLoad) {
            logger.info({ epoch }, 'master contract replaced by another process; reloading')
            void reload()
          }
        }, every)
        poll.unref()
      }
    },
    stop() {
      stopping.abort(new Error('the server is stopping'))
      schedule?.stop()
      schedule = null
      if (poll !== null) clearInterval(poll)
      poll = null
    },
  }
}
