import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@oa/broker-sdk'
import { symbolRow } from '@oa/broker-sdk/testing'
import { mainMigrations, openDatabase, replaceSymtoken, type MainDatabase } from '@oa/db'
import { createSymbolCache } from '@oa/symbol-cache'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createSymtokenIndex, type SymbolSource, type SymtokenWait } from './symbols.js'

async function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'oa-wsp-sym-'))
  const db = await openDatabase<MainDatabase>(join(dir, 'openalgo.db'), mainMigrations)
  onTestFinished(async () => {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return db
}

const clock = { now: () => Date.parse('2025-04-17T10:00:00+05:30') }
let fallbackLoads = 0
const fallback: SymbolSource = {
  load: () => {
    fallbackLoads++
    return {
      rows: [symbolRow({ symbol: 'FALLBACK', exchange: 'NSE', token: '1' })],
      broker: 'simulator',
    }
  },
}

type Db = Awaited<ReturnType<typeof tempDb>>
const contract = (db: Db, symbol: string, token: string, date = '2025-04-17') =>
  replaceSymtoken(db.sqlite, [symbolRow({ symbol, exchange: 'NSE', token })], {
    broker: 'zerodha',
    contractDate: date,
    clock,
  })

function index(db: Db, wait?: SymtokenWait) {
  let collected = 0
  const symbols = createSymtokenIndex({
    sqlite: db.sqlite,
    fallback,
    ...(wait === undefined ? {} : { wait }),
    createCache: () => createSymbolCache({ clock, loader: () => fallback.load() }),
    logger: silentLogger,
    afterLoad: () => collected++,
  })
  return { symbols, collected: () => collected }
}

describe('the symbol lookups of the proxy', () => {
  it('read the server’s symtoken table, and see a new contract at once', async () => {
    const db = await tempDb()
    expect((await contract(db, 'SBIN', '3045')).ok).toBe(true)
    fallbackLoads = 0
    const { symbols } = index(db)
    await symbols.ready
    expect(symbols.mode()).toBe('table')
    expect(fallbackLoads).toBe(0)
    expect(symbols.has('SBIN', 'NSE')).toBe(true)
    expect(symbols.has('FALLBACK', 'NSE')).toBe(false)
    const { resolver } = symbols
    expect(resolver.getToken('SBIN', 'NSE')).toBe('3045')
    expect(resolver.getBrSymbol('SBIN', 'NSE')).toBe('SBIN')
    expect(resolver.getBrExchange('SBIN', 'NSE')).toBe('NSE')
    expect(resolver.getSymbolByToken('3045', 'NSE')).toBe('SBIN')
    expect(resolver.getOaSymbol('SBIN', 'NSE')).toBe('SBIN')
    expect(resolver.getSymbolInfo('SBIN', 'NSE')).toMatchObject({ symbol: 'SBIN', token: '3045' })
    expect(resolver.getToken('SBIN', 'BSE')).toBeUndefined()
    await contract(db, 'INFY', '1594', '2025-04-18')
    // no reload: the next look at the epoch forgets the rows read so far
    symbols.refresh()
    expect(symbols.has('INFY', 'NSE')).toBe(true)
    expect(symbols.has('SBIN', 'NSE')).toBe(false)
  })

  it('answer repeated lookups from the rows read last, until the contract changes', async () => {
    const db = await tempDb()
    await contract(db, 'SBIN', '3045')
    const { symbols } = index(db)
    await symbols.ready
    expect(symbols.resolver.getToken('SBIN', 'NSE')).toBe('3045')
    expect(symbols.has('INFY', 'NSE')).toBe(false)
    // a write that does not move symbols_epoch is not seen: the rows came from memory
    db.sqlite.exec("UPDATE symtoken SET token = '9' WHERE symbol = 'SBIN'")
    db.sqlite.exec(
      "INSERT INTO symtoken (symbol, brsymbol, exchange, brexchange, token) VALUES ('INFY', 'INFY', 'NSE', 'NSE', '1594')",
    )
    symbols.refresh()
    expect(symbols.resolver.getToken('SBIN', 'NSE')).toBe('3045')
    expect(symbols.has('INFY', 'NSE')).toBe(false)
    db.sqlite.exec(
      "UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'symbols_epoch'",
    )
    symbols.refresh()
    expect(symbols.resolver.getToken('SBIN', 'NSE')).toBe('9')
    expect(symbols.has('INFY', 'NSE')).toBe(true)
  })

  it('use the fallback (the simulator’s contract) while symtoken is empty, and leave it once filled', async () => {
    const db = await tempDb()
    const { symbols, collected } = index(db)
    await symbols.ready
    expect(symbols.mode()).toBe('fallback')
    expect(symbols.has('FALLBACK', 'NSE')).toBe(true)
    expect(collected()).toBe(1)
    symbols.refresh()
    expect(symbols.mode()).toBe('fallback')
    await contract(db, 'SBIN', '3045')
    symbols.refresh()
    expect(symbols.mode()).toBe('table')
    expect(symbols.has('SBIN', 'NSE')).toBe(true)
    expect(symbols.has('FALLBACK', 'NSE')).toBe(false)
    // the fallback's cache was dropped and its garbage collected
    expect(collected()).toBe(2)
  })

  it('read the table when the fallback fails to load, and see the server fill it', async () => {
    const db = await tempDb()
    const symbols = createSymtokenIndex({
      sqlite: db.sqlite,
      // a row the cache refuses: the fallback's load fails
      fallback: {
        load: () => ({ rows: [symbolRow({ symbol: 'BAD', exchange: 'NSE', token: '' })] }),
      },
      createCache: () => createSymbolCache({ clock }),
      logger: silentLogger,
    })
    await symbols.ready
    expect(symbols.mode()).toBe('pending')
    expect(symbols.has('SBIN', 'NSE')).toBe(false)
    await contract(db, 'SBIN', '3045')
    symbols.refresh()
    expect(symbols.has('SBIN', 'NSE')).toBe(true)
  })

  it('supervised, wait for the server to fill symtoken instead of generating the fallback', async () => {
    const db = await tempDb()
    let polls = 0
    fallbackLoads = 0
    const { symbols } = index(db, {
      timeoutMs: 60_000,
      pollMs: 200,
      clock,
      // the server writes its contract while the proxy sleeps between two looks at the table
      sleep: async () => {
        if (++polls === 3) await contract(db, 'SBIN', '3045')
      },
    })
    await symbols.ready
    expect(polls).toBe(3)
    expect(fallbackLoads).toBe(0)
    expect(symbols.mode()).toBe('table')
    expect(symbols.has('SBIN', 'NSE')).toBe(true)
  })

  it('supervised, fall back to their own contract when the server never fills symtoken', async () => {
    const db = await tempDb()
    let now = clock.now()
    const { symbols } = index(db, {
      timeoutMs: 1_000,
      pollMs: 200,
      clock: { now: () => now },
      sleep: async (ms: number) => {
        now += ms
      },
    })
    await symbols.ready
    expect(now - clock.now()).toBe(1_000)
    expect(symbols.mode()).toBe('fallback')
    expect(symbols.has('FALLBACK', 'NSE')).toBe(true)
  })

  it('stop waiting, with nothing to look up, when the proxy closes the database', async () => {
    const db = await tempDb()
    const { symbols } = index(db, {
      timeoutMs: 60_000,
      pollMs: 200,
      clock,
      sleep: () => db.close(),
    })
    await symbols.ready
    expect(symbols.mode()).toBe('pending')
    expect(symbols.has('SBIN', 'NSE')).toBe(false)
  })
})
