import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createAuthCache, secureRandom } from '@oa/auth-cache'
import { createSystemTimers } from '@oa/broker-sdk'
import {
  mainMigrations,
  openDatabase,
  type DatabaseHandle,
  type MainDatabase,
  type ProxyToServerMessage,
} from '@oa/db'
import { formatProblem, loadEnv } from '@oa/env-check'
import { createSymbolCache } from '@oa/symbol-cache'
import pino from 'pino'
import { createSimulatorStreaming } from './brokers.js'
import { collectLoadGarbage } from './heap.js'
import { createAuthCacheIdentity } from './identity.js'
import { deriveFeedTokenKey } from '@oa/web-contract/feed-token'
import { handleServerMessage } from './ipc.js'
import { createDbOrderEventStore, createOrderEventPoller } from './order-events.js'
import { startFeedServer, type FeedServer } from './server.js'
import { createSymtokenIndex, simulatorSymbolSource } from './symbols.js'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

/** How often the `order_events` table is polled: as a safety net under IPC, or as the only source. */
const ORDER_POLL_SUPERVISED_MS = 250
const ORDER_POLL_STANDALONE_MS = 25

/** How long a supervised proxy waits for the server's first symtoken before generating its own. */
const SUPERVISED_SYMTOKEN_WAIT_MS = 60_000

/**
 * Entry point of the ws-proxy process: env-check, the main database (API keys, broker sessions,
 * order events), the symbol table, listen, report ready to the supervisor (IPC), serve the IPC
 * channel, stop cleanly on SIGTERM/SIGINT. Resolves with the exit code.
 *
 * Run by `oa start` as a supervised child (`OA_SUPERVISED=1`, an IPC channel), or on its own as
 * `oa-ws-proxy` (with `OA_WS_PROXY=off` on the server): it then learns order events from the
 * `order_events` table and credential changes from the auth epoch, both polled.
 */
export async function main(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const result = loadEnv({
    rootDir: repoRoot,
    envFile: env['OA_ENV_FILE'] || join(repoRoot, '.env'),
    processEnv: env,
  })
  if (!result.ok) {
    for (const p of result.problems) process.stderr.write(`ws-proxy: ${formatProblem(p)}\n`)
    return 1
  }
  const { config } = result
  const logger = pino({
    level: config.logging.level,
    base: { pid: process.pid, component: 'ws-proxy' },
    redact: {
      paths: [
        'apiKey',
        'api_key',
        'apikey',
        'authToken',
        'feedToken',
        '*.authToken',
        '*.feedToken',
      ],
      censor: '[redacted]',
    },
  })
  const clock = { now: () => Date.now() }
  const timers = createSystemTimers()
  const supervised = typeof process.send === 'function'

  let db: DatabaseHandle<MainDatabase>
  try {
    db = await openDatabase<MainDatabase>(config.storage.mainDb, mainMigrations)
  } catch (error) {
    logger.error(
      { err: error instanceof Error ? error.message : String(error), path: config.storage.mainDb },
      'could not open the main database: check OA_DATA_DIR / DATABASE_URL',
    )
    return 1
  }
  const auth = createAuthCache({
    db: db.sqlite,
    secrets: { pepper: config.secrets.apiKeyPepper, fernetSaltHex: config.secrets.fernetSalt },
    clock,
    random: secureRandom,
    expiry: { time: config.session.expiryTime, disabled: config.session.disableExpiry },
    logger,
  })
  const sessionless =
    config.broker.name === 'simulator' && config.broker.validBrokers.includes('simulator')
      ? 'simulator'
      : null
  const simulator = createSimulatorStreaming(config.simulator)
  const fallback =
    config.broker.name === 'simulator'
      ? simulatorSymbolSource(config.simulator.seed, clock, simulator.market.universe)
      : undefined
  // supervised, the server fills symtoken seconds after this process starts: wait for it rather
  // than generate the simulator's contract only to drop it right after
  const symbols = createSymtokenIndex({
    sqlite: db.sqlite,
    ...(fallback === undefined ? {} : { fallback }),
    ...(supervised
      ? {
          wait: {
            timeoutMs: SUPERVISED_SYMTOKEN_WAIT_MS,
            pollMs: 200,
            clock,
            sleep: (ms) => new Promise((resolve) => timers.setTimeout(resolve, ms)),
          },
        }
      : {}),
    createCache: () =>
      createSymbolCache({
        clock,
        sessionExpiry: config.session.expiryTime,
        logger,
        ...(fallback === undefined ? {} : { loader: () => fallback.load() }),
      }),
    logger,
    afterLoad: collectLoadGarbage,
  })
  const ordersEnabled = config.websocket.orderUpdatesEnabled

  let server: FeedServer
  try {
    server = await startFeedServer({
      host: config.websocket.host,
      port: config.websocket.port,
      limits: {
        authGraceMs: config.websocket.authGraceSeconds * 1000,
        maxInboundQueue: config.websocket.maxQueue,
        pingIntervalMs: config.websocket.pingIntervalSeconds * 1000,
        pingTimeoutMs: config.websocket.pingTimeoutSeconds * 1000,
        stallMs: config.websocket.staleTickWarnSeconds * 1000,
        maxSymbolsPerConnection: config.websocket.maxSymbolsPerConnection,
        maxConnections: config.websocket.maxConnections,
      },
      identity: createAuthCacheIdentity({
        auth,
        sessionlessBroker: sessionless,
        feedTokenKey: deriveFeedTokenKey(config.secrets.appKey),
      }),
      brokers: new Map([[simulator.id, simulator]]),
      symbols,
      validBrokers: config.broker.validBrokers,
      isExchangeOpen: (exchange, atMs) => simulator.market.calendar.isExchangeOpen(exchange, atMs),
      orderEvents: createDbOrderEventStore(db.sqlite),
      clock,
      timers,
      logger,
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    logger.error(
      { code, port: config.websocket.port },
      code === 'EADDRINUSE'
        ? `port ${config.websocket.port} is already in use: free it or set WEBSOCKET_PORT`
        : 'could not listen',
    )
    auth.stop()
    await db.close()
    return 1
  }
  logger.info(
    { url: `ws://${server.address.address}:${server.address.port}`, supervised },
    'ws-proxy listening',
  )

  const feed = server
  const reply = (message: ProxyToServerMessage): void => {
    if (process.connected) process.send?.(message)
  }
  process.on('message', (raw: unknown) =>
    handleServerMessage(raw, { server: feed, ordersEnabled, reply, logger }),
  )
  const poller = createOrderEventPoller({
    db: db.sqlite,
    timers,
    intervalMs: supervised ? ORDER_POLL_SUPERVISED_MS : ORDER_POLL_STANDALONE_MS,
    onEvent: (username, seq, event) => feed.deliverOrderEvent(username, seq, event),
    logger,
  })
  if (ordersEnabled) poller.start()
  // lookups read symtoken as it is; only a fallback table (symtoken still empty) needs looking
  // after: dropped once the server fills symtoken, rolled over at the session boundary
  const reload = setInterval(() => symbols.refresh(), 1_000)
  reload.unref()
  reply({ type: 'ready', port: server.address.port })

  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'ws-proxy stopping')
      clearInterval(reload)
      poller.stop()
      void feed
        .close()
        .then(async () => {
          auth.stop()
          await db.close()
        })
        .then(resolve)
    }
    process.once('SIGTERM', () => stop('SIGTERM'))
    process.once('SIGINT', () => stop('SIGINT'))
    // the supervisor died without signalling us: do not linger as an orphan
    if (supervised) process.once('disconnect', () => stop('supervisor gone'))
  })
  // the IPC channel to the supervisor would keep this process alive
  if (process.connected) process.disconnect()
  return 0
}
