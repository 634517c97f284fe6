/**
 * Prices for resting sandbox orders (sandbox.md §11.1, done better): only the instruments that
 * have resting orders (`engine.restingSymbols()`) are priced, and each price goes to
 * `engine.onPrice`, whose ladders take exactly the orders the price crosses. No loop over
 * orders, and `placeorder` never waits on the feed (marketable orders fill at placement).
 *
 * Two sources:
 * - {@link createComputedFeed}: prices the host can compute in process (the simulator's model):
 *   every `intervalMs`, one quote per resting instrument, no network.
 * - {@link createStreamingFeed}: a broker's market-data socket (`MarketDataAdapter`), subscribed
 *   to the resting instruments in LTP mode and re-synced every `resyncMs`; each tick is a price.
 */
import type { InstrumentRef, MarketDataAdapter, Tick } from '@oa/broker-sdk'
import type { PriceSource, Quote, SandboxEngine } from '@oa/sandbox-engine'
import type { Logger } from '../logger.js'

/** A source of prices for the engine's resting orders. */
export interface PriceFeed {
  start(): void
  stop(): void
  /** one round now (tests drive the feed with it) */
  tick(): Promise<void>
}

type Feedable = Pick<SandboxEngine, 'restingSymbols' | 'onPrice'>

/** Periodic timer that never overlaps itself and keeps no process alive. */
function every(ms: number, fn: () => Promise<void>): () => void {
  let busy = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    void fn().finally(() => {
      busy = false
    })
  }, ms)
  timer.unref()
  return () => clearInterval(timer)
}

/**
 * A feed over prices computed in process: every `intervalMs` (default 250), each instrument with
 * resting orders is quoted once and the quote is fed to the engine.
 */
export function createComputedFeed(options: {
  readonly engine: Feedable
  readonly prices: PriceSource
  readonly logger: Logger
  readonly intervalMs?: number
}): PriceFeed {
  const { engine, prices } = options
  let cancel: (() => void) | undefined
  const tick = async (): Promise<void> => {
    for (const { symbol, exchange } of engine.restingSymbols()) {
      try {
        const q = await prices.quote(symbol, exchange)
        if (q) await engine.onPrice(symbol, exchange, q)
      } catch (error) {
        options.logger.error({ err: error, symbol, exchange }, 'sandbox price feed failed')
      }
    }
  }
  return {
    start() {
      cancel ??= every(options.intervalMs ?? 250, tick)
    },
    stop() {
      cancel?.()
      cancel = undefined
    },
    tick,
  }
}

const keyOf = (r: InstrumentRef): string => `${r.exchange}:${r.symbol}`

/**
 * A feed over a broker's market-data socket: the resting instruments are subscribed (LTP mode),
 * instruments without resting orders unsubscribed, every `resyncMs` (default 1000); every tick
 * of a subscribed instrument goes to the engine.
 */
export function createStreamingFeed(options: {
  readonly engine: Feedable
  readonly adapter: MarketDataAdapter
  readonly logger: Logger
  readonly resyncMs?: number
}): PriceFeed {
  const { engine, adapter, logger } = options
  const subscribed = new Map<string, InstrumentRef>()
  let cancel: (() => void) | undefined
  let offTick: (() => void) | undefined
  let connected: Promise<boolean> | undefined

  const onTick = (t: Tick): void => {
    if (!subscribed.has(`${t.exchange}:${t.symbol}`)) return
    const quote: Quote = { ltp: t.ltp, atMs: t.receivedTs }
    void engine.onPrice(t.symbol, t.exchange, quote).catch((error: unknown) => {
      logger.error({ err: error, symbol: t.symbol }, 'sandbox tick failed')
    })
  }

  const resync = async (): Promise<void> => {
    connected ??= adapter.connect().then((r) => {
      if (!r.ok) logger.warn({ err: r.error.message }, 'sandbox price feed could not connect')
      return r.ok
    })
    if (!(await connected)) {
      connected = undefined
      return
    }
    // the engine only rests orders on instruments it accepted, so their exchanges are OpenAlgo's
    const resting = engine.restingSymbols() as InstrumentRef[]
    const wanted = new Map(resting.map((r) => [keyOf(r), r] as const))
    const add = [...wanted].filter(([k]) => !subscribed.has(k)).map(([, r]) => r)
    const drop = [...subscribed].filter(([k]) => !wanted.has(k)).map(([, r]) => r)
    if (add.length > 0) {
      for (const ack of await adapter.subscribe(add, 1)) {
        if (ack.ok) subscribed.set(keyOf(ack.ref), ack.ref)
      }
    }
    if (drop.length > 0) {
      for (const r of drop) subscribed.delete(keyOf(r))
      await adapter.unsubscribe(drop)
    }
  }

  return {
    start() {
      offTick ??= adapter.onTick(onTick)
      cancel ??= every(options.resyncMs ?? 1_000, resync)
    },
    stop() {
      cancel?.()
      cancel = undefined
      offTick?.()
      offTick = undefined
      subscribed.clear()
      connected = undefined
      void adapter.close()
    },
    tick: resync,
  }
}
