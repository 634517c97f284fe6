/**
 * The proxy's symbol table (W-23): every subscribe is checked and every broker token resolved in
 * memory through `@oa/symbol-cache`, never with a database query per request. Rows come from a
 * {@link SymbolSource}: today the simulator's generated contract; once the server's `symtoken`
 * table and loader land, a source over that table replaces it in `main.ts` (one line).
 */
import type { Clock, Logger, SymbolResolver } from '@oa/broker-sdk'
import { generateContract } from '@oa/broker-simulator'
import type { SymbolCache, SymbolRow } from '@oa/symbol-cache'

/** Where the rows of the symbol table come from, and the broker they belong to. */
export interface SymbolSource {
  readonly broker: string
  rows(): Iterable<SymbolRow> | AsyncIterable<SymbolRow>
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
    broker: 'simulator',
    rows: () => {
      const istDate = new Date(clock.now() + IST_OFFSET_MS).toISOString().slice(0, 10)
      return generateContract(seed, istDate)
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
    const outcome = await cache.load(source.rows(), { broker: source.broker })
    if (outcome.ok) {
      logger.info(
        {
          rows: outcome.value.rows,
          broker: source.broker,
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
