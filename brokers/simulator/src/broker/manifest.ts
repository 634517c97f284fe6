/**
 * The simulator's manifest (brokers.md §1.1, §1.7): every exchange it simulates, no credentials,
 * no endpoints, no rate limits (nothing leaves the process).
 */
import type { BrokerManifestInput, Exchange, Interval } from '@oa/broker-sdk'
import { HISTORY_INTERVALS } from '../market/market.js'

/** The OpenAlgo exchanges the simulator lists instruments on. */
export const SIMULATED_EXCHANGES: readonly Exchange[] = [
  'NSE',
  'BSE',
  'NFO',
  'BFO',
  'CDS',
  'MCX',
  'NSE_INDEX',
  'BSE_INDEX',
]

/** The simulator's manifest as written (the SDK validates it and applies defaults). */
export const simulatorManifest: BrokerManifestInput = {
  id: 'simulator',
  displayName: 'Simulator',
  version: '0.1.0',
  brokerType: 'IN_stock',
  supportedExchanges: [...SIMULATED_EXCHANGES],
  leverageConfig: false,
  // BROKER_API_KEY is not used; any non-empty text parses
  apiKeyFormat: { parts: ['apiKey'], example: 'simulator' },
  auth: 'none',
  endpoints: {},
  rateLimits: {},
  intervals: [...HISTORY_INTERVALS] as Interval[],
  // candles are computed in memory; chunks only bound the memory of one step
  historyChunkDays: {
    '1m': 30,
    '2m': 60,
    '3m': 60,
    '5m': 120,
    '10m': 240,
    '15m': 365,
    '20m': 365,
    '30m': 730,
    '1h': 1460,
    '2h': 1460,
    '3h': 1460,
    '4h': 1460,
  },
  quoteBatchSize: 500,
  streaming: {
    maxSymbolsPerConnection: 3000,
    maxConnections: 3,
    subscribeBatchSize: 500,
    reconnect: { baseMs: 1000, capMs: 10_000, maxAttempts: 10, healthyResetMs: 60_000 },
  },
}
