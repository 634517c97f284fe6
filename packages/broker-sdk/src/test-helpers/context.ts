import type { BrokerContext } from '../contract.js'
import { parseManifest } from '../define-broker.js'
import type { BrokerManifest, BrokerManifestInput } from '../manifest.js'
import { createBrokerContext } from '../runtime.js'
import type { SymbolRow } from '../symbols.js'
import { createManualClock } from '../testing/manual-clock.js'
import { createMemorySymbols, symbolRow } from '../testing/memory-symbols.js'
import { createRecordingLogger } from '../testing/recording-logger.js'
import type { RecordingLogger } from '../testing/recording-logger.js'

export const testManifestInput: BrokerManifestInput = {
  id: 'memory',
  displayName: 'Memory',
  version: '0.0.1',
  brokerType: 'IN_stock',
  supportedExchanges: ['NSE', 'NFO', 'NSE_INDEX'],
  leverageConfig: false,
  apiKeyFormat: { parts: ['apiKey'], example: 'key' },
  auth: 'none',
  endpoints: { api: 'http://127.0.0.1:9' },
  intervals: ['1m', 'D'],
  historyChunkDays: { '1m': 30, D: 2000 },
  historyMaxCandles: 50_000,
  quoteBatchSize: 2,
}

export const testSymbols: SymbolRow[] = [
  symbolRow({ symbol: 'SBIN', exchange: 'NSE', token: '3045' }),
  symbolRow({ symbol: 'INFY', exchange: 'NSE', token: '1594' }),
  symbolRow({ symbol: 'TCS', exchange: 'NSE', token: '11536' }),
  symbolRow({ symbol: 'RELIANCE', exchange: 'NSE', token: '2885' }),
  symbolRow({ symbol: 'HDFCBANK', exchange: 'NSE', token: '1333' }),
]

export function testContext(manifest: Partial<BrokerManifestInput> = {}): {
  ctx: BrokerContext
  manifest: BrokerManifest
  logger: RecordingLogger
} {
  const parsed = parseManifest({ ...testManifestInput, ...manifest })
  const clock = createManualClock('2025-04-17T10:00:00+05:30')
  const logger = createRecordingLogger()
  const ctx = createBrokerContext({
    plugin: { manifest: parsed },
    credentials: { apiKey: 'memory-api-key', apiSecret: 'memory-api-secret' },
    symbols: createMemorySymbols(testSymbols),
    clock,
    timers: clock,
    logger,
    rateLimit: false,
  })
  return { ctx, manifest: parsed, logger }
}
