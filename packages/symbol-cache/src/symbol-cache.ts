// The symbol cache (spec: platform.md §4): the in-memory source of truth for symbol ↔ token
// mapping, with no DB fallback. Lookups read whichever immutable snapshot is current; a load
// builds a new snapshot on the side and swaps it in with one assignment, so readers never see a
// half-built index (W-20, W-22). At the session boundary the cache keeps serving and reloads
// through the injected loader instead of going dark (W-22).
import { LRUCache } from 'lru-cache'
import { SymbolCacheError } from './errors.js'
import { distinctExpiries, distinctUnderlyings } from './facts.js'
import type { ExpiryFilters, UnderlyingFilters } from './facts.js'
import { createFreezeQtyTable, type FreezeQtyEntry, type FreezeQtyTable } from './freeze-qty.js'
import { assertTimeOfDay, formatIstIso, nextBoundaryMs } from './ist.js'
import { fnoSearchRows, searchRows, type FnoSearchFilters, type SearchOptions } from './search.js'
import { checkSnapshotData, Snapshot, SnapshotBuilder, type SnapshotData } from './snapshot.js'
import type {
  Clock,
  FnoSearchResult,
  IstTimeOfDay,
  Logger,
  SymbolInfo,
  SymbolRow,
} from './types.js'

/** A columnar dump of a snapshot (plain typed arrays and strings; structured-clone friendly). */
export type SymbolDump = SnapshotData

/** Where rows come from: an array, any iterable or async iterable, or a columnar dump. */
export type SymbolSource = Iterable<SymbolRow> | AsyncIterable<SymbolRow> | SymbolDump

/** What the injected loader returns: the rows and the broker they belong to. */
export interface LoadRequest {
  readonly rows: SymbolSource
  readonly broker?: string | null
}

/** A successful load. */
export interface LoadSummary {
  /** rows in the new snapshot */
  readonly rows: number
  readonly broker: string | null
  /** clock time the load took, milliseconds */
  readonly loadMs: number
  /** measured snapshot size, bytes */
  readonly bytes: number
  /** later rows that replaced an earlier row with the same key on the same exchange */
  readonly duplicates: {
    readonly symbol: number
    readonly token: number
    readonly brSymbol: number
  }
  /** epoch ms of the session boundary after which the snapshot is stale */
  readonly nextResetMs: number
}

/** Result of a load: loads report failures as values (the previous snapshot keeps serving). */
export type LoadOutcome =
  | { readonly ok: true; readonly value: LoadSummary }
  | { readonly ok: false; readonly error: SymbolCacheError }

/** Which lookup missed, for {@link SymbolCacheDeps.onMiss}. */
export type LookupKind = 'symbol' | 'token' | 'brSymbol'

/** Dependencies of {@link createSymbolCache}. */
export interface SymbolCacheDeps {
  /** epoch-ms clock; drives validity, the negative cache's TTL and expiry filtering */
  readonly clock: Clock
  /** IST session boundary (`SESSION_EXPIRY_TIME`); default 03:00. Throws when out of range. */
  readonly sessionExpiry?: IstTimeOfDay
  /** supplies rows for `reload()`/`runDue()`; the server streams `symtoken` rows */
  readonly loader?: () => LoadRequest | Promise<LoadRequest>
  readonly logger?: Logger
  /** how long a miss is remembered; default 60 000 ms */
  readonly negativeTtlMs?: number
  /** most misses remembered; default 10 000 */
  readonly negativeMax?: number
  /** called once per distinct miss per `negativeTtlMs` (repeats count as negative hits) */
  readonly onMiss?: (miss: { kind: LookupKind; key: string; exchange: string }) => void
  /** initial freeze quantities (`{ 'NFO:NIFTY': 1800 }` or entries) */
  readonly freezeQty?: Iterable<FreezeQtyEntry> | Readonly<Record<string, number>>
  /**
   * rows between event-loop yields while `load()` reads a synchronous source, so lookups keep
   * answering during a long load; default 0 (never). Leave it 0 for a better-sqlite3
   * `.iterate()` on a shared connection: the connection stays busy while an iterator is open,
   * and any other query on it during a yield throws.
   */
  readonly yieldEveryRows?: number
  /** how `load()` yields; default `setImmediate` */
  readonly yieldToEventLoop?: () => Promise<void>
}

/** `getCacheStats()` payload, field for field the original's (spec: platform.md §4.6). */
export interface CacheStats {
  readonly active_broker: string | null
  readonly cache_loaded: boolean
  readonly total_symbols: number
  /** loaded and before the next boundary */
  readonly cache_valid: boolean
  /** IST ISO-8601 time of the current snapshot's load */
  readonly session_start: string | null
  readonly next_reset: string | null
  /** serving a snapshot from before the last boundary, reload pending or failed */
  readonly stale: boolean
  readonly reloading: boolean
  readonly stats: {
    readonly hits: number
    /** every miss, including those answered by the negative cache */
    readonly misses: number
    /** `"NN.NN%"` */
    readonly hit_rate: string
    /** always 0: there is no DB fallback; kept for compatibility */
    readonly db_queries: number
    readonly bulk_queries: number
    readonly cache_loads: number
    readonly last_loaded: string | null
    readonly total_symbols: number
    /** measured snapshot size, `"N.NN"` MiB */
    readonly memory_usage_mb: string
    readonly negative_hits: number
    readonly reloads: number
    readonly reload_failures: number
    readonly last_error: string | null
  }
}

/** `getCacheHealth()` payload (spec: platform.md §4.6). */
export interface CacheHealth {
  readonly health_score: 0 | 50 | 75 | 100
  readonly status: 'healthy' | 'degraded' | 'unhealthy'
  readonly cache_loaded: boolean
  readonly cache_valid: boolean
  readonly hit_rate: string
  readonly total_symbols: number
  readonly memory_usage_mb: string
  readonly db_queries: number
  readonly recommendations: readonly string[]
}

/** The cache's public interface; see {@link createSymbolCache}. */
export interface SymbolCache {
  /** Loads rows (one pass) or a dump into a new snapshot and swaps it in; never throws. */
  load(source: SymbolSource, options?: { broker?: string | null }): Promise<LoadOutcome>
  /** {@link SymbolCache.load} for synchronous sources, without yielding; never throws. */
  loadSync(
    source: Iterable<SymbolRow> | SymbolDump,
    options?: { broker?: string | null },
  ): LoadOutcome
  /** Loads through the injected loader; concurrent calls share one load (single flight). */
  reload(): Promise<LoadOutcome>
  /** Reloads when the session boundary has passed since the last load; undefined when not due. */
  runDue(): Promise<LoadOutcome> | undefined
  /** Drops the snapshot (logout); lookups miss until the next load. */
  clear(): void
  /** Whether a snapshot is loaded. */
  isLoaded(): boolean
  /** Loaded and before the next session boundary. */
  isValid(): boolean
  /** Epoch ms of the next boundary, undefined when nothing is loaded. */
  nextResetMs(): number | undefined

  /** Broker token of (symbol, exchange); undefined on a miss. O(1), allocation-free on a hit. */
  getToken(symbol: string, exchange: string): string | undefined
  /** OpenAlgo symbol of (token, exchange); undefined on a miss. */
  getSymbol(token: string, exchange: string): string | undefined
  /** Broker symbol of (symbol, exchange); undefined on a miss. */
  getBrSymbol(symbol: string, exchange: string): string | undefined
  /** OpenAlgo symbol of (broker symbol, exchange); undefined on a miss. */
  getOaSymbol(brSymbol: string, exchange: string): string | undefined
  /** Broker exchange of (symbol, exchange); undefined on a miss. */
  getBrExchange(symbol: string, exchange: string): string | undefined
  /** Full record of (symbol, exchange) incl. underlying and contract value; undefined on a miss. */
  getSymbolInfo(symbol: string, exchange: string): SymbolInfo | undefined
  /** Full record of (token, exchange); undefined on a miss. */
  getSymbolInfoByToken(token: string, exchange: string): SymbolInfo | undefined
  /** Every record carrying `token`, one per exchange, in load order (W-24); [] on a miss. */
  findByToken(token: string): SymbolInfo[]
  /** Tokens of [symbol, exchange] pairs, undefined where missing. */
  getTokensBulk(
    pairs: readonly (readonly [symbol: string, exchange: string])[],
  ): (string | undefined)[]
  /** Symbols of [token, exchange] pairs, undefined where missing. */
  getSymbolsBulk(
    pairs: readonly (readonly [token: string, exchange: string])[],
  ): (string | undefined)[]
  /** Ranked multi-term search (spec: platform.md §4.4); [] when nothing is loaded. */
  search(query: string, options?: SearchOptions): SymbolInfo[]
  /** Filtered F&O search with freeze quantities (spec: platform.md §4.4, §4.10). */
  fnoSearch(filters: FnoSearchFilters): FnoSearchResult[]
  /** Live expiries, chronological (spec: platform.md §4.11). */
  getDistinctExpiries(filters?: ExpiryFilters): string[]
  /** Option-bearing (or, with `includeFutures`, tradable) underlyings, sorted. */
  getDistinctUnderlyings(filters?: UnderlyingFilters): string[]
  /** Rows in the current snapshot; 0 when nothing is loaded. */
  getSymbolCount(): number
  /** Freeze quantity of an option/future symbol (root rule of §4.10); 1 when not configured. */
  getFreezeQty(symbol: string, exchange: string): number
  /** Replaces the freeze-quantity table. Throws when a quantity is not a positive integer. */
  setFreezeQuantities(entries: Iterable<FreezeQtyEntry> | Readonly<Record<string, number>>): void
  /** Statistics in the original's wire format. */
  getCacheStats(): CacheStats
  /** Health score and recommendations in the original's wire format. */
  getCacheHealth(): CacheHealth
  /** The current snapshot as a columnar dump; undefined when nothing is loaded. */
  toDump(): SymbolDump | undefined
}

function isDump(source: SymbolSource): source is SymbolDump {
  return (
    typeof source === 'object' &&
    source !== null &&
    (source as { format?: unknown }).format === 'oa-symbol-snapshot'
  )
}

function isAsyncIterable(source: SymbolSource): source is AsyncIterable<SymbolRow> {
  return (
    typeof (source as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  )
}

const defaultYield = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

function fail(error: SymbolCacheError): LoadOutcome {
  return { ok: false, error }
}

/**
 * Creates an empty symbol cache. Nothing runs at creation: call `load()`/`reload()`, and let the
 * host schedule `runDue()` at the session boundary (see `scheduleBoundaryReload`).
 *
 * @example
 * ```ts
 * const cache = createSymbolCache({ clock: { now: () => Date.now() } })
 * await cache.load(rows, { broker: 'zerodha' })
 * cache.getToken('NIFTY28MAR2420800CE', 'NFO')     // '12717314'
 * cache.search('NIFTY 24000 CE', { exchange: 'NFO', limit: 20 })
 * ```
 */
export function createSymbolCache(deps: SymbolCacheDeps): SymbolCache {
  const clock = deps.clock
  const boundary = deps.sessionExpiry ?? { hour: 3, minute: 0 }
  assertTimeOfDay(boundary)
  const yieldEvery = deps.yieldEveryRows ?? 0
  const yieldNow = deps.yieldToEventLoop ?? defaultYield
  const log = deps.logger
  const onMiss = deps.onMiss
  const negative = new LRUCache<string, true>({
    max: deps.negativeMax ?? 10_000,
    ttl: deps.negativeTtlMs ?? 60_000,
    ttlResolution: 0, // read the injected clock on every check; no timers
    perf: { now: () => clock.now() },
  })
  let freeze: FreezeQtyTable = createFreezeQtyTable(deps.freezeQty)

  let current: Snapshot | undefined
  let loadedAtMs = 0
  let nextReset = 0
  let hits = 0
  let misses = 0
  let negativeHits = 0
  let bulkQueries = 0
  let cacheLoads = 0
  let reloads = 0
  let reloadFailures = 0
  let lastError: string | null = null
  let started = 0 // sequence of builds started
  let swapped = 0 // sequence of the build now serving
  let inflight: Promise<LoadOutcome> | undefined

  function miss(kind: LookupKind, key: string, exchange: string): undefined {
    misses++
    const k = `${kind}|${exchange}|${key}`
    if (negative.has(k)) negativeHits++
    else {
      negative.set(k, true)
      onMiss?.({ kind, key, exchange })
    }
    return undefined
  }

  function swap(seq: number, snapshot: Snapshot, t0: number): LoadOutcome {
    if (seq <= swapped) {
      return fail(
        new SymbolCacheError('superseded', 'a load started later has already been swapped in'),
      )
    }
    current = snapshot
    swapped = seq
    loadedAtMs = clock.now()
    nextReset = nextBoundaryMs(loadedAtMs, boundary)
    cacheLoads++
    negative.clear() // a new contract may know yesterday's misses
    const d = snapshot.data
    const summary: LoadSummary = {
      rows: d.count,
      broker: d.broker,
      loadMs: loadedAtMs - t0,
      bytes: snapshot.byteSize,
      duplicates: d.duplicates,
      nextResetMs: nextReset,
    }
    log?.info(
      { rows: summary.rows, broker: summary.broker, loadMs: summary.loadMs, bytes: summary.bytes },
      'symbol cache loaded',
    )
    return { ok: true, value: summary }
  }

  function fromDump(seq: number, dump: SymbolDump, t0: number): LoadOutcome {
    const problem = checkSnapshotData(dump)
    if (problem !== undefined) return fail(new SymbolCacheError('invalid_dump', problem))
    if (dump.count === 0) return fail(new SymbolCacheError('empty_source', 'the dump has no rows'))
    return swap(seq, new Snapshot(dump), t0)
  }

  function finish(seq: number, builder: SnapshotBuilder, t0: number): LoadOutcome {
    if (builder.count === 0) {
      return fail(
        new SymbolCacheError(
          'empty_source',
          'no symbol rows to load; keeping the previous snapshot',
        ),
      )
    }
    return swap(seq, builder.finish(), t0)
  }

  function loadSync(
    source: Iterable<SymbolRow> | SymbolDump,
    options: { broker?: string | null } = {},
  ): LoadOutcome {
    const seq = ++started
    const t0 = clock.now()
    if (isDump(source)) return fromDump(seq, source, t0)
    const builder = new SnapshotBuilder({ broker: options.broker ?? null, nowMs: t0 })
    try {
      for (const row of source) {
        const err = builder.add(row)
        if (err) return fail(err)
      }
    } catch (cause) {
      return fail(
        new SymbolCacheError('loader_failed', `reading rows failed: ${String(cause)}`, { cause }),
      )
    }
    return finish(seq, builder, t0)
  }

  async function load(
    source: SymbolSource,
    options: { broker?: string | null } = {},
  ): Promise<LoadOutcome> {
    const seq = ++started
    const t0 = clock.now()
    if (isDump(source)) return fromDump(seq, source, t0)
    const builder = new SnapshotBuilder({ broker: options.broker ?? null, nowMs: t0 })
    let n = 0
    try {
      if (isAsyncIterable(source)) {
        for await (const row of source) {
          const err = builder.add(row)
          if (err) return fail(err)
          if (yieldEvery > 0 && ++n % yieldEvery === 0) await yieldNow()
        }
      } else {
        for (const row of source) {
          const err = builder.add(row)
          if (err) return fail(err)
          if (yieldEvery > 0 && ++n % yieldEvery === 0) await yieldNow()
        }
      }
    } catch (cause) {
      return fail(
        new SymbolCacheError('loader_failed', `reading rows failed: ${String(cause)}`, { cause }),
      )
    }
    return finish(seq, builder, t0)
  }

  async function reloadOnce(): Promise<LoadOutcome> {
    const loader = deps.loader
    let outcome: LoadOutcome
    if (!loader) {
      outcome = fail(new SymbolCacheError('no_loader', 'reload needs a loader; none was injected'))
    } else {
      try {
        const request = await loader()
        outcome = await load(request.rows, { broker: request.broker ?? null })
      } catch (cause) {
        outcome = fail(
          new SymbolCacheError('loader_failed', `the symbol loader failed: ${String(cause)}`, {
            cause,
          }),
        )
      }
    }
    if (outcome.ok) {
      reloads++
      lastError = null
    } else if (outcome.error.code !== 'superseded') {
      reloadFailures++
      lastError = outcome.error.message
      log?.warn({ code: outcome.error.code, err: outcome.error }, 'symbol cache reload failed')
    }
    return outcome
  }

  function reload(): Promise<LoadOutcome> {
    if (inflight) return inflight
    const p = reloadOnce().finally(() => {
      if (inflight === p) inflight = undefined
    })
    inflight = p
    return p
  }

  const isValid = (): boolean => current !== undefined && clock.now() < nextReset
  const info = (s: Snapshot, r: number): SymbolInfo => s.infoAt(r)
  const hitRate = (): number => (hits + misses > 0 ? (hits / (hits + misses)) * 100 : 0)
  const memoryMb = (): string => ((current?.byteSize ?? 0) / 1_048_576).toFixed(2)

  function getCacheStats(): CacheStats {
    const loaded = current !== undefined
    const total = current?.count ?? 0
    return {
      active_broker: current?.data.broker ?? null,
      cache_loaded: loaded,
      total_symbols: total,
      cache_valid: isValid(),
      session_start: loaded ? formatIstIso(loadedAtMs) : null,
      next_reset: loaded ? formatIstIso(nextReset) : null,
      stale: loaded && !isValid(),
      reloading: inflight !== undefined,
      stats: {
        hits,
        misses,
        hit_rate: `${hitRate().toFixed(2)}%`,
        db_queries: 0,
        bulk_queries: bulkQueries,
        cache_loads: cacheLoads,
        last_loaded: loaded ? formatIstIso(loadedAtMs) : null,
        total_symbols: total,
        memory_usage_mb: memoryMb(),
        negative_hits: negativeHits,
        reloads,
        reload_failures: reloadFailures,
        last_error: lastError,
      },
    }
  }

  function getCacheHealth(): CacheHealth {
    const stats = getCacheStats()
    const rate = Number.parseFloat(stats.stats.hit_rate)
    const lookups = hits + misses
    const score: CacheHealth['health_score'] = !stats.cache_loaded
      ? 0
      : !stats.cache_valid
        ? 50
        : lookups > 10 && rate < 90
          ? 75
          : 100
    const recommendations: string[] = []
    if (score === 0) recommendations.push('Cache is not loaded. Run master contract download.')
    else if (score === 50) {
      recommendations.push('Cache has expired. Login again or refresh master contract.')
    } else if (score === 75) {
      recommendations.push(
        `Cache hit rate is low (${rate.toFixed(1)}%). Consider checking symbol mappings.`,
      )
    }
    // the original's "High number of DB queries" note cannot fire: there is no DB fallback
    if (lastError !== null) recommendations.push(`Last symbol reload failed: ${lastError}`)
    return {
      health_score: score,
      status: score >= 75 ? 'healthy' : score >= 50 ? 'degraded' : 'unhealthy',
      cache_loaded: stats.cache_loaded,
      cache_valid: stats.cache_valid,
      hit_rate: stats.stats.hit_rate,
      total_symbols: stats.total_symbols,
      memory_usage_mb: stats.stats.memory_usage_mb,
      db_queries: 0,
      recommendations:
        recommendations.length > 0 ? recommendations : ['Cache is operating optimally.'],
    }
  }

  return {
    load,
    loadSync,
    reload,
    runDue() {
      if (current === undefined || clock.now() < nextReset) return undefined
      return reload()
    },
    clear() {
      current = undefined
      swapped = started
      negative.clear()
    },
    isLoaded: () => current !== undefined,
    isValid,
    nextResetMs: () => (current === undefined ? undefined : nextReset),

    getToken(symbol, exchange) {
      const s = current
      if (s !== undefined) {
        const r = s.rowOfSymbol(symbol, exchange)
        if (r >= 0) {
          hits++
          return s.tokenAt(r)
        }
      }
      return miss('symbol', symbol, exchange)
    },
    getSymbol(token, exchange) {
      const s = current
      if (s !== undefined) {
        const r = s.rowOfToken(token, exchange)
        if (r >= 0) {
          hits++
          return s.symbols[r]
        }
      }
      return miss('token', token, exchange)
    },
    getBrSymbol(symbol, exchange) {
      const s = current
      if (s !== undefined) {
        const r = s.rowOfSymbol(symbol, exchange)
        if (r >= 0) {
          hits++
          return s.brSymbolAt(r)
        }
      }
      return miss('symbol', symbol, exchange)
    },
    getOaSymbol(brSymbol, exchange) {
      const s = current
      if (s !== undefined) {
        const r = s.rowOfBrSymbol(brSymbol, exchange)
        if (r >= 0) {
          hits++
          return s.symbols[r]
        }
      }
      return miss('brSymbol', brSymbol, exchange)
    },
    getBrExchange(symbol, exchange) {
      const s = current
      if (s !== undefined) {
        const r = s.rowOfSymbol(symbol, exchange)
        if (r >= 0) {
          hits++
          return s.brExchangeAt(r)
        }
      }
      return miss('symbol', symbol, exchange)
    },
    getSymbolInfo(symbol, exchange) {
      const s = current
      if (s !== undefined) {
        const r = s.rowOfSymbol(symbol, exchange)
        if (r >= 0) {
          hits++
          return info(s, r)
        }
      }
      return miss('symbol', symbol, exchange)
    },
    getSymbolInfoByToken(token, exchange) {
      const s = current
      if (s !== undefined) {
        const r = s.rowOfToken(token, exchange)
        if (r >= 0) {
          hits++
          return info(s, r)
        }
      }
      return miss('token', token, exchange)
    },
    findByToken(token) {
      const s = current
      const rows = s === undefined ? [] : s.rowsOfToken(token)
      if (s === undefined || rows.length === 0) {
        miss('token', token, '*')
        return []
      }
      hits++
      return rows.map((r) => info(s, r))
    },
    getTokensBulk(pairs) {
      bulkQueries++
      const s = current
      return pairs.map(([symbol, exchange]) => {
        const r = s === undefined ? -1 : s.rowOfSymbol(symbol, exchange)
        if (s !== undefined && r >= 0) {
          hits++
          return s.tokenAt(r)
        }
        return miss('symbol', symbol, exchange)
      })
    },
    getSymbolsBulk(pairs) {
      bulkQueries++
      const s = current
      return pairs.map(([token, exchange]) => {
        const r = s === undefined ? -1 : s.rowOfToken(token, exchange)
        if (s !== undefined && r >= 0) {
          hits++
          return s.symbols[r]
        }
        return miss('token', token, exchange)
      })
    },
    search(query, options) {
      const s = current
      if (s === undefined) return []
      return searchRows(s, query, options).map((r) => info(s, r))
    },
    fnoSearch(filters) {
      const s = current
      if (s === undefined) return []
      const table = freeze
      return fnoSearchRows(s, filters).map((r) => {
        const i = info(s, r)
        return { ...i, freezeQty: table.forContract(i.symbol, i.exchange) }
      })
    },
    getDistinctExpiries(filters) {
      return current === undefined ? [] : distinctExpiries(current, clock.now(), filters)
    },
    getDistinctUnderlyings(filters) {
      return current === undefined ? [] : distinctUnderlyings(current, clock.now(), filters)
    },
    getSymbolCount: () => current?.count ?? 0,
    getFreezeQty: (symbol, exchange) => freeze.forContract(symbol, exchange),
    setFreezeQuantities(entries) {
      freeze = createFreezeQtyTable(entries)
    },
    getCacheStats,
    getCacheHealth,
    toDump: () => current?.data,
  }
}
