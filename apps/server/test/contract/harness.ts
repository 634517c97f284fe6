/**
 * A real server for the contract, fuzz and SDK-replay suites: `startServer` exactly as `oa start`
 * composes it (every area's services, the simulator broker, the request log), without the
 * ws-proxy child, over a throw-away data dir. Requests go in-process through `app.request()`
 * with a real user, a broker login on the simulator and a real API key.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { Hono } from 'hono'
import { loadConfig } from '../../src/config.js'
import { createApp } from '../../src/http/app.js'
import { mountedEndpoints } from '../../src/api/endpoint.js'
import { createLogger } from '../../src/logger.js'
import { repoRoot } from '../../src/paths.js'
import { startServer, type RunningServer } from '../../src/startup/start-server.js'
import {
  ADMIN,
  createBrowser,
  loggedInBrowser,
  setupAdmin,
  type Browser,
} from '../../src/identity/test-helpers/harness.js'

export interface ContractServer {
  readonly app: Hono
  readonly running: RunningServer
  readonly apiKey: string
  readonly browser: Browser
  /** `METHOD /path` of every mounted /api/v1 endpoint (`POST /placeorder`) */
  readonly mounted: ReadonlySet<string>
  /** POSTs JSON as the SDK does (peer 127.0.0.1, no cookies) */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>
  get(path: string): Promise<Response>
  /** switches analyzer mode through the API (or the stored setting when the endpoint is absent) */
  setAnalyzer(on: boolean): Promise<void>
  logs(): string
  stop(): Promise<void>
}

/** A clock that runs in real time from a fixed instant (a Monday 10:00 IST by default). */
export function shiftedClock(iso = '2026-03-02T10:00:00+05:30'): { now(): number } {
  const base = Date.parse(iso)
  const start = Date.now()
  return { now: () => base + (Date.now() - start) }
}

export async function startContractServer(
  options: { readonly overrides?: Record<string, string>; readonly clockIso?: string } = {},
): Promise<ContractServer> {
  const dir = mkdtempSync(join(tmpdir(), 'oa-contract-'))
  let text = readFileSync(join(repoRoot, '.sample.env'), 'utf8')
  const secrets: Record<string, string> = {
    APP_KEY: randomBytes(32).toString('hex'),
    API_KEY_PEPPER: randomBytes(32).toString('hex'),
    FERNET_SALT: randomBytes(16).toString('hex'),
    OA_DATA_DIR: dir,
    FLASK_PORT: '5999',
  }
  for (const [name, value] of Object.entries(secrets)) {
    text = text.replace(new RegExp(`^${name}\\s*=.*$`, 'm'), `${name} = '${value}'`)
  }
  if (!/^OA_DATA_DIR/m.test(text)) text += `\nOA_DATA_DIR = '${dir}'\n`
  const envFile = join(dir, '.env')
  writeFileSync(envFile, text, { mode: 0o600 })
  const outcome = loadConfig({
    rootDir: repoRoot,
    envFile,
    processEnv: {
      OA_ENV_FILE: envFile,
      OA_DATA_DIR: dir,
      // generous limits: the suites exercise behaviour, not the limiter
      API_RATE_LIMIT: '100000 per second',
      ORDER_RATE_LIMIT: '100000 per second',
      SMART_ORDER_RATE_LIMIT: '100000 per second',
      GREEKS_RATE_LIMIT: '100000 per second',
      ...(options.overrides ?? {}),
    },
    createIfMissing: false,
  })
  if (!outcome.config) throw new Error(outcome.messages.map((m) => m.text).join('\n'))
  const chunks: string[] = []
  const logger = createLogger({
    level: 'warn',
    pretty: false,
    destination: new Writable({
      write(chunk: Buffer | string, _enc, done) {
        if (chunks.length < 5_000) chunks.push(chunk.toString())
        done()
      },
    }),
  })
  const running = await startServer({
    config: { ...outcome.config, server: { ...outcome.config.server, port: 0, host: '127.0.0.1' } },
    logger,
    childEnv: {},
    wsProxy: false,
    clock: shiftedClock(options.clockIso),
  })
  const app = createApp({ ...running.context })

  await setupAdmin(app)
  const browser = await loggedInBrowser(app, { broker: true })
  const rotated = await browser.post('/apikey/rotate', { password: ADMIN.password })
  const apiKey = ((await rotated.json()) as { api_key: string }).api_key

  const env = { incoming: { socket: { remoteAddress: '127.0.0.1' } } }
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    Promise.resolve(
      app.request(
        path,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        },
        env,
      ),
    )
  const get = (path: string) => Promise.resolve(app.request(path, {}, env))

  // the master contract downloads in the background after listening: wait for the symbols
  const mounted = new Set(mountedEndpoints(app).map((d) => `${d.method.toUpperCase()} ${d.path}`))
  if (mounted.has('POST /symbol')) {
    const deadline = Date.now() + 60_000
    for (;;) {
      const res = await post('/api/v1/symbol', { apikey: apiKey, symbol: 'SBIN', exchange: 'NSE' })
      if (res.status === 200) break
      if (Date.now() > deadline) throw new Error(`symbols never loaded: ${await res.text()}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  const setAnalyzer = async (on: boolean): Promise<void> => {
    if (mounted.has('POST /analyzer/toggle')) {
      const res = await post('/api/v1/analyzer/toggle', { apikey: apiKey, mode: on })
      if (res.status !== 200) throw new Error(`analyzer toggle failed: ${await res.text()}`)
      return
    }
    running.context.main.sqlite.prepare('UPDATE settings SET analyze_mode = ?').run(on ? 1 : 0)
  }

  return {
    app,
    running,
    apiKey,
    browser,
    mounted,
    post,
    get,
    setAnalyzer,
    logs: () => chunks.join(''),
    async stop() {
      await running.stop('test finished')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export { createBrowser }
