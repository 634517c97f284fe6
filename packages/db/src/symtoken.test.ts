import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type DatabaseHandle } from './databases.js'
import { mainMigrations } from './migrations/main/index.js'
import { readQtyFreeze, seedQtyFreezeIfEmpty } from './qty-freeze.js'
import type { MainDatabase } from './schema/main.js'
import { openSqlite } from './sqlite.js'
import {
  createSymtokenLookup,
  iterateSymtoken,
  readSymbolsEpoch,
  replaceSymtoken,
  streamSymtoken,
  symtokenId,
  symtokenSummary,
  type SymbolRow,
} from './symtoken.js'

const dirs: string[] = []
const handles: DatabaseHandle<MainDatabase>[] = []
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function openMain(): Promise<DatabaseHandle<MainDatabase>> {
  const dir = mkdtempSync(join(tmpdir(), 'oa-symtoken-'))
  dirs.push(dir)
  const main = await openDatabase<MainDatabase>(join(dir, 'openalgo.db'), mainMigrations)
  handles.push(main)
  return main
}

const clock = { now: () => Date.parse('2025-04-17T03:30:00Z') }

function equity(symbol: string, token: string, exchange = 'NSE'): SymbolRow {
  return {
    symbol,
    brSymbol: `${symbol}-EQ`,
    name: symbol,
    exchange,
    brExchange: `${exchange}_EQ`,
    token,
    expiry: null,
    strike: null,
    lotSize: 1,
    instrumentType: 'EQ',
    tickSize: 0.05,
    contractValue: null,
  }
}

const option: SymbolRow = {
  symbol: 'NIFTY24APR2524500CE',
  brSymbol: 'NIFTY:2025-04-24:24500:CE',
  name: 'NIFTY',
  exchange: 'NFO',
  brExchange: 'NSE_FO',
  token: '4242',
  expiry: '24-APR-25',
  strike: 24500,
  lotSize: 75,
  instrumentType: 'CE',
  tickSize: 0.05,
  contractValue: null,
}

const contract = [
  equity('RELIANCE', '1'),
  equity('SBIN', '2'),
  option,
  equity('RELIANCE', '9', 'BSE'),
]

async function* failingAfter(rows: readonly SymbolRow[], error: Error): AsyncGenerator<SymbolRow> {
  for (const row of rows) yield row
  throw error
}

describe('replaceSymtoken', () => {
  it('swaps a download in with broker and contract date on every row, and bumps the epoch', async () => {
    const { sqlite } = await openMain()
    const result = await replaceSymtoken(sqlite, contract, {
      broker: 'simulator',
      contractDate: '2025-04-17',
      clock,
      chunkRows: 2,
    })
    expect(result).toMatchObject({
      ok: true,
      rows: 4,
      duplicates: 0,
      invalid: 0,
      exchanges: { NSE: 2, NFO: 1, BSE: 1 },
      epoch: 1,
    })
    expect([...iterateSymtoken(sqlite)]).toEqual(contract)
    expect(sqlite.prepare('SELECT DISTINCT broker, contract_date FROM symtoken').all()).toEqual([
      { broker: 'simulator', contract_date: '2025-04-17' },
    ])
    expect(readSymbolsEpoch(sqlite)).toBe(1)
    expect(symtokenSummary(sqlite)).toEqual({
      rows: 4,
      broker: 'simulator',
      contractDate: '2025-04-17',
      exchanges: { NSE: 2, BSE: 1, NFO: 1 },
      epoch: 1,
    })
    expect(symtokenId(sqlite, 'NFO', option.symbol)).toBe(3)
    // automatic checkpoints, paused while staging, are back
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
    expect(symtokenId(sqlite, 'NFO', 'NOPE')).toBeUndefined()
  })

  it('keeps the first of two rows with the same exchange and symbol, and counts the other', async () => {
    const { sqlite } = await openMain()
    const result = await replaceSymtoken(
      sqlite,
      [equity('SBIN', '2'), { ...equity('SBIN', '3'), name: 'LATER' }, equity('INFY', '4')],
      { broker: 'simulator', contractDate: '2025-04-17', clock },
    )
    expect(result).toMatchObject({ ok: true, rows: 2, duplicates: 1 })
    expect([...iterateSymtoken(sqlite)].map((r) => [r.symbol, r.token])).toEqual([
      ['SBIN', '2'],
      ['INFY', '4'],
    ])
  })

  it('leaves the previous contract untouched when the download fails half-way', async () => {
    const { sqlite } = await openMain()
    await replaceSymtoken(sqlite, contract, {
      broker: 'simulator',
      contractDate: '2025-04-16',
      clock,
    })
    const result = await replaceSymtoken(
      sqlite,
      failingAfter([equity('TCS', '7'), equity('INFY', '8')], new Error('connection reset')),
      { broker: 'simulator', contractDate: '2025-04-17', clock, chunkRows: 1 },
    )
    expect(result).toMatchObject({
      ok: false,
      reason: 'source_failed',
      rowsRead: 2,
      message: 'reading the master contract failed: connection reset',
    })
    expect([...iterateSymtoken(sqlite)]).toEqual(contract)
    expect(readSymbolsEpoch(sqlite)).toBe(1)
    // no staging table survives
    expect(
      sqlite
        .prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'symtoken_staging'")
        .get(),
    ).toEqual({ n: 0 })
  })

  it('treats an empty download as an error and keeps the previous contract', async () => {
    const { sqlite } = await openMain()
    await replaceSymtoken(sqlite, contract, {
      broker: 'simulator',
      contractDate: '2025-04-16',
      clock,
    })
    const empty = await replaceSymtoken(sqlite, [], {
      broker: 'simulator',
      contractDate: '2025-04-17',
      clock,
    })
    expect(empty).toMatchObject({
      ok: false,
      reason: 'empty',
      message: 'the master contract download returned no instruments',
    })
    const junk = await replaceSymtoken(sqlite, [{ ...equity('X', '1'), token: '' }], {
      broker: 'simulator',
      contractDate: '2025-04-17',
      clock,
    })
    expect(junk).toMatchObject({ ok: false, reason: 'empty' })
    expect(symtokenSummary(sqlite)).toMatchObject({ rows: 4, contractDate: '2025-04-16', epoch: 1 })
  })

  it('rolls the swap back when the status write inside it fails', async () => {
    const { sqlite } = await openMain()
    await replaceSymtoken(sqlite, contract, {
      broker: 'simulator',
      contractDate: '2025-04-16',
      clock,
    })
    const result = await replaceSymtoken(sqlite, [equity('TCS', '7')], {
      broker: 'simulator',
      contractDate: '2025-04-17',
      clock,
      beforeCommit: () => {
        throw new Error('status table is gone')
      },
    })
    expect(result).toMatchObject({ ok: false, reason: 'write_failed' })
    expect(symtokenSummary(sqlite)).toMatchObject({ rows: 4, epoch: 1 })
  })

  it('keeps the live schema and its indexes, and drops a staging table a crash left behind', async () => {
    const { sqlite } = await openMain()
    sqlite.exec('CREATE TABLE symtoken_staging (x)')
    const result = await replaceSymtoken(sqlite, contract, {
      broker: 'simulator',
      contractDate: '2025-04-17',
      clock,
    })
    expect(result.ok).toBe(true)
    const schema = sqlite
      .prepare(
        "SELECT type, name FROM sqlite_master WHERE tbl_name = 'symtoken' ORDER BY type, name",
      )
      .all()
    expect(schema).toEqual([
      { type: 'index', name: 'idx_symtoken_exchange_symbol' },
      { type: 'table', name: 'symtoken' },
    ])
    expect(
      sqlite
        .prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'symtoken_staging'")
        .get(),
    ).toEqual({ n: 0 })
    // ids follow the download order from 1
    expect(sqlite.prepare('SELECT id, symbol FROM symtoken ORDER BY id LIMIT 2').all()).toEqual([
      { id: 1, symbol: 'RELIANCE' },
      { id: 2, symbol: 'SBIN' },
    ])
  })

  it('refuses a second replacement on the same connection while one runs', async () => {
    const { sqlite } = await openMain()
    let release: () => void = () => undefined
    async function* held(): AsyncGenerator<SymbolRow> {
      yield equity('SBIN', '2')
      await new Promise<void>((r) => (release = r))
    }
    const first = replaceSymtoken(sqlite, held(), {
      broker: 'simulator',
      contractDate: '2025-04-17',
      clock,
    })
    await new Promise((r) => setImmediate(r))
    const second = await replaceSymtoken(sqlite, contract, {
      broker: 'simulator',
      contractDate: '2025-04-17',
      clock,
    })
    expect(second).toMatchObject({ ok: false, reason: 'write_failed' })
    release()
    expect(await first).toMatchObject({ ok: true, rows: 1 })
  })

  it('stops when aborted and keeps the previous contract', async () => {
    const { sqlite } = await openMain()
    await replaceSymtoken(sqlite, contract, {
      broker: 'simulator',
      contractDate: '2025-04-16',
      clock,
    })
    const controller = new AbortController()
    let yielded = 0
    async function* slow(): AsyncGenerator<SymbolRow> {
      for (let i = 0; i < 100; i++) {
        yielded++
        if (i === 10) controller.abort()
        yield equity(`S${i}`, String(100 + i))
      }
    }
    const result = await replaceSymtoken(sqlite, slow(), {
      broker: 'simulator',
      contractDate: '2025-04-17',
      clock,
      signal: controller.signal,
    })
    expect(result).toMatchObject({ ok: false, reason: 'aborted' })
    expect(yielded).toBeLessThan(15)
    expect(symtokenSummary(sqlite).rows).toBe(4)
  })

  it('never holds the write lock while the download trickles in', async () => {
    const main = await openMain()
    await replaceSymtoken(main.sqlite, contract, {
      broker: 'simulator',
      contractDate: '2025-04-16',
      clock,
    })
    // another process (an order writer) on its own connection, impatient
    const other = openSqlite(main.path, { busyTimeoutMs: 0 })
    const writes: boolean[] = []
    async function* trickle(): AsyncGenerator<SymbolRow> {
      for (let i = 0; i < 6; i++) {
        yield equity(`S${i}`, String(100 + i))
        await new Promise((r) => setTimeout(r, 1))
        try {
          other
            .prepare("INSERT INTO app_meta (key, value, updated_at) VALUES (?, 'x', 'now')")
            .run(`probe_${i}`)
          writes.push(true)
        } catch {
          writes.push(false)
        }
      }
    }
    const result = await replaceSymtoken(main.sqlite, trickle(), {
      broker: 'simulator',
      contractDate: '2025-04-17',
      clock,
      chunkRows: 2,
    })
    other.close()
    expect(result.ok).toBe(true)
    expect(writes).toEqual([true, true, true, true, true, true])
  })
})

describe('reading symtoken', () => {
  it('streams page by page, yielding between pages, with the same rows as iterate', async () => {
    const { sqlite } = await openMain()
    const rows = Array.from({ length: 25 }, (_, i) => equity(`S${i}`, String(i + 1)))
    await replaceSymtoken(sqlite, rows, { broker: 'simulator', contractDate: '2025-04-17', clock })
    let pauses = 0
    const streamed: SymbolRow[] = []
    for await (const row of streamSymtoken(sqlite, {
      pageRows: 10,
      yieldToEventLoop: async () => {
        pauses++
        // the connection is free between pages: a write goes through
        sqlite.prepare("UPDATE app_meta SET updated_at = 'x' WHERE key = 'symbols_epoch'").run()
      },
    })) {
      streamed.push(row)
    }
    expect(streamed).toEqual(rows)
    expect(pauses).toBe(2)
    const nse: SymbolRow[] = []
    for await (const row of streamSymtoken(sqlite, { exchange: 'BSE' })) nse.push(row)
    expect(nse).toEqual([])
  })

  it('stops between pages when its signal fires', async () => {
    const { sqlite } = await openMain()
    const rows = Array.from({ length: 5 }, (_, i) => equity(`S${i}`, String(i + 1)))
    await replaceSymtoken(sqlite, rows, { broker: 'simulator', contractDate: '2025-04-17', clock })
    const controller = new AbortController()
    const read: string[] = []
    const all = async (): Promise<void> => {
      for await (const row of streamSymtoken(sqlite, {
        pageRows: 2,
        signal: controller.signal,
        yieldToEventLoop: () => {
          controller.abort(new Error('shutting down'))
          return Promise.resolve()
        },
      }))
        read.push(row.symbol)
    }
    await expect(all()).rejects.toThrow('shutting down')
    expect(read).toEqual(['S0', 'S1'])
  })

  it('refuses to mix two contracts when the table is replaced mid-read', async () => {
    const { sqlite } = await openMain()
    const rows = Array.from({ length: 5 }, (_, i) => equity(`S${i}`, String(i + 1)))
    await replaceSymtoken(sqlite, rows, { broker: 'simulator', contractDate: '2025-04-17', clock })
    const read = async (): Promise<number> => {
      let n = 0
      for await (const _ of streamSymtoken(sqlite, {
        pageRows: 2,
        yieldToEventLoop: () =>
          replaceSymtoken(sqlite, contract, {
            broker: 'simulator',
            contractDate: '2025-04-18',
            clock,
          }).then(() => undefined),
      }))
        n++
      return n
    }
    await expect(read()).rejects.toThrow('replaced while it was being read')
  })

  it('skips stored rows that cannot be looked up, and counts them', async () => {
    const { sqlite } = await openMain()
    sqlite.exec(`INSERT INTO symtoken (symbol, brsymbol, exchange, token) VALUES
      ('GOOD', 'GOOD', 'NSE', '1'), ('NOTOKEN', 'N', 'NSE', ''), ('NOEXCH', 'N', NULL, '3')`)
    const skipped = { count: 0 }
    expect([...iterateSymtoken(sqlite, { skipped })].map((r) => r.symbol)).toEqual(['GOOD'])
    expect(skipped.count).toBe(2)
  })
})

describe('createSymtokenLookup', () => {
  it('reads one instrument by symbol, token or broker symbol, as a loaded cache would', async () => {
    const main = await openMain()
    const rows = [equity('SBIN', '3045'), equity('SBIN', '500112', 'BSE'), option]
    expect(
      (
        await replaceSymtoken(main.sqlite, rows, {
          broker: 'zerodha',
          contractDate: '2025-04-17',
          clock,
        })
      ).ok,
    ).toBe(true)
    const lookup = createSymtokenLookup(main.sqlite)
    // every field as streamSymtoken yields it
    const streamed = [...iterateSymtoken(main.sqlite)]
    expect(lookup.bySymbol('NFO', 'NIFTY24APR2524500CE')).toEqual(streamed[2])
    expect(lookup.bySymbol('BSE', 'SBIN')?.token).toBe('500112')
    expect(lookup.byToken('NSE', '3045')?.symbol).toBe('SBIN')
    expect(lookup.byBrSymbol('NFO', 'NIFTY:2025-04-24:24500:CE')?.symbol).toBe(option.symbol)
    // exact matches only: the exchange is part of the key, and case matters
    expect(lookup.bySymbol('NFO', 'SBIN')).toBeUndefined()
    expect(lookup.bySymbol('NSE', 'sbin')).toBeUndefined()
    expect(lookup.byToken('BSE', '3045')).toBeUndefined()
  })

  it('sees a swapped contract at once, and nothing once the connection closed', async () => {
    const main = await openMain()
    await replaceSymtoken(main.sqlite, [equity('SBIN', '3045')], {
      broker: 'zerodha',
      contractDate: '2025-04-17',
      clock,
    })
    const lookup = createSymtokenLookup(main.sqlite)
    expect(lookup.bySymbol('NSE', 'SBIN')?.token).toBe('3045')
    await replaceSymtoken(main.sqlite, [equity('INFY', '1594')], {
      broker: 'zerodha',
      contractDate: '2025-04-18',
      clock,
    })
    expect(lookup.bySymbol('NSE', 'SBIN')).toBeUndefined()
    expect(lookup.bySymbol('NSE', 'INFY')?.token).toBe('1594')
    await main.close()
    handles.splice(handles.indexOf(main), 1)
    expect(lookup.bySymbol('NSE', 'INFY')).toBeUndefined()
  })

  it('skips rows that cannot be looked up, and finds an integer token as text', async () => {
    const { sqlite } = await openMain()
    sqlite.exec(`INSERT INTO symtoken (symbol, brsymbol, exchange, token) VALUES
      ('NOTOKEN', 'DUP', 'NSE', ''), ('GOOD', 'DUP', 'NSE', 7), ('LATER', 'DUP', 'NSE', 7)`)
    const lookup = createSymtokenLookup(sqlite)
    expect(lookup.bySymbol('NSE', 'NOTOKEN')).toBeUndefined()
    expect(lookup.byBrSymbol('NSE', 'DUP')?.symbol).toBe('GOOD')
    expect(lookup.byToken('NSE', '7')).toMatchObject({ symbol: 'GOOD', token: '7' })
  })
})

describe('qty_freeze', () => {
  it('seeds NSE freeze quantities into an empty table once, never over an admin edit', async () => {
    const { sqlite } = await openMain()
    const inserted = seedQtyFreezeIfEmpty(sqlite)
    expect(inserted).toBeGreaterThan(200)
    const rows = readQtyFreeze(sqlite)
    expect(rows).toContainEqual({ exchange: 'NFO', symbol: 'NIFTY', freezeQty: 1800 })
    expect(rows).toContainEqual({ exchange: 'NFO', symbol: 'BANKNIFTY', freezeQty: 600 })
    sqlite.prepare("UPDATE qty_freeze SET freeze_qty = 1234 WHERE symbol = 'NIFTY'").run()
    expect(seedQtyFreezeIfEmpty(sqlite)).toBe(0)
    expect(readQtyFreeze(sqlite)).toContainEqual({
      exchange: 'NFO',
      symbol: 'NIFTY',
      freezeQty: 1234,
    })
  })
})
