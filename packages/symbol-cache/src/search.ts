// Search over a snapshot with the original's exact semantics (spec: platform.md §4.4): which
// rows match and in which order are the cache path of the Python original; only how candidates
// are found differs (trigram postings instead of a scan over every row).
import { codeAt } from './columns.js'
import { intersectPosting, postings, termBuckets } from './gram-index.js'
import { KIND_CE, KIND_FUT, KIND_PE, KIND_PERP, type Snapshot } from './snapshot.js'

const DIGITS = String.raw`\d(?:_?\d)*`
const PY_FLOAT = new RegExp(
  `^[+-]?(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.?)(?:[eE][+-]?${DIGITS})?$`,
)
const PY_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i

/**
 * What Python's `float(term)` returns for a search term, or undefined where it raises: decimal
 * and exponent forms, underscores between digits, `inf`/`infinity`/`nan`.
 */
export function parsePyFloat(term: string): number | undefined {
  if (PY_FLOAT.test(term)) return Number(term.replaceAll('_', ''))
  const m = PY_SPECIAL.exec(term)
  if (!m) return undefined
  if ((m[2] ?? '').toLowerCase() === 'nan') return Number.NaN
  return m[1] === '-' ? -Infinity : Infinity
}

/** Whitespace-split, upper-cased, non-empty terms (Python `str.split()` + `upper()`). */
export function splitTerms(query: string): string[] {
  const out: string[] = []
  for (const t of query.split(/\s+/)) if (t !== '') out.push(t.toUpperCase())
  return out
}

/** Options of the general search. */
export interface SearchOptions {
  /** restrict to one exchange; an exchange with no rows searches every row (as the original) */
  readonly exchange?: string | null
  /** maximum results; default 10 000 */
  readonly limit?: number
}

/** Filters of the F&O search (spec: platform.md §4.4). */
export interface FnoSearchFilters {
  /** free text: every term a substring, or any numeric term equal to the strike */
  readonly query?: string | null
  /** an exchange with no rows searches every row (as the original) */
  readonly exchange?: string | null
  /** exact expiry string, e.g. `24-APR-25` */
  readonly expiry?: string | null
  /** `FUT`, `CE`, `PE` (by symbol suffix) or `PERPFUT` (by stored type); others do not filter */
  readonly instrumentType?: string | null
  /** rupees, inclusive; rows without a strike drop out when a bound is set */
  readonly strikeMin?: number | null
  readonly strikeMax?: number | null
  /** exact derived underlying, e.g. `NIFTY` */
  readonly underlying?: string | null
  /** maximum results; default 10 000 */
  readonly limit?: number
}

const DEFAULT_LIMIT = 10_000

/** The term whose rarest trigram is rarest of all; undefined when no term has a trigram. */
function anchorOf(s: Snapshot, terms: readonly string[]): number | undefined {
  let best: number | undefined
  let bestCount = Infinity
  terms.forEach((t, i) => {
    for (const bucket of termBuckets(t, s.data.grams.bits)) {
      const c = s.data.grams.counts[bucket] ?? 0
      if (c < bestCount) {
        bestCount = c
        best = i
      }
    }
  })
  return best
}

/**
 * Rows that may contain `term` in a searchable field, ascending: the postings of its rarest
 * trigram, narrowed by its next rarest ones while they are not much longer (each is a superset
 * of the term's matches, so their intersection is too).
 */
function gramCandidates(s: Snapshot, term: string): Int32Array {
  const grams = s.data.grams
  const buckets = termBuckets(term, grams.bits).sort(
    (a, b) => (grams.counts[a] ?? 0) - (grams.counts[b] ?? 0),
  )
  const first = buckets[0]
  if (first === undefined) return new Int32Array(0)
  const rows = postings(grams, first)
  let length = rows.length
  for (let i = 1; i < buckets.length && i < 3 && length > 64; i++) {
    const b = buckets[i] ?? 0
    if ((grams.counts[b] ?? 0) > length * 8) break
    length = intersectPosting(grams, b, rows, length)
  }
  return rows.subarray(0, length)
}

/**
 * Candidate rows, ascending and deduplicated: rows that may contain `term`, plus the rows whose
 * strike equals one of `strikeValues` (the strike rule can match a row the substring rule misses).
 */
function candidates(s: Snapshot, term: string, strikeValues: readonly number[]): ArrayLike<number> {
  const rows = gramCandidates(s, term)
  const strikeRows = rowsWithStrike(s, strikeValues)
  return strikeRows.length === 0 ? rows : mergeSorted(Array.from(rows), strikeRows)
}

/** Rows whose strike is non-zero and equals one of `values` (Python: `strike and float(t) == strike`). */
function rowsWithStrike(s: Snapshot, values: readonly number[]): number[] {
  let out: number[] = []
  for (const v of values) {
    if (v === 0 || Number.isNaN(v)) continue
    const rows = Array.from(s.rowsWithStrike(v))
    out = out.length === 0 ? rows : mergeSorted(out, rows)
  }
  return out
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    const x = a[i] ?? Infinity
    const y = b[j] ?? Infinity
    if (x <= y) {
      out.push(x)
      i++
      if (x === y) j++
    } else {
      out.push(y)
      j++
    }
  }
  return out
}

/** Whether `term` is a substring of row r's broker symbol, name (upper-cased) or token. */
function otherFieldsInclude(s: Snapshot, r: number, term: string): boolean {
  if (s.brIncludes(r, term)) return true
  const name = s.nameUpperAt(r)
  if (name !== '' && name.includes(term)) return true
  return s.tokenAt(r).includes(term)
}

/**
 * Orders `rows` by (numeric key, text, row) and keeps the first `limit`: a histogram of the small
 * numeric keys finds the cut-off, so only the boundary group needs string comparisons before
 * the final sort of at most `limit` rows (the original's `heapq.nsmallest`).
 */
function orderTop(
  rows: readonly number[],
  keys: readonly number[],
  textOf: (row: number) => string,
  limit: number,
): number[] {
  const idx = rows.map((_, i) => i)
  const cmp = (a: number, b: number): number => {
    const ka = keys[a] ?? 0
    const kb = keys[b] ?? 0
    if (ka !== kb) return ka - kb
    const ta = textOf(rows[a] ?? 0)
    const tb = textOf(rows[b] ?? 0)
    if (ta !== tb) return ta < tb ? -1 : 1
    return (rows[a] ?? 0) - (rows[b] ?? 0)
  }
  let chosen = idx
  if (idx.length > limit) {
    const hist = new Map<number, number>()
    for (const k of keys) hist.set(k, (hist.get(k) ?? 0) + 1)
    const sortedKeys = [...hist.keys()].sort((a, b) => a - b)
    let below = 0
    let cut = 0
    for (const k of sortedKeys) {
      const c = hist.get(k) ?? 0
      if (below + c >= limit) {
        cut = k
        break
      }
      below += c
    }
    const boundary = idx.filter((i) => keys[i] === cut).sort(cmp)
    chosen = idx.filter((i) => (keys[i] ?? 0) < cut).concat(boundary.slice(0, limit - below))
  }
  return chosen.sort(cmp).map((i) => rows[i] ?? 0)
}

/**
 * General search (spec: platform.md §4.4): every term must be a substring of the upper-cased
 * symbol, broker symbol, name or the token, or a numeric term may equal the strike; score 0 for
 * the whole query equal to the symbol, 1 for a prefix, 2 when every term sits in the symbol, else
 * 3; ordered by score, symbol length, symbol, load order; top `limit`. Returns row numbers.
 */
export function searchRows(s: Snapshot, query: string, options: SearchOptions = {}): number[] {
  const terms = splitTerms(query)
  const limit = options.limit ?? DEFAULT_LIMIT
  if (terms.length === 0 || limit <= 0) return []
  const whole = query.trim().toUpperCase()
  const exchangeId = options.exchange ? s.exchangeId(options.exchange) : -1
  const nums = terms.map(parsePyFloat)
  const anyNumeric = nums.some((v) => v !== undefined)

  // anchor: the term with the rarest trigram; its strike rule adds rows when it is numeric
  const anchor = anchorOf(s, terms)
  const anchorNum = anchor === undefined ? undefined : nums[anchor]
  const list =
    anchor === undefined
      ? undefined
      : candidates(s, terms[anchor] ?? '', anchorNum === undefined ? [] : [anchorNum])

  const matched: number[] = []
  const keys: number[] = []
  const visit = (r: number): void => {
    if (exchangeId >= 0 && codeAt(s.exchangeIds, r) !== exchangeId) return
    const symU = s.symbolUpperAt(r)
    let allInSymbol = true
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i] ?? ''
      const inSymbol = symU.includes(t)
      let ok = inSymbol || otherFieldsInclude(s, r, t)
      if (!ok && anyNumeric) {
        const v = nums[i]
        const k = s.strikeOf(r)
        ok = v !== undefined && k !== 0 && v === k
      }
      if (!ok) return
      if (!inSymbol) allInSymbol = false
    }
    const score = symU === whole ? 0 : symU.startsWith(whole) ? 1 : allInSymbol ? 2 : 3
    matched.push(r)
    keys.push(score * 65_536 + Math.min(symU.length, 65_535))
  }
  if (list) for (let i = 0; i < list.length; i++) visit(list[i] ?? 0)
  else for (let r = 0; r < s.count; r++) visit(r)
  return orderTop(matched, keys, (r) => s.symbolUpperAt(r), limit)
}

/**
 * F&O search (spec: platform.md §4.4): filters in the original's order (underlying, expiry,
 * instrument type, strike range, text with the numeric-strike OR rescue), sorted by underlying
 * equal to the first term, underlying starting with it, symbol starting with it, then symbol;
 * top `limit`. Returns row numbers.
 */
export function fnoSearchRows(s: Snapshot, f: FnoSearchFilters): number[] {
  const limit = f.limit ?? DEFAULT_LIMIT
  if (limit <= 0) return []
  const terms = f.query ? splitTerms(f.query) : []
  const nums = terms.map(parsePyFloat).filter((v): v is number => v !== undefined)
  const underlying = f.underlying ? f.underlying.trim().toUpperCase() : ''
  const expiry = f.expiry ? f.expiry.trim() : ''
  const type = f.instrumentType ? f.instrumentType.trim().toUpperCase() : ''
  const typeMask =
    type === 'CE'
      ? KIND_CE
      : type === 'PE'
        ? KIND_PE
        : type === 'FUT'
          ? KIND_FUT
          : type === 'PERPFUT'
            ? KIND_PERP
            : 0
  const min = f.strikeMin ?? null
  const max = f.strikeMax ?? null
  const exchangeId = f.exchange ? s.exchangeId(f.exchange) : -1

  const uId = underlying === '' ? -1 : s.underlyingId(underlying)
  const eId = expiry === '' ? -1 : s.expiryId(expiry)
  if ((underlying !== '' && uId < 0) || (expiry !== '' && eId < 0)) return []

  const matched: number[] = []
  const visit = (r: number): void => {
    if (exchangeId >= 0 && codeAt(s.exchangeIds, r) !== exchangeId) return
    if (uId >= 0 && codeAt(s.underlyingIds, r) !== uId) return
    if (eId >= 0 && codeAt(s.expiryIds, r) !== eId) return
    if (typeMask !== 0 && ((s.kinds[r] ?? 0) & typeMask) === 0) return
    const k = s.strikeOf(r)
    if (min !== null && (Number.isNaN(k) || k < min)) return
    if (max !== null && (Number.isNaN(k) || k > max)) return
    if (terms.length > 0) {
      const symU = s.symbolUpperAt(r)
      let all = true
      for (const t of terms) {
        if (!symU.includes(t) && !otherFieldsInclude(s, r, t)) {
          all = false
          break
        }
      }
      if (!all && !(nums.length > 0 && k !== 0 && !Number.isNaN(k) && nums.includes(k))) return
    }
    matched.push(r)
  }

  if (uId >= 0) {
    // an option chain: only that underlying's rows, from the grouped index
    const rows = s.rowsOfUnderlying(uId)
    for (let i = 0; i < rows.length; i++) visit(rows[i] ?? 0)
  } else if (eId >= 0) {
    // a column scan over small ids beats the gram path once an expiry is named
    for (let r = 0; r < s.count; r++) if (codeAt(s.expiryIds, r) === eId) visit(r)
  } else {
    // a row passes when every term matches (so it is posted under the rarest trigram of any
    // one of them) or when a numeric term equals its strike
    const anchor = anchorOf(s, terms)
    const list = anchor === undefined ? undefined : candidates(s, terms[anchor] ?? '', nums)
    if (list) for (let i = 0; i < list.length; i++) visit(list[i] ?? 0)
    else for (let r = 0; r < s.count; r++) visit(r)
  }

  const first = terms[0]
  const keys = matched.map((r) => {
    if (first === undefined) return 7
    const u = s.underlyingAt(r)
    const ue = u !== null && u === first ? 0 : 4
    const us = u !== null && u.startsWith(first) ? 0 : 2
    const ss = s.symbolUpperAt(r).startsWith(first) ? 0 : 1
    return ue + us + ss
  })
  return orderTop(matched, keys, (r) => s.symbolAt(r), limit)
}
