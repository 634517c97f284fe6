import {
  createBrokerContext,
  silentLogger,
  type AdapterEvent,
  type Broker,
  type SymbolRow,
  type Tick,
} from '@oa/broker-sdk'
import { createManualClock, createMemorySymbols, type ManualClock } from '@oa/broker-sdk/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateContract } from '../market/contract.js'
import { createMarket } from '../market/market.js'
import { buildUniverse } from '../market/universe.js'
import { createSimulatorPlugin } from './plugin.js'
import type { SimulatorAdapter } from './stream-adapter.js'

const universe = buildUniverse(1)
const market = createMarket({ seed: 1, universe })
const plugin = createSimulatorPlugin({ market })
let rows: SymbolRow[]

beforeAll(() => {
  rows = generateContract(1, '2025-04-22', universe)
})

function brokerAt(iso: string): { broker: Broker; clock: ManualClock } {
  const clock = createManualClock(iso)
  const ctx = createBrokerContext({
    plugin,
    credentials: { apiKey: 'simulator', apiSecret: 'unused' },
    symbols: createMemorySymbols(rows),
    clock,
    timers: clock,
    logger: silentLogger,
    rateLimit: false,
  })
  return { broker: plugin.createBroker(ctx), clock }
}

describe('simulator broker', () => {
  it('describes itself as the simulator on every simulated exchange, with no login', () => {
    expect(plugin.manifest).toMatchObject({
      id: 'simulator',
      displayName: 'Simulator',
      auth: 'none',
    })
    expect(plugin.manifest.supportedExchanges).toEqual([
      'NSE',
      'BSE',
      'NFO',
      'BFO',
      'CDS',
      'MCX',
      'NSE_INDEX',
      'BSE_INDEX',
    ])
    expect(plugin.manifest.intervals).toContain('5m')
    expect(plugin.manifest.intervals).toContain('D')
  })

  it('logs anyone in with a deterministic session that validates', async () => {
    const { broker } = brokerAt('2025-04-22T08:00:00+05:30')
    expect(broker.auth.loginUrl('http://127.0.0.1/cb', 'state')).toBeNull()
    const login = { kind: 'credentials', clientCode: 'TRADER1', secret: '', totp: '' } as const
    const first = await broker.auth.completeLogin(login)
    const again = await brokerAt('2025-04-22T10:00:00+05:30').broker.auth.completeLogin(login)
    expect(first.ok && again.ok).toBe(true)
    if (!first.ok || !again.ok) return
    expect(first.value.authToken).toBe(again.value.authToken)
    expect(first.value.authToken).toMatch(/^simulator:1:2025-04-22:[0-9a-f]{8}$/)
    expect(first.value.expiresAtMs).toBe(Date.parse('2025-04-23T03:00:00+05:30'))
    expect((await broker.auth.validateSession(first.value)).ok).toBe(true)
    const foreign = await broker.auth.validateSession({ authToken: 'zerodha:abc' })
    expect(foreign.ok ? undefined : foreign.error.code).toBe('auth_expired')
  })

  it('quotes from the market at the injected clock', async () => {
    const { broker, clock } = brokerAt('2025-04-22T11:30:00+05:30')
    const nifty = market.resolve('NIFTY', 'NSE_INDEX')
    if (!nifty.ok) throw new Error('no NIFTY')
    const q = await broker.marketData.quote({ symbol: 'NIFTY', exchange: 'NSE_INDEX' })
    expect(q.ok && q.value).toEqual(market.quote(nifty.value, clock.now()))
    clock.advance(60_000)
    const later = await broker.marketData.quote({ symbol: 'NIFTY', exchange: 'NSE_INDEX' })
    expect(later.ok && later.value.ltp).toBe(market.ltp(nifty.value, clock.now()))
  })

  it('answers unknown symbols and unsimulated exchanges with their codes', async () => {
    const { broker } = brokerAt('2025-04-22T11:30:00+05:30')
    const missing = await broker.marketData.quote({ symbol: 'NOSUCH', exchange: 'NSE' })
    expect(missing.ok ? undefined : missing.error.code).toBe('symbol_not_found')
    const ncdex = await broker.marketData.depth({ symbol: 'GUARSEED', exchange: 'NCDEX' })
    expect(ncdex.ok ? undefined : ncdex.error.code).toBe('not_supported')
  })

  it('answers multiquotes with unknown symbols first', async () => {
    const { broker } = brokerAt('2025-04-22T11:30:00+05:30')
    const items = await broker.marketData.quotes([
      { symbol: 'RELIANCE', exchange: 'NSE' },
      { symbol: 'FOO', exchange: 'NSE' },
      { symbol: 'NIFTY29APR25FUT', exchange: 'NFO' },
    ])
    expect(items.map((i) => [i.symbol, 'data' in i])).toEqual([
      ['FOO', false],
      ['RELIANCE', true],
      ['NIFTY29APR25FUT', true],
    ])
  })

  it('serves five-level depth and history in every advertised interval', async () => {
    const { broker } = brokerAt('2025-04-28T18:00:00+05:30')
    const depth = await broker.marketData.depth({ symbol: 'INFY', exchange: 'NSE' })
    expect(depth.ok && depth.value.bids.length).toBe(5)
    const ref = { symbol: 'NIFTY', exchange: 'NSE_INDEX' } as const
    const fiveMinute = await broker.marketData.history(ref, '5m', '2025-04-21', '2025-04-25')
    expect(fiveMinute.ok && fiveMinute.value.length).toBe(5 * 75)
    for (const interval of broker.marketData.intervals()) {
      const h = await broker.marketData.history(ref, interval, '2025-04-21', '2025-04-25')
      expect(h.ok, interval).toBe(true)
      expect(h.ok && h.value.length, interval).toBeGreaterThan(0)
    }
    // seconds are not advertised: the SDK refuses them before the simulator is asked
    const seconds = await broker.marketData.history(ref, '1s', '2025-04-21', '2025-04-21')
    expect(seconds.ok ? undefined : seconds.error.code).toBe('not_supported')
  })

  it('streams the master contract of the trading day', async () => {
    const { broker } = brokerAt('2025-04-22T07:30:00+05:30')
    const stages = new Set<string>()
    let n = 0
    let same = true
    for await (const row of broker.instruments.downloadMaster((p) => stages.add(p.stage))) {
      if (same && JSON.stringify(row) !== JSON.stringify(rows[n])) same = false
      n++
    }
    expect(n).toBe(rows.length)
    expect(same).toBe(true)
    expect([...stages]).toEqual(
      expect.arrayContaining(['NSE_INDEX', 'NSE', 'NFO', 'BFO', 'MCX', 'CDS']),
    )
  })

  it('opens an account with ₹1 crore and empty books', async () => {
    const { broker } = brokerAt('2025-04-22T11:30:00+05:30')
    const funds = await broker.funds()
    expect(funds.ok && funds.value.availableCash).toBe(10_000_000 * 10_000)
    const book = await broker.books.orderBook()
    expect(book.ok && book.value).toEqual({
      orders: [],
      statistics: {
        totalBuyOrders: 0,
        totalSellOrders: 0,
        totalCompletedOrders: 0,
        totalOpenOrders: 0,
        totalRejectedOrders: 0,
      },
    })
    expect(await broker.books.positions()).toEqual({ ok: true, value: [] })
    expect(await broker.books.tradeBook()).toEqual({ ok: true, value: [] })
  })
})

describe('simulator streaming adapter', () => {
  const start = async (iso: string) => {
    const { broker, clock } = brokerAt(iso)
    const adapter = broker.streaming!.createMarketDataAdapter({
      authToken: 'x',
    }) as SimulatorAdapter
    const ticks: Tick[] = []
    const events: AdapterEvent[] = []
    adapter.onTick((t) => ticks.push(t))
    adapter.onEvent((e) => events.push(e))
    expect((await adapter.connect()).ok).toBe(true)
    return { adapter, clock, ticks, events }
  }

  it('streams subscribed instruments in their modes as the clock moves', async () => {
    const { adapter, clock, ticks } = await start('2025-04-22T10:00:00+05:30')
    expect(adapter.status).toBe('open')
    const acks = await adapter.subscribe(
      [
        { symbol: 'RELIANCE', exchange: 'NSE' },
        { symbol: 'NOPE', exchange: 'NSE' },
      ],
      2,
    )
    expect(acks.map((a) => a.ok)).toEqual([true, false])
    await adapter.subscribe([{ symbol: 'NIFTY29APR2524500CE', exchange: 'NFO' }], 3, 20)
    expect(adapter.subscriptions().get('NFO:NIFTY29APR2524500CE')).toMatchObject({
      mode: 3,
      depth: 5,
    })
    clock.advance(5_000)
    const rel = ticks.filter((t) => t.symbol === 'RELIANCE')
    const opt = ticks.filter((t) => t.symbol === 'NIFTY29APR2524500CE')
    expect(rel.length).toBeGreaterThanOrEqual(18) // 4 a second for 5 s
    expect(rel.every((t) => t.mode === 2 && t.volume !== null && t.depth === undefined)).toBe(true)
    expect(opt.every((t) => t.mode === 3 && t.depth?.buy.length === 5)).toBe(true)
    expect(ticks.every((t) => t.receivedTs <= clock.now())).toBe(true)
    await adapter.unsubscribe([{ symbol: 'RELIANCE', exchange: 'NSE' }])
    const before = ticks.length
    clock.advance(2_000)
    expect(ticks.slice(before).every((t) => t.symbol !== 'RELIANCE')).toBe(true)
    await adapter.close()
    expect(clock.pending).toBe(0)
  })

  it('drops and restores the feed on demand, keeping subscriptions', async () => {
    const { adapter, clock, ticks, events } = await start('2025-04-22T10:00:00+05:30')
    await adapter.subscribe([{ symbol: 'SBIN', exchange: 'NSE' }], 1)
    clock.advance(1_000)
    adapter.forceDisconnect('test drop', 3_000)
    expect(adapter.status).toBe('reconnecting')
    const dropped = ticks.length
    clock.advance(2_000)
    expect(ticks.length).toBe(dropped) // silent while down
    clock.advance(2_000)
    expect(adapter.status).toBe('open')
    expect(events.map((e) => e.type)).toEqual([
      'connected',
      'disconnected',
      'reconnecting',
      'connected',
      'resubscribed',
    ])
    expect(ticks.length).toBeGreaterThan(dropped)
    // nothing from the outage is replayed
    const resumedAt = Date.parse('2025-04-22T10:00:04+05:30')
    expect(ticks.slice(dropped).every((t) => (t.exchangeTs ?? 0) >= resumedAt)).toBe(true)
    await adapter.close()
    expect(events.at(-1)).toMatchObject({ type: 'disconnected', willReconnect: false })
    expect(clock.pending).toBe(0)
  })

  it('refuses instruments beyond its capacity', async () => {
    const { broker } = brokerAt('2025-04-22T10:00:00+05:30')
    const adapter = broker.streaming!.createMarketDataAdapter({ authToken: 'x' })
    const equities = rows.filter((r) => r.exchange === 'NSE').slice(0, 3001)
    const acks = await adapter.subscribe(
      equities.map((r) => ({ symbol: r.symbol, exchange: 'NSE' as const })),
      1,
    )
    expect(acks.filter((a) => a.ok)).toHaveLength(Math.min(3000, equities.length))
    await adapter.close()
  })
})
