import { describe, expect, it } from 'vitest'
import {
  type CommitBatch,
  createCountingIds,
  createInstrumentTable,
  createManualClock,
  createPriceBook,
  createSandboxEngine,
  type SandboxStore,
} from './store-test-kit.js'
import { INSTRUMENTS, openSqliteStore, order, p, SQLITE_STORES, tempDbPath } from './helpers.js'

const U = 'u1'
const V = 'u2'

/** the store as given, recording how many batches each transaction carried */
function recording(store: SandboxStore, poison?: (b: CommitBatch) => boolean) {
  const transactions: number[] = []
  const check = (b: CommitBatch): void => {
    if (poison?.(b)) throw new Error(`cannot write the batch of ${b.userId}`)
  }
  const wrapped: SandboxStore = {
    ...store,
    async commit(b) {
      check(b)
      await store.commit(b)
      transactions.push(1)
    },
    async commitAll(batches) {
      for (const b of batches) check(b)
      await store.commitAll?.(batches)
      transactions.push(batches.length)
    },
  }
  return { store: wrapped, transactions }
}

function engineOn(store: SandboxStore) {
  const prices = createPriceBook()
  prices.set('SBIN', 'NSE', p('800'))
  prices.set('RELIANCE', 'NSE', p('2500'))
  return createSandboxEngine({
    clock: createManualClock('2025-04-15T10:00:00+05:30'),
    prices,
    instruments: createInstrumentTable(INSTRUMENTS),
    store,
    ids: createCountingIds(),
    scheduleCommit: (flush) => void setImmediate(flush),
  })
}

describe.each(SQLITE_STORES)('group commit (%s)', (kind) => {
  it('writes the orders of one turn in one transaction and answers each only once it is stored', async () => {
    const db = await openSqliteStore(tempDbPath(), kind)
    const { store, transactions } = recording(db.store)
    const e = engineOn(store)
    await e.start()
    const stored: boolean[] = []
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        e
          .placeOrder(i % 2 === 0 ? U : V, order('SBIN', 'NSE', 'BUY', 1, { product: 'CNC' }))
          .then(async (r) => {
            // answered: the order must already be in the database
            stored.push(
              r.ok && (await db.store.getOrder(r.order.userId, r.order.orderId)) !== undefined,
            )
          }),
      ),
    )
    expect(stored).toEqual(Array.from({ length: 10 }, () => true))
    expect(transactions).toEqual([10])
    expect(await e.openPosition(U, 'SBIN', 'NSE', 'CNC')).toBe(5)
    expect(await e.audit(V)).toMatchObject({ identityHolds: true, utilisedMatches: true })
    await e.close()
    await db.close()
  })

  it('answers a retried idempotency key with the order still waiting in the group, placed once', async () => {
    const db = await openSqliteStore(tempDbPath(), kind)
    const { store } = recording(db.store)
    const e = engineOn(store)
    const req = order('SBIN', 'NSE', 'BUY', 1, { idempotencyKey: 'retry-1' })
    const [a, b] = await Promise.all([e.placeOrder(U, req), e.placeOrder(U, req)])
    expect(a.ok && b.ok && a.order.orderId === b.order.orderId).toBe(true)
    expect(await db.store.listOrders(U)).toHaveLength(1)
    expect(await e.openPosition(U, 'SBIN', 'NSE', 'MIS')).toBe(1)
    await e.close()
    await db.close()
  })

  it('fails only the command whose batch cannot be written, and the state matches the store', async () => {
    const path = tempDbPath()
    const db = await openSqliteStore(path, kind)
    const { store } = recording(db.store, (b) => b.orders.some((o) => o.strategy === 'poison'))
    const e = engineOn(store)
    await e.placeOrder(V, order('RELIANCE', 'NSE', 'BUY', 1))
    const results = await Promise.allSettled([
      e.placeOrder(U, order('SBIN', 'NSE', 'BUY', 2)),
      e.placeOrder(V, order('SBIN', 'NSE', 'BUY', 3)),
      e.placeOrder(U, order('SBIN', 'NSE', 'BUY', 4, { strategy: 'poison' })),
      // computed on the position the failed order left in memory: refused, never written
      e.placeOrder(U, order('SBIN', 'NSE', 'BUY', 8)),
      e.placeOrder(V, order('SBIN', 'NSE', 'BUY', 5)),
    ])
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ])
    expect(await e.openPosition(U, 'SBIN', 'NSE', 'MIS')).toBe(2)
    expect(await e.openPosition(V, 'SBIN', 'NSE', 'MIS')).toBe(8)
    const next = await e.placeOrder(U, order('SBIN', 'NSE', 'BUY', 1))
    expect(next.ok).toBe(true)
    expect(await e.openPosition(U, 'SBIN', 'NSE', 'MIS')).toBe(3)
    const audits = [await e.audit(U), await e.audit(V)]
    await e.close()
    await db.close()

    // what a restart sees is what the engine answered
    const again = await openSqliteStore(path, kind)
    const fresh = engineOn(again.store)
    expect(await fresh.openPosition(U, 'SBIN', 'NSE', 'MIS')).toBe(3)
    expect(await fresh.openPosition(V, 'SBIN', 'NSE', 'MIS')).toBe(8)
    expect([await fresh.audit(U), await fresh.audit(V)]).toEqual(audits)
    await fresh.close()
    await again.close()
  })
})
