/**
 * The simulator as a broker plugin (`defineBroker`). The app builds it once at its composition
 * root with `OA_SIMULATOR_SEED`; every session of that plugin shares one market (one universe and
 * one set of caches).
 */
import { asInr4, defineBroker, type BrokerPlugin, type Inr4 } from '@oa/broker-sdk'
import type { SandboxEngine } from '@oa/sandbox-engine'
import { createMarket, type Market } from '../market/market.js'
import { createSimulatorDriver } from './driver.js'
import { createLiveOrders, type LiveOrders, type LiveOrdersOptions } from './live-orders.js'
import { simulatorManifest } from './manifest.js'

/** Options of {@link createSimulatorPlugin}. */
export interface SimulatorOptions {
  /** market seed (`OA_SIMULATOR_SEED`); default 1 */
  seed?: number
  /**
   * strikes added on each side of every option chain (`OA_SIMULATOR_EXTRA_STRIKES`): a bigger
   * master contract, about 2,700 instruments more per strike (12: about 153,000); default 0
   */
  extraStrikes?: number
  /** every market open around the clock (tests, demos); default false */
  alwaysOpen?: boolean
  /** streamed ticks per second per instrument; default 4 */
  ticksPerSecond?: number
  /** virtual cash each account starts with, 1/10,000 rupee; default ₹1,00,00,000 (the sandbox default) */
  startingCash?: Inr4
  /** where live orders and accounts live (default in memory) and background matching */
  liveOrders?: LiveOrdersOptions
  /** a market to use instead of building one (share one between plugins, or inspect it in tests) */
  market?: Market
}

/** ₹1 crore, OpenAlgo's default sandbox capital (sandbox.md). */
const DEFAULT_STARTING_CASH = asInr4(10_000_000 * 10_000)

/** The simulator plugin, with the embedded engine of its live orders. */
export interface SimulatorPlugin extends BrokerPlugin {
  /** the live-order engine (built on the first `createBroker`); undefined before that */
  readonly engine: SandboxEngine | undefined
  /** stops background matching and closes the live-order store */
  close(): Promise<void>
}

/**
 * Builds the simulator plugin. The market is built on the first `createBroker` call (about 10 ms)
 * and shared by every later one, as is the engine that takes live orders: every session of the
 * plugin trades in one book, one account per broker user id (`SIM01` when the session has none).
 *
 * @example
 * ```ts
 * const plugin = createSimulatorPlugin({ seed: env.OA_SIMULATOR_SEED })
 * const broker = plugin.createBroker(ctx)            // ctx from createBrokerContext(...)
 * const q = await broker.marketData.quote({ symbol: 'SBIN', exchange: 'NSE' })
 * ```
 * @throws Error when `seed` is not a non-negative integer or `ticksPerSecond` is not positive.
 */
export function createSimulatorPlugin(options: SimulatorOptions = {}): SimulatorPlugin {
  const seed = options.seed ?? options.market?.seed ?? 1
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new Error(`simulator seed must be an integer from 0 to 4294967295, got ${seed}`)
  }
  const ticksPerSecond = options.ticksPerSecond ?? 4
  if (!(ticksPerSecond > 0) || !Number.isFinite(ticksPerSecond)) {
    throw new Error(`ticksPerSecond must be a positive number, got ${ticksPerSecond}`)
  }
  if (options.market !== undefined && options.market.seed !== seed) {
    throw new Error(`the given market runs seed ${options.market.seed}, not ${seed}`)
  }
  let market = options.market
  const marketFor = (): Market => {
    market ??= createMarket({
      seed,
      alwaysOpen: options.alwaysOpen === true,
      ...(options.extraStrikes === undefined ? {} : { extraStrikes: options.extraStrikes }),
    })
    return market
  }
  let live: LiveOrders | undefined
  const liveFor = (): LiveOrders => {
    live ??= createLiveOrders(
      marketFor(),
      options.startingCash ?? DEFAULT_STARTING_CASH,
      options.liveOrders,
    )
    return live
  }
  const plugin = defineBroker({
    manifest: simulatorManifest,
    createBroker: (ctx) =>
      createSimulatorDriver(ctx, { market: marketFor(), live: liveFor(), ticksPerSecond }),
  })
  return {
    ...plugin,
    get engine() {
      return live?.engine
    },
    close: () => live?.close() ?? Promise.resolve(),
  }
}
