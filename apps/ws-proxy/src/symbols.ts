/**
 * The proxy's symbol table (W-23): every subscribe is checked and every broker token resolved in
 * memory through `@oa/symbol-cache`, never with a database query per request. Rows come from a
 * {@link SymbolSource}: the server's `symtoken` table (reloaded when its `symbols_epoch` moves),
 * or the simulator's generated contract while that table is still empty (the proxy starts before
 * the server's first master-contract download).
 */
import type { Clock, Logger, SymbolResolver } from '@oa/broker-sdk'
import { generateContract, type Universe } from '@oa/broker-simulator'
import { streamSymtoken, symtokenSummary, type SqliteDatabase } from '@oa/db'
import type { LoadRequest, SymbolCache } from '@oa/symbol-cache'

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

/** How {@link symtokenSymbolSource} waits for the server to fill an empty `symtoken` table. */
export interface SymtokenWait {
  /** give up and use the fallback after this long */
  readonly timeoutMs: number
  /** how often to look at the table */
  readonly pollMs: number
  readonly clock: Clock
  readonly sleep: (ms: number) => Promise<void>
}

/** The database closed (the proxy is stopping) while a load waited for the table. */
class SourceClosed extends Error {
  constructor() {
    super('the database closed while waiting for the symbol table')
  }
}

/** A {@link SymbolSource} that also tells which `symbols_epoch` its last rows came from. */
export interface SymtokenSource extends SymbolSource {
  /** epoch of the table when the last load started reading it; undefined before any load */
  readonly loadedEpoch: () => number | undefined
}

/**
 * The `symtoken` table of the main database, read page by page without blocking the event loop;
 * `fallback` (the simulator's contract) while the table is empty. With `wait` (the supervised
 * proxy, whose server writes the table seconds after the proxy starts) an empty table is polled
 * until the server filled it, and the fallback is only generated after `wait.timeoutMs`: one
 * load of the contract instead of two, and no second copy of 120k generated rows in memory.
 */
export function symtokenSymbolSource(
  sqlite: SqliteDatabase,
  fallback?: SymbolSource,
  wait?: SymtokenWait,
): SymtokenSource {
  let loadedEpoch: number | undefined
  return {
    loadedEpoch: () => loadedEpoch,
    load: async () => {
      let summary = symtokenSummary(sqlite)
      if (summary.rows === 0 && fallback !== undefined && wait !== undefined) {
        const deadline = wait.clock.now() + wait.timeoutMs
        while (summary.rows === 0 && wait.clock.now() < deadline) {
          await wait.sleep(wait.pollMs)
          // the proxy stopped (and closed the database) while it waited
          if (!sqlite.open) throw new SourceClosed()
          summary = symtokenSummary(sqlite)
        }
      }
      loadedEpoch = summary.epoch
      if (summary.rows === 0 && fallback !== undefined) return fallback.load()
      return { rows: streamSymtoken(sqlite), broker: summary.broker }
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

/**
 * Loads `source` into `cache` in the background and answers a {@link SymbolIndex} whose `ready`
 * settles when the load is done (a failed load is logged; lookups then miss). `afterLoad` runs
 * after a successful load (`main` collects the load's garbage there).
 */
export function loadSymbolIndex(
  cache: SymbolCache,
  source: SymbolSource,
  logger: Logger,
  afterLoad?: () => void,
): SymbolIndex {
  const ready = (async () => {
    let request: LoadRequest
    try {
      request = await source.load()
    } catch (cause) {
      // a rejected `ready` would take the process down; lookups miss until the next reload
      if (!(cause instanceof SourceClosed))
        logger.error({ err: String(cause) }, 'symbol table could not be read')
      return
    }
    const outcome = await cache.load(request.rows, { broker: request.broker ?? null })
    if (outcome.ok) {
      afterLoad?.()
      logger.info(
        {
          rows: outcome.value.rows,
          broker: outcome.value.broker,
          loadMs: Math.round(outcome.value.loadMs),
        },
        'symbol table loaded',
      )
    } else {
      logger.error({ err: outcome.error.message }, 'symbol table failed to load')
    }
  })()
  return symbolIndexOf(resolverOf(cache), ready)
}
