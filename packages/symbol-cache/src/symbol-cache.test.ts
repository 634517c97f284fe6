import { describe, expect, it, vi } from 'vitest'
import { createSymbolCache, type LoadRequest, type SymbolCache } from './symbol-cache.js'
import { createManualClock, type ManualClock } from './test-helpers/clock.js'
import { future, option, row } from './test-helpers/rows.js'
import type { SymbolRow } from './types.js'

const BASE: SymbolRow[] = [
  row({ symbol: 'RELIANCE', brSymbol: 'RELIANCE-EQ', token: '2885', name: 'RELIANCE INDUSTRIES' }),
  row({ symbol: 'SBIN', brSymbol: 'SBIN-EQ', token: '3045' }),
  row({ symbol: 'SBIN', exchange: 'BSE', brExchange: 'BSE', token: '500112' }),
  option('NIFTY', '24-APR-25', 24000, 'CE', { brSymbol: 'NIFTY25APR24000CE', token: '9026' }),
  option('VEDL', '24-APR-25', 292.5, 'CE', { token: '41300', lotSize: 1150, tickSize: 0.05 }),
  // the same token on another exchange (W-24): both must stay reachable
  option('USDINR', '25-APR-25', 85.25, 'CE', {
    exchange: 'CDS',
    brExchange: 'CDS',
    token: '2885',
    tickSize: 0.0025,
    lotSize: 1000,
  }),
  row({
    symbol: 'BTCUSD.P',
    brSymbol: 'BTCUSD',
    exchange: 'CRYPTO',
    brExchange: 'DELTA',
    token: '27',
    name: 'BTC',
    instrumentType: 'PERPFUT',
    contractValue: 0.001,
    tickSize: 0.5,
  }),
]

function loaded(clock: ManualClock, rows: readonly SymbolRow[] = BASE, extra = {}): SymbolCache {
  const cache = createSymbolCache({ clock, ...extra })
  const outcome = cache.loadSync(rows, { broker: 'zerodha' })
  if (!outcome.ok) throw outcome.error
  return cache
}

/** An async row source that stops after `before` rows until `release()` is called. */
function gatedRows(rows: readonly SymbolRow[], before = 1) {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  let reached!: () => void
  const atGate = new Promise<void>((resolve) => (reached = resolve))
  async function* source(): AsyncGenerator<SymbolRow> {
    for (let i = 0; i < rows.length; i++) {
      if (i === before) {
        reached()
        await gate
      }
      yield rows[i] as SymbolRow
    }
  }
  return { source: source(), release, atGate }
}

describe('lookups (spec §4.3)', () => {
  const cache = loaded(createManualClock('2025-04-17T10:00:00+05:30'))

  it('maps symbol and exchange to token, broker symbol and broker exchange', () => {
    expect(cache.getToken('NIFTY24APR2524000CE', 'NFO')).toBe('9026')
    expect(cache.getBrSymbol('NIFTY24APR2524000CE', 'NFO')).toBe('NIFTY25APR24000CE')
    expect(cache.getBrSymbol('SBIN', 'NSE')).toBe('SBIN-EQ')
    expect(cache.getBrSymbol('SBIN', 'BSE')).toBe('SBIN')
    expect(cache.getBrExchange('BTCUSD.P', 'CRYPTO')).toBe('DELTA')
  })

  it('maps token or broker symbol back to the OpenAlgo symbol', () => {
    expect(cache.getSymbol('9026', 'NFO')).toBe('NIFTY24APR2524000CE')
    expect(cache.getOaSymbol('NIFTY25APR24000CE', 'NFO')).toBe('NIFTY24APR2524000CE')
    expect(cache.getOaSymbol('RELIANCE-EQ', 'NSE')).toBe('RELIANCE')
    expect(cache.getOaSymbol('SBIN', 'BSE')).toBe('SBIN')
  })

  it('misses on the wrong exchange or case: keys are exact strings', () => {
    expect(cache.getToken('SBIN', 'NFO')).toBeUndefined()
    expect(cache.getToken('sbin', 'NSE')).toBeUndefined()
    expect(cache.getSymbol('9026', 'BFO')).toBeUndefined()
    expect(cache.getOaSymbol('NIFTY24APR2524000CE', 'NFO')).toBeUndefined() // not a broker symbol
  })

  it('returns the full record with underlying and contract value', () => {
    expect(cache.getSymbolInfo('VEDL24APR25292.5CE', 'NFO')).toEqual({
      symbol: 'VEDL24APR25292.5CE',
      brSymbol: 'VEDL24APR25292.5CE',
      name: 'VEDL',
      exchange: 'NFO',
      brExchange: 'NFO',
      token: '41300',
      expiry: '24-APR-25',
      strike: 292.5,
      lotSize: 1150,
      instrumentType: 'CE',
      tickSize: 0.05,
      contractValue: null,
      underlying: 'VEDL',
    })
    expect(cache.getSymbolInfo('BTCUSD.P', 'CRYPTO')).toMatchObject({
      contractValue: 0.001,
      underlying: 'BTC',
      expiry: null,
      strike: null,
    })
    expect(cache.getSymbolInfo('RELIANCE', 'NSE')?.underlying).toBeNull()
  })

  it('keeps equal tokens on two exchanges apart (W-24)', () => {
    expect(cache.getSymbol('2885', 'NSE')).toBe('RELIANCE')
    expect(cache.getSymbol('2885', 'CDS')).toBe('USDINR25APR2585.25CE')
    expect(cache.getSymbolInfoByToken('2885', 'CDS')?.tickSize).toBe(0.0025)
    expect(cache.findByToken('2885').map((r) => `${r.exchange}:${r.symbol}`)).toEqual([
      'NSE:RELIANCE',
      'CDS:USDINR25APR2585.25CE',
    ])
    expect(cache.findByToken('nope')).toEqual([])
  })

  it('gives every token back exactly as loaded, numbers and the rest alike', () => {
    const tokens = [
      '0',
      '7',
      '007',
      '3045',
      '4294967294',
      '4294967295',
      '99999999999',
      'ABC-1',
      '1e3',
      ' 12',
    ]
    const c = createSymbolCache({ clock: createManualClock('2025-04-17T04:00:00Z') })
    expect(c.loadSync(tokens.map((token, i) => row({ symbol: `S${i}`, token }))).ok).toBe(true)
    tokens.forEach((token, i) => {
      expect(c.getToken(`S${i}`, 'NSE')).toBe(token)
      expect(c.getSymbol(token, 'NSE')).toBe(`S${i}`)
      expect(c.getSymbolInfoByToken(token, 'NSE')?.token).toBe(token)
    })
    // a number written another way is another token
    expect(c.getSymbol('07', 'NSE')).toBeUndefined()
    expect(c.getSymbol('3045.0', 'NSE')).toBeUndefined()
    expect(c.getSymbol('12', 'NSE')).toBeUndefined()
    expect(c.findByToken('007').map((r) => r.symbol)).toEqual(['S2'])
    // and a dump (to or from a worker) keeps them all
    const copy = createSymbolCache({ clock: createManualClock('2025-04-17T04:00:00Z') })
    expect(copy.loadSync(structuredClone(c.toDump()!)).ok).toBe(true)
    tokens.forEach((token, i) => expect(copy.getToken(`S${i}`, 'NSE')).toBe(token))
  })

  it('answers bulk lookups in order, with undefined for misses', () => {
    expect(
      cache.getTokensBulk([
        ['SBIN', 'NSE'],
        ['SBIN', 'BSE'],
        ['SBIN', 'MCX'],
      ]),
    ).toEqual(['3045', '500112', undefined])
    expect(
      cache.getSymbolsBulk([
        ['2885', 'CDS'],
        ['2885', 'NSE'],
        ['0', 'NSE'],
      ]),
    ).toEqual(['USDINR25APR2585.25CE', 'RELIANCE', undefined])
  })

  it('counts symbols', () => {
    expect(cache.getSymbolCount()).toBe(BASE.length)
  })
})

describe('loading', () => {
  const clock = createManualClock('2025-04-17T10:00:00+05:30')

  it('loads from an async iterable in one pass, yielding to the event loop as it goes', async () => {
    const yields = vi.fn(() => Promise.resolve())
    const cache = createSymbolCache({ clock, yieldEveryRows: 2, yieldToEventLoop: yields })
    async function* rows(): AsyncGenerator<SymbolRow> {
      yield* BASE
    }
    const outcome = await cache.load(rows(), { broker: 'angel' })
    expect(outcome).toMatchObject({ ok: true, value: { rows: BASE.length, broker: 'angel' } })
    expect(yields).toHaveBeenCalledTimes(Math.floor(BASE.length / 2))
    expect(cache.getToken('SBIN', 'BSE')).toBe('500112')
  })

  it('lets a later row replace an earlier one with the same key and counts it', () => {
    const cache = createSymbolCache({ clock })
    const outcome = cache.loadSync([...BASE, row({ symbol: 'SBIN', token: '9999' })])
    expect(outcome.ok && outcome.value.duplicates).toEqual({ symbol: 1, token: 0, brSymbol: 0 })
    expect(cache.getToken('SBIN', 'NSE')).toBe('9999')
    expect(cache.getSymbol('3045', 'NSE')).toBe('SBIN') // the earlier row is still a token
  })

  it('rejects a row that breaks the contract and keeps the previous snapshot', () => {
    const cache = loaded(clock)
    const bad = { ...row({ symbol: 'X' }), strike: Number.NaN }
    const outcome = cache.loadSync([row({ symbol: 'A' }), bad])
    expect(outcome.ok).toBe(false)
    expect(!outcome.ok && outcome.error.code).toBe('invalid_row')
    expect(!outcome.ok && outcome.error.message).toBe(
      'row 1: strike must be a finite number or null, got NaN',
    )
    expect(cache.getToken('SBIN', 'NSE')).toBe('3045')
    const noToken = cache.loadSync([{ ...row({ symbol: 'A' }), token: '' }])
    expect(!noToken.ok && noToken.error.message).toBe(
      'row 0: token must be a non-empty string, got ""',
    )
  })

  it('refuses an empty source and keeps serving the previous snapshot', async () => {
    const cache = loaded(clock)
    const outcome = await cache.load([])
    expect(!outcome.ok && outcome.error.code).toBe('empty_source')
    expect(cache.getSymbolCount()).toBe(BASE.length)
  })

  it('reports a source that throws mid-way as loader_failed', async () => {
    const cache = loaded(clock)
    async function* broken(): AsyncGenerator<SymbolRow> {
      yield BASE[0] as SymbolRow
      throw new Error('disk I/O error')
    }
    const outcome = await cache.load(broken())
    expect(!outcome.ok && outcome.error.code).toBe('loader_failed')
    expect(!outcome.ok && outcome.error.message).toContain('disk I/O error')
    expect(cache.getToken('SBIN', 'NSE')).toBe('3045')
  })

  it('round-trips through a columnar dump (structured clone, as to or from a worker)', async () => {
    const source = loaded(clock)
    const dump = structuredClone(source.toDump())
    const copy = createSymbolCache({ clock })
    const outcome = await copy.load(dump as NonNullable<typeof dump>, { broker: 'ignored' })
    expect(outcome.ok && outcome.value.broker).toBe('zerodha')
    for (const r of BASE) {
      expect(copy.getSymbolInfo(r.symbol, r.exchange)).toEqual(
        source.getSymbolInfo(r.symbol, r.exchange),
      )
    }
    expect(copy.search('NIFTY 24000')).toEqual(source.search('NIFTY 24000'))
    const bad = copy.loadSync({ ...(dump as NonNullable<typeof dump>), version: 1 as 2 })
    expect(!bad.ok && bad.error.code).toBe('invalid_dump')
  })

  it('lets the load started last win when two overlap', async () => {
    const cache = createSymbolCache({ clock })
    const slow = gatedRows([row({ symbol: 'OLD' }), row({ symbol: 'OLDER' })])
    const first = cache.load(slow.source)
    await slow.atGate
    expect(cache.loadSync([row({ symbol: 'NEW' })]).ok).toBe(true)
    slow.release()
    const outcome = await first
    expect(!outcome.ok && outcome.error.code).toBe('superseded')
    expect(cache.getToken('NEW', 'NSE')).toBe('T-NEW')
    expect(cache.getToken('OLD', 'NSE')).toBeUndefined()
  })

  it('clear() drops the snapshot and discards a load still running', async () => {
    const cache = loaded(clock)
    const slow = gatedRows([row({ symbol: 'A' }), row({ symbol: 'B' })])
    const pending = cache.load(slow.source)
    await slow.atGate
    cache.clear()
    slow.release()
    expect((await pending).ok).toBe(false)
    expect(cache.isLoaded()).toBe(false)
    expect(cache.getToken('SBIN', 'NSE')).toBeUndefined()
    expect(cache.getCacheStats()).toMatchObject({ cache_loaded: false, total_symbols: 0 })
  })
})

describe('negative cache', () => {
  it('remembers a miss for its TTL: repeats count as negative hits and notify once', () => {
    const clock = createManualClock('2025-04-17T10:00:00+05:30')
    const onMiss = vi.fn()
    const cache = loaded(clock, BASE, { onMiss, negativeTtlMs: 60_000 })
    expect(cache.getToken('TYPO', 'NSE')).toBeUndefined()
    expect(cache.getToken('TYPO', 'NSE')).toBeUndefined()
    clock.advance(60_000) // lru-cache: stale only once the age exceeds the TTL
    expect(cache.getToken('TYPO', 'NSE')).toBeUndefined()
    expect(onMiss).toHaveBeenCalledTimes(1)
    expect(onMiss).toHaveBeenCalledWith({ kind: 'symbol', key: 'TYPO', exchange: 'NSE' })
    expect(cache.getCacheStats().stats).toMatchObject({ misses: 3, negative_hits: 2 })

    clock.advance(1) // the TTL has run out: a fresh miss again
    expect(cache.getToken('TYPO', 'NSE')).toBeUndefined()
    expect(onMiss).toHaveBeenCalledTimes(2)
    expect(cache.getCacheStats().stats).toMatchObject({ misses: 4, negative_hits: 2 })
  })

  it('forgets misses when a new snapshot arrives, which may know the symbol', () => {
    const clock = createManualClock('2025-04-17T10:00:00+05:30')
    const onMiss = vi.fn()
    const cache = loaded(clock, BASE, { onMiss })
    expect(cache.getToken('NEWLISTING', 'NSE')).toBeUndefined()
    expect(cache.loadSync([...BASE, row({ symbol: 'NEWLISTING', token: '77' })]).ok).toBe(true)
    expect(cache.getToken('NEWLISTING', 'NSE')).toBe('77')
    expect(cache.getCacheStats().stats).toMatchObject({ hits: 1, misses: 1, negative_hits: 0 })
  })
})

describe('statistics and health (spec §4.6)', () => {
  it('reports in the original wire format with a measured memory figure', () => {
    const clock = createManualClock('2025-04-17T10:00:00.250+05:30')
    const cache = loaded(clock)
    cache.getToken('SBIN', 'NSE')
    cache.getToken('SBIN', 'NSE')
    cache.getToken('NOPE', 'NSE')
    cache.getTokensBulk([['SBIN', 'BSE']])
    const stats = cache.getCacheStats()
    expect(stats).toMatchObject({
      active_broker: 'zerodha',
      cache_loaded: true,
      total_symbols: BASE.length,
      cache_valid: true,
      session_start: '2025-04-17T10:00:00.250000+05:30',
      next_reset: '2025-04-18T03:00:00+05:30',
      stale: false,
      reloading: false,
      stats: {
        hits: 3,
        misses: 1,
        hit_rate: '75.00%',
        db_queries: 0,
        bulk_queries: 1,
        cache_loads: 1,
        last_loaded: '2025-04-17T10:00:00.250000+05:30',
        total_symbols: BASE.length,
      },
    })
    expect(stats.stats.memory_usage_mb).toMatch(/^\d+\.\d\d$/)
    expect(Number(stats.stats.memory_usage_mb)).toBeGreaterThan(0)
  })

  it('scores health 0 / 100 / 75 / 50 with the original recommendation strings', () => {
    const clock = createManualClock('2025-04-17T10:00:00+05:30')
    const empty = createSymbolCache({ clock })
    expect(empty.getCacheHealth()).toMatchObject({
      health_score: 0,
      status: 'unhealthy',
      recommendations: ['Cache is not loaded. Run master contract download.'],
    })

    const cache = loaded(clock)
    expect(cache.getCacheHealth()).toMatchObject({
      health_score: 100,
      status: 'healthy',
      hit_rate: '0.00%',
      db_queries: 0,
      recommendations: ['Cache is operating optimally.'],
    })

    for (let i = 0; i < 6; i++) cache.getToken('SBIN', 'NSE')
    for (let i = 0; i < 6; i++) cache.getToken(`MISS${i}`, 'NSE')
    expect(cache.getCacheHealth()).toMatchObject({
      health_score: 75,
      status: 'healthy',
      hit_rate: '50.00%',
      recommendations: ['Cache hit rate is low (50.0%). Consider checking symbol mappings.'],
    })

    clock.set('2025-04-18T03:00:00+05:30')
    expect(cache.getCacheHealth()).toMatchObject({
      health_score: 50,
      status: 'degraded',
      cache_valid: false,
      recommendations: ['Cache has expired. Login again or refresh master contract.'],
    })
  })
})

describe('session boundary (spec §4.5, W-22)', () => {
  const NEXT: SymbolRow[] = [row({ symbol: 'SBIN', token: 'NEW-3045' }), row({ symbol: 'TODAY' })]

  it('serves across the boundary, reloads through the loader, and answers from the new snapshot', async () => {
    const clock = createManualClock('2025-04-17T02:59:59+05:30')
    const loader = vi.fn((): LoadRequest => ({ rows: NEXT, broker: 'zerodha' }))
    const cache = loaded(clock, BASE, { loader })
    expect(cache.nextResetMs()).toBe(Date.parse('2025-04-17T03:00:00+05:30'))
    expect(cache.isValid()).toBe(true)
    expect(cache.runDue()).toBeUndefined()

    clock.advance(1_000) // 03:00:00 IST
    expect(cache.isValid()).toBe(false)
    expect(cache.getToken('SBIN', 'NSE')).toBe('3045') // still serving, never bypassed
    expect(cache.getCacheStats()).toMatchObject({ stale: true, cache_valid: false })

    const outcome = await cache.runDue()
    expect(outcome?.ok).toBe(true)
    expect(loader).toHaveBeenCalledTimes(1)
    expect(cache.getToken('SBIN', 'NSE')).toBe('NEW-3045')
    expect(cache.getToken('TODAY', 'NSE')).toBe('T-TODAY')
    expect(cache.isValid()).toBe(true)
    expect(cache.nextResetMs()).toBe(Date.parse('2025-04-18T03:00:00+05:30'))
    expect(cache.getCacheStats()).toMatchObject({
      stale: false,
      stats: { reloads: 1, cache_loads: 2 },
    })
    expect(cache.runDue()).toBeUndefined()
  })

  it('keeps answering from the old snapshot while the reload is still reading rows', async () => {
    const clock = createManualClock('2025-04-17T03:00:00+05:30')
    const gated = gatedRows(NEXT)
    const cache = loaded(clock, BASE, {
      loader: (): LoadRequest => ({ rows: gated.source }),
      sessionExpiry: { hour: 3, minute: 0 },
    })
    clock.advance(24 * 3_600_000) // the next day's boundary
    const due = cache.runDue()
    await gated.atGate
    expect(cache.getCacheStats()).toMatchObject({ reloading: true, stale: true })
    expect(cache.getToken('SBIN', 'NSE')).toBe('3045')
    expect(cache.getToken('TODAY', 'NSE')).toBeUndefined()
    gated.release()
    expect((await due)?.ok).toBe(true)
    expect(cache.getToken('TODAY', 'NSE')).toBe('T-TODAY')
    expect(cache.getCacheStats()).toMatchObject({ reloading: false, stale: false })
  })

  it('runs one load for concurrent triggers (single flight)', async () => {
    const clock = createManualClock('2025-04-17T03:00:01+05:30')
    const gated = gatedRows(NEXT)
    const loader = vi.fn((): LoadRequest => ({ rows: gated.source }))
    const cache = loaded(clock, BASE, { loader })
    clock.set('2025-04-18T03:00:01+05:30')
    const a = cache.runDue()
    const b = cache.reload()
    const c = cache.runDue()
    expect(b).toBe(a)
    expect(c).toBe(a)
    await gated.atGate
    gated.release()
    await Promise.all([a, b, c])
    expect(loader).toHaveBeenCalledTimes(1)
    expect(cache.getCacheStats().stats.reloads).toBe(1)
  })

  it('keeps the old snapshot when the loader fails, reports the error, and retries when asked', async () => {
    const clock = createManualClock('2025-04-17T02:00:00+05:30')
    let fail = true
    const cache = loaded(clock, BASE, {
      loader: (): LoadRequest => {
        if (fail) throw new Error('SQLITE_BUSY: database is locked')
        return { rows: NEXT }
      },
    })
    clock.set('2025-04-17T03:00:01+05:30')
    const first = await cache.runDue()
    expect(first?.ok).toBe(false)
    expect(!first?.ok && first?.error.code).toBe('loader_failed')
    expect(cache.getToken('SBIN', 'NSE')).toBe('3045')
    const stats = cache.getCacheStats()
    expect(stats).toMatchObject({ stale: true, stats: { reload_failures: 1 } })
    expect(stats.stats.last_error).toContain('SQLITE_BUSY')
    expect(cache.getCacheHealth().recommendations).toEqual([
      'Cache has expired. Login again or refresh master contract.',
      'Last symbol reload failed: the symbol loader failed: Error: SQLITE_BUSY: database is locked',
    ])

    fail = false
    expect((await cache.runDue())?.ok).toBe(true) // still due until a reload succeeds
    expect(cache.getToken('SBIN', 'NSE')).toBe('NEW-3045')
    expect(cache.getCacheStats().stats.last_error).toBeNull()
  })

  it('says no_loader when asked to reload without one', async () => {
    const cache = loaded(createManualClock('2025-04-17T10:00:00+05:30'))
    const outcome = await cache.reload()
    expect(!outcome.ok && outcome.error.code).toBe('no_loader')
  })

  it('refuses an impossible boundary at creation', () => {
    expect(() =>
      createSymbolCache({
        clock: createManualClock('2025-04-17T10:00:00Z'),
        sessionExpiry: { hour: 24, minute: 0 },
      }),
    ).toThrow(/hour 0-23/)
  })
})

describe('expiry and underlying helpers (spec §4.11)', () => {
  const rows: SymbolRow[] = [
    future('NIFTY', '17-APR-25'),
    option('NIFTY', '17-APR-25', 24000, 'CE'),
    option('NIFTY', '23-APR-25', 24000, 'CE'),
    option('NIFTY', '24-APR-25', 24000, 'CE'),
    future('NIFTY', '29-MAY-25'),
    option('BANKNIFTY', '24-APR-2025', 52000, 'CE', { symbol: 'BANKNIFTY24APR2552000CE' }),
    option('BANKNIFTY', 'NEXT-WEEK', 52000, 'PE', { symbol: 'BANKNIFTY24APR2552000PE' }),
    future('GOLDM', '05-MAY-25', { exchange: 'MCX', brExchange: 'MCX' }),
    option('GOLDM', '28-APR-25', 95000, 'CE', { exchange: 'MCX', brExchange: 'MCX' }),
    future('NATGASMINI', '25-APR-25', { exchange: 'MCX', brExchange: 'MCX' }),
    future('LEADMINI', '28-MAR-25', { exchange: 'MCX', brExchange: 'MCX' }),
    row({ symbol: 'SBIN', expiry: '-1' }),
  ]
  // 00:30 IST on the 24th is still the 23rd in UTC: "today" must be the IST date
  const clock = createManualClock('2025-04-24T00:30:00+05:30')
  const cache = loaded(clock, rows)

  it('drops expiries before IST today and sorts both formats by date, unparsable last', () => {
    expect(cache.getDistinctExpiries({ exchange: 'NFO' })).toEqual([
      '24-APR-2025',
      '24-APR-25',
      '29-MAY-25',
      'NEXT-WEEK',
    ])
  })

  it('narrows to an underlying, on one exchange or all', () => {
    expect(cache.getDistinctExpiries({ exchange: 'NFO', underlying: 'nifty' })).toEqual([
      '24-APR-25',
      '29-MAY-25',
    ])
    expect(cache.getDistinctExpiries({ underlying: 'GOLDM' })).toEqual(['28-APR-25', '05-MAY-25'])
    expect(cache.getDistinctExpiries({ exchange: 'NFO', underlying: 'GOLDM' })).toEqual([])
    expect(cache.getDistinctExpiries({ exchange: 'NCDEX' })).toEqual([])
  })

  it('separates option and future calendars (MCX GOLDM)', () => {
    expect(
      cache.getDistinctExpiries({
        exchange: 'MCX',
        underlying: 'GOLDM',
        instrumentType: 'options',
      }),
    ).toEqual(['28-APR-25'])
    expect(
      cache.getDistinctExpiries({ exchange: 'MCX', underlying: 'GOLDM', instrumentType: 'FUT' }),
    ).toEqual(['05-MAY-25'])
    expect(cache.getDistinctExpiries({ exchange: 'NFO', instrumentType: 'futures' })).toEqual([
      '29-MAY-25',
    ])
  })

  it('includes rows outside F&O in an exchange-wide list, as the original does', () => {
    expect(cache.getDistinctExpiries({ exchange: 'NSE' })).toEqual(['-1'])
  })

  it('lists option underlyings, and adds those with a live future on request', () => {
    expect(cache.getDistinctUnderlyings({ exchange: 'MCX' })).toEqual(['GOLDM'])
    expect(cache.getDistinctUnderlyings({ exchange: 'MCX', includeFutures: true })).toEqual([
      'GOLDM',
      'NATGASMINI', // LEADMINI's only future expired in March
    ])
    expect(cache.getDistinctUnderlyings()).toEqual(['BANKNIFTY', 'GOLDM', 'NIFTY'])
    expect(cache.getDistinctUnderlyings({ exchange: 'BSE' })).toEqual([])
  })

  it('re-evaluates live futures against the clock, not the load time', () => {
    clock.set('2025-04-26T10:00:00+05:30')
    expect(cache.getDistinctUnderlyings({ exchange: 'MCX', includeFutures: true })).toEqual([
      'GOLDM',
    ])
    clock.set('2025-04-24T00:30:00+05:30')
  })
})
