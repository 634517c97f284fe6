/** apps/ws-proxy: the OpenAlgo WebSocket market-data feed. Exported for tests and benchmarks. */
export { main } from './main.js'
export { startFeedServer } from './server.js'
export type { FeedServer, FeedServerOptions } from './server.js'
