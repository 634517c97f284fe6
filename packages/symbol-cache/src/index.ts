/**
 * `@oa/symbol-cache`: the in-memory, columnar source of truth for OpenAlgo symbol ↔ broker token
 * mapping (spec: platform.md §4). Every order and quote call resolves through it; option chains
 * search it; a screener or backtester can embed it without the server.
 *
 * @example
 * ```ts
 * import { createSymbolCache } from '@oa/symbol-cache'
 *
 * const cache = createSymbolCache({ clock: { now: () => Date.now() } })
 * await cache.load(rows, { broker: 'zerodha' })          // any (async) iterable of SymbolRow
 * cache.getToken('NIFTY28MAR2420800CE', 'NFO')           // broker token, or undefined
 * cache.search('NIFTY 24000 CE', { limit: 20 })          // ranked as the original ranks
 * cache.fnoSearch({ underlying: 'NIFTY', expiry: '24-APR-25', instrumentType: 'CE' })
 * ```
 */
export { createSymbolCache } from './symbol-cache.js'
export type {
  CacheHealth,
  CacheStats,
  LoadOutcome,
  LoadRequest,
  LoadSummary,
  LookupKind,
  SymbolCache,
  SymbolCacheDeps,
  SymbolDump,
  SymbolSource,
} from './symbol-cache.js'
export type { FnoSearchFilters, SearchOptions } from './search.js'
export type { ExpiryFilters, UnderlyingFilters } from './facts.js'
export { scheduleBoundaryReload } from './schedule.js'
export type { BoundaryReloadOptions, BoundaryReloadSchedule } from './schedule.js'
export { SymbolCacheError } from './errors.js'
export type { SymbolCacheErrorCode } from './errors.js'
export { extractUnderlying, FNO_EXCHANGES, CRYPTO_EXCHANGES } from './underlying.js'
export { parseExpiryDay, compareExpiries, sortExpiries } from './expiry.js'
export { createFreezeQtyTable, freezeRootOf } from './freeze-qty.js'
export type { FreezeQtyEntry, FreezeQtyTable } from './freeze-qty.js'
export { nextBoundaryMs, parseSessionExpiry, formatIstIso, istDayNumber } from './ist.js'
export type {
  Clock,
  FnoSearchResult,
  IstTimeOfDay,
  Logger,
  SymbolInfo,
  SymbolRow,
} from './types.js'
