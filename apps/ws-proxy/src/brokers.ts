/**
 * The brokers the proxy can stream from. The simulator streams its deterministic ticks through
 * `@oa/broker-sdk`'s adapter interface, so the whole feed runs offline; real brokers join this
 * map with their socket adapters (their decoders live in brokers/zerodha, brokers/angel,
 * brokers/dhan).
 */
import { streamingLimitsSchema } from '@oa/broker-sdk'
import {
  createMarket,
  createSimulatorAdapter,
  simulatorManifest,
  type Market,
} from '@oa/broker-simulator'
import type { StreamingBroker } from './feed-manager.js'

/** Options of {@link createSimulatorStreaming}. */
export interface SimulatorStreamingOptions {
  /** OA_SIMULATOR_SEED */
  readonly seed: number
  /** OA_SIMULATOR_EXTRA_STRIKES; default 0 */
  readonly extraStrikes?: number
  /** ticks per second per instrument; default 4 */
  readonly ticksPerSecond?: number
  /** every market open around the clock (tests, demos, benchmarks) */
  readonly alwaysOpen?: boolean
  /** how often the adapter pumps ticks out, ms; default 100 */
  readonly pumpIntervalMs?: number
  /** a market to share (tests) */
  readonly market?: Market
}

/** The simulator as a {@link StreamingBroker}, with its market (for exchange hours). */
export function createSimulatorStreaming(
  options: SimulatorStreamingOptions,
): StreamingBroker & { readonly market: Market } {
  const market =
    options.market ??
    createMarket({
      seed: options.seed,
      extraStrikes: options.extraStrikes ?? 0,
      alwaysOpen: options.alwaysOpen === true,
    })
  return {
    id: 'simulator',
    limits: streamingLimitsSchema.parse(simulatorManifest.streaming),
    market,
    createAdapter: (_session, deps) =>
      createSimulatorAdapter({
        market,
        clock: deps.clock,
        timers: deps.timers,
        logger: deps.logger,
        symbols: deps.symbols,
        ticksPerSecond: options.ticksPerSecond ?? 4,
        ...(options.pumpIntervalMs === undefined ? {} : { pumpIntervalMs: options.pumpIntervalMs }),
      }),
  }
}
