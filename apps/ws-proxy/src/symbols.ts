/**
 * The proxy's symbol lookups (W-23). The original's proxy queried its database through the ORM
 * for every lookup, ticks included. Here ticks never look anything up (a subscription keeps the
 * token it resolved), and a subscribe resolves its instruments with prepared point reads of the
 * server's `symtoken` table on its unique (exchange, symbol) index: microseconds each, the current
 * contract always, and no second 150k-row copy of the table in this process (~30 MB resident).
 * While that table is empty (no master contract yet) the simulator's generated contract stands in,
 * in a `@oa/symbol-cache`; `symbolIndexOf` serves tests and benchmarks that bring their own rows.
 */
import type { Clock, Logger, SymbolResolver, SymbolRow } from '@oa/broker-sdk'
import { generateContract, type Universe } from '@oa/broker-simulator'
import { createSymtokenLookup, readSymbolsEpoch, type SqliteDatabase } from '@oa/db'
import type { LoadRequest, SymbolCache } from '@oa/symbol-cache'
import { LRUCache } from 'lru-cache'

/** Where the rows of the symbol table come from, and the broker they belong to. */
export interface SymbolSource {
  load(): LoadRequest | Promise<LoadRequest>
}

/** What the protocol needs from the symbol table. */
export interface SymbolIndex {
  readonly resolver: SymbolResolver
  /** resolves once the first load finished; subscribes wait for it */
  readonly ready: Promise<void>
  /** whether (symbol, exchange) is a listed instrument */
  has(symbol: string, exchange: string): boolean
}

const IST_OFFSET_MS = 19_800_000

/**
 * The simulator's master contract for the IST date of `clock.now()`, generated in memory (from
 * `universe` when given: the one of the streaming market, with its extra strikes).
 */
export function simulatorSymbolSource(
  seed: number,
  clock: Clock,
  universe?: Universe,
): SymbolSource {
  return {
    load: () => {
      const istDate = new Date(clock.now() + IST_OFFSET_MS).toISOString().slice(0, 10)
      return { rows: generateContract(seed, istDate, universe), broker: 'simulator' }
    },
  }
}

/** How {@link createSymtokenIndex} waits for the server to fill an empty `symtoken` table. */
export interface SymtokenWait {
  /** give up and use the fallback after this long */
  readonly timeoutMs: number
  /** how often to look at the table */
  readonly pollMs: number
  readonly clock: Clock
  readonly sleep: (ms: number) => Promise<void>
}

/** Options of {@link createSymtokenIndex}. */
export interface SymtokenIndexOptions {
  /** the main database, whose `symtoken` table the server writes */
  readonly sqlite: SqliteDatabase
  /** rows for while the table is empty (the simulator's generated contract) */
  readonly fallback?: SymbolSource
  /** wait this way for the server to fill an empty table before using the fallback */
  readonly wait?: SymtokenWait
  /** the cache the fallback's rows go into */
  readonly createCache: () => SymbolCache
  readonly logger: Logger
  /** after the fallback was loaded, reloaded or dropped (`main` collects the garbage there) */
  readonly afterLoad?: () => void
}

/** Where a {@link SymtokenIndex} answers from. */
export type SymtokenIndexMode = 'pending' | 'table' | 'fallback'

/** A {@link SymbolIndex} over the server's `symtoken` table, with a fallback while it is empty. */
export interface SymtokenIndex extends SymbolIndex {
  readonly mode: () => SymtokenIndexMode
  /**
   * Run every second or so: reading the table, forgets the rows read last once the server swapped
   * the contract (`symbols_epoch` moved); on the fallback, switches to the table once the server has
   * filled it (and drops the fallback's cache), otherwise rolls the fallback over at the session
   * boundary.
   */
  refresh(): void
}

/** rows a {@link createSymtokenIndex} keeps from its last reads: ~1 KB each */
const RECENT_ROWS = 4096
const MISSING = Symbol('missing')

const hasRows = (sqlite: SqliteDatabase): boolean =>
  sqlite.open && sqlite.prepare('SELECT 1 FROM symtoken LIMIT 1').get() !== undefined

/**
 * The proxy's symbol lookups (W-23) without a second copy of the master contract: the server
 * already holds the 150k-row table in its own cache, and the proxy needs an instrument only when a
 * client subscribes to it. A lookup is a prepared point read of `symtoken` on its unique
 * (exchange, symbol) index (8-15 µs), and the last 4,096 rows read answer repeated lookups; ticks
 * never look anything up (a subscription keeps its resolved token). A new contract is read within
 * a second of the swap (`refresh`), with no reload.
 *
 * While the table is empty (a proxy run on its own before any master-contract download, or a
 * server that never wrote one) lookups go to `fallback`, loaded into a cache; `refresh` leaves it
 * once the table has rows. Supervised (`wait`), an empty table is first polled until the server
 * filled it, so the usual start-up never generates the fallback at all.
 */
export function createSymtokenIndex(options: SymtokenIndexOptions): SymtokenIndex {
  const { sqlite, fallback, wait, logger } = options
  const lookup = createSymtokenLookup(sqlite)
  // A subscribe asks has(), getToken() and getBrExchange() of each instrument, and clients
  // subscribe to the same instruments: the rows read last (misses too) answer those without
  // another read, until the server swaps the contract (refresh() watches symbols_epoch).
  const recent = new LRUCache<string, SymbolRow | typeof MISSING>({ max: RECENT_ROWS })
  let epoch: number | undefined
  const bySymbol = (symbol: string, exchange: string): SymbolRow | undefined => {
    const key = `${exchange}\u0000${symbol}`
    let row = recent.get(key)
    if (row === undefined) {
      row = lookup.bySymbol(exchange, symbol) ?? MISSING
      // a closed database reads as empty: remember nothing
      if (sqlite.open) recent.set(key, row)
    }
    return row === MISSING ? undefined : row
  }
  const table: SymbolResolver = {
    getToken: (s, e) => bySymbol(s, e)?.token,
    getBrSymbol: (s, e) => bySymbol(s, e)?.brSymbol,
    getOaSymbol: (b, e) => lookup.byBrSymbol(e, b)?.symbol,
    getSymbolByToken: (t, e) => lookup.byToken(e, t)?.symbol,
    getBrExchange: (s, e) => bySymbol(s, e)?.brExchange,
    getSymbolInfo: (s, e) => bySymbol(s, e),
  }
  let mode: SymtokenIndexMode = 'pending'
  let active: SymbolResolver = table
  let cache: SymbolCache | undefined
  let busy = false

  const useTable = (): void => {
    epoch = readSymbolsEpoch(sqlite)
    recent.clear()
    mode = 'table'
    active = table
    if (cache !== undefined) {
      cache.clear()
      cache = undefined
      options.afterLoad?.()
    }
    logger.info({ source: 'symtoken' }, 'symbol lookups read the server’s symtoken table')
  }

  const loadFallback = async (source: SymbolSource): Promise<void> => {
    const request = await source.load()
    const fresh = options.createCache()
    const outcome = await fresh.load(request.rows, { broker: request.broker ?? null })
    if (!outcome.ok) {
      logger.error({ err: outcome.error.message }, 'fallback symbol table failed to load')
      return
    }
    // the server may have filled the table while the fallback was generated
    if (hasRows(sqlite)) return useTable()
    cache = fresh
    active = resolverOf(fresh)
    mode = 'fallback'
    options.afterLoad?.()
    logger.info(
      { rows: outcome.value.rows, broker: outcome.value.broker },
      'symtoken is empty: symbol lookups use the fallback table until the server fills it',
    )
  }

  const ready = (async () => {
    try {
      let filled = hasRows(sqlite)
      if (!filled && fallback !== undefined && wait !== undefined) {
        const deadline = wait.clock.now() + wait.timeoutMs
        while (!filled && wait.clock.now() < deadline) {
          await wait.sleep(wait.pollMs)
          // the proxy stopped (and closed the database) while it waited
          if (!sqlite.open) return
          filled = hasRows(sqlite)
        }
      }
      if (filled || fallback === undefined) useTable()
      else await loadFallback(fallback)
    } catch (cause) {
      // a rejected `ready` would take the process down; lookups read the table meanwhile
      if (sqlite.open) logger.error({ err: String(cause) }, 'symbol table could not be read')
    }
  })()

  return {
    resolver: {
      getToken: (s, e) => active.getToken(s, e),
      getBrSymbol: (s, e) => active.getBrSymbol(s, e),
      getOaSymbol: (b, e) => active.getOaSymbol(b, e),
      getSymbolByToken: (t, e) => active.getSymbolByToken(t, e),
      getBrExchange: (s, e) => active.getBrExchange(s, e),
      getSymbolInfo: (s, e) => active.getSymbolInfo(s, e),
    },
    ready,
    has: (s, e) => active.getToken(s, e) !== undefined,
    mode: () => mode,
    refresh() {
      // 'pending' reads the table too (a wait still under way, or a fallback that failed to load)
      if (mode !== 'fallback') {
        try {
          const now = readSymbolsEpoch(sqlite)
          if (now !== epoch) {
            epoch = now
            recent.clear()
          }
        } catch (cause) {
          if (sqlite.open) logger.warn({ err: String(cause) }, 'symbol table check failed')
        }
        return
      }
      if (mode !== 'fallback' || busy || cache === undefined) return
      try {
        if (hasRows(sqlite)) return useTable()
      } catch (cause) {
        logger.warn({ err: String(cause) }, 'symbol table check failed')
        return
      }
      const due = cache.runDue()
      if (due === undefined) return
      busy = true
      void due
        .then((outcome) => {
          if (outcome.ok) options.afterLoad?.()
        })
        .finally(() => {
          busy = false
        })
    },
  }
}

/** `@oa/broker-sdk`'s resolver over a symbol cache. */
export function resolverOf(cache: SymbolCache): SymbolResolver {
  return {
    getToken: (s, e) => cache.getToken(s, e),
    getBrSymbol: (s, e) => cache.getBrSymbol(s, e),
    getOaSymbol: (b, e) => cache.getOaSymbol(b, e),
    getSymbolByToken: (t, e) => cache.getSymbol(t, e),
    getBrExchange: (s, e) => cache.getBrExchange(s, e),
    getSymbolInfo: (s, e) => cache.getSymbolInfo(s, e),
  }
}

/** A {@link SymbolIndex} over any resolver (tests pass `createMemorySymbols` rows). */
export function symbolIndexOf(
  resolver: SymbolResolver,
  ready: Promise<void> = Promise.resolve(),
): SymbolIndex {
  return { resolver, ready, has: (s, e) => resolver.getToken(s, e) !== undefined }
}
