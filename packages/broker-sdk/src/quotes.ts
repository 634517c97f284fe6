import type { QuoteBatchItem } from './contract.js'
import type { Logger } from './deps.js'
import { BrokerError } from './errors.js'
import { instrumentKey } from './models.js'
import type { InstrumentRef, MultiQuoteItem, Quote } from './models.js'
import type { Result } from './result.js'
import type { SymbolResolver } from './symbols.js'

/** Splits a list into consecutive batches of at most `size` items. */
export function toBatches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`batch size must be a positive integer, got ${size}`)
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** The reference's message for a symbol missing from the master contract (api.md §9). */
export function symbolNotFoundMessage(ref: InstrumentRef): string {
  return `Symbol '${ref.symbol}' not found for exchange '${ref.exchange}'. Please verify the symbol name and ensure master contracts are downloaded.`
}

/** What {@link fetchQuotes} needs. */
export interface QuotesDeps {
  batchSize: number
  symbols: SymbolResolver
  quote(ref: InstrumentRef): Promise<Result<Quote>>
  quotesBatch?: ((refs: readonly InstrumentRef[]) => Promise<Result<QuoteBatchItem[]>>) | undefined
  logger: Logger
}

/**
 * Multiquotes (brokers.md §1.3.9, api.md §9.2): unresolved symbols first as error items, then the
 * resolved ones in request order. Resolved instruments go out in batches of `batchSize`; a batch
 * that fails as a whole, and instruments a batch answer leaves out, are fetched one by one.
 * Never fails as a whole.
 */
export async function fetchQuotes(
  deps: QuotesDeps,
  refs: readonly InstrumentRef[],
): Promise<MultiQuoteItem[]> {
  const unresolved: MultiQuoteItem[] = []
  const resolved: InstrumentRef[] = []
  for (const ref of refs) {
    if (deps.symbols.getToken(ref.symbol, ref.exchange) === undefined) {
      unresolved.push({ ...pick(ref), error: symbolNotFoundMessage(ref), code: 'symbol_not_found' })
    } else {
      resolved.push(ref)
    }
  }
  const answers = new Map<string, MultiQuoteItem>()
  const single = async (ref: InstrumentRef): Promise<void> => {
    const result = await deps.quote(ref)
    answers.set(
      instrumentKey(ref),
      result.ok
        ? { ...pick(ref), data: result.value }
        : { ...pick(ref), error: result.error.message, code: result.error.code },
    )
  }
  const unique = dedupe(resolved)
  for (const batch of toBatches(unique, deps.batchSize)) {
    if (deps.quotesBatch === undefined) {
      for (const ref of batch) await single(ref)
      continue
    }
    const result = await deps.quotesBatch(batch)
    if (!result.ok) {
      deps.logger.warn(
        { size: batch.length, code: result.error.code },
        'quote batch failed, fetching one by one',
      )
      for (const ref of batch) await single(ref)
      continue
    }
    for (const item of result.value) {
      const key = instrumentKey(item.ref)
      answers.set(
        key,
        'quote' in item
          ? { ...pick(item.ref), data: item.quote }
          : { ...pick(item.ref), error: item.error.message, code: item.error.code },
      )
    }
    for (const ref of batch) if (!answers.has(instrumentKey(ref))) await single(ref)
  }
  const missing = (ref: InstrumentRef): MultiQuoteItem => {
    const error = new BrokerError('unknown', `no quote for ${ref.exchange}:${ref.symbol}`)
    return { ...pick(ref), error: error.message, code: error.code }
  }
  return [...unresolved, ...resolved.map((ref) => answers.get(instrumentKey(ref)) ?? missing(ref))]
}

function pick(ref: InstrumentRef): InstrumentRef {
  return { symbol: ref.symbol, exchange: ref.exchange }
}

function dedupe(refs: readonly InstrumentRef[]): InstrumentRef[] {
  const seen = new Set<string>()
  const out: InstrumentRef[] = []
  for (const ref of refs) {
    const key = instrumentKey(ref)
    if (!seen.has(key)) {
      seen.add(key)
      out.push(ref)
    }
  }
  return out
}
