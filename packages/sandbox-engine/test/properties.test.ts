// Random order sequences: after every step the funds identity holds and the utilised margin is
// exactly the sum of its parts; at the end every position equals the sum of its trades.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { istInstant } from '../src/index.js'
import type { Inr4, OrderRequest, Product, SandboxEngine, SandboxStore } from '../src/index.js'
import { openSqliteStore, p, setup, SQLITE_STORES, tempDbPath } from './helpers.js'

const U = 'u1'
const V = 'u2'

const UNIVERSE: {
  symbol: string
  exchange: string
  lot: number
  mid: number
  products: Product[]
}[] = [
  { symbol: 'SBIN', exchange: 'NSE', lot: 1, mid: 800, products: ['MIS', 'CNC'] },
  { symbol: 'RELIANCE', exchange: 'NSE', lot: 1, mid: 2500, products: ['MIS', 'CNC'] },
  { symbol: 'NIFTY24APR25FUT', exchange: 'NFO', lot: 75, mid: 24000, products: ['NRML', 'MIS'] },
  { symbol: 'NIFTY24APR2524000CE', exchange: 'NFO', lot: 75, mid: 120, products: ['NRML', 'MIS'] },
  { symbol: 'NIFTY24APR2524100CE', exchange: 'NFO', lot: 75, mid: 80, products: ['NRML', 'MIS'] },
  { symbol: 'NIFTY24APR2524000PE', exchange: 'NFO', lot: 75, mid: 110, products: ['NRML'] },
  { symbol: 'NIFTY24APR2523900PE', exchange: 'NFO', lot: 75, mid: 70, products: ['NRML'] },
]

type Cmd =
  | {
      kind: 'place'
      user: string
      i: number
      buy: boolean
      lots: number
      type: OrderRequest['priceType']
      product: number
      offsetTicks: number
      triggerTicks: number
    }
  | { kind: 'tick'; i: number; moveTicks: number; spread: number }
  | { kind: 'cancel'; user: string; pick: number }
  | { kind: 'modify'; user: string; pick: number; lots: number; offsetTicks: number }
  | { kind: 'cancelAll'; user: string }
  | { kind: 'close'; user: string; pick: number }
  | { kind: 'wait'; minutes: number }

const user = fc.constantFrom(U, V)
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      user,
      i: fc.nat(UNIVERSE.length - 1),
      buy: fc.boolean(),
      lots: fc.integer({ min: 1, max: 4 }),
      type: fc.constantFrom('MARKET', 'LIMIT', 'SL', 'SL-M'),
      product: fc.nat(1),
      offsetTicks: fc.integer({ min: -40, max: 40 }),
      triggerTicks: fc.integer({ min: -40, max: 40 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      i: fc.nat(UNIVERSE.length - 1),
      moveTicks: fc.integer({ min: -60, max: 60 }),
      spread: fc.nat(3),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('cancel' as const), user, pick: fc.nat() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('modify' as const),
      user,
      pick: fc.nat(),
      lots: fc.integer({ min: 1, max: 4 }),
      offsetTicks: fc.integer({ min: -40, max: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancelAll' as const), user }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('close' as const), user, pick: fc.nat() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      minutes: fc.integer({ min: 1, max: 120 }),
    }),
  },
)

const TICK = p('0.05')

async function runSequence(cmds: Cmd[], store?: SandboxStore, capital?: Inr4): Promise<void> {
  const { engine, prices, clock } = setup({
    at: '2025-04-15T09:30:00+05:30',
    ...(store ? { store } : {}),
    config: capital === undefined ? {} : { startingCapital: capital },
  })
  const last = UNIVERSE.map((u) => p(String(u.mid)))
  prices.set('NIFTY', 'NSE_INDEX', p('24000'))
  UNIVERSE.forEach((u, i) => prices.set(u.symbol, u.exchange, last[i] as Inr4))

  for (const c of cmds) {
    await step(engine, c, last, prices, clock)
    for (const who of [U, V]) {
      const a = await engine.audit(who)
      expect(a.identityHolds, `identity after ${c.kind}`).toBe(true)
      expect(a.utilisedMatches, `utilised = parts after ${c.kind}`).toBe(true)
      expect(a.reservedByOrders).toBeGreaterThanOrEqual(0)
    }
  }
  for (const who of [U, V]) await positionsEqualTrades(engine, who)
}

async function step(
  engine: SandboxEngine,
  c: Cmd,
  last: Inr4[],
  prices: ReturnType<typeof setup>['prices'],
  clock: ReturnType<typeof setup>['clock'],
): Promise<void> {
  switch (c.kind) {
    case 'place': {
      const u = UNIVERSE[c.i]!
      const px = Math.max(TICK, last[c.i]! + c.offsetTicks * TICK) as Inr4
      const trig = Math.max(TICK, last[c.i]! + c.triggerTicks * TICK) as Inr4
      const req: OrderRequest = {
        symbol: u.symbol,
        exchange: u.exchange,
        action: c.buy ? 'BUY' : 'SELL',
        quantity: c.lots * u.lot,
        priceType: c.type,
        product: u.products[c.product % u.products.length]!,
        price:
          c.type === 'SL'
            ? c.buy
              ? (Math.max(px, trig) as Inr4)
              : (Math.min(px, trig) as Inr4)
            : px,
        triggerPrice: trig,
      }
      await engine.placeOrder(c.user, req)
      return
    }
    case 'tick': {
      const u = UNIVERSE[c.i]!
      const ltp = Math.max(TICK, last[c.i]! + c.moveTicks * TICK) as Inr4
      last[c.i] = ltp
      const q =
        c.spread === 0
          ? { ltp }
          : {
              ltp,
              bid: Math.max(TICK, ltp - c.spread * TICK) as Inr4,
              ask: (ltp + c.spread * TICK) as Inr4,
            }
      prices.set(u.symbol, u.exchange, q)
      if (u.symbol.endsWith('FUT')) prices.set('NIFTY', 'NSE_INDEX', ltp)
      await engine.onPrice(u.symbol, u.exchange, q)
      return
    }
    case 'cancel':
    case 'modify': {
      const open = (await engine.orders(c.user)).filter(
        (o) => o.status === 'open' || o.status === 'trigger_pending',
      )
      const o = open[c.pick % Math.max(1, open.length)]
      if (!o) return
      if (c.kind === 'cancel') {
        const r = await engine.cancelOrder(c.user, o.orderId)
        expect(r.ok).toBe(true)
      } else {
        const lot = UNIVERSE.find((u) => u.symbol === o.symbol)!.lot
        const base = o.priceType === 'SL-M' ? o.triggerPrice : o.price
        const moved = Math.max(TICK, base + c.offsetTicks * TICK) as Inr4
        await engine.modifyOrder(c.user, o.orderId, {
          quantity: c.lots * lot,
          ...(o.priceType === 'LIMIT' ? { price: moved } : {}),
          ...(o.priceType === 'SL-M' ? { triggerPrice: moved } : {}),
        })
      }
      return
    }
    case 'cancelAll':
      await engine.cancelAllOrders(c.user)
      return
    case 'close': {
      const open = (await engine.positions(c.user)).filter((x) => x.quantity !== 0)
      const x = open[c.pick % Math.max(1, open.length)]
      if (x) await engine.closePosition(c.user, x)
      return
    }
    case 'wait':
      // stay within the trading day: T+1 would move CNC positions into holdings
      clock.set(Math.min(clock.now() + c.minutes * 60_000, istInstant('2025-04-15', 23 * 60)))
      await engine.runDue()
      return
  }
}

async function positionsEqualTrades(engine: SandboxEngine, who: string): Promise<void> {
  const trades = await engine.trades(who, { sinceMs: 0 })
  const sum = new Map<string, number>()
  for (const t of trades) {
    const k = `${t.exchange}|${t.symbol}|${t.product}`
    sum.set(k, (sum.get(k) ?? 0) + (t.action === 'BUY' ? t.quantity : -t.quantity))
  }
  const pos = new Map(
    (await engine.positions(who)).map((x) => [`${x.exchange}|${x.symbol}|${x.product}`, x]),
  )
  for (const [k, q] of sum) expect(pos.get(k)?.quantity ?? 0, k).toBe(q)
  const realized = [...pos.values()].reduce((a, x) => a + x.realizedPnl, 0)
  expect((await engine.funds(who)).totalRealizedPnl).toBe(realized)
}

describe('random order sequences (fast-check)', () => {
  it('keep the funds identity and positions = Σ trades, in-memory store', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 60 }), (cmds) => runSequence(cmds)),
      { numRuns: 150 },
    )
  })

  it('hold with a small account where many orders are refused for funds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 60 }), (cmds) =>
        runSequence(cmds, undefined, p('250000')),
      ),
      { numRuns: 100 },
    )
  })

  it.each(SQLITE_STORES)('hold with the %s SQLite store (smaller run)', async (kind) => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 40 }), async (cmds) => {
        const s = await openSqliteStore(tempDbPath(), kind)
        try {
          await runSequence(cmds, s.store)
        } finally {
          await s.close()
        }
      }),
      { numRuns: 15 },
    )
  })
})
