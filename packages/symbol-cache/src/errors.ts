/**
 * Why a load or reload did not produce a new snapshot. Lookups never fail with these: a miss is
 * `undefined`, and a failed load keeps the previous snapshot serving.
 */
export type SymbolCacheErrorCode =
  /** the source yielded no rows; the previous snapshot stays (spec: platform.md §4.7) */
  | 'empty_source'
  /** a row broke the {@link SymbolRow} contract (empty symbol, NaN strike, …) */
  | 'invalid_row'
  /** a columnar dump of another format or version, or with inconsistent lengths */
  | 'invalid_dump'
  /** `reload()` or `runDue()` was asked to reload but no `loader` was injected */
  | 'no_loader'
  /** the injected loader, or the row source it returned, threw */
  | 'loader_failed'
  /** a load started later (or a `clear()`) overtook this one; its snapshot was discarded */
  | 'superseded'

/** The one error class of `@oa/symbol-cache`; `code` says which of a closed set went wrong. */
export class SymbolCacheError extends Error {
  override readonly name = 'SymbolCacheError'
  constructor(
    readonly code: SymbolCacheErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
