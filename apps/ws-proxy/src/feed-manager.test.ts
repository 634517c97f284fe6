import { silentLogger, type InstrumentRef, type StreamMode, type Tick } from '@oa/broker-sdk'
import {
  createManualClock,
  createMemorySymbols,
  flushAsync,
  symbolRow,
} from '@oa/broker-sdk/testing'
import { describe, expect, it } from 'vitest'
import { createFeedManager, type FeedClient, type FeedManagerOptions } from './feed-manager.js'
import { createMetrics } from './metrics.js'
import { SESSIONLESS } from './identity.js'
import { createScriptedBroker } from './test-helpers/harness.js'

const symbols = Array.from({ length: 40 }, (_, i) =>
  symbolRow({ symbol: `S${i}`, exchange: 'NSE', token: String(1000 + i) }),
)
const ref = (i: number): InstrumentRef => ({ symbol: `S${i}`, exchange: 'NSE' })

function recordingClient(): FeedClient & {
  market: { key: string; open: Buffer }[]
  control: Record<string, unknown>[]
} {
  const market: { key: string; open: Buffer }[] = []
  const control: Record<string, unknown>[] = []
  return {
    market,
    control,
    pushMarket: (key, open) => void market.push({ key, open }),
    pushControl: (frame) => void control.push(frame),
  }
}

function tick(i: number, mode: StreamMode, at: number): Tick {
  return {
    symbol: `S${i}`,
    exchange: 'NSE',
    mode,
    ltp: 1_000_000 as Tick['ltp'],
    exchangeTs: at,
    receivedTs: at,
    lastQty: 1,
    avgPrice: null,
    volume: 10,
    open: null,
    high: null,
    low: null,
    prevClose: null,
    totalBuyQty: null,
    totalSellQty: null,
    oi: null,
    change: null,
    changePct: null,
  }
}

function setup(over: Partial<FeedManagerOptions> = {}, broker = createScriptedBroker('acme')) {
  const clock = createManualClock('2025-04-17T10:00:00+05:30')
  const metrics = createMetrics()
  const manager = createFeedManager({
    broker,
    username: 'admin',
    session: SESSIONLESS,
    symbols: createMemorySymbols(symbols),
    clock,
    timers: clock,
    logger: silentLogger,
    metrics,
    maxSymbolsPerConnection: 1000,
    maxConnections: 3,
    maxSubscriptionsPerClient: 1000,
    lingerMs: 30_000,
    stallMs: 120_000,
    isExchangeOpen: () => true,
    ...over,
  })
  return { clock, metrics, manager, broker }
}

describe('feed manager: reference counts and the broker calls they imply', () => {
  it('moves one instrument LTP → Quote → Depth → Quote → none with the minimal calls, after a linger', async () => {
    const { manager, broker, clock } = setup()
    const [a, b, c] = [recordingClient(), recordingClient(), recordingClient()]
    for (const x of [a, b, c]) manager.addClient(x)
    await manager.subscribe(a, [{ ref: ref(0), mode: 1, depth: 5 }])
    await manager.subscribe(b, [{ ref: ref(0), mode: 2, depth: 5 }])
    await manager.subscribe(c, [{ ref: ref(0), mode: 3, depth: 5 }])
    await manager.subscribe(a, [{ ref: ref(0), mode: 1, depth: 5 }]) // already held: no call
    manager.removeClient(c)
    manager.unsubscribe(b, [{ ref: ref(0) }])
    manager.unsubscribe(a, [{ ref: ref(0), mode: 1 }])
    await flushAsync()
    const calls = broker.adapters[0]!.calls
    expect(calls).toEqual([
      { op: 'subscribe', refs: ['NSE:S0'], mode: 1, depth: 5 },
      { op: 'subscribe', refs: ['NSE:S0'], mode: 2, depth: 5 },
      { op: 'subscribe', refs: ['NSE:S0'], mode: 3, depth: 5 },
      { op: 'subscribe', refs: ['NSE:S0'], mode: 2, depth: 5 },
      { op: 'subscribe', refs: ['NSE:S0'], mode: 1, depth: 5 },
    ])
    // nobody watches it now, but the broker keeps it for the linger
    await clock.advanceAsync(29_000)
    expect(calls).toHaveLength(5)
    await clock.advanceAsync(1_000)
    expect(calls.at(-1)).toEqual({ op: 'unsubscribe', refs: ['NSE:S0'] })
  })

  it('keeps a lingering instrument when a client comes back before the linger ends', async () => {
    const { manager, broker, clock } = setup()
    const a = recordingClient()
    manager.addClient(a)
    await manager.subscribe(a, [{ ref: ref(1), mode: 2, depth: 5 }])
    manager.unsubscribe(a, [{ ref: ref(1) }])
    await clock.advanceAsync(10_000)
    await manager.subscribe(a, [{ ref: ref(1), mode: 2, depth: 5 }])
    await clock.advanceAsync(60_000)
    expect(broker.adapters[0]!.calls.map((c) => c.op)).toEqual(['subscribe', 'subscribe'])
  })

  it('batches a large subscribe to the manifest size and answers after the broker acked', async () => {
    const { manager, broker } = setup()
    const a = recordingClient()
    manager.addClient(a)
    const outcomes = await manager.subscribe(
      a,
      Array.from({ length: 35 }, (_, i) => ({ ref: ref(i), mode: 1 as const, depth: 5 })),
    )
    expect(outcomes.every((o) => o.ok)).toBe(true)
    // the scripted broker takes 100 per message; 35 fit in one
    expect(broker.adapters[0]!.calls).toHaveLength(1)
    expect(broker.adapters[0]!.calls[0]!.refs).toHaveLength(35)
  })

  it('spreads instruments over a pool of connections and refuses beyond its capacity', async () => {
    const broker = createScriptedBroker('acme', { maxSymbolsPerConnection: 10, maxConnections: 2 })
    const { manager } = setup({}, broker)
    const a = recordingClient()
    manager.addClient(a)
    const outcomes = await manager.subscribe(
      a,
      Array.from({ length: 25 }, (_, i) => ({ ref: ref(i), mode: 1 as const, depth: 5 })),
    )
    expect(outcomes.filter((o) => o.ok)).toHaveLength(20)
    const refused = outcomes.filter((o) => !o.ok)
    expect(refused).toHaveLength(5)
    expect(refused[0]).toMatchObject({
      code: 'MAX_CAPACITY_REACHED',
      message:
        'Maximum capacity reached: 2 connections × 10 symbols = 20 symbols. Currently subscribed to 20 symbols.',
    })
    expect(broker.adapters.map((x) => x.subscriptions().size)).toEqual([10, 10])
    expect(manager.stats().connections.map((c) => c.instruments)).toEqual([10, 10])
  })

  it('serializes a tick once per mode and hands every client of a mode the same text', async () => {
    const { manager, broker, clock, metrics } = setup()
    const ltp = [recordingClient(), recordingClient()]
    const depth = [recordingClient(), recordingClient()]
    for (const c of [...ltp, ...depth]) manager.addClient(c)
    for (const c of ltp) await manager.subscribe(c, [{ ref: ref(2), mode: 1, depth: 5 }])
    for (const c of depth) await manager.subscribe(c, [{ ref: ref(2), mode: 3, depth: 5 }])
    broker.adapters[0]!.emit(tick(2, 3, clock.now()))
    expect(metrics.ticksIn).toBe(1)
    expect(ltp.map((c) => c.market.length)).toEqual([1, 1])
    expect(ltp[0]!.market[0]!.open).toBe(ltp[1]!.market[0]!.open)
    expect(depth[0]!.market[0]!.open).toBe(depth[1]!.market[0]!.open)
    expect(JSON.parse(`${ltp[0]!.market[0]!.open.toString()}}`)).toMatchObject({
      type: 'market_data',
      mode: 1,
    })
    expect(ltp[0]!.market[0]!.key).toBe('NSE:S2:1')
    expect(depth[0]!.market[0]!.key).toBe('NSE:S2:3')
  })
})

describe('feed manager: health', () => {
  it('restarts a connected but mute feed during trading hours and reports it', async () => {
    let open = true
    const { manager, broker, clock, metrics } = setup({
      stallMs: 60_000,
      isExchangeOpen: () => open,
    })
    const a = recordingClient()
    manager.addClient(a)
    await manager.subscribe(a, [{ ref: ref(3), mode: 2, depth: 5 }])
    // market closed: silence is expected, nothing happens
    open = false
    await clock.advanceAsync(180_000)
    expect(broker.adapters).toHaveLength(1)
    open = true
    broker.adapters[0]!.emit(tick(3, 2, clock.now()))
    await clock.advanceAsync(75_000)
    expect(metrics.stalls).toBe(1)
    expect(broker.adapters).toHaveLength(2)
    expect(a.control.map((f) => f['status'])).toEqual(['stalled', 'connected'])
    // the new connection got the subscription back
    expect([...broker.adapters[1]!.subscriptions().keys()]).toEqual(['NSE:S3'])
  })

  it('reports a refused session as a failed first connection', async () => {
    const { manager } = setup({}, createScriptedBroker('acme', { connectResult: 'auth_expired' }))
    expect(await manager.whenConnected(1_000)).toEqual({ failed: 'token expired' })
    await manager.close()
  })

  it('reconnects in place with a new session and resubscribes what clients hold', async () => {
    const { manager, broker } = setup()
    const a = recordingClient()
    manager.addClient(a)
    await manager.subscribe(a, [
      { ref: ref(4), mode: 1, depth: 5 },
      { ref: ref(5), mode: 3, depth: 5 },
    ])
    manager.replaceSession({ authToken: 'new-token' })
    await flushAsync()
    expect(broker.adapters).toHaveLength(2)
    expect(broker.adapters[1]!.session.authToken).toBe('new-token')
    expect(broker.adapters[1]!.calls).toEqual([
      { op: 'subscribe', refs: ['NSE:S4'], mode: 1, depth: 5 },
      { op: 'subscribe', refs: ['NSE:S5'], mode: 3, depth: 5 },
    ])
    expect(a.control.map((f) => f['status'])).toEqual(['reconnecting', 'connected'])
    // the same session again changes nothing
    manager.replaceSession({ authToken: 'new-token' })
    expect(broker.adapters).toHaveLength(2)
  })
})
