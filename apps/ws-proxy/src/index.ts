/** apps/ws-proxy: the OpenAlgo WebSocket market-data feed. Exported for tests and benchmarks. */
export { main } from './main.js'
export { DEFAULT_LIMITS, startFeedServer } from './server.js'
export type { FeedServer, FeedServerOptions, ProxyLimits, ProxyStats } from './server.js'
export { createSimulatorStreaming } from './brokers.js'
export type { SimulatorStreamingOptions } from './brokers.js'
export { createAuthCacheIdentity, SESSIONLESS } from './identity.js'
export type { Identity, KeyGrant, UserBroker, VerifyResult } from './identity.js'
export {
  loadSymbolIndex,
  simulatorSymbolSource,
  symbolIndexOf,
  symtokenSymbolSource,
} from './symbols.js'
export type { SymbolIndex, SymbolSource } from './symbols.js'
export type { FeedManager, StreamingBroker } from './feed-manager.js'
