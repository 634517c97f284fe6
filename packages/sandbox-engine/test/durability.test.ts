import { describe, expect, it } from 'vitest'
import {
  createCountingIds,
  createInstrumentTable,
  createManualClock,
  createMemoryStore,
  createPriceBook,
  createSandboxEngine,
  emptyBatchForTest,
  type SandboxStore,
} from './store-test-kit.js'
import { INSTRUMENTS, openSqliteStore, order, p, SQLITE_STORES, tempDbPath } from './helpers.js'

const U = 'u1'

function deps(store: SandboxStore) {
  const clock = createManualClock('2025-04-15T10:00:00+05:30')
  const prices = createPriceBook()
  prices.set('SBIN', 'NSE', p('800'))
  prices.set('RELIANCE', 'NSE', p('2500'))
  prices.set('NIFTY', 'NSE_INDEX', p('24000'))
  prices.set('NIFTY24APR2524000CE', 'NFO', p('120'))
  return {
    clock,
    prices,
    store,
    instruments: createInstrumentTable(INSTRUMENTS),
    ids: createCountingIds(),
  }
}

describe.each(SQLITE_STORES)('SQLite store (%s)', (kind) => {
  it('keeps orders, positions, margin groups and funds across a reopen, and resting orders still fill', async () => {
    const path = tempDbPath()
    const a = await openSqliteStore(path, kind)
    const d1 = deps(a.store)
    const first = createSandboxEngine(d1)
    const filled = await first.placeOrder(U, order('SBIN', 'NSE', 'BUY', 10))
    const resting = await first.placeOrder(
      U,
      order('RELIANCE', 'NSE', 'BUY', 2, { priceType: 'LIMIT', price: p('2400') }),
    )
    await first.placeOrder(U, order('NIFTY24APR2524000CE', 'NFO', 'SELL', 75, { product: 'NRML' }))
    const funds = await first.funds(U)
    const positions = await first.positions(U)
    const orders = await first.orders(U)
    await first.close()
    await a.close()

    const b = await openSqliteStore(path, kind)
    const second = createSandboxEngine({ ...deps(b.store), clock: d1.clock })
    expect(await second.funds(U)).toEqual(funds)
    expect(await second.positions(U)).toEqual(positions)
    expect(await second.orders(U)).toEqual(orders)
    expect(await second.orderStatus(U, filled.ok ? filled.order.orderId : '')).toMatchObject({
      status: 'complete',
      filledQuantity: 10,
    })
    expect(await second.audit(U)).toMatchObject({ identityHolds: true, utilisedMatches: true })
    const next = await second.placeOrder(U, order('SBIN', 'NSE', 'SELL', 10))
    // the id sequence resumes after what the store holds
    expect(next.ok && next.order.orderId).toBe('25041500000004')
    const t = await second.onPrice('RELIANCE', 'NSE', { ltp: p('2399') })
    expect(t).toEqual([
      expect.objectContaining({
        orderId: resting.ok ? resting.order.orderId : '',
        price: p('2400'),
      }),
    ])
    await second.close()
    await b.close()
  })

  it('remembers idempotency keys across a restart', async () => {
    const path = tempDbPath()
    const a = await openSqliteStore(path, kind)
    const d = deps(a.store)
    const e1 = createSandboxEngine(d)
    const r1 = await e1.placeOrder(U, order('SBIN', 'NSE', 'BUY', 1, { idempotencyKey: 'k1' }))
    await e1.close()
    await a.close()
    const b = await openSqliteStore(path, kind)
    const e2 = createSandboxEngine({ ...deps(b.store), clock: d.clock })
    const r2 = await e2.placeOrder(U, order('SBIN', 'NSE', 'BUY', 1, { idempotencyKey: 'k1' }))
    expect(r2.ok && r2.order.orderId).toBe(r1.ok ? r1.order.orderId : 'x')
    expect(await e2.openPosition(U, 'SBIN', 'NSE', 'MIS')).toBe(1)
    await e2.close()
    await b.close()
  })

  it('applies a batch all or nothing: a second trade for an order rolls back the whole event', async () => {
    const path = tempDbPath()
    const a = await openSqliteStore(path, kind)
    const e = createSandboxEngine(deps(a.store))
    const r = await e.placeOrder(U, order('SBIN', 'NSE', 'BUY', 1))
    const o = r.ok ? r.order : undefined
    const [trade] = await e.trades(U)
    const batch = {
      ...emptyBatchForTest(U),
      orders: [{ ...o!, orderId: '25041599999999' }],
      trades: [trade!],
    }
    await expect(a.store.commit(batch)).rejects.toThrow()
    expect(await a.store.getOrder(U, '25041599999999')).toBeUndefined()
    await e.close()
    await a.close()
  })

  it('migrates idempotently', async () => {
    const path = tempDbPath()
    const a = await openSqliteStore(path, kind)
    const { migrateSandbox } = await import('../src/index.js')
    expect(await migrateSandbox(a.db)).toEqual([])
    await a.close()
  })
})

describe('a failed commit', () => {
  it('leaves the engine state as it was and the next command works', async () => {
    const inner = createMemoryStore()
    let fail = false
    const store: SandboxStore = {
      ...inner,
      commit: (b) => (fail ? Promise.reject(new Error('disk full')) : inner.commit(b)),
    }
    const e = createSandboxEngine(deps(store))
    await e.placeOrder(U, order('SBIN', 'NSE', 'BUY', 1))
    const before = await e.audit(U)
    fail = true
    await expect(e.placeOrder(U, order('SBIN', 'NSE', 'BUY', 1))).rejects.toThrow('disk full')
    fail = false
    expect(await e.audit(U)).toEqual(before)
    expect(await e.openPosition(U, 'SBIN', 'NSE', 'MIS')).toBe(1)
    const ok = await e.placeOrder(U, order('SBIN', 'NSE', 'BUY', 1))
    expect(ok.ok).toBe(true)
    expect(await e.openPosition(U, 'SBIN', 'NSE', 'MIS')).toBe(2)
  })
})

describe.each(SQLITE_STORES)('crash safety (%s)', (kind) => {
  it('keeps every acknowledged order after a SIGKILL', async () => {
    const { spawn } = await import('node:child_process')
    const { fileURLToPath } = await import('node:url')
    const path = tempDbPath()
    const script = fileURLToPath(new URL('./fixtures/ack-then-hang.ts', import.meta.url))
    const child = spawn(
      process.execPath,
      ['--conditions=@oa/source', '--import', 'tsx', script, path, kind],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    const acks: string[] = []
    await new Promise<void>((resolve, reject) => {
      let buf = ''
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString()
        const lines = buf.split('\n')
        buf = lines.pop() ?? ''
        for (const l of lines) acks.push((JSON.parse(l) as { ack: string }).ack)
        if (acks.length === 5) {
          child.kill('SIGKILL')
          resolve()
        }
      })
      child.on('exit', (code) =>
        acks.length < 5 ? reject(new Error(`child exited ${code}`)) : undefined,
      )
    })
    await new Promise((r) => child.once('close', r))
    const b = await openSqliteStore(path, kind)
    const e = createSandboxEngine(deps(b.store))
    for (const id of acks) expect(await e.orderStatus(U, id)).toMatchObject({ status: 'complete' })
    expect(await e.openPosition(U, 'SBIN', 'NSE', 'MIS')).toBe(50)
    expect(await e.audit(U)).toMatchObject({
      utilised: p('8000'),
      identityHolds: true,
      utilisedMatches: true,
    })
    await e.close()
    await b.close()
  })

  it('serialises each user and runs users concurrently on one SQLite file', async () => {
    const path = tempDbPath()
    const a = await openSqliteStore(path, kind)
    const e = createSandboxEngine(deps(a.store))
    const users = Array.from({ length: 8 }, (_, i) => `user${i}`)
    await Promise.all(
      users.flatMap((u) =>
        Array.from({ length: 10 }, (_, i) =>
          e.placeOrder(u, order('SBIN', 'NSE', i % 3 === 2 ? 'SELL' : 'BUY', 1)),
        ),
      ),
    )
    for (const u of users) {
      expect(await e.openPosition(u, 'SBIN', 'NSE', 'MIS')).toBe(4)
      expect(await e.audit(u)).toMatchObject({ identityHolds: true, utilisedMatches: true })
      expect(await e.trades(u)).toHaveLength(10)
    }
    await e.close()
    await a.close()
  })
})
