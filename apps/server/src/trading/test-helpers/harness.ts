import {
  createInstrumentTable,
  createPriceBook,
  parseInr4,
  type Inr4,
  type InstrumentRow,
  type PriceBook,
  type SandboxConfigInput,
} from '@oa/sandbox-engine'
import { onTestFinished } from 'vitest'
import { apiDeps } from '../../identity/mount.js'
import type { tempInstall } from '../../identity/test-helpers/harness.js'
import {
  ADMIN,
  apiPost,
  createHarness,
  createManualClock,
  type Harness,
  type ManualClock,
} from '../../identity/test-helpers/harness.js'
import { mountTradingArea } from '../mount.js'
import {
  openSimulatorPlugin,
  sessionlessBrokers,
  simulatorDbPath,
  simulatorSandboxPorts,
} from '../simulator.js'
import { createTradingArea, type TradingArea } from '../trading.js'

/** rupees as decimal text → Inr4 */
export const p = (text: string): Inr4 => parseInr4(text)

const NIFTY = { symbol: 'NIFTY', exchange: 'NSE_INDEX' }
const tick5 = p('0.05')

/** The instruments of sandbox.md §15's worked examples (as the engine's own tests list them). */
export const EXAMPLE_INSTRUMENTS: InstrumentRow[] = [
  { symbol: 'RELIANCE', exchange: 'NSE', lotSize: 1, tickSize: tick5, instrumentType: 'EQ' },
  { symbol: 'SBIN', exchange: 'NSE', lotSize: 1, tickSize: tick5, instrumentType: 'EQ' },
  { symbol: 'ZEEL', exchange: 'NSE', lotSize: 1, tickSize: p('0.01'), instrumentType: 'EQ' },
  { symbol: 'NIFTY', exchange: 'NSE_INDEX', lotSize: 1, tickSize: tick5, instrumentType: 'INDEX' },
  {
    symbol: 'NIFTY24APR25FUT',
    exchange: 'NFO',
    lotSize: 75,
    tickSize: tick5,
    instrumentType: 'FUT',
    expiry: '2025-04-24',
    underlying: NIFTY,
    freezeQty: 1800,
  },
  ...[23900, 24000, 24100].map((k): InstrumentRow => ({
    symbol: `NIFTY24APR25${k}CE`,
    exchange: 'NFO',
    lotSize: 75,
    tickSize: tick5,
    instrumentType: 'CE',
    expiry: '2025-04-24',
    strike: p(String(k)),
    underlying: NIFTY,
    freezeQty: 1800,
  })),
  {
    symbol: 'NIFTY17APR2524000CE',
    exchange: 'NFO',
    lotSize: 75,
    tickSize: tick5,
    instrumentType: 'CE',
    expiry: '2025-04-17',
    strike: p('24000'),
    underlying: NIFTY,
  },
]

export interface TradingHarness extends Harness {
  readonly trading: TradingArea
  readonly clock: ManualClock
  /** the scripted quotes (price-book mode); undefined with simulator prices */
  readonly prices: PriceBook | undefined
  readonly apikey: string
  /** POST /api/v1/<path> with the API key */
  api(
    path: string,
    body?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{
    status: number
    body: Record<string, unknown>
  }>
}

/**
 * The server as `oa start` composes the orders area, over real files in a temp dir, with an
 * injected clock and no timers: the admin user and an API key exist; the sandbox prices either
 * come from a scripted price book over the worked examples' instruments (`prices: 'book'`) or
 * from the simulator's market (`'simulator'`); live orders go to the simulator.
 */
export async function createTradingHarness(
  options: {
    readonly at?: string
    readonly prices?: 'book' | 'simulator'
    readonly sandboxConfig?: SandboxConfigInput
    readonly analyzer?: boolean
    readonly install?: ReturnType<typeof tempInstall>
    /** rate limits for the API (default: high enough for any test) */
    readonly overrides?: Record<string, string>
  } = {},
): Promise<TradingHarness> {
  const clock = createManualClock(options.at ?? '2025-04-15T10:00:00+05:30')
  const h = await createHarness({
    clock,
    install: options.install,
    overrides: {
      ORDER_RATE_LIMIT: '100000 per second',
      SMART_ORDER_RATE_LIMIT: '100000 per second',
      API_RATE_LIMIT: '100000 per second',
      ...options.overrides,
    },
  })
  const book = options.prices === 'simulator' ? undefined : createPriceBook()
  const seed = h.config.simulator.seed
  const sim = simulatorSandboxPorts({ seed, clock })
  const plugin = await openSimulatorPlugin({
    seed,
    path: simulatorDbPath(h.config.storage.dataDir),
    clock,
  })
  const trading = await createTradingArea({
    clock,
    logger: h.logger,
    main: h.main.sqlite,
    sandboxPath: h.config.storage.sandboxDb,
    brokers: sessionlessBrokers({ plugin, clock, logger: h.logger }),
    instruments: book ? createInstrumentTable(EXAMPLE_INSTRUMENTS) : sim.instruments,
    prices: book ?? sim.prices,
    calendar: book ? undefined : sim.calendar,
    sandboxConfig: options.sandboxConfig,
    brokerName: 'simulator',
    timers: false,
    pollIntervalMs: 60_000,
  })
  // mounted after createApp: the routes join the same app before its first request
  mountTradingArea(h.app, { trading, api: apiDeps(h), identity: h.identity, clock })
  onTestFinished(async () => {
    await trading.stop()
    await plugin.close()
  })
  if (options.analyzer ?? true) trading.mode.set(true, 'test')
  await trading.start()
  const apikey = await h.identity.auth.issueApiKey(await ensureAdmin(h))
  const api: TradingHarness['api'] = async (path, body = {}, headers = {}) => {
    const res = await apiPost(h.app, `/api/v1${path}`, { apikey, ...body }, undefined, headers)
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }
  return { ...h, clock, trading, prices: book, apikey, api }
}

async function ensureAdmin(h: Harness): Promise<string> {
  const exists = h.main.sqlite.prepare('SELECT 1 FROM users WHERE username = ?').get(ADMIN.username)
  if (!exists) await h.identity.users.setup(ADMIN)
  return ADMIN.username
}
