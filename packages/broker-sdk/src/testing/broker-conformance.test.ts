import { describe, expect, it } from 'vitest'
import { defineBroker } from '../define-broker.js'
import { ZERO_INR4 } from '../money.js'
import { ok } from '../result.js'
import { createRefexDriver, refex } from '../test-helpers/reference-broker.js'
import { refexFixture } from '../test-helpers/reference-fixtures.js'
import type { BrokerDriver } from '../contract.js'
import type { BrokerContext } from '../contract.js'
import { PRICE_TYPES, PRODUCTS } from '../enums.js'
import { testManifestInput, testSymbols } from '../test-helpers/context.js'
import { createMemoryDriver } from '../test-helpers/memory-driver.js'
import { checkBroker } from './broker-conformance.js'
import type { BrokerFixture } from './broker-conformance.js'

/** refex with one deliberate defect. */
function broken(patch: (driver: BrokerDriver, ctx: BrokerContext) => BrokerDriver) {
  return defineBroker({
    manifest: refex.manifest,
    createBroker: (ctx) => patch(createRefexDriver(ctx), ctx),
  })
}

async function results(
  plugin: ReturnType<typeof broken>,
  fixture: (f: BrokerFixture) => BrokerFixture = (f) => f,
) {
  const all = await checkBroker({ plugin, setup: ({ server }) => fixture(refexFixture(server)) })
  return Object.fromEntries(all.map((r) => [r.id, r]))
}

describe('the broker conformance suite catches defects', () => {
  it('passes the reference broker on every check', async () => {
    const all = await checkBroker({ plugin: refex, setup: ({ server }) => refexFixture(server) })
    expect(all.filter((r) => r.status !== 'pass')).toEqual([])
  })

  it('fails golden place-order requests when a mapper drops the price', async () => {
    const plugin = broken((d) => ({
      ...d,
      orders: { ...d.orders, place: (req) => d.orders.place({ ...req, price: ZERO_INR4 }) },
    }))
    const r = await results(plugin)
    expect(r['brokers.md §4 #4']?.status).toBe('fail')
    expect(r['brokers.md §4 #4']?.message).toMatch(
      /LIMIT\/CNC: golden request mismatch .*\n.*json body: expected .*"price":765.5/,
    )
  })

  it('fails when an HTTP-200 business failure is reported as success', async () => {
    const plugin = broken((d, ctx) => ({
      ...d,
      orders: {
        ...d.orders,
        // the reference defect: success decided by HTTP 200, not by an order id
        place: async (req) => {
          const answer = await ctx.http.request({
            method: 'POST',
            path: '/orders',
            body: { json: { tradingsymbol: req.symbol } },
          })
          return answer.ok && answer.value.status === 200
            ? ok({ orderId: 'unknown' })
            : d.orders.place(req)
        },
      },
    }))
    const r = await results(plugin)
    expect(r['brokers.md §4 #5']?.status).toBe('fail')
    expect(r['brokers.md §4 #5']?.message).toMatch(/reported as success/)
  })

  it('fails a status mapper that inherits a status for text it does not know', async () => {
    const r = await results(refex, (f) => ({
      ...f,
      statuses: {
        map: (raw) =>
          f.statuses?.map(raw) === 'unknown' ? 'open' : (f.statuses?.map(raw) ?? 'open'),
        documented: f.statuses?.documented ?? {},
      },
    }))
    expect(r['brokers.md §4 #9 (status)']?.status).toBe('fail')
    expect(r['brokers.md §4 #9 (status)']?.message).toMatch(
      /undocumented status "": expected "unknown", got "open"/,
    )
  })

  it('fails books whose numbers are strings', async () => {
    const plugin = broken((d) => ({
      ...d,
      books: {
        ...d.books,
        positions: async () => {
          const rows = await d.books.positions()
          return rows.ok
            ? ok(
                rows.value.map((p) => ({
                  ...p,
                  quantity: String(p.quantity) as unknown as number,
                })),
              )
            : rows
        },
      },
    }))
    const r = await results(plugin)
    expect(r['brokers.md §4 #9-10 (books)']?.status).toBe('fail')
    expect(r['brokers.md §4 #9-10 (books)']?.message).toMatch(
      /position row 0 does not match the normalized model \(quantity:/,
    )
  })

  it('fails a broker that logs its access token', async () => {
    const plugin = broken((d, ctx) => ({
      ...d,
      funds: () => {
        ctx.logger.info({ token: ctx.session?.authToken }, 'fetching funds')
        return d.funds()
      },
    }))
    const r = await results(plugin)
    expect(r['brokers.md §4 #21']?.status).toBe('fail')
  })

  it('fails error classification when a broker turns a 503 into success', async () => {
    const plugin = broken((d) => ({
      ...d,
      funds: async () =>
        (await d.funds()).ok
          ? d.funds()
          : ok({
              availableCash: ZERO_INR4,
              collateral: ZERO_INR4,
              m2mRealized: ZERO_INR4,
              m2mUnrealized: ZERO_INR4,
              utilisedDebits: ZERO_INR4,
            }),
    }))
    const r = await results(plugin)
    expect(r['brokers.md §4 #3 + §1.5']?.status).toBe('fail')
  })

  it('skips the rows an offline broker without orders cannot exercise, instead of failing them', async () => {
    const offline = defineBroker({
      manifest: { ...testManifestInput, id: 'offline', endpoints: {} },
      createBroker: () => {
        const { driver } = createMemoryDriver()
        driver.books.holdings = async () => ok({ holdings: [] })
        return driver
      },
    })
    const all = await checkBroker({
      plugin: offline,
      setup: () => ({
        credentials: { apiKey: 'offline-key', apiSecret: 'offline-secret' },
        session: { authToken: 'offline-session-token' },
        symbols: testSymbols,
        instruments: { equity: { symbol: 'SBIN', exchange: 'NSE' } },
        placeOrder: {
          cases: [],
          unsupported: PRICE_TYPES.flatMap((t) => PRODUCTS.map((p) => [t, p] as const)),
        },
        master: false,
      }),
    })
    const status = Object.fromEntries(all.map((r) => [r.id, r.status]))
    expect(status['brokers.md §4 #9-10 (books)']).toBe('skip')
    expect(status['brokers.md §4 #3 + §1.5']).toBe('skip')
    expect(status['brokers.md §4 #8']).toBe('skip')
    expect(status['brokers.md §4 #4']).toBe('pass')
  })

  it('skips, rather than fails, checks whose fixture parts are missing', async () => {
    const r = await results(refex, (f) => {
      const { rejectNextOrder: _r, modify: _m, cancel: _c, ...rest } = f
      return rest
    })
    expect(r['brokers.md §4 #5']?.status).toBe('skip')
    expect(r['brokers.md §4 #7']?.status).toBe('skip')
  })
})
