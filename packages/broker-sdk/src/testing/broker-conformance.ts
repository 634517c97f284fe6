import type {
  Broker,
  BrokerCredentials,
  BrokerDriver,
  BrokerPlugin,
  BrokerSession,
} from '../contract.js'
import { composeBroker, parseApiKeyWithFormat } from '../define-broker.js'
import { EXCHANGES, PRICE_TYPES, PRODUCTS, FNO_EXCHANGES, isExchange } from '../enums.js'
import type { Interval, OrderStatus, PriceType, Product } from '../enums.js'
import { ORDER_STATUSES } from '../enums.js'
import { brokerManifestSchema } from '../manifest.js'
import {
  candleSchema,
  depthSchema,
  fundsSchema,
  holdingRowSchema,
  holdingStatsSchema,
  orderRowSchema,
  positionRowSchema,
  quoteSchema,
  tradeRowSchema,
} from '../models.js'
import type { InstrumentRef, ModifyRequest, OrderRequest, OrderRow } from '../models.js'
import { parseIsoDate } from '../dates.js'
import { accountSecrets, createBrokerContext } from '../runtime.js'
import { computeOrderStats } from '../stats.js'
import { symbolRowSchema } from '../symbols.js'
import type { SymbolRow } from '../symbols.js'
import {
  FUTURE_SYMBOL_PATTERN,
  OPTION_SYMBOL_PATTERN,
  formatFutureSymbol,
  formatOptionSymbol,
  parseSymbol,
} from '../symbol-grammar.js'
import {
  assert,
  assertEqual,
  assertSchema,
  fail,
  registerChecks,
  runChecks,
  skip,
} from './checks.js'
import type { CheckResult, ConformanceCheck, TestRegistrar } from './checks.js'
import { createManualClock } from './manual-clock.js'
import type { ManualClock } from './manual-clock.js'
import { createMemorySymbols } from './memory-symbols.js'
import { createMockBrokerServer } from './mock-server.js'
import type { ExpectedRequest, MockBrokerServer } from './mock-server.js'
import { createRecordingLogger } from './recording-logger.js'
import type { RecordingLogger } from './recording-logger.js'
import { createSystemTimers } from '../deps.js'

/**
 * One golden place-order case: the request, and the broker request it must produce. An offline
 * broker (no HTTP, e.g. the simulator) leaves `golden` out: the case then checks acceptance only.
 */
export interface GoldenOrder {
  request: OrderRequest
  golden?: ExpectedRequest
}

/**
 * What a broker package provides for {@link runBrokerConformance}: credentials, a symbol table and
 * golden requests for its fixtures. `setup` receives a fresh mock server per check and installs
 * the broker's fixture routes on it.
 */
export interface BrokerFixture {
  credentials: BrokerCredentials
  session: BrokerSession
  /** the symbol table the host would load (usually the parsed trimmed master file) */
  symbols: SymbolRow[]
  /** instruments the fixtures know */
  instruments: {
    equity: InstrumentRef
    index?: InstrumentRef
    future?: InstrumentRef
    option?: InstrumentRef
  }
  /** brokers.md §4 #4: one golden per (price type, product) the broker supports */
  placeOrder: { cases: GoldenOrder[]; unsupported?: readonly (readonly [PriceType, Product])[] }
  /** brokers.md §4 #5: makes the next place order answer the broker's HTTP-200 business failure */
  rejectNextOrder?: (server: MockBrokerServer) => void
  /** brokers.md §4 #7 */
  modify?: { request: ModifyRequest; golden?: ExpectedRequest }
  cancel?: { orderId: string; golden?: ExpectedRequest }
  /** brokers.md §4 #9: the broker's status mapper and every status its documentation lists */
  statuses?: {
    map: (raw: string) => OrderStatus
    documented: Readonly<Record<string, OrderStatus>>
  }
  /** brokers.md §4 #3: answers every route with the broker's auth-failure body */
  failAuth?: (server: MockBrokerServer) => void
  /** brokers.md §4 #14: the intervals the spec table lists for this broker */
  intervals?: readonly Interval[]
  /** brokers.md §4 #13: a history request the fixtures answer, spanning more than one chunk */
  history?: { ref: InstrumentRef; interval: Interval; from: string; to: string }
  /** brokers.md §4 #15: false when the master contract is not served by the fixture server */
  master?: boolean
}

/** Options of {@link runBrokerConformance} and {@link brokerConformanceChecks}. */
export interface BrokerConformanceOptions {
  plugin: BrokerPlugin
  setup(kit: { server: MockBrokerServer }): BrokerFixture | Promise<BrokerFixture>
  /** start of the virtual clock, default `2025-04-17T10:00:00+05:30` */
  now?: string
}

interface Calls {
  place: OrderRequest[]
  placeSpans: { start: number; end: number }[]
  positionSpans: { start: number; end: number }[]
  quoteBatches: InstrumentRef[][]
  history: { from: string; to: string }[]
}

interface Harness {
  server: MockBrokerServer
  fixture: BrokerFixture
  broker: Broker
  calls: Calls
  logger: RecordingLogger
  clock: ManualClock
}

let sequence = 0
const span = async <T>(
  list: { start: number; end: number }[],
  fn: () => Promise<T>,
): Promise<T> => {
  const entry = { start: sequence++, end: -1 }
  list.push(entry)
  try {
    return await fn()
  } finally {
    entry.end = sequence++
  }
}

function instrument(driver: BrokerDriver, calls: Calls): BrokerDriver {
  const { place } = driver.orders
  const { positions } = driver.books
  const { quotesBatch, history } = driver.marketData
  return {
    ...driver,
    orders: {
      ...driver.orders,
      place: (req) => {
        calls.place.push(req)
        return span(calls.placeSpans, () => place.call(driver.orders, req))
      },
    },
    books: {
      ...driver.books,
      positions: () => span(calls.positionSpans, () => positions.call(driver.books)),
    },
    marketData: {
      ...driver.marketData,
      ...(quotesBatch === undefined
        ? {}
        : {
            quotesBatch: (refs: readonly InstrumentRef[]) => {
              calls.quoteBatches.push([...refs])
              return quotesBatch.call(driver.marketData, refs)
            },
          }),
      history: (ref, interval, from, to) => {
        calls.history.push({ from, to })
        return history.call(driver.marketData, ref, interval, from, to)
      },
    },
  }
}

async function harness(
  options: BrokerConformanceOptions,
  use: (h: Harness) => Promise<void>,
): Promise<void> {
  const server = await createMockBrokerServer()
  try {
    const fixture = await options.setup({ server })
    const clock = createManualClock(options.now ?? '2025-04-17T10:00:00+05:30')
    const logger = createRecordingLogger()
    const endpoints: Record<string, string> = {}
    for (const [name, url] of Object.entries(options.plugin.manifest.endpoints)) {
      endpoints[name] = /^wss?:/.test(url) ? server.wsUrl : server.url
    }
    const ctx = createBrokerContext({
      plugin: options.plugin,
      credentials: fixture.credentials,
      session: fixture.session,
      symbols: createMemorySymbols(fixture.symbols),
      clock,
      // real timers for HTTP timeouts; retries and rate-limit waits run in virtual time
      timers: createSystemTimers(),
      sleep: async (ms) => clock.advance(ms),
      logger,
      endpoints,
      random: () => 0.5,
    })
    const calls: Calls = {
      place: [],
      placeSpans: [],
      positionSpans: [],
      quoteBatches: [],
      history: [],
    }
    const driver = instrument(options.plugin.createDriver(ctx), calls)
    const broker = composeBroker(options.plugin.manifest, driver, ctx)
    await use({ server, fixture, broker, calls, logger, clock })
  } finally {
    await server.close()
  }
}

const JUNK_STATUSES = [
  '',
  ' ',
  'zzz',
  'OPENED?',
  'complete!',
  '42',
  'null',
  'undefined',
  'Cancelled by OMS 🙂',
  'TRIGGERPENDING',
]

/**
 * The broker conformance checks of brokers.md §4 that run without broker-specific knowledge beyond
 * the fixture: manifest, symbol grammar of the master contract, golden place/modify/cancel requests,
 * business failures, total status mapping, normalized books and funds, quotes/depth shapes and
 * batching, history chunking, error classification, smart orders, and log hygiene.
 */
export function brokerConformanceChecks(options: BrokerConformanceOptions): ConformanceCheck[] {
  const { plugin } = options
  const manifest = plugin.manifest
  const run = (fn: (h: Harness) => Promise<void>) => () => harness(options, fn)

  return [
    {
      id: 'brokers.md §4 #1',
      title: 'manifest validates and its API key format round-trips',
      run: async () => {
        const parsed = brokerManifestSchema.safeParse(manifest)
        if (!parsed.success)
          fail(
            `manifest fails the SDK schema: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
          )
        for (const exchange of manifest.supportedExchanges)
          assert(isExchange(exchange), `unknown exchange ${exchange}`)
        assert(
          manifest.supportedExchanges.every((e) => (EXCHANGES as readonly string[]).includes(e)),
          'supportedExchanges ⊄ OA exchanges',
        )
        const example = plugin.parseApiKey(manifest.apiKeyFormat.example)
        assert(
          example.ok,
          `parseApiKey refuses the documented example "${manifest.apiKeyFormat.example}"`,
        )
        assertEqual(Object.keys(example.value), manifest.apiKeyFormat.parts, 'parsed API key parts')
        const extra = plugin.parseApiKey(
          `${manifest.apiKeyFormat.example}${manifest.apiKeyFormat.separator}extra`,
        )
        assert(!extra.ok, 'parseApiKey accepts a key with one separator too many')
        if (manifest.apiKeyFormat.parts.length > 1) {
          const missing = plugin.parseApiKey(
            manifest.apiKeyFormat.example.split(manifest.apiKeyFormat.separator)[0] ?? '',
          )
          assert(!missing.ok, 'parseApiKey accepts a key with a part missing')
        }
        assert(
          parseApiKeyWithFormat(manifest.apiKeyFormat, manifest.apiKeyFormat.example).ok,
          'the format example does not parse',
        )
      },
    },
    {
      id: 'brokers.md §4 #15-16',
      title: 'master contract rows are well-formed and F&O symbols follow the OA grammar',
      run: run(async ({ fixture, broker }) => {
        let rows: SymbolRow[] = fixture.symbols
        if (fixture.master !== false) {
          rows = []
          for await (const row of broker.instruments.downloadMaster()) rows.push(row)
          assert(rows.length > 0, 'downloadMaster produced no rows from the fixture server')
        }
        const kinds = new Set<string>()
        for (const row of rows) {
          assertSchema(symbolRowSchema, row, `symbol row ${row.exchange}:${row.symbol}`)
          assert(isExchange(row.exchange), `row ${row.symbol} has non-OA exchange ${row.exchange}`)
          const parsed = parseSymbol(row.symbol, row.exchange as never)
          if (
            FNO_EXCHANGES.has(row.exchange as never) &&
            (row.instrumentType === 'FUT' ||
              row.instrumentType === 'CE' ||
              row.instrumentType === 'PE')
          ) {
            const pattern =
              row.instrumentType === 'FUT' ? FUTURE_SYMBOL_PATTERN : OPTION_SYMBOL_PATTERN
            assert(
              pattern.test(row.symbol),
              `${row.symbol} does not match the §2.2 ${row.instrumentType === 'FUT' ? 'future' : 'option'} pattern`,
            )
            if (parsed === undefined || (parsed.kind !== 'future' && parsed.kind !== 'option')) {
              fail(`${row.symbol} does not parse as a derivative`)
            }
            const again =
              parsed.kind === 'future'
                ? formatFutureSymbol(parsed.base, parsed.expiry)
                : formatOptionSymbol(
                    parsed.base,
                    parsed.expiry,
                    parsed.strikeText,
                    parsed.optionType,
                  )
            assertEqual(again, row.symbol, 'symbol after parse/format round trip')
            assert(row.expiry !== null, `${row.symbol} has no expiry`)
          }
          if (parsed !== undefined) kinds.add(parsed.kind)
        }
        const symbols = createMemorySymbols(rows)
        for (const row of rows) {
          assertEqual(
            symbols.getOaSymbol(row.brSymbol, row.exchange),
            row.symbol,
            `brsymbol → symbol for ${row.brSymbol}`,
          )
        }
        assert(kinds.size > 0, 'no symbol parsed')
      }),
    },
    {
      id: 'brokers.md §4 #4',
      title: 'place order sends the golden request for every price type and product',
      run: run(async ({ fixture, broker, server }) => {
        const unsupported = new Set(
          (fixture.placeOrder.unsupported ?? []).map(([t, p]) => `${t}/${p}`),
        )
        const covered = new Set(
          fixture.placeOrder.cases.map((c) => `${c.request.priceType}/${c.request.product}`),
        )
        for (const priceType of PRICE_TYPES) {
          for (const product of PRODUCTS) {
            const key = `${priceType}/${product}`
            assert(
              covered.has(key) || unsupported.has(key),
              `no golden place-order case for ${key}`,
            )
          }
        }
        for (const c of fixture.placeOrder.cases) {
          server.takeRequests()
          const result = await broker.orders.place(c.request)
          assert(
            result.ok,
            `${c.request.priceType}/${c.request.product}: place failed: ${result.ok ? '' : result.error.message}`,
          )
          assert(result.value.orderId.length > 0, 'empty order id')
          if (c.golden === undefined) continue
          try {
            server.expectRequest(c.golden)
          } catch (error) {
            fail(`${c.request.priceType}/${c.request.product}: ${(error as Error).message}`)
          }
        }
      }),
    },
    {
      id: 'brokers.md §4 #5',
      title:
        'an HTTP-200 business failure is a rejection carrying the broker message, never success',
      run: run(async ({ fixture, broker, server }) => {
        if (fixture.rejectNextOrder === undefined) skip('fixture has no rejectNextOrder')
        fixture.rejectNextOrder(server)
        const first = fixture.placeOrder.cases[0]
        if (first === undefined) fail('no place-order case')
        const result = await broker.orders.place(first.request)
        assert(!result.ok, 'a broker business failure was reported as success')
        assertEqual(result.error.code, 'rejected', 'error code')
        assert(result.error.message.length > 0, 'empty rejection message')
      }),
    },
    {
      id: 'brokers.md §4 #7',
      title: 'modify and cancel send their golden requests; cancelling an unknown order fails',
      run: run(async ({ fixture, broker, server }) => {
        if (fixture.modify === undefined && fixture.cancel === undefined)
          skip('fixture has no modify/cancel goldens')
        if (fixture.modify !== undefined) {
          const modified = await broker.orders.modify(fixture.modify.request)
          assert(modified.ok, `modify failed: ${modified.ok ? '' : modified.error.message}`)
          if (fixture.modify.golden) server.expectRequest(fixture.modify.golden)
        }
        if (fixture.cancel !== undefined) {
          const cancelled = await broker.orders.cancel(fixture.cancel.orderId)
          assert(cancelled.ok, `cancel failed: ${cancelled.ok ? '' : cancelled.error.message}`)
          if (fixture.cancel.golden) server.expectRequest(fixture.cancel.golden)
          const unknown = await broker.orders.cancel('no-such-order-0000')
          assert(!unknown.ok, 'cancelling an unknown order reported success')
        }
      }),
    },
    {
      id: 'brokers.md §4 #9 (status)',
      title:
        'order status mapping is total: documented statuses map as specified, anything else is unknown',
      run: async () => {
        // mappers are pure, but setup() installs routes, so lend it a server nobody calls
        const server = await createMockBrokerServer()
        const statuses = await Promise.resolve(options.setup({ server })).then(
          (f) => f.statuses,
          async (error: unknown) => {
            await server.close()
            throw error
          },
        )
        await server.close()
        if (statuses === undefined) skip('fixture has no status mapper')
        for (const [raw, expected] of Object.entries(statuses.documented)) {
          assertEqual(statuses.map(raw), expected, `status "${raw}"`)
        }
        for (const raw of JUNK_STATUSES) {
          let mapped: OrderStatus
          try {
            mapped = statuses.map(raw)
          } catch (error) {
            fail(`status mapper threw on "${raw}": ${(error as Error).message}`)
          }
          assert(
            (ORDER_STATUSES as readonly string[]).includes(mapped),
            `status "${raw}" mapped outside OrderStatus: ${mapped}`,
          )
          if (!Object.hasOwn(statuses.documented, raw))
            assertEqual(mapped, 'unknown', `undocumented status "${raw}"`)
        }
      },
    },
    {
      id: 'brokers.md §4 #9-10 (books)',
      title: 'order, trade, position and holding books are normalized and numeric',
      run: run(async ({ broker }) => {
        const orders = await broker.books.orderBook()
        assert(orders.ok, `order book failed: ${orders.ok ? '' : orders.error.message}`)
        orders.value.orders.forEach((row: OrderRow, i) =>
          assertSchema(orderRowSchema, row, `order row ${i}`),
        )
        assertEqual(
          orders.value.statistics,
          computeOrderStats(orders.value.orders),
          'order statistics',
        )
        const trades = await broker.books.tradeBook()
        assert(trades.ok, `trade book failed: ${trades.ok ? '' : trades.error.message}`)
        trades.value.forEach((row, i) => assertSchema(tradeRowSchema, row, `trade row ${i}`))
        const positions = await broker.books.positions()
        assert(positions.ok, `positions failed: ${positions.ok ? '' : positions.error.message}`)
        positions.value.forEach((row, i) =>
          assertSchema(positionRowSchema, row, `position row ${i}`),
        )
        const holdings = await broker.books.holdings()
        assert(holdings.ok, `holdings failed: ${holdings.ok ? '' : holdings.error.message}`)
        holdings.value.holdings.forEach((row, i) =>
          assertSchema(holdingRowSchema, row, `holding row ${i}`),
        )
        assertSchema(holdingStatsSchema, holdings.value.statistics, 'holding statistics')
        const total =
          orders.value.orders.length +
          trades.value.length +
          positions.value.length +
          holdings.value.holdings.length
        // an offline broker with no orders yet has nothing to check; say so rather than pass silently
        if (total === 0)
          skip('every book is empty: put rows in the fixtures to check their mapping')
      }),
    },
    {
      id: 'brokers.md §4 #11',
      title: 'funds come back as the five normalized fields',
      run: run(async ({ broker }) => {
        const funds = await broker.funds()
        assert(funds.ok, `funds failed: ${funds.ok ? '' : funds.error.message}`)
        assertSchema(fundsSchema, funds.value, 'funds')
        assertEqual(
          Object.keys(funds.value).sort(),
          ['availableCash', 'collateral', 'm2mRealized', 'm2mUnrealized', 'utilisedDebits'],
          'funds fields',
        )
      }),
    },
    {
      id: 'brokers.md §4 #12',
      title:
        'quotes and depth have the normalized shape; multiquotes batch and list unknown symbols first',
      run: run(async ({ fixture, broker, calls }) => {
        const quote = await broker.marketData.quote(fixture.instruments.equity)
        assert(quote.ok, `quote failed: ${quote.ok ? '' : quote.error.message}`)
        assertSchema(quoteSchema, quote.value, 'quote')
        const depth = await broker.marketData.depth(fixture.instruments.equity)
        assert(depth.ok, `depth failed: ${depth.ok ? '' : depth.error.message}`)
        assertSchema(depthSchema, depth.value, 'depth')
        const known = Object.values(fixture.instruments).filter(
          (r): r is InstrumentRef => r !== undefined,
        )
        const unknown = { symbol: 'NOSUCHSYMBOL', exchange: fixture.instruments.equity.exchange }
        const items = await broker.marketData.quotes([...known, unknown])
        assertEqual(items.length, known.length + 1, 'multiquote item count')
        assert(
          items[0]?.symbol === unknown.symbol && 'error' in items[0],
          'the unknown symbol is not listed first with an error',
        )
        for (const item of items.slice(1))
          if ('data' in item) assertSchema(quoteSchema, item.data, `quote of ${item.symbol}`)
        for (const batch of calls.quoteBatches) {
          assert(
            batch.length <= manifest.quoteBatchSize,
            `a quote batch of ${batch.length} exceeds quoteBatchSize ${manifest.quoteBatchSize}`,
          )
        }
      }),
    },
    {
      id: 'brokers.md §4 #13-14',
      title:
        'history is chunked by historyChunkDays, merged ascending in epoch seconds; intervals match',
      run: run(async ({ fixture, broker, calls }) => {
        if (fixture.intervals !== undefined)
          assertEqual(broker.marketData.intervals(), [...fixture.intervals], 'advertised intervals')
        if (fixture.history === undefined) skip('fixture has no history request')
        const { ref, interval, from, to } = fixture.history
        const result = await broker.marketData.history(ref, interval, from, to)
        assert(result.ok, `history failed: ${result.ok ? '' : result.error.message}`)
        const chunkDays = manifest.historyChunkDays[interval]
        const days = calls.history.map((c) => ({
          from: parseIsoDate(c.from) ?? NaN,
          to: parseIsoDate(c.to) ?? NaN,
        }))
        assertEqual(days[0]?.from, parseIsoDate(from), 'first chunk start')
        assertEqual(days.at(-1)?.to, parseIsoDate(to), 'last chunk end')
        days.forEach((d, i) => {
          if (chunkDays !== undefined)
            assert(
              d.to - d.from + 1 <= chunkDays,
              `chunk ${i} spans ${d.to - d.from + 1} days > ${chunkDays}`,
            )
          const next = days[i + 1]
          if (next !== undefined)
            assertEqual(next.from, d.to + 1, `chunk ${i + 1} start (contiguous, no overlap)`)
        })
        let previous = -Infinity
        for (const candle of result.value) {
          assertSchema(candleSchema, candle, 'candle')
          assert(
            candle.timestamp > previous,
            'candles are not strictly ascending (duplicates or disorder)',
          )
          assert(candle.timestamp < 1e11, 'candle timestamps look like milliseconds, not seconds')
          previous = candle.timestamp
        }
      }),
    },
    {
      id: 'brokers.md §4 #3 + §1.5',
      title: 'errors are classified: 5xx broker_down, 429 rate_limited, auth failure auth_*',
      run: run(async ({ fixture, broker, server }) => {
        server.on(/.*/, { status: 503, text: 'Service Unavailable' })
        const down = await broker.funds()
        if (server.requests.length === 0) skip('the broker made no HTTP request (offline broker)')
        assert(!down.ok, 'funds succeeded against a 503')
        assertEqual(down.error.code, 'broker_down', '503 error code')
        assert(down.error.retryable, '503 should be retryable')
        server.on(/.*/, { status: 429, headers: { 'retry-after': '1' }, text: 'Too many requests' })
        const limited = await broker.funds()
        assert(!limited.ok, 'funds succeeded against a 429')
        assertEqual(limited.error.code, 'rate_limited', '429 error code')
        if (fixture.failAuth !== undefined) {
          fixture.failAuth(server)
          const auth = await broker.funds()
          assert(!auth.ok, 'funds succeeded against an auth failure')
          assert(
            auth.error.code === 'auth_expired' || auth.error.code === 'auth_required',
            `auth failure classified as ${auth.error.code}`,
          )
        }
      }),
    },
    {
      id: 'brokers.md §4 #8',
      title: 'smart orders place only the difference and serialize per symbol',
      run: run(async ({ fixture, broker, calls }) => {
        const book = await broker.books.positions()
        assert(book.ok, `positions failed: ${book.ok ? '' : book.error.message}`)
        const base =
          fixture.placeOrder.cases.find((c) => c.request.priceType === 'MARKET') ??
          fixture.placeOrder.cases[0]
        if (base === undefined) skip('no place-order case: the broker takes no orders')
        const held = book.value.find((p) => p.quantity !== 0)
        const req =
          held === undefined
            ? base.request
            : {
                ...base.request,
                symbol: held.symbol,
                exchange: held.exchange,
                product: held.product,
              }
        const current = held?.quantity ?? 0
        calls.place.length = 0
        // quantity 0 at a flat position is the "no open position" no-op; otherwise target = current
        const noop = await broker.orders.placeSmart({
          ...req,
          quantity: current === 0 ? 0 : 1,
          positionSize: current,
        })
        assert(
          noop.ok && noop.value.orderId === undefined,
          'a smart order at the current position placed an order',
        )
        assertEqual(calls.place.length, 0, 'orders placed for a matched position')
        const more = await broker.orders.placeSmart({
          ...req,
          quantity: 1,
          positionSize: current + 3,
        })
        assert(more.ok, `smart order failed: ${more.ok ? '' : more.error.message}`)
        assertEqual(
          calls.place.map((p) => [p.action, p.quantity]),
          [['BUY', 3]],
          'smart order placed',
        )
        calls.placeSpans.length = 0
        calls.positionSpans.length = 0
        // a new target, so that a broker whose book moves (the simulator) also places once
        await Promise.all([
          broker.orders.placeSmart({ ...req, quantity: 1, positionSize: current + 6 }),
          broker.orders.placeSmart({ ...req, quantity: 1, positionSize: current + 6 }),
        ])
        const [firstPlace] = calls.placeSpans
        const secondRead = calls.positionSpans[1]
        assert(
          firstPlace !== undefined && secondRead !== undefined,
          'expected two position reads and a placement',
        )
        assert(
          secondRead.start > firstPlace.end,
          'the second smart order read positions before the first finished placing',
        )
      }),
    },
    {
      id: 'brokers.md §4 #21',
      title: 'logs never contain the account secrets',
      run: run(async ({ fixture, broker, logger, server }) => {
        await broker.funds()
        await broker.books.orderBook()
        const first = fixture.placeOrder.cases[0]
        if (first !== undefined) await broker.orders.place(first.request)
        server.on(/.*/, { status: 500, text: `boom ${fixture.session.authToken}` })
        await broker.funds()
        const text = logger.text()
        for (const secret of accountSecrets(fixture.credentials, fixture.session)) {
          assert(!text.includes(secret), `a log line contains a secret (${secret.slice(0, 3)}…)`)
        }
      }),
    },
  ]
}

/** Runs the broker checks and returns one result per check (for programmatic use and for proving failures). */
export function checkBroker(options: BrokerConformanceOptions): Promise<CheckResult[]> {
  return runChecks(brokerConformanceChecks(options))
}

/**
 * Registers the broker conformance suite (brokers.md §4) as tests.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest'
 * import { runBrokerConformance } from '@oa/broker-sdk/testing'
 * runBrokerConformance({ plugin: acme, setup: ({ server }) => installAcmeFixtures(server), describe, it })
 * ```
 */
export function runBrokerConformance(options: BrokerConformanceOptions & TestRegistrar): void {
  registerChecks(
    `${options.plugin.manifest.id} broker conformance`,
    brokerConformanceChecks(options),
    options,
  )
}
