/**
 * The simulator's {@link BrokerDriver}: market data, the master contract and streaming from the
 * market core; a login that needs nothing; live orders, books, funds and margins from an embedded
 * sandbox engine priced by the same market (see `live-orders.ts`), one account per session's
 * broker user id.
 */
import {
  BrokerError,
  asInr4,
  err,
  ok,
  symbolNotFoundMessage,
  type BrokerContext,
  type BrokerDriver,
  type BrokerSession,
  type Candle,
  type Depth,
  type InstrumentRef,
  type LoginInput,
  type Quote,
  type QuoteBatchItem,
  type Result,
  type SymbolRow,
} from '@oa/broker-sdk'
import { formatIsoDate, istDayOf, istEpochMs, parseIsoDate } from '../market/calendar.js'
import { contractBatches } from '../market/contract.js'
import {
  HISTORY_INTERVALS,
  type HistoryInterval,
  type Instrument,
  type Market,
} from '../market/market.js'
import { hash3, hashString } from '../market/prng.js'
import type {
  Candle as MarketCandle,
  Depth as MarketDepth,
  Quote as MarketQuote,
} from '../market/types.js'
import { accountFacets, DEFAULT_ACCOUNT, type LiveOrders } from './live-orders.js'
import { createSimulatorAdapter } from './stream-adapter.js'

/** What the driver needs besides the broker context. */
export interface SimulatorDriverOptions {
  market: Market
  /** the embedded engine that takes live orders (shared by every session of a plugin) */
  live: LiveOrders
  /** streamed ticks per second per instrument */
  ticksPerSecond: number
}

/** Session tokens last until the next 03:00 IST, when broker sessions roll over (platform.md §4.5). */
const ROLLOVER_MINUTE = 3 * 60
/** Rows between yields to the event loop while streaming the master contract. */
const YIELD_EVERY_ROWS = 10_000

/** Builds the simulator's driver for one broker context. */
export function createSimulatorDriver(
  ctx: BrokerContext,
  options: SimulatorDriverOptions,
): BrokerDriver {
  const { market } = options
  const seed = market.seed

  const resolve = (ref: InstrumentRef): Result<Instrument> => {
    const r = market.resolve(ref.symbol, ref.exchange)
    if (r.ok) return ok(r.value)
    if (r.error.code === 'exchange_not_supported') {
      return err(new BrokerError('not_supported', r.error.message))
    }
    return err(new BrokerError('symbol_not_found', symbolNotFoundMessage(ref)))
  }

  options.live.useClock(ctx.clock)
  const account = accountFacets(options.live, ctx.session?.brokerUserId ?? DEFAULT_ACCOUNT)

  const sessionFor = (userId: string): BrokerSession => {
    const now = ctx.clock.now()
    const day = istDayOf(now)
    // the same user, seed and day always get the same token
    const tag = hash3(seed, hashString(userId), day).toString(16).padStart(8, '0')
    let expires = istEpochMs(day, ROLLOVER_MINUTE)
    if (expires <= now) expires = istEpochMs(day + 1, ROLLOVER_MINUTE)
    return {
      authToken: `simulator:${seed}:${formatIsoDate(day)}:${tag}`,
      brokerUserId: userId,
      expiresAtMs: expires,
    }
  }

  return {
    auth: {
      loginUrl: () => null,
      completeLogin: (input: LoginInput) =>
        Promise.resolve(
          ok(
            sessionFor(
              input.kind === 'credentials' && input.clientCode !== '' ? input.clientCode : 'SIM01',
            ),
          ),
        ),
      validateSession: (session) =>
        Promise.resolve(
          session.authToken.startsWith(`simulator:${seed}:`)
            ? ok(undefined)
            : err(
                new BrokerError(
                  'auth_expired',
                  'not a simulator session for this seed; log in again',
                ),
              ),
        ),
    },
    orders: account.orders,
    books: account.books,
    funds: account.funds,
    margin: account.margin,
    marketData: {
      quote(ref) {
        const inst = resolve(ref)
        if (!inst.ok) return Promise.resolve(inst)
        return Promise.resolve(ok(toQuote(market.quote(inst.value, ctx.clock.now()))))
      },
      quotesBatch(refs) {
        const now = ctx.clock.now()
        const items: QuoteBatchItem[] = refs.map((ref) => {
          const inst = resolve(ref)
          return inst.ok
            ? { ref, quote: toQuote(market.quote(inst.value, now)) }
            : { ref, error: inst.error }
        })
        return Promise.resolve(ok(items))
      },
      depth(ref) {
        const inst = resolve(ref)
        if (!inst.ok) return Promise.resolve(inst)
        return Promise.resolve(ok(toDepth(market.depth(inst.value, ctx.clock.now()))))
      },
      history(ref, interval, from, to) {
        if (!(HISTORY_INTERVALS as readonly string[]).includes(interval)) {
          return Promise.resolve(
            err(
              new BrokerError(
                'invalid_input',
                `Unsupported interval '${interval}'. Supported intervals: ${HISTORY_INTERVALS.join(', ')}`,
              ),
            ),
          )
        }
        const fromDay = parseIsoDate(from)
        const toDay = parseIsoDate(to)
        if (fromDay === undefined || toDay === undefined) {
          return Promise.resolve(
            err(
              new BrokerError(
                'invalid_input',
                `dates must be YYYY-MM-DD, got "${from}" and "${to}"`,
              ),
            ),
          )
        }
        const inst = resolve(ref)
        if (!inst.ok) return Promise.resolve(inst)
        const candles = market.history(
          inst.value,
          interval as HistoryInterval,
          fromDay,
          toDay,
          ctx.clock.now(),
        )
        return Promise.resolve(ok(candles.map(toCandle)))
      },
    },
    instruments: {
      async *downloadMaster(progress) {
        const day = istDayOf(ctx.clock.now())
        let rows = 0
        let sinceYield = 0
        for (const batch of contractBatches(seed, day, market.universe)) {
          for (const row of batch) yield row satisfies SymbolRow
          rows += batch.length
          sinceYield += batch.length
          progress?.({ stage: batch[0]?.exchange ?? 'done', rows })
          if (sinceYield >= YIELD_EVERY_ROWS) {
            sinceYield = 0
            // let the host's HTTP server breathe while 100k+ rows are produced
            await new Promise<void>((resolve) => setImmediate(resolve))
          }
        }
      },
    },
    streaming: {
      createMarketDataAdapter: () =>
        createSimulatorAdapter({
          market,
          clock: ctx.clock,
          timers: ctx.timers,
          logger: ctx.logger,
          ticksPerSecond: options.ticksPerSecond,
          symbols: ctx.symbols,
        }),
    },
    orderUpdates: 'poll',
  }
}

// The market core already computes integer 1/10,000-rupee prices; only the brand is added.
function toQuote(q: MarketQuote): Quote {
  return {
    ltp: asInr4(q.ltp),
    open: asInr4(q.open),
    high: asInr4(q.high),
    low: asInr4(q.low),
    prevClose: asInr4(q.prevClose),
    bid: asInr4(q.bid),
    ask: asInr4(q.ask),
    volume: q.volume,
    oi: q.oi,
  }
}

function toDepth(d: MarketDepth): Depth {
  const level = (l: { price: number; quantity: number; orders: number }) => ({
    price: asInr4(l.price),
    quantity: l.quantity,
    orders: l.orders,
  })
  return {
    bids: d.bids.map(level),
    asks: d.asks.map(level),
    ltp: asInr4(d.ltp),
    ltq: d.ltq,
    open: asInr4(d.open),
    high: asInr4(d.high),
    low: asInr4(d.low),
    prevClose: asInr4(d.prevClose),
    volume: d.volume,
    oi: d.oi,
    totalBuyQty: d.totalBuyQty,
    totalSellQty: d.totalSellQty,
  }
}

function toCandle(c: MarketCandle): Candle {
  return {
    timestamp: c.timestamp,
    open: asInr4(c.open),
    high: asInr4(c.high),
    low: asInr4(c.low),
    close: asInr4(c.close),
    volume: c.volume,
    oi: c.oi,
  }
}
