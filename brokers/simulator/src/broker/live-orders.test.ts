import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createBrokerContext,
  parseInr4,
  silentLogger,
  type Broker,
  type OrderRequest,
  type SymbolRow,
} from '@oa/broker-sdk'
import { createManualClock, createMemorySymbols, type ManualClock } from '@oa/broker-sdk/testing'
import {
  createSqliteStore,
  migrateSandbox,
  type SandboxDatabase,
  type SandboxStore,
} from '@oa/sandbox-engine'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { generateContract } from '../market/contract.js'
import { createMarket } from '../market/market.js'
import { buildUniverse } from '../market/universe.js'
import { createSimulatorPlugin, type SimulatorPlugin } from './plugin.js'

const universe = buildUniverse(1)
const market = createMarket({ seed: 1, universe })
let rows: SymbolRow[]
beforeAll(() => {
  rows = generateContract(1, '2025-04-22', universe)
})

/** Tuesday 22 April 2025, 11:30 IST: the market is open. */
const OPEN = '2025-04-22T11:30:00+05:30'

function session(plugin: SimulatorPlugin, clock: ManualClock, brokerUserId = 'TRADER1'): Broker {
  const ctx = createBrokerContext({
    plugin,
    credentials: { apiKey: 'simulator', apiSecret: 'unused' },
    symbols: createMemorySymbols(rows),
    session: { authToken: 'simulator:1:2025-04-22:x', brokerUserId },
    clock,
    timers: clock,
    logger: silentLogger,
    rateLimit: false,
  })
  return plugin.createBroker(ctx)
}

function fresh(store?: SandboxStore): {
  broker: Broker
  clock: ManualClock
  plugin: SimulatorPlugin
} {
  const plugin = createSimulatorPlugin({ market, liveOrders: store ? { store } : {} })
  onTestFinished(() => plugin.close())
  const clock = createManualClock(OPEN)
  return { broker: session(plugin, clock), clock, plugin }
}

const order = (over: Partial<OrderRequest> = {}): OrderRequest => ({
  strategy: 'test',
  symbol: 'SBIN',
  exchange: 'NSE',
  action: 'BUY',
  priceType: 'MARKET',
  product: 'MIS',
  quantity: 10,
  price: parseInr4('0'),
  triggerPrice: parseInr4('0'),
  disclosedQuantity: 0,
  ...over,
})

const quoteAt = (symbol: string, exchange: string, clock: ManualClock) => {
  const r = market.resolve(symbol, exchange)
  if (!r.ok) throw new Error(r.error.message)
  return market.quote(r.value, clock.now())
}

describe('simulator live orders', () => {
  it('fills a MARKET buy at the ask and shows it in every book; funds move by the margin', async () => {
    const { broker, clock } = fresh()
    const q = quoteAt('SBIN', 'NSE', clock)
    const placed = await broker.orders.place(order())
    expect(placed.ok).toBe(true)
    const orderId = placed.ok ? placed.value.orderId : ''
    expect(orderId).toMatch(/^250422\d{8}$/)

    const book = await broker.books.orderBook()
    expect(book.ok && book.value.orders).toEqual([
      expect.objectContaining({
        orderId,
        status: 'complete',
        filledQuantity: 10,
        averagePrice: q.ask,
        timestamp: '22-Apr-2025 11:30:00',
      }),
    ])
    expect(book.ok && book.value.statistics.totalCompletedOrders).toBe(1)
    const trades = await broker.books.tradeBook()
    expect(trades.ok && trades.value).toEqual([
      expect.objectContaining({
        orderId,
        quantity: 10,
        averagePrice: q.ask,
        tradeValue: q.ask * 10,
      }),
    ])
    const positions = await broker.books.positions()
    expect(positions.ok && positions.value).toEqual([
      expect.objectContaining({
        symbol: 'SBIN',
        product: 'MIS',
        quantity: 10,
        averagePrice: q.ask,
      }),
    ])
    const funds = await broker.funds()
    // MIS margin is a fifth of the value at the LTP the order was priced at
    const margin = (q.ltp * 10) / 5
    expect(funds.ok && funds.value).toMatchObject({
      availableCash: 10_000_000 * 10_000 - margin,
      utilisedDebits: margin,
    })
  })

  it('rests a LIMIT buy below the market and fills it at its limit once the price trades through', async () => {
    const { broker, clock } = fresh()
    const q = quoteAt('SBIN', 'NSE', clock)
    // find a later minute of the deterministic path where SBIN trades at least 1 rupee lower
    const probe = createManualClock(OPEN)
    let target = 0
    for (let i = 1; i <= 360 && target === 0; i++) {
      probe.advance(60_000)
      if (quoteAt('SBIN', 'NSE', probe).ltp <= q.ltp - 10_000) target = i
    }
    expect(target).toBeGreaterThan(0)
    const limit = (Math.round((q.ltp - 10_000) / 500) * 500) as OrderRequest['price']
    const placed = await broker.orders.place(order({ priceType: 'LIMIT', price: limit }))
    const orderId = placed.ok ? placed.value.orderId : ''
    let book = await broker.books.orderBook()
    expect(book.ok && book.value.orders[0]).toMatchObject({ orderId, status: 'open' })

    for (let i = 0; i < target + 1; i++) {
      clock.advance(60_000)
      book = await broker.books.orderBook()
      if (book.ok && book.value.orders[0]?.status === 'complete') break
    }
    expect(book.ok && book.value.orders[0]).toMatchObject({
      orderId,
      status: 'complete',
      averagePrice: limit,
    })
  })

  it('rejects bad orders with the reason and changes nothing', async () => {
    const { broker } = fresh()
    const before = await broker.funds()
    const cases: [Partial<OrderRequest>, string, RegExp][] = [
      [{ quantity: 10_000_000 }, 'rejected', /Insufficient funds/],
      [{ priceType: 'LIMIT', price: parseInr4('800.03') }, 'invalid_input', /tick/i],
      [{ symbol: 'NOSUCHSTOCK' }, 'symbol_not_found', /NOSUCHSTOCK/],
      [{ product: 'NRML' }, 'invalid_input', /NRML product not allowed/],
    ]
    for (const [over, code, message] of cases) {
      const r = await broker.orders.place(order(over))
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe(code)
        expect(r.error.message).toMatch(message)
      }
    }
    expect(await broker.funds()).toEqual(before)
    const book = await broker.books.orderBook()
    expect(book.ok && book.value.orders).toEqual([])
  })

  it('modifies and cancels a resting order; a filled or unknown order cannot be cancelled', async () => {
    const { broker, clock } = fresh()
    const q = quoteAt('SBIN', 'NSE', clock)
    const far = (Math.round((q.ltp * 0.8) / 500) * 500) as OrderRequest['price']
    const placed = await broker.orders.place(order({ priceType: 'LIMIT', price: far }))
    const orderId = placed.ok ? placed.value.orderId : ''
    const lower = (far - 500) as OrderRequest['price']
    const modified = await broker.orders.modify({
      ...order({ priceType: 'LIMIT', price: lower, quantity: 20 }),
      orderId,
    })
    expect(modified.ok).toBe(true)
    let book = await broker.books.orderBook()
    expect(book.ok && book.value.orders[0]).toMatchObject({ quantity: 20, price: lower })
    expect((await broker.orders.cancel(orderId)).ok).toBe(true)
    book = await broker.books.orderBook()
    expect(book.ok && book.value.orders[0]).toMatchObject({ status: 'cancelled' })

    const filled = await broker.orders.place(order())
    const again = await broker.orders.cancel(filled.ok ? filled.value.orderId : '')
    expect(!again.ok && again.error.message).toBe('Cannot cancel order in complete status')
    const unknown = await broker.orders.cancel('250422999')
    expect(!unknown.ok && unknown.error.message).toBe('Order 250422999 not found')
  })

  it('places only the difference for a smart order, and squares everything off', async () => {
    const { broker } = fresh()
    await broker.orders.place(order({ quantity: 5 }))
    const smart = await broker.orders.placeSmart({ ...order({ quantity: 1 }), positionSize: 8 })
    expect(smart.ok && smart.value.placed).toEqual({ action: 'BUY', quantity: 3 })
    let positions = await broker.books.positions()
    expect(positions.ok && positions.value[0]?.quantity).toBe(8)
    const closed = await broker.orders.closeAllPositions()
    expect(closed.ok && closed.value).toMatchObject({ closed: 1, failed: 0 })
    positions = await broker.books.positions()
    expect(positions.ok && positions.value[0]?.quantity).toBe(0)
  })

  it('keeps separate accounts per broker user id', async () => {
    const { broker, clock, plugin } = fresh()
    await broker.orders.place(order())
    const other = session(plugin, clock, 'TRADER2')
    const book = await other.books.orderBook()
    expect(book.ok && book.value.orders).toEqual([])
  })

  it('keeps orders, positions and funds across a restart with a SQLite store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oa-sim-live-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const open = async (): Promise<{ store: SandboxStore; close: () => Promise<void> }> => {
      const sqlite = new Database(join(dir, 'simulator.db'))
      sqlite.pragma('journal_mode = WAL')
      const db = new Kysely<SandboxDatabase>({ dialect: new SqliteDialect({ database: sqlite }) })
      await migrateSandbox(db)
      return { store: createSqliteStore(sqlite), close: () => db.destroy() }
    }
    const a = await open()
    const first = fresh(a.store)
    await first.broker.orders.place(order())
    const funds = await first.broker.funds()
    const positions = await first.broker.books.positions()
    await first.plugin.close()
    await a.close()

    const b = await open()
    const second = fresh(b.store)
    expect(await second.broker.funds()).toEqual(funds)
    expect(await second.broker.books.positions()).toEqual(positions)
    const next = await second.broker.orders.place(order({ action: 'SELL' }))
    // order ids continue after the ones already stored
    expect(next.ok && next.value.orderId).toBe('25042200000002')
    await second.plugin.close()
    await b.close()
  })
})
