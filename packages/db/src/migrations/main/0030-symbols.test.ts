import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../databases.js'
import type { MainDatabase } from '../../schema/main.js'
import { openSqlite, type SqliteDatabase } from '../../sqlite.js'
import { iterateSymtoken, replaceSymtoken } from '../../symtoken.js'
import { mainMigrations } from './index.js'

const dirs: string[] = []
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-symbols-mig-'))
  dirs.push(dir)
  return join(dir, 'openalgo.db')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function indexesOf(db: SqliteDatabase, table: string): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
      )
      .all(table) as { name: string }[]
  ).map((r) => r.name)
}

function columnsOf(db: SqliteDatabase, table: string): string[] {
  return (
    db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]
  ).map((r) => r.name)
}

/**
 * The original's tables as SQLAlchemy creates them (openalgo: database/symbol.py,
 * master_contract_status_db.py before the smart-download columns, qty_freeze_db.py), with a
 * zerodha-style contract in which one (exchange, symbol) appears twice.
 */
function writeOriginalDatabase(path: string): void {
  const db = openSqlite(path)
  db.exec(`
    CREATE TABLE symtoken (id INTEGER NOT NULL, symbol VARCHAR NOT NULL, brsymbol VARCHAR NOT NULL,
      name VARCHAR, exchange VARCHAR, brexchange VARCHAR, token VARCHAR, expiry VARCHAR, strike FLOAT,
      lotsize INTEGER, instrumenttype VARCHAR, tick_size FLOAT, PRIMARY KEY (id));
    CREATE INDEX ix_symtoken_symbol ON symtoken (symbol);
    CREATE INDEX ix_symtoken_token ON symtoken (token);
    CREATE INDEX idx_symbol_exchange ON symtoken (symbol, exchange);
    CREATE INDEX idx_symbol_name ON symtoken (symbol, name);
    CREATE INDEX idx_brsymbol_exchange ON symtoken (brsymbol, exchange);
    INSERT INTO symtoken (symbol, brsymbol, name, exchange, brexchange, token, expiry, strike, lotsize, instrumenttype, tick_size)
      VALUES ('RELIANCE', 'RELIANCE', 'RELIANCE INDUSTRIES', 'NSE', 'NSE', '738561', '', -0.01, 1, 'EQ', 0.05),
             ('NIFTY24APR25FUT', 'NIFTY25APRFUT', 'NIFTY', 'NFO', 'NFO', '13238786', '24-APR-25', -0.01, 75, 'FUT', 0.05),
             ('RELIANCE', 'RELIANCE', 'RELIANCE INDUSTRIES LTD', 'NSE', 'NSE', '999999', '', -0.01, 1, 'EQ', 0.05),
             ('SBIN', 'SBIN', 'STATE BANK', 'NSE', 'NSE', '779521', '', -0.01, 1, 'EQ', 0.05);
    CREATE TABLE master_contract_status (broker VARCHAR NOT NULL, status VARCHAR, message VARCHAR,
      last_updated DATETIME, total_symbols VARCHAR, is_ready BOOLEAN, PRIMARY KEY (broker));
    INSERT INTO master_contract_status VALUES ('zerodha', 'success', 'Master contract download completed successfully',
      '2025-04-16 08:45:12.123456', '4', 1);
    CREATE TABLE qty_freeze (id INTEGER NOT NULL, exchange VARCHAR(10) NOT NULL, symbol VARCHAR(50) NOT NULL,
      freeze_qty INTEGER NOT NULL, PRIMARY KEY (id));
    CREATE UNIQUE INDEX idx_exchange_symbol ON qty_freeze (exchange, symbol);
    CREATE INDEX ix_qty_freeze_exchange ON qty_freeze (exchange);
    INSERT INTO qty_freeze (exchange, symbol, freeze_qty) VALUES ('NFO', 'NIFTY', 1800);
  `)
  db.close()
}

describe('symbol tables migration (0030)', () => {
  it('creates symtoken, master_contract_status and qty_freeze on a fresh database', async () => {
    const main = await openDatabase<MainDatabase>(tempPath(), mainMigrations)
    expect(columnsOf(main.sqlite, 'symtoken')).toEqual([
      'id',
      'symbol',
      'brsymbol',
      'name',
      'exchange',
      'brexchange',
      'token',
      'expiry',
      'strike',
      'lotsize',
      'instrumenttype',
      'tick_size',
      'contract_value',
      'broker',
      'contract_date',
    ])
    expect(indexesOf(main.sqlite, 'symtoken')).toEqual(['idx_symtoken_exchange_symbol'])
    expect(indexesOf(main.sqlite, 'qty_freeze')).toEqual(['idx_qty_freeze_exchange_symbol'])
    expect(columnsOf(main.sqlite, 'master_contract_status')).toEqual([
      'broker',
      'status',
      'message',
      'last_updated',
      'total_symbols',
      'is_ready',
      'last_download_time',
      'download_date',
      'exchange_stats',
      'download_duration_seconds',
    ])
    // the unique key holds: a second RELIANCE on NSE is refused
    const insert = main.sqlite.prepare(
      "INSERT INTO symtoken (symbol, brsymbol, exchange, token) VALUES ('RELIANCE', 'R', 'NSE', ?)",
    )
    insert.run('1')
    expect(() => insert.run('2')).toThrow(/UNIQUE/)
    await main.close()
  })

  it('migrates an OpenAlgo symtoken in place: new columns, first duplicate kept, count recorded', async () => {
    const path = tempPath()
    writeOriginalDatabase(path)
    const main = await openDatabase<MainDatabase>(path, mainMigrations)
    const db = main.sqlite
    expect(columnsOf(db, 'symtoken')).toEqual(
      expect.arrayContaining(['contract_value', 'broker', 'contract_date']),
    )
    const rows = db.prepare('SELECT id, symbol, token, broker FROM symtoken ORDER BY id').all()
    expect(rows).toEqual([
      { id: 1, symbol: 'RELIANCE', token: '738561', broker: null },
      { id: 2, symbol: 'NIFTY24APR25FUT', token: '13238786', broker: null },
      { id: 4, symbol: 'SBIN', token: '779521', broker: null },
    ])
    const meta = db
      .prepare("SELECT value FROM app_meta WHERE key = 'symtoken_duplicates_dropped'")
      .get() as { value: string }
    expect(meta.value).toBe('1')
    // generic index names gone (W-40), the prefixed unique one in place
    expect(indexesOf(db, 'symtoken')).toEqual(['idx_symtoken_exchange_symbol'])
    expect(indexesOf(db, 'qty_freeze')).toEqual([
      'idx_qty_freeze_exchange_symbol',
      'ix_qty_freeze_exchange',
    ])
    // the smart-download columns are added to an old status table, its row kept
    expect(db.prepare('SELECT * FROM master_contract_status').get()).toMatchObject({
      broker: 'zerodha',
      status: 'success',
      total_symbols: '4',
      last_download_time: null,
      download_date: null,
    })
    // rows the original wrote read back as cache rows: '' expiry is "none"
    expect([...iterateSymtoken(db)][0]).toEqual({
      symbol: 'RELIANCE',
      brSymbol: 'RELIANCE',
      name: 'RELIANCE INDUSTRIES',
      exchange: 'NSE',
      brExchange: 'NSE',
      token: '738561',
      expiry: null,
      strike: -0.01,
      lotSize: 1,
      instrumentType: 'EQ',
      tickSize: 0.05,
      contractValue: null,
    })
    await main.close()
  })

  it('takes a new download on a migrated OpenAlgo table, keeping its schema and unique index', async () => {
    const path = tempPath()
    writeOriginalDatabase(path)
    const main = await openDatabase<MainDatabase>(path, mainMigrations)
    const row = [...iterateSymtoken(main.sqlite)][1]!
    const result = await replaceSymtoken(
      main.sqlite,
      [row, { ...row, symbol: 'NIFTY24APR25FUT' }],
      {
        broker: 'zerodha',
        contractDate: '2025-04-17',
        clock: { now: () => Date.parse('2025-04-17T03:00:00Z') },
      },
    )
    expect(result).toMatchObject({ ok: true, rows: 1, duplicates: 1 })
    expect(
      main.sqlite.prepare('SELECT id, symbol, broker, contract_date FROM symtoken').all(),
    ).toEqual([
      { id: 1, symbol: 'NIFTY24APR25FUT', broker: 'zerodha', contract_date: '2025-04-17' },
    ])
    expect(indexesOf(main.sqlite, 'symtoken')).toEqual(['idx_symtoken_exchange_symbol'])
    await main.close()
  })

  it('runs once: reopening applies nothing and keeps the rows', async () => {
    const path = tempPath()
    writeOriginalDatabase(path)
    await (await openDatabase<MainDatabase>(path, mainMigrations)).close()
    const again = await openDatabase<MainDatabase>(path, mainMigrations)
    expect(again.sqlite.prepare('SELECT COUNT(*) AS n FROM symtoken').get()).toEqual({ n: 3 })
    await again.close()
  })
})
