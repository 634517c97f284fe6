/** apps/server: the composition root. Exported for tests and benchmarks in this workspace. */
export { main } from './cli.js'
export { createApp } from './http/app.js'
export { startServer } from './startup/start-server.js'
export type { RunningServer, StartServerOptions } from './startup/start-server.js'
export type { ServerContext } from './context.js'
