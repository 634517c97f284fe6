/**
 * The proxy's symbol table (W-23): every subscribe is checked and every broker token resolved in
 * memory through `@oa/symbol-cache`, never with a database query per request. Rows come from a
 * {@link SymbolSource}: the server's `symtoken` table (reloaded when its `symbols_epoch` moves),
 * or the simulator's generated contract while that table is still empty (the proxy starts before
 * the server's first master-contract download).
 */
import type { Clock, Logger, SymbolResolver } from '@oa/broker-sdk'
import { generateContract } from '@oa/broker-simulator'
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

/** The simulator's master contract for the IST date of `clock.now()`, generated in memory. */
export function simulatorSymbolSource(seed: number, clock: Clock): SymbolSource {
  return {
    load: () => {
      const istDate = new Date(clock.now() + IST_OFFSET_MS).toISOString().slice(0, 10)
      return { rows: generateContract(seed, istDate), broker: 'simulator' }
    },
  }
}

/**
 * The `symtoken` table of the main database, read page by page without blocking the event loop;
 * `fallback` (the simulator's contract) while the table is empty.
 */
export function symtokenSymbolSource(
  sqlite: SqliteDatabase,
  fallback?: SymbolSource,
): SymbolSource {
  return {
    load: () => {
      const summary = symtokenSummary(sqlite)
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
 * settles when the load is done (a failed load is logged; lookups then miss).
 */
export function loadSymbolIndex(
  cache: SymbolCache,
  source: SymbolSource,
  logger: Logger,
): SymbolIndex {
  const ready = (async () => {
    const request = await source.load()
    const outcome = await cache.load(request.rows, { broker: request.broker ?? null })
    if (outcome.ok) {
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
