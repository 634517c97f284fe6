// The SDK's shared suites (brokers.md §4, streaming.md §2.8) run against the simulator.
import {
  createBrokerContext,
  silentLogger,
  type Inr4,
  type OrderRequest,
  type SymbolRow,
} from '@oa/broker-sdk'
import {
  createManualClock,
  createMemorySymbols,
  brokerConformanceChecks,
  registerChecks,
  runAdapterConformance,
  type BrokerFixture,
} from '@oa/broker-sdk/testing'
import { describe, it } from 'vitest'
import { generateContract } from '../market/contract.js'
import { HISTORY_INTERVALS, createMarket } from '../market/market.js'
import { buildUniverse } from '../market/universe.js'
import { createSimulatorPlugin } from './plugin.js'
import { createSimulatorAdapter } from './stream-adapter.js'

const universe = buildUniverse(1)
const market = createMarket({ seed: 1, universe })
const plugin = createSimulatorPlugin({ market })
// the suites' virtual clock starts on 2025-04-17 10:00 IST, so the host's table is that day's
let rows: SymbolRow[] | undefined
const contract = (): SymbolRow[] => (rows ??= generateContract(1, '2025-04-17', universe))

/** Checks that assume an HTTP broker. The simulator has no HTTP to fail. */
const NOT_APPLICABLE: Readonly<Record<string, string>> = {
  'brokers.md §4 #3 + §1.5': 'classifies HTTP 5xx/429 answers; the simulator makes no HTTP calls',
}

const NOW = '2025-04-17T10:00:00+05:30'
// not the simulator's own `simulator:<seed>:…` token form: the suites treat every `:`-separated part
// of a token as a secret, and the broker id `simulator` rightly appears in every log line
const SESSION = { authToken: 'sim-conformance-0badf00d' }

/** the market's last price at the suites' instant, on the instrument's tick grid, ± `ticks` ticks */
function near(symbol: string, exchange: string, ticks: number): Inr4 {
  const r = market.resolve(symbol, exchange)
  if (!r.ok) throw new Error(r.error.message)
  const q = market.quote(r.value, Date.parse(NOW))
  return (q.ltp + ticks * r.value.tickE4) as Inr4
}

const request = (over: Partial<OrderRequest>): OrderRequest => ({
  strategy: 'conformance',
  symbol: 'RELIANCE',
  exchange: 'NSE',
  action: 'BUY',
  priceType: 'MARKET',
  product: 'MIS',
  quantity: 1,
  price: 0 as Inr4,
  triggerPrice: 0 as Inr4,
  disclosedQuantity: 0,
  ...over,
})

/**
 * One accepted order per price type and product: equity for MIS and CNC, the NIFTY future for
 * NRML (NRML is refused on cash equity). LIMIT buys rest well below the market, stop buys trigger
 * well above it; no golden request, the simulator makes no HTTP call.
 */
function placeCases(): OrderRequest[] {
  const cases: OrderRequest[] = []
  for (const product of ['MIS', 'CNC', 'NRML'] as const) {
    const [symbol, exchange, quantity] =
      product === 'NRML' ? ['NIFTY29APR25FUT', 'NFO', 75] : ['RELIANCE', 'NSE', 1]
    const base = { symbol, exchange: exchange as OrderRequest['exchange'], quantity, product }
    cases.push(
      request({ ...base, priceType: 'MARKET' }),
      request({ ...base, priceType: 'LIMIT', price: near(symbol, exchange, -200) }),
      request({
        ...base,
        priceType: 'SL',
        triggerPrice: near(symbol, exchange, 200),
        price: near(symbol, exchange, 210),
      }),
      request({ ...base, priceType: 'SL-M', triggerPrice: near(symbol, exchange, 200) }),
    )
  }
  return cases
}

/**
 * Seeds the suites' account (`SIM01`, the session has no broker user id) through the plugin's
 * shared engine: a filled order so every book has rows, and a resting order to modify and cancel.
 */
async function seed(): Promise<string> {
  const clock = createManualClock(NOW)
  const broker = plugin.createBroker(
    createBrokerContext({
      plugin,
      credentials: { apiKey: 'unused-key', apiSecret: 'unused-secret' },
      session: SESSION,
      symbols: createMemorySymbols(contract()),
      clock,
      timers: clock,
      logger: silentLogger,
      rateLimit: false,
    }),
  )
  // flatten what earlier checks left (the MARKET cases fill), so the smart-order check finds the
  // equity position first, whose lot is 1
  await broker.orders.closeAllPositions()
  const filled = await broker.orders.place(request({ product: 'CNC' }))
  if (!filled.ok) throw filled.error
  const resting = await broker.orders.place(
    request({ priceType: 'LIMIT', price: near('RELIANCE', 'NSE', -300) }),
  )
  if (!resting.ok) throw resting.error
  return resting.value.orderId
}

const fixture = async (): Promise<BrokerFixture> => {
  const restingId = await seed()
  return {
    credentials: { apiKey: 'unused-key', apiSecret: 'unused-secret' },
    session: SESSION,
    symbols: contract(),
    instruments: {
      equity: { symbol: 'RELIANCE', exchange: 'NSE' },
      index: { symbol: 'NIFTY', exchange: 'NSE_INDEX' },
      future: { symbol: 'NIFTY29APR25FUT', exchange: 'NFO' },
      option: { symbol: 'NIFTY29APR2524000CE', exchange: 'NFO' },
    },
    placeOrder: { cases: placeCases().map((r) => ({ request: r })) },
    modify: {
      request: {
        ...request({ priceType: 'LIMIT', price: near('RELIANCE', 'NSE', -310), quantity: 2 }),
        orderId: restingId,
      },
    },
    cancel: { orderId: restingId },
    intervals: [...HISTORY_INTERVALS],
    // 47 days of minutes: two 30-day chunks
    history: {
      ref: { symbol: 'NIFTY', exchange: 'NSE_INDEX' },
      interval: '1m',
      from: '2025-03-01',
      to: '2025-04-16',
    },
    master: true,
  }
}

const checks = brokerConformanceChecks({ plugin, setup: fixture })
// the master-contract check validates ~120,000 rows with zod: give it room on a busy machine
const slowIt = (name: string, body: () => Promise<void>): void => void it(name, body, 120_000)
registerChecks(
  'simulator broker conformance',
  checks.filter((c) => NOT_APPLICABLE[c.id] === undefined),
  { describe, it: slowIt },
)
describe('simulator broker conformance, not applicable to an offline broker', () => {
  for (const c of checks.filter((x) => NOT_APPLICABLE[x.id] !== undefined)) {
    it.skip(`${c.title} (${c.id}): ${NOT_APPLICABLE[c.id] ?? ''}`, () => {})
  }
})

runAdapterConformance({
  name: 'simulator',
  setup: () => ({
    createAdapter: (env) =>
      createSimulatorAdapter({
        market,
        clock: env.clock,
        timers: env.clock,
        logger: env.logger,
        symbols: env.symbols,
        ticksPerSecond: 4,
      }),
    limits: plugin.manifest.streaming ?? fail('the simulator manifest has no streaming limits'),
    symbols: contract()
      .filter((r) => r.exchange === 'NSE')
      .slice(0, 50),
    instruments: [
      { symbol: 'RELIANCE', exchange: 'NSE' },
      { symbol: 'SBIN', exchange: 'NSE' },
    ],
    session: SESSION,
    // an in-process feed: one second of virtual time lets a round of ticks out
    pump: (env) => env.clock.advance(1_000),
  }),
  describe,
  it,
})

function fail(message: string): never {
  throw new Error(message)
}
