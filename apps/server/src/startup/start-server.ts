import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import {
  latencyMigrations,
  logsMigrations,
  mainMigrations,
  openDatabase,
  type LatencyDatabase,
  type LogsDatabase,
  type MainDatabase,
} from '@oa/db'
import type { OaConfig } from '@oa/env-check'
import { secureRandom } from '@oa/auth-cache'
import { systemClock, type Clock } from '../clock.js'
import type { ServerContext } from '../context.js'
import { createApp } from '../http/app.js'
import { createNodeListener, type ListenerStats } from '../http/listener.js'
import { createIdentityServices } from '../identity/identity.js'
import { createEventBus } from '../events/bus.js'
import { collectGarbage } from '../heap.js'
import { identityPort } from '../market/identity-port.js'
import { createMarketServices } from '../market/market-services.js'
import { serverBrokerPlugins } from '../brokers/plugins.js'
import { openServerTrading, serverPluginsWithDurableSimulator } from '../trading/compose.js'
import { createSecurityServices } from '../security/security.js'
import { securityHeaderList } from '../security/security-headers.js'
import { createRequestLog } from '../api/request-log.js'
import type { Logger } from '../logger.js'
import { createReadiness, type Readiness } from '../readiness.js'
import { round, runPhase, StartupError } from './phases.js'
import { startWsProxyChild, type WsProxyChild } from './ws-proxy-child.js'

export interface StartServerOptions {
  readonly config: OaConfig
  readonly logger: Logger
  /** environment handed to the ws-proxy child (it runs its own env-check on it) */
  readonly childEnv: Readonly<Record<string, string | undefined>>
  readonly clock?: Clock
  /** run the ws-proxy as a supervised child process (default true) */
  readonly wsProxy?: boolean
  /** when the process started, for the total time to ready */
  readonly startedAt?: number
  /** the built web app (`frontend/dist`) served at `/` */
  readonly webUiDir?: string
  /** called when a component fails for good while running; the caller stops and exits 1 */
  readonly onFatal?: (reason: string) => void
}

export interface RunningServer {
  readonly context: ServerContext
  /** the bound HTTP address */
  readonly address: AddressInfo
  /** requests answered by the `/api/v1` fast path and by Hono (`http/listener.ts`) */
  readonly http: Readonly<ListenerStats>
  /** stops accepting, drains in-flight requests (bounded), stops the ws-proxy, closes databases */
  stop(reason: string): Promise<void>
}

const DRAIN_MS = 3_000
const CHILD_GRACE_MS = 1_500

/**
 * The startup sequence (spec platform.md §1, re-designed for one Node process): storage and
 * migrations, cache restore, master contract, HTTP listen, ws-proxy, ready. Each phase logs its
 * name and duration; a failing phase throws a StartupError saying what failed and how to fix it,
 * after closing whatever the earlier phases opened.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, logger } = options
  const clock = options.clock ?? systemClock
  const startedAt = options.startedAt ?? performance.now()
  const readiness: Readiness = createReadiness()
  const opened: { close(): Promise<void> }[] = []
  let server: Server | null = null
  let wsProxy: WsProxyChild | null = null

  const cleanup = async (): Promise<void> => {
    if (wsProxy) await wsProxy.stop(CHILD_GRACE_MS)
    if (server) await closeServer(server, DRAIN_MS)
    for (const db of opened.reverse()) await db.close()
  }

  // Ready means the server finished its phases AND the ws-proxy child is up; a child that
  // restarts later turns the process degraded until it is back.
  let serverReady = false
  try {
    // The ws-proxy is a separate Node process: start it first so its own start-up overlaps ours.
    if (options.wsProxy ?? true) {
      wsProxy = startWsProxyChild({
        logger,
        env: options.childEnv,
        onState: (up, reason) => {
          if (!serverReady) return
          readiness.set(up ? 'ready' : 'degraded', up ? null : reason)
        },
        onGiveUp: (reason) => options.onFatal?.(reason),
      })
      // a failed first start is reported by the ws-proxy phase below, not as an unhandled rejection
      wsProxy.ready.catch(() => undefined)
    }
    const storageFix = `Check that ${config.storage.dataDir} is writable and has free space (OA_DATA_DIR), and that no other program holds the database files.`
    const main = await runPhase(logger, 'storage:main', storageFix, () =>
      openDatabase<MainDatabase>(config.storage.mainDb, mainMigrations),
    )
    opened.push(main)
    const logs = await runPhase(logger, 'storage:logs', storageFix, () =>
      openDatabase<LogsDatabase>(config.storage.logsDb, logsMigrations),
    )
    opened.push(logs)
    const latency = await runPhase(logger, 'storage:latency', storageFix, () =>
      openDatabase<LatencyDatabase>(config.storage.latencyDb, latencyMigrations),
    )
    opened.push(latency)

    const security = createSecurityServices({ config, clock, logger, main, logs })
    // the request log flushes on a timer; stopped (and flushed) before the databases close
    const requestLog = createRequestLog({
      logs,
      latency,
      main,
      clock,
      logger: logger.child({ component: 'request-log' }),
      clientIp: security.clientIp,
      retentionDays: config.logging.trafficRetentionDays,
    })
    requestLog.start()
    opened.push({ close: async () => requestLog.stop() })
    const identity = createIdentityServices({
      config,
      clock,
      random: secureRandom,
      logger,
      main,
      security,
    })
    opened.push({ close: async () => identity.stop() }) // closed before the databases
    const events = createEventBus({ logger })
    // the simulator's live orders keep their accounts in OA_DATA_DIR/simulator.db
    const brokerPlugins = await runPhase(logger, 'storage:simulator', storageFix, () =>
      serverPluginsWithDurableSimulator({ config, clock, plugins: serverBrokerPlugins(config) }),
    )
    opened.push({ close: () => brokerPlugins.simulator.close() })
    const market = createMarketServices({
      config,
      clock,
      logger,
      sqlite: main.sqlite,
      events,
      identity: identityPort(identity),
      plugins: brokerPlugins.plugins,
      // a contract load leaves tens of MB of garbage in a process that then idles: collect it
      symbols: { afterLoad: collectGarbage },
    })
    opened.push({ close: () => market.stop() }) // downloads stop before the databases close
    await runPhase(
      logger,
      'auth-restore',
      'Check that OA_DATA_DIR/openalgo.db is readable and API_KEY_PEPPER / FERNET_SALT in .env are the ones it was created with.',
      () => {
        // a boundary missed while down is rolled over first; then live broker tokens issued after
        // the last boundary go into memory (W-16), and the cross-process epoch watcher starts
        const restored = identity.restore()
        identity.start()
        logger.info(
          { tokensLoaded: restored.tokensLoaded, rolledOver: restored.rolledOver },
          'auth cache restored',
        )
      },
    )

    // analyzer mode: sandbox.db, the engine and its jobs; when the mode is on, the catch-up of
    // what fell due while the server was down runs here, before the server listens
    const trading = await runPhase(
      logger,
      'sandbox',
      `Check that ${config.storage.sandboxDb} is writable (SANDBOX_DATABASE_URL) and not held by another program.`,
      async () => {
        const area = await openServerTrading({
          config,
          clock,
          logger,
          main,
          market,
          events,
          // pushed to the ws-proxy at once; it also reads the table, so a miss is only late
          onDurableOrderEvents: (durable) => {
            if (durable.length > 0) wsProxy?.send({ type: 'order_events', events: durable })
          },
        })
        opened.push({ close: () => area.stop() }) // before the market core and the databases
        await area.start()
        return area
      },
    )

    const context: ServerContext = {
      config,
      logger,
      clock,
      readiness,
      main,
      logs,
      latency,
      security,
      identity,
      requestLog,
      events,
      market,
      trading,
    }

    await runPhase(
      logger,
      'caches',
      'Check that OA_DATA_DIR/openalgo.db is readable and writable (qty_freeze, symtoken).',
      () => {
        // freeze quantities now; the symbol cache loads from symtoken after listening (start())
        logger.info(market.prepare(), 'freeze quantities loaded')
      },
    )
    await runPhase(logger, 'master-contract', 'See the master contract status page.', () => {
      // restored or downloaded in the background once the server listens: never blocks readiness
      logger.info(market.plan(), 'master contract plan')
    })

    const app = createApp({ ...context, webUiDir: options.webUiDir })
    // plain `POST /api/v1/*` calls skip Hono's adapter and middleware chain (http/listener.ts)
    const listener = createNodeListener(app, {
      headers: securityHeaderList(config.security, config.server.isHttps),
      corsEnabled: config.security.cors.enabled,
      addressOf: security.addressOf,
      isBanned: (ip) => security.bans.isBanned(ip),
      requestLog,
      onError: (error, path) => logger.warn({ err: error, path }, 'api answer not written'),
    })
    const listening = await runPhase(
      logger,
      'http',
      `Free port ${config.server.port} (FLASK_PORT) or choose another, and check FLASK_HOST_IP.`,
      () => listen(listener, config.server.host, config.server.port),
    )
    server = listening.server

    if (wsProxy) {
      const child = wsProxy
      await runPhase(
        logger,
        'ws-proxy',
        `Free port ${config.websocket.port} (WEBSOCKET_PORT) or choose another, and check WEBSOCKET_HOST.`,
        () => child.ready,
      )
    }
    serverReady = true
    readiness.set('ready')
    logger.info(
      {
        durationMs: round(performance.now() - startedAt),
        http: `http://${listening.address.address}:${listening.address.port}`,
        websocket:
          options.wsProxy === false
            ? null
            : `ws://${config.websocket.host}:${config.websocket.port}`,
      },
      'ready',
    )
    // the symbol cache and the master contract load in the background from here on
    market.start()

    let stopped: Promise<void> | null = null
    return {
      context,
      address: listening.address,
      http: listener.stats,
      stop(reason) {
        stopped ??= (async () => {
          readiness.set('stopping', reason)
          logger.info({ reason }, 'stopping')
          const t0 = performance.now()
          await cleanup()
          logger.info({ durationMs: round(performance.now() - t0) }, 'stopped')
        })()
        return stopped
      },
    }
  } catch (error) {
    await cleanup().catch(() => undefined)
    throw error
  }
}

function listen(
  listener: (incoming: IncomingMessage, outgoing: ServerResponse) => void,
  hostname: string,
  port: number,
): Promise<{ server: Server; address: AddressInfo }> {
  return new Promise((resolve, reject) => {
    const server = createServer(listener)
    server.listen(port, hostname, () =>
      resolve({ server, address: server.address() as AddressInfo }),
    )
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? `port ${port} on ${hostname} is already in use`
          : error.code === 'EADDRNOTAVAIL'
            ? `address ${hostname} is not available on this machine`
            : error.message
      reject(
        new StartupError(
          'http',
          `http failed: ${why}`,
          `Free port ${port} (FLASK_PORT) or choose another, and check FLASK_HOST_IP.`,
          { cause: error },
        ),
      )
    })
  })
}

/** Stops accepting connections, lets in-flight requests finish for up to `drainMs`, then cuts the rest. */
function closeServer(server: Server, drainMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), drainMs)
    server.close(() => {
      clearTimeout(force)
      resolve()
    })
    server.closeIdleConnections()
  })
}
