// A server as `oa start` composes it (minus the listener), with the market area, over real
// SQLite files in a temp dir and a manual clock: for route and pipeline tests.
import { secureRandom } from '@oa/auth-cache'
import type { BrokerPlugin, SymbolRow } from '@oa/broker-sdk'
import { createSimulatorPlugin } from '@oa/broker-simulator'
import {
  logsMigrations,
  mainMigrations,
  openDatabase,
  type DatabaseHandle,
  type LogsDatabase,
  type MainDatabase,
} from '@oa/db'
import type { OaConfig } from '@oa/env-check'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { onTestFinished } from 'vitest'
import {
  createEventBus,
  type EventBus,
  type ServerEventName,
  type ServerEvents,
} from '../../events/bus.js'
import { createApp } from '../../http/app.js'
import { createIdentityServices, type IdentityServices } from '../../identity/identity.js'
import {
  captureStream,
  configFor,
  createManualClock,
  setupAdmin,
  type ManualClock,
} from '../../identity/test-helpers/harness.js'
import { createLogger, type Logger } from '../../logger.js'
import { repoRoot } from '../../paths.js'
import { createReadiness } from '../../readiness.js'
import { createSecurityServices } from '../../security/security.js'
import { identityPort } from '../identity-port.js'
import {
  createMarketServices,
  type MarketServices,
  type MarketServicesOptions,
} from '../market-services.js'

export interface MarketHarness {
  readonly install: ReturnType<typeof marketInstall>
  readonly config: OaConfig
  readonly clock: ManualClock
  readonly main: DatabaseHandle<MainDatabase>
  readonly identity: IdentityServices
  readonly events: EventBus
  readonly market: MarketServices
  readonly logger: Logger
  readonly app: Hono
  /** the admin's API key (after `withAdmin`) */
  readonly apiKey: string
  logText(): string
  /** every event published so far, in order */
  readonly published: { readonly name: ServerEventName; readonly payload: unknown }[]
  /** payloads of one event */
  eventsOf<E extends ServerEventName>(name: E): ServerEvents[E][]
  /** POSTs JSON to `/api/v1/<path>` as an SDK client does */
  api(path: string, body: unknown): Promise<Response>
  /** GETs `/api/v1/<path>` */
  apiGet(path: string): Promise<Response>
}

/** A switchable master-contract source around the simulator, for broken/empty downloads. */
export interface ContractSwitch {
  mode: 'ok' | 'empty' | 'broken' | 'slow'
  /** rows delivered before `broken` throws */
  brokenAfter: number
  /** downloads started */
  downloads: number
  /** resolves a `slow` download */
  release(): void
}

/** The simulator plugin with a master contract that can be made to fail or stall. */
export function switchableSimulator(seed = 1): { plugin: BrokerPlugin; contract: ContractSwitch } {
  const sim = createSimulatorPlugin({ seed })
  let gate: (() => void) | null = null
  const contract: ContractSwitch = {
    mode: 'ok',
    brokenAfter: 20_000,
    downloads: 0,
    release: () => gate?.(),
  }
  const plugin: BrokerPlugin = {
    ...sim,
    createBroker(ctx) {
      const broker = sim.createBroker(ctx)
      return {
        ...broker,
        instruments: {
          async *downloadMaster(progress): AsyncGenerator<SymbolRow> {
            contract.downloads++
            const mode = contract.mode
            if (mode === 'empty') return
            if (mode === 'slow') await new Promise<void>((resolve) => (gate = resolve))
            let n = 0
            for await (const row of broker.instruments.downloadMaster(progress)) {
              if (mode === 'broken' && n >= contract.brokenAfter) {
                throw new Error('connection reset by broker')
              }
              n++
              yield row
            }
          },
        },
      }
    },
  }
  return { plugin, contract }
}

/** Registers cleanup work: `onTestFinished` inside a test, `afterAll` for a shared harness. */
export type Cleanup = (fn: () => void | Promise<void>) => void

/** A temp OA_DATA_DIR with a `.env` from `.sample.env` and fresh secrets. */
export function marketInstall(cleanup: Cleanup = onTestFinished): {
  dir: string
  envFile: string
  env: Record<string, string>
} {
  const dir = mkdtempSync(join(tmpdir(), 'oa-market-'))
  cleanup(() => rmSync(dir, { recursive: true, force: true }))
  let text = readFileSync(join(repoRoot, '.sample.env'), 'utf8')
  const secrets: Record<string, string> = {
    APP_KEY: randomBytes(32).toString('hex'),
    API_KEY_PEPPER: randomBytes(32).toString('hex'),
    FERNET_SALT: randomBytes(16).toString('hex'),
  }
  for (const [name, value] of Object.entries(secrets)) {
    text = text.replace(new RegExp(`^${name}\\s*=.*$`, 'm'), `${name} = '${value}'`)
  }
  text = text.replace(/^OA_DATA_DIR\s*=.*$/m, `OA_DATA_DIR = '${dir}'`)
  const envFile = join(dir, '.env')
  writeFileSync(envFile, text, { mode: 0o600 })
  return { dir, envFile, env: { OA_ENV_FILE: envFile, OA_DATA_DIR: dir } }
}

export async function createMarketHarness(
  options: {
    readonly clock?: ManualClock
    readonly plugins?: readonly BrokerPlugin[]
    readonly overrides?: Record<string, string>
    readonly install?: ReturnType<typeof marketInstall>
    /** default `onTestFinished`; pass `afterAll` for a harness shared by a file */
    readonly cleanup?: Cleanup
    readonly symbols?: MarketServicesOptions['symbols']
    /** create the admin and an API key (default true) */
    readonly withAdmin?: boolean
  } = {},
): Promise<MarketHarness> {
  const cleanup = options.cleanup ?? onTestFinished
  const install = options.install ?? marketInstall(cleanup)
  const config = configFor(install, { API_RATE_LIMIT: '100000 per second', ...options.overrides })
  const clock = options.clock ?? createManualClock('2025-04-17T10:00:00+05:30')
  const captured = captureStream()
  const logger = createLogger({ level: 'debug', pretty: false, destination: captured.stream })
  const main = await openDatabase<MainDatabase>(config.storage.mainDb, mainMigrations)
  const logs = await openDatabase<LogsDatabase>(config.storage.logsDb, logsMigrations)
  const security = createSecurityServices({ config, clock, logger, main, logs })
  const identity = createIdentityServices({
    config,
    clock,
    random: secureRandom,
    logger,
    main,
    security,
  })
  const events = createEventBus({ logger })
  const published: { name: ServerEventName; payload: unknown }[] = []
  for (const name of [
    'master_contract_download',
    'cache_loaded',
    'master_contract_progress',
    'master_contract_status',
  ] as const) {
    events.on(name, (payload) => published.push({ name, payload }))
  }
  const market = createMarketServices({
    config,
    clock,
    logger,
    sqlite: main.sqlite,
    events,
    identity: identityPort(identity),
    plugins: options.plugins ?? [createSimulatorPlugin({ seed: config.simulator.seed })],
    symbols: { epochPollMs: 0, ...options.symbols },
  })
  market.prepare()
  cleanup(async () => {
    await market.stop()
    identity.stop()
    await logs.close()
    await main.close()
  })
  const readiness = createReadiness()
  readiness.set('ready')
  const app = createApp({
    config,
    logger,
    clock,
    readiness,
    main,
    logs,
    security,
    identity,
    events,
    market,
  })
  let apiKey = ''
  if (options.withAdmin ?? true) {
    await setupAdmin(app)
    apiKey = await identity.auth.issueApiKey('admin')
  }
  const env = { incoming: { socket: { remoteAddress: '203.0.113.50' } } }
  return {
    install,
    config,
    clock,
    main,
    identity,
    events,
    market,
    logger,
    app,
    apiKey,
    logText: captured.text,
    published,
    eventsOf: <E extends ServerEventName>(name: E) =>
      published.filter((e) => e.name === name).map((e) => e.payload as ServerEvents[E]),
    api: (path, body) =>
      Promise.resolve(
        app.request(
          `/api/v1/${path}`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
          env,
        ),
      ),
    apiGet: (path) => Promise.resolve(app.request(`/api/v1/${path}`, {}, env)),
  }
}
