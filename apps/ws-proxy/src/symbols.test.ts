import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@oa/broker-sdk'
import { symbolRow } from '@oa/broker-sdk/testing'
import {
  mainMigrations,
  openDatabase,
  readSymbolsEpoch,
  replaceSymtoken,
  type MainDatabase,
} from '@oa/db'
import { createSymbolCache } from '@oa/symbol-cache'
import { describe, expect, it, onTestFinished } from 'vitest'
import { loadSymbolIndex, symtokenSymbolSource, type SymbolSource } from './symbols.js'

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
const fallback: SymbolSource = {
  load: () => ({
    rows: [symbolRow({ symbol: 'FALLBACK', exchange: 'NSE', token: '1' })],
    broker: 'simulator',
  }),
}

describe('the symbol table of the proxy', () => {
  it('loads the server’s symtoken table, and follows a new contract on reload', async () => {
    const db = await tempDb()
    const first = await replaceSymtoken(
      db.sqlite,
      [symbolRow({ symbol: 'SBIN', exchange: 'NSE', token: '3045' })],
      { broker: 'zerodha', contractDate: '2025-04-17', clock },
    )
    expect(first.ok).toBe(true)
    const source = symtokenSymbolSource(db.sqlite, fallback)
    const cache = createSymbolCache({ clock, loader: () => source.load() })
    const index = loadSymbolIndex(cache, source, silentLogger)
    await index.ready
    expect(index.has('SBIN', 'NSE')).toBe(true)
    expect(index.has('FALLBACK', 'NSE')).toBe(false)
    expect(index.resolver.getToken('SBIN', 'NSE')).toBe('3045')
    expect(cache.getCacheStats().active_broker).toBe('zerodha')
    await replaceSymtoken(
      db.sqlite,
      [symbolRow({ symbol: 'INFY', exchange: 'NSE', token: '1594' })],
      {
        broker: 'zerodha',
        contractDate: '2025-04-18',
        clock,
      },
    )
    expect((await cache.reload()).ok).toBe(true)
    expect(index.has('INFY', 'NSE')).toBe(true)
    expect(index.has('SBIN', 'NSE')).toBe(false)
  })

  it('uses the fallback (the simulator’s contract) while symtoken is empty', async () => {
    const db = await tempDb()
    const source = symtokenSymbolSource(db.sqlite, fallback)
    const index = loadSymbolIndex(createSymbolCache({ clock }), source, silentLogger)
    await index.ready
    expect(index.has('FALLBACK', 'NSE')).toBe(true)
  })

  it('supervised, waits for the server to fill symtoken instead of using the fallback', async () => {
    const db = await tempDb()
    let polls = 0
    const source = symtokenSymbolSource(db.sqlite, fallback, {
      timeoutMs: 60_000,
      pollMs: 200,
      clock,
      // the server writes its contract while the proxy sleeps between two looks at the table
      sleep: async () => {
        if (++polls === 3) {
          await replaceSymtoken(
            db.sqlite,
            [symbolRow({ symbol: 'SBIN', exchange: 'NSE', token: '3045' })],
            { broker: 'simulator', contractDate: '2025-04-17', clock },
          )
        }
      },
    })
    const index = loadSymbolIndex(createSymbolCache({ clock }), source, silentLogger)
    await index.ready
    expect(polls).toBe(3)
    expect(index.has('SBIN', 'NSE')).toBe(true)
    expect(index.has('FALLBACK', 'NSE')).toBe(false)
    expect(source.loadedEpoch()).toBe(readSymbolsEpoch(db.sqlite))
  })

  it('supervised, falls back to its own contract when the server never fills symtoken', async () => {
    const db = await tempDb()
    let now = clock.now()
    const source = symtokenSymbolSource(db.sqlite, fallback, {
      timeoutMs: 1_000,
      pollMs: 200,
      clock: { now: () => now },
      sleep: async (ms) => {
        now += ms
      },
    })
    const index = loadSymbolIndex(createSymbolCache({ clock }), source, silentLogger)
    await index.ready
    expect(now - clock.now()).toBe(1_000)
    expect(index.has('FALLBACK', 'NSE')).toBe(true)
  })
})
