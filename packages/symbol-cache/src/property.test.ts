import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSymbolCache, type SymbolCache } from './symbol-cache.js'
import { createManualClock } from './test-helpers/clock.js'
import { generateSymbolRows } from './test-helpers/fixture.js'
import { referenceFnoSearch, referenceSearch } from './test-helpers/reference-search.js'
import { extractUnderlying } from './underlying.js'
import type { SymbolInfo, SymbolRow } from './types.js'

const clock = createManualClock('2025-04-17T10:00:00+05:30')

// Small alphabets on purpose: symbols, tokens and broker symbols collide across exchanges and
// within one, lower case and characters beyond Latin-1 appear, and trigram buckets share rows.
const text = (chars: string, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...chars.split('')), minLength: 1, maxLength: max })
const rowArb: fc.Arbitrary<SymbolRow> = fc
  .record({
    symbol: fc.oneof(
      text('AB12C-&.', 8),
      fc.constantFrom('NIFTY24APR2524000CE', 'VEDL24APR25292.5PE', 'BTCUSD.P', 'nifty24apr25fut'),
    ),
    brSymbol: fc.oneof(fc.constant(''), text('ab12CΩé', 6)),
    name: fc.oneof(fc.constant(''), text('AB ab2', 6)),
    exchange: fc.constantFrom('NSE', 'NFO', 'CDS', 'CRYPTO'),
    brExchange: fc.constantFrom('NSE', 'NSE_FO', ''),
    token: text('120', 3),
    expiry: fc.constantFrom(null, '24-APR-25', '24-APR-2025', 'junk'),
    strike: fc.constantFrom(null, 0, -1, 24000, 292.5, 85.25),
    lotSize: fc.constantFrom(null, 1, 75, 1000),
    instrumentType: fc.constantFrom(null, 'CE', 'PE', 'FUT', 'PERPFUT', 'perpfut'),
    tickSize: fc.constantFrom(null, 0.05, 0.0025),
    contractValue: fc.constantFrom(null, 0.001),
  })
  .map((r) => ({ ...r, brSymbol: r.brSymbol === '' ? r.symbol : r.brSymbol }))

function load(rows: readonly SymbolRow[]): SymbolCache {
  const cache = createSymbolCache({ clock })
  const outcome = cache.loadSync(rows)
  if (!outcome.ok) throw outcome.error
  return cache
}

function infos(rows: readonly SymbolRow[]): SymbolInfo[] {
  return rows.map((r) => ({ ...r, underlying: extractUnderlying(r.symbol, r.exchange) }))
}

const keyOf = (r: SymbolInfo): string => `${r.exchange}|${r.symbol}|${r.token}|${r.brSymbol}`

describe('properties', () => {
  it('finds every row by each of its keys; the last row wins a shared key', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 60 }), (rows) => {
        const cache = load(rows)
        const last = (pick: (r: SymbolRow) => string): Map<string, SymbolRow> =>
          new Map(rows.map((r) => [`${r.exchange}|${pick(r)}`, r]))
        for (const r of last((x) => x.symbol).values()) {
          expect(cache.getToken(r.symbol, r.exchange)).toBe(r.token)
          expect(cache.getSymbolInfo(r.symbol, r.exchange)).toEqual({
            ...r,
            underlying: extractUnderlying(r.symbol, r.exchange),
          })
        }
        for (const r of last((x) => x.token).values()) {
          expect(cache.getSymbol(r.token, r.exchange)).toBe(r.symbol)
        }
        for (const r of last((x) => x.brSymbol).values()) {
          expect(cache.getOaSymbol(r.brSymbol, r.exchange)).toBe(r.symbol)
        }
        for (const token of new Set(rows.map((r) => r.token))) {
          const expected = [...last((x) => x.token).values()]
            .filter((r) => r.token === token)
            .map((r) => rows.lastIndexOf(r))
            .sort((a, b) => a - b)
            .map((i) => rows[i]?.symbol)
          expect(cache.findByToken(token).map((r) => r.symbol)).toEqual(expected)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('searches exactly as the linear scan of the spec, on random rows', () => {
    const query = fc
      .array(fc.oneof(text('AB12Ce.&', 4), fc.constantFrom('24000', '292.50', '1e0', '-1', 'ω')), {
        minLength: 0,
        maxLength: 3,
      })
      .map((t) => t.join(' '))
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 60 }),
        query,
        fc.constantFrom(undefined, 'NSE', 'NFO', 'MCX'),
        fc.integer({ min: 0, max: 12 }),
        (rows, q, exchange, limit) => {
          const cache = load(rows)
          const got = cache.search(q, { exchange, limit }).map(keyOf)
          expect(got).toEqual(referenceSearch(infos(rows), q, exchange, limit).map(keyOf))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('F&O-searches exactly as the linear scan of the spec, on random rows and filters', () => {
    const filters = fc.record(
      {
        query: fc.oneof(text('AB12C', 3), fc.constantFrom('24000 AB', 'nifty 292.5', '85.25')),
        exchange: fc.constantFrom('NSE', 'NFO', 'MCX'),
        expiry: fc.constantFrom('24-APR-25', ' 24-APR-2025 ', 'junk'),
        instrumentType: fc.constantFrom('FUT', ' ce', 'PE', 'PERPFUT', 'OPTIDX'),
        strikeMin: fc.constantFrom(-1, 0, 100, 24000),
        strikeMax: fc.constantFrom(0, 300, 24000),
        underlying: fc.constantFrom('NIFTY', 'VEDL', 'BTC', 'AB'),
        limit: fc.integer({ min: 1, max: 10 }),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 60 }), filters, (rows, f) => {
        const cache = load(rows)
        const got = cache.fnoSearch(f).map(keyOf)
        expect(got).toEqual(referenceFnoSearch(infos(rows), f).map(keyOf))
      }),
      { numRuns: 300 },
    )
  })

  it('searches the realistic fixture exactly as the linear scan does', () => {
    const rows = generateSymbolRows({ count: 20_000, seed: 7 })
    const cache = load(rows)
    const all = infos(rows)
    const words = fc.constantFrom(
      'NIFTY',
      '24000',
      'CE',
      'pe',
      'BANKNIFTY',
      '24APR25',
      '2542424000CE',
      '292.5',
      '292.50',
      'USDINR',
      '85.25',
      'RELIANCE',
      'LTD',
      'M&M',
      '-EQ',
      '1INCH',
      '9992',
      'FUT',
      'XYZ',
    )
    fc.assert(
      fc.property(
        fc.array(words, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(undefined, 'NFO', 'CDS', 'NSE'),
        (terms, exchange) => {
          const q = terms.join(' ')
          expect(cache.search(q, { exchange, limit: 50 }).map(keyOf)).toEqual(
            referenceSearch(all, q, exchange, 50).map(keyOf),
          )
          expect(cache.fnoSearch({ query: q, exchange, limit: 50 }).map(keyOf)).toEqual(
            referenceFnoSearch(all, { query: q, exchange, limit: 50 }).map(keyOf),
          )
        },
      ),
      { numRuns: 60 },
    )
  })
})
