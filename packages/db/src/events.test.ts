import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from './databases.js'
import {
  appendOrderEvent,
  appendOrderEvents,
  lastOrderEventId,
  purgeOrderEvents,
  readOrderEvents,
  readOrderEventsAfterId,
  serverToProxyMessageSchema,
  toOrderUpdateFrame,
  type OrderEvent,
} from './events.js'
import { mainMigrations } from './migrations/main/index.js'
import type { MainDatabase } from './schema/main.js'

const dirs: string[] = []
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-events-'))
  dirs.push(dir)
  return join(dir, 'openalgo.db')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const fill = (over: Partial<OrderEvent> = {}): OrderEvent => ({
  kind: 'complete',
  status: 'complete',
  mode: 'analyze',
  broker: 'simulator',
  orderId: '250417000000001',
  symbol: 'SBIN',
  exchange: 'NSE',
  action: 'BUY',
  quantity: 10,
  priceE4: 7_655_000,
  triggerPriceE4: 0,
  priceType: 'LIMIT',
  product: 'MIS',
  filledQuantity: 10,
  pendingQuantity: 0,
  averagePriceE4: 7_654_500,
  fill: { priceE4: 7_654_500, quantity: 10 },
  rejectionReason: '',
  atEpochMs: Date.parse('2025-04-17T10:00:00+05:30'),
  ...over,
})

describe('order events', () => {
  it('numbers each user’s events 1, 2, 3 without gaps, independently of other users', async () => {
    const main = await openDatabase<MainDatabase>(tempPath(), mainMigrations)
    expect(appendOrderEvent(main, 'alice', fill()).seq).toBe(1)
    expect(appendOrderEvent(main, 'bob', fill()).seq).toBe(1)
    expect(appendOrderEvent(main, 'alice', fill({ kind: 'cancelled' })).seq).toBe(2)
    expect(readOrderEvents(main, 'alice', 0).map((e) => [e.seq, e.event.kind])).toEqual([
      [1, 'complete'],
      [2, 'cancelled'],
    ])
    expect(readOrderEvents(main, 'alice', 1).map((e) => e.seq)).toEqual([2])
    await main.close()
  })

  it('gives two processes appending at once distinct sequence numbers', async () => {
    const path = tempPath()
    const a = await openDatabase<MainDatabase>(path, mainMigrations)
    const b = await openDatabase<MainDatabase>(path, mainMigrations)
    const seqs: number[] = []
    for (let i = 0; i < 50; i++) {
      seqs.push(appendOrderEvent(i % 2 === 0 ? a : b, 'admin', fill()).seq)
    }
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    await a.close()
    await b.close()
  })

  it('lets a reader follow new rows by id from where it started', async () => {
    const main = await openDatabase<MainDatabase>(tempPath(), mainMigrations)
    appendOrderEvent(main, 'admin', fill())
    const start = lastOrderEventId(main)
    appendOrderEvent(main, 'admin', fill({ kind: 'rejected', status: 'rejected', fill: null }))
    const page = readOrderEventsAfterId(main, start)
    expect(page.events.map((e) => [e.username, e.seq, e.event.status])).toEqual([
      ['admin', 2, 'rejected'],
    ])
    expect(readOrderEventsAfterId(main, page.lastId).events).toEqual([])
    expect(purgeOrderEvents(main, Date.parse('2025-04-18T00:00:00Z'))).toBe(2)
    // ids are never reused after a purge, so a cursor stays valid
    expect(appendOrderEvent(main, 'admin', fill()).id).toBeGreaterThan(page.lastId)
    await main.close()
  })

  it('appends a batch in order, continuing each user’s numbering, and returns each seq', async () => {
    const path = tempPath()
    const main = await openDatabase<MainDatabase>(path, mainMigrations)
    const other = await openDatabase<MainDatabase>(path, mainMigrations)
    appendOrderEvent(other, 'alice', fill())
    const appended = appendOrderEvents(main, [
      { username: 'alice', event: fill({ kind: 'placed', status: 'open', fill: null }) },
      { username: 'bob', event: fill() },
      { username: 'alice', event: fill({ kind: 'cancelled', status: 'cancelled', fill: null }) },
    ])
    expect(appended.map((a) => a.seq)).toEqual([2, 1, 3])
    expect(appended[1]!.id).toBe(appended[0]!.id + 1)
    expect(appendOrderEvent(other, 'alice', fill()).seq).toBe(4)
    expect(readOrderEvents(main, 'alice', 0).map((e) => [e.seq, e.event.kind])).toEqual([
      [1, 'complete'],
      [2, 'placed'],
      [3, 'cancelled'],
      [4, 'complete'],
    ])
    expect(appendOrderEvents(main, [])).toEqual([])
    await other.close()
    await main.close()
  })

  it('stores none of a batch when one event breaks the schema', async () => {
    const main = await openDatabase<MainDatabase>(tempPath(), mainMigrations)
    expect(() =>
      appendOrderEvents(main, [
        { username: 'admin', event: fill() },
        { username: 'admin', event: fill({ quantity: -1 }) },
      ]),
    ).toThrow()
    expect(lastOrderEventId(main)).toBe(0)
    await main.close()
  })

  it('refuses an event that breaks the schema instead of storing it', async () => {
    const main = await openDatabase<MainDatabase>(tempPath(), mainMigrations)
    expect(() => appendOrderEvent(main, 'admin', fill({ quantity: -1 }))).toThrow()
    expect(lastOrderEventId(main)).toBe(0)
    await main.close()
  })

  it('maps an event to the OpenAlgo order_update frame with the fill and the user seq', () => {
    expect(toOrderUpdateFrame('admin', 7, fill())).toEqual({
      type: 'order_update',
      user_id: 'admin',
      mode: 'analyze',
      broker: 'simulator',
      orderid: '250417000000001',
      symbol: 'SBIN',
      exchange: 'NSE',
      action: 'BUY',
      quantity: 10,
      price: 765.5,
      trigger_price: 0,
      pricetype: 'LIMIT',
      product: 'MIS',
      order_status: 'complete',
      filled_quantity: 10,
      pending_quantity: 0,
      average_price: 765.45,
      rejection_reason: '',
      event: 'complete',
      fill_price: 765.45,
      fill_quantity: 10,
      order_seq: 7,
      timestamp: Date.parse('2025-04-17T10:00:00+05:30'),
    })
    const pending = toOrderUpdateFrame(
      'admin',
      1,
      fill({ kind: 'placed', status: 'trigger_pending', fill: null, priceType: 'SL-M' }),
    )
    expect(pending['order_status']).toBe('trigger pending')
    expect(pending).not.toHaveProperty('fill_price')
  })

  it('validates the IPC messages the server sends the proxy', () => {
    const ok = serverToProxyMessageSchema.safeParse({
      type: 'order_event',
      username: 'admin',
      seq: 3,
      event: fill(),
    })
    expect(ok.success).toBe(true)
    expect(serverToProxyMessageSchema.safeParse({ type: 'order_event', username: 'a' }).success).toBe(
      false,
    )
    expect(serverToProxyMessageSchema.safeParse({ type: 'auth_changed' }).success).toBe(true)
  })
})
