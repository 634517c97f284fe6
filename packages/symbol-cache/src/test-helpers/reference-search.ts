// Literal transcriptions of the spec's search rules (platform.md §4.4) as linear scans over
// plain objects: the oracle the indexed search is property-tested against, and the benchmark's
// baseline. Deliberately naive; no shared code with src/search.ts beyond parsePyFloat.
import { parsePyFloat } from '../search.js'
import type { SymbolInfo } from '../types.js'

/** General search by scanning every row. */
export function referenceSearch(
  rows: readonly SymbolInfo[],
  query: string,
  exchange?: string,
  limit = 10_000,
): SymbolInfo[] {
  const terms = query
    .split(/\s+/)
    .filter((t) => t !== '')
    .map((t) => t.toUpperCase())
  if (terms.length === 0) return []
  const whole = query.trim().toUpperCase()
  const nums = terms.map(parsePyFloat)
  const anyNumeric = nums.some((n) => n !== undefined)
  const pool =
    exchange && rows.some((r) => r.exchange === exchange)
      ? rows.filter((r) => r.exchange === exchange)
      : rows
  const scored: { score: number; len: number; sym: string; seq: number; row: SymbolInfo }[] = []
  let seq = 0
  for (const r of pool) {
    const sym = r.symbol.toUpperCase()
    let all = true
    let inSym = true
    terms.forEach((t, i) => {
      if (!all) return
      const tIn = sym.includes(t)
      let m =
        tIn ||
        r.brSymbol.toUpperCase().includes(t) ||
        (r.name !== '' && r.name.toUpperCase().includes(t)) ||
        r.token.includes(t)
      const v = nums[i]
      if (
        !m &&
        anyNumeric &&
        r.strike !== null &&
        r.strike !== 0 &&
        v !== undefined &&
        v === r.strike
      ) {
        m = true
      }
      if (!m) all = false
      inSym = inSym && tIn
    })
    if (!all) continue
    const score = sym === whole ? 0 : sym.startsWith(whole) ? 1 : inSym ? 2 : 3
    scored.push({ score, len: sym.length, sym, seq: seq++, row: r })
  }
  scored.sort(
    (a, b) =>
      a.score - b.score ||
      a.len - b.len ||
      (a.sym < b.sym ? -1 : a.sym > b.sym ? 1 : 0) ||
      a.seq - b.seq,
  )
  return scored.slice(0, Math.max(0, limit)).map((x) => x.row)
}

/** F&O search by scanning every row. */
export function referenceFnoSearch(
  rows: readonly SymbolInfo[],
  f: {
    query?: string
    exchange?: string
    expiry?: string
    instrumentType?: string
    strikeMin?: number
    strikeMax?: number
    underlying?: string
    limit?: number
  },
): SymbolInfo[] {
  const terms = f.query
    ? f.query
        .toUpperCase()
        .split(/\s+/)
        .filter((t) => t !== '')
    : []
  const nums = terms.map(parsePyFloat).filter((n): n is number => n !== undefined)
  const u = f.underlying ? f.underlying.trim().toUpperCase() : ''
  const e = f.expiry ? f.expiry.trim() : ''
  const it = f.instrumentType ? f.instrumentType.trim().toUpperCase() : ''
  const pool =
    f.exchange && rows.some((r) => r.exchange === f.exchange)
      ? rows.filter((r) => r.exchange === f.exchange)
      : rows
  const out: SymbolInfo[] = []
  for (const r of pool) {
    if (u && r.underlying !== u) continue
    if (e && r.expiry !== e) continue
    const sym = r.symbol.toUpperCase()
    if (it === 'FUT' && !sym.endsWith('FUT')) continue
    if (it === 'CE' && !sym.endsWith('CE')) continue
    if (it === 'PE' && !sym.endsWith('PE')) continue
    if (it === 'PERPFUT' && (r.instrumentType ?? '').toUpperCase() !== 'PERPFUT') continue
    if (f.strikeMin !== undefined && (r.strike === null || r.strike < f.strikeMin)) continue
    if (f.strikeMax !== undefined && (r.strike === null || r.strike > f.strikeMax)) continue
    if (terms.length > 0) {
      let all = terms.every(
        (t) =>
          sym.includes(t) ||
          r.brSymbol.toUpperCase().includes(t) ||
          (r.name !== '' && r.name.toUpperCase().includes(t)) ||
          r.token.includes(t),
      )
      if (!all && nums.length > 0 && r.strike !== null && r.strike !== 0) {
        all = nums.includes(r.strike)
      }
      if (!all) continue
    }
    out.push(r)
  }
  const p = terms[0]
  const key = (r: SymbolInfo): number =>
    p === undefined
      ? 7
      : (r.underlying !== null && r.underlying === p ? 0 : 4) +
        (r.underlying !== null && r.underlying.startsWith(p) ? 0 : 2) +
        (r.symbol.toUpperCase().startsWith(p) ? 0 : 1)
  // Array.prototype.sort is stable: ties keep scan order, as Python's list.sort does
  out.sort((a, b) => key(a) - key(b) || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
  return out.slice(0, f.limit ?? 10_000)
}
