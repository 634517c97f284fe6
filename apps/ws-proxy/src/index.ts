/** apps/ws-proxy: the OpenAlgo WebSocket market-data feed. Exported for tests and benchmarks. */
export { main } from './main.js'
export { DEFAULT_LIMITS, startFeedServer } from './server.js'
export type { FeedServer, FeedServerOptions, ProxyLimits, ProxyStats } from './server.js'
export { createSimulatorStreaming } from './brokers.js'
export type { SimulatorStreamingOptions } from './brokers.js'
export { createAuthCacheIdentity, SESSIONLESS } from './identity.js'
export type { Identity, KeyGrant, UserBroker, VerifyResult } from './identity.js'
export { createSymtokenIndex, simulatorSymbolSource, symbolIndexOf } from './symbols.js'
export type {
  SymbolIndex,
  SymbolSource,
  SymtokenIndex,
  SymtokenIndexMode,
  SymtokenIndexOptions,
  SymtokenWait,
} from './symbols.js'
export type { FeedManager, StreamingBroker } from './feed-manager.js'
