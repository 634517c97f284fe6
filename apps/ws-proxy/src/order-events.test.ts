import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger, createSystemTimers } from '@oa/broker-sdk'
import {
  appendOrderEvent,
  mainMigrations,
  openDatabase,
  type MainDatabase,
  type OrderEvent,
  type ProxyToServerMessage,
} from '@oa/db'
import { describe, expect, it, onTestFinished } from 'vitest'
import { handleServerMessage } from './ipc.js'
import { createDbOrderEventStore, createOrderEventPoller } from './order-events.js'
import { connectAs, startTestProxy, type Frame } from './test-helpers/harness.js'

async function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'oa-wsp-'))
  const db = await openDatabase<MainDatabase>(join(dir, 'openalgo.db'), mainMigrations)
  onTestFinished(async () => {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return db
}

const event = (over: Partial<OrderEvent> = {}): OrderEvent => ({
  kind: 'placed',
  status: 'open',
  mode: 'analyze',
  broker: 'simulator',
  orderId: 'SB-1',
  symbol: 'SBIN',
  exchange: 'NSE',
  action: 'BUY',
  quantity: 10,
  priceE4: 7_655_000,
  triggerPriceE4: 0,
  priceType: 'LIMIT',
  product: 'MIS',
  filledQuantity: 0,
  pendingQuantity: 10,
  averagePriceE4: 0,
  fill: null,
  rejectionReason: '',
  atEpochMs: 1_744_864_200_000,
  ...over,
})

const isOrder = (f: Frame): boolean => f['type'] === 'order_update'

async function setup() {
  const db = await tempDb()
  const proxy = await startTestProxy({ orderEvents: createDbOrderEventStore(db.sqlite) })
  proxy.identity.issue('admin', 'admin-key')
  proxy.identity.issue('bob', 'bob-key')
  const admin = await connectAs(proxy.url, 'admin-key')
  const admin2 = await connectAs(proxy.url, 'admin-key')
  const bob = await connectAs(proxy.url, 'bob-key')
  for (const c of [admin, admin2, bob]) {
    c.send({ action: 'subscribe_orders', request_id: 'o' })
    expect(await c.next()).toMatchObject({
      type: 'subscribe_orders',
      status: 'success',
      message: 'Subscribed to order updates',
      request_id: 'o',
    })
  }
  const replies: ProxyToServerMessage[] = []
  const ipc = (raw: unknown): boolean =>
    handleServerMessage(raw, {
      server: proxy.server,
      ordersEnabled: true,
      reply: (m) => replies.push(m),
      logger: silentLogger,
    })
  return { db, proxy, admin, admin2, bob, ipc, replies }
}

describe('order updates on the socket', () => {
  it('reaches every socket of the placing user within 50 ms of the IPC message, and no one else', async () => {
    const { db, admin, admin2, bob, ipc } = await setup()
    const fills = [
      event(),
      event({
        kind: 'partially_filled',
        filledQuantity: 4,
        pendingQuantity: 6,
        averagePriceE4: 7_654_000,
        fill: { priceE4: 7_654_000, quantity: 4 },
      }),
      event({
        kind: 'complete',
        status: 'complete',
        filledQuantity: 10,
        pendingQuantity: 0,
        averagePriceE4: 7_654_600,
        fill: { priceE4: 7_655_000, quantity: 6 },
      }),
    ]
    const latencies: number[] = []
    for (const e of fills) {
      const { seq } = appendOrderEvent(db, 'admin', e)
      const sent = performance.now()
      expect(ipc({ type: 'order_event', username: 'admin', seq, event: e })).toBe(true)
      const got = await admin.next(isOrder)
      latencies.push(performance.now() - sent)
      expect(got).toMatchObject({ order_seq: seq, event: e.kind, user_id: 'admin' })
      expect(await admin2.next(isOrder)).toMatchObject({ order_seq: seq })
    }
    expect(Math.max(...latencies)).toBeLessThan(50)
    const last = admin.frames.filter(isOrder).at(-1)!
    expect(last).toMatchObject({
      orderid: 'SB-1',
      order_status: 'complete',
      filled_quantity: 10,
      average_price: 765.46,
      fill_price: 765.5,
      fill_quantity: 6,
      mode: 'analyze',
    })
    await new Promise((r) => setTimeout(r, 50))
    expect(bob.frames.filter(isOrder)).toEqual([])
  })

  it('reaches the socket from the order_events table alone (a standalone proxy), within 50 ms', async () => {
    const { db, proxy, admin, bob } = await setup()
    const poller = createOrderEventPoller({
      db: db.sqlite,
      timers: createSystemTimers(),
      intervalMs: 10,
      onEvent: (u, s, e) => proxy.server.deliverOrderEvent(u, s, e),
      logger: silentLogger,
    })
    poller.start()
    onTestFinished(() => poller.stop())
    // the "server" is another connection to the same file
    const writer = await openDatabase<MainDatabase>(db.path, mainMigrations)
    onTestFinished(() => writer.close())
    const sent = performance.now()
    appendOrderEvent(
      writer,
      'bob',
      event({ kind: 'rejected', status: 'rejected', rejectionReason: 'insufficient funds' }),
    )
    const got = await bob.next(isOrder)
    expect(performance.now() - sent).toBeLessThan(50)
    expect(got).toMatchObject({
      order_status: 'rejected',
      rejection_reason: 'insufficient funds',
      order_seq: 1,
    })
    await new Promise((r) => setTimeout(r, 40))
    expect(admin.frames.filter(isOrder)).toEqual([])
  })

  it('delivers each event once in order when IPC and the table both carry it, filling gaps', async () => {
    const { db, proxy, admin, ipc } = await setup()
    const seqs = [1, 2, 3, 4].map(
      (i) => appendOrderEvent(db, 'admin', event({ orderId: `O${i}` })).seq,
    )
    ipc({ type: 'order_event', username: 'admin', seq: 1, event: event({ orderId: 'O1' }) })
    // seq 2 and 3 never came over IPC: they are read from the table before 4
    ipc({ type: 'order_event', username: 'admin', seq: 4, event: event({ orderId: 'O4' }) })
    proxy.server.deliverOrderEvent('admin', 3, event({ orderId: 'O3' }))
    ipc({ type: 'order_event', username: 'admin', seq: 4, event: event({ orderId: 'O4' }) })
    await admin.next((f) => isOrder(f) && f['order_seq'] === 4)
    await new Promise((r) => setTimeout(r, 30))
    expect(admin.frames.filter(isOrder).map((f) => [f['order_seq'], f['orderid']])).toEqual(
      seqs.map((s) => [s, `O${s}`]),
    )
  })

  it('delivers a batch of events (order_events) in order, each to its own user', async () => {
    const { db, proxy, admin, bob, ipc } = await setup()
    const events = [
      { username: 'admin', event: event({ orderId: 'B1' }) },
      { username: 'bob', event: event({ orderId: 'B2' }) },
      { username: 'admin', event: event({ orderId: 'B1', kind: 'complete', status: 'complete' }) },
    ].map((e) => ({ ...e, seq: appendOrderEvent(db, e.username, e.event).seq }))
    expect(ipc({ type: 'order_events', events })).toBe(true)
    await admin.next((f) => isOrder(f) && f['event'] === 'complete')
    expect(admin.frames.filter(isOrder).map((f) => [f['orderid'], f['event']])).toEqual([
      ['B1', 'placed'],
      ['B1', 'complete'],
    ])
    expect((await bob.next(isOrder))['orderid']).toBe('B2')
    expect(proxy.server.metrics.orderEventsPushed).toBe(3)
    expect(ipc({ type: 'order_events', events: [] })).toBe(false)
  })

  it('replays the user’s events after a given order_seq on subscribe_orders', async () => {
    const { db, proxy } = await setup()
    for (let i = 1; i <= 5; i++) appendOrderEvent(db, 'admin', event({ orderId: `R${i}` }))
    const late = await connectAs(proxy.url, 'admin-key')
    late.send({ action: 'subscribe_orders', after_seq: 3 })
    expect(await late.next()).toMatchObject({ type: 'subscribe_orders' })
    expect((await late.next(isOrder))['orderid']).toBe('R4')
    expect((await late.next(isOrder))['orderid']).toBe('R5')
  })

  it('validates IPC messages and answers get_stats', async () => {
    const { ipc, replies } = await setup()
    expect(ipc({ type: 'order_event', username: 'admin', seq: 0, event: event() })).toBe(false)
    expect(ipc({ type: 'nonsense' })).toBe(false)
    expect(ipc({ type: 'get_stats', requestId: 'q' })).toBe(true)
    expect(replies[0]).toMatchObject({
      type: 'stats',
      requestId: 'q',
      stats: { clients: 3, authenticated: 3 },
    })
  })
})
