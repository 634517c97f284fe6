// Distinct expiries and underlyings (spec: platform.md §4.2, §4.11), answered from the snapshot's
// small table of distinct (exchange, underlying, expiry) facts instead of a scan or a DB query.
import { compareParsed } from './expiry.js'
import { istDayNumber } from './ist.js'
import { KIND_CE, KIND_FUT, KIND_PE, type Snapshot } from './snapshot.js'

/** Filters of {@link distinctExpiries}. */
export interface ExpiryFilters {
  readonly exchange?: string | null
  /** derived underlying, matched upper-cased and trimmed */
  readonly underlying?: string | null
  /** `options`/`option` ⇒ CE and PE contracts, `futures`/`future`/`fut` ⇒ FUT; others do not filter */
  readonly instrumentType?: string | null
}

/** Filters of {@link distinctUnderlyings}. */
export interface UnderlyingFilters {
  readonly exchange?: string | null
  /** add underlyings with a live future (expiry on or after IST today) to the option-bearing ones */
  readonly includeFutures?: boolean
}

function kindMaskOf(instrumentType: string | null | undefined): number {
  const t = (instrumentType ?? '').trim().toLowerCase()
  if (t === 'options' || t === 'option') return KIND_CE | KIND_PE
  if (t === 'futures' || t === 'future' || t === 'fut') return KIND_FUT
  return 0
}

/**
 * Live expiries: those on or after the IST calendar day of `nowMs` (unparsable ones are kept),
 * sorted chronologically with unparsable ones last. Contract kind comes from the symbol suffix
 * (CE/PE/FUT), which the OpenAlgo grammar guarantees whatever a broker stored as its type.
 */
export function distinctExpiries(s: Snapshot, nowMs: number, f: ExpiryFilters = {}): string[] {
  const exchangeId = f.exchange ? s.exchangeId(f.exchange) : -1
  const underlying = f.underlying ? f.underlying.trim().toUpperCase() : ''
  const underlyingId = underlying === '' ? -1 : s.underlyingId(underlying)
  if ((f.exchange && exchangeId < 0) || (underlying !== '' && underlyingId < 0)) return []
  const mask = kindMaskOf(f.instrumentType)
  const facts = s.data.facts
  const ids = new Set<number>()
  for (let i = 0; i < facts.expiryIds.length; i++) {
    const e = facts.expiryIds[i] ?? 0
    if (e === 0) continue
    if (exchangeId >= 0 && facts.exchangeIds[i] !== exchangeId) continue
    if (underlyingId >= 0 && facts.underlyingIds[i] !== underlyingId) continue
    if (mask !== 0 && ((facts.kinds[i] ?? 0) & mask) === 0) continue
    ids.add(e)
  }
  const today = istDayNumber(nowMs)
  const days = s.data.expiryDays
  const live: { text: string; day: number | undefined }[] = []
  for (const e of ids) {
    const d = days[e] ?? Number.NaN
    if (!Number.isNaN(d) && d < today) continue
    live.push({ text: s.data.expiries[e] ?? '', day: Number.isNaN(d) ? undefined : d })
  }
  return live.sort((a, b) => compareParsed(a.text, a.day, b.text, b.day)).map((x) => x.text)
}

/**
 * Underlyings with option contracts (CE/PE), plus with `includeFutures` those having a future
 * whose expiry is on or after IST today (evaluated per call, so a day-old snapshot still answers
 * correctly). Sorted by code point.
 */
export function distinctUnderlyings(
  s: Snapshot,
  nowMs: number,
  f: UnderlyingFilters = {},
): string[] {
  const exchangeId = f.exchange ? s.exchangeId(f.exchange) : -1
  if (f.exchange && exchangeId < 0) return []
  const facts = s.data.facts
  const today = istDayNumber(nowMs)
  const ids = new Set<number>()
  for (let i = 0; i < facts.underlyingIds.length; i++) {
    const u = facts.underlyingIds[i] ?? 0
    if (u === 0 || (exchangeId >= 0 && facts.exchangeIds[i] !== exchangeId)) continue
    const kinds = facts.kinds[i] ?? 0
    if ((kinds & (KIND_CE | KIND_PE)) !== 0) ids.add(u)
    else if (f.includeFutures && (kinds & KIND_FUT) !== 0) {
      const day = s.data.expiryDays[facts.expiryIds[i] ?? 0] ?? Number.NaN
      if (!Number.isNaN(day) && day >= today) ids.add(u)
    }
  }
  return [...ids].map((u) => s.underlyings[u] ?? '').sort()
}
