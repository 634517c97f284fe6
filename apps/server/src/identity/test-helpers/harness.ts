import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { secureRandom } from '@oa/auth-cache'
import {
  logsMigrations,
  mainMigrations,
  openDatabase,
  type DatabaseHandle,
  type LogsDatabase,
  type MainDatabase,
} from '@oa/db'
import type { OaConfig } from '@oa/env-check'
import type { Hono } from 'hono'
import { onTestFinished } from 'vitest'
import type { Clock } from '../../clock.js'
import type { CommandIo } from '../../commands/shared.js'
import { loadConfig } from '../../config.js'
import { createApp } from '../../http/app.js'
import { createLogger, type Logger } from '../../logger.js'
import { repoRoot } from '../../paths.js'
import { createReadiness } from '../../readiness.js'
import { createSecurityServices, type SecurityServices } from '../../security/security.js'
import { createIdentityServices, type IdentityServices } from '../identity.js'

export interface ManualClock extends Clock {
  set(iso: string): void
  advance(ms: number): void
}

export function createManualClock(iso: string): ManualClock {
  let now = Date.parse(iso)
  return {
    now: () => now,
    set: (v) => void (now = Date.parse(v)),
    advance: (ms) => void (now += ms),
  }
}

/** A temp OA_DATA_DIR with a `.env` written from `.sample.env` with real random secrets. */
export function tempInstall(): { dir: string; envFile: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'oa-identity-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const secrets: Record<string, string> = {
    APP_KEY: randomBytes(32).toString('hex'),
    API_KEY_PEPPER: randomBytes(32).toString('hex'),
    FERNET_SALT: randomBytes(16).toString('hex'),
  }
  let text = readFileSync(join(repoRoot, '.sample.env'), 'utf8')
  for (const [name, value] of Object.entries(secrets)) {
    text = text.replace(new RegExp(`^${name}\\s*=.*$`, 'm'), `${name} = '${value}'`)
  }
  text = text.replace(/^OA_DATA_DIR\s*=.*$/m, `OA_DATA_DIR = '${dir}'`)
  const envFile = join(dir, '.env')
  writeFileSync(envFile, text, { mode: 0o600 })
  return { dir, envFile, env: { OA_ENV_FILE: envFile, OA_DATA_DIR: dir } }
}

/** Loads the config of a temp install, with `overrides` as process environment. */
export function configFor(
  install: { envFile: string; env: Record<string, string> },
  overrides: Record<string, string> = {},
): OaConfig {
  const outcome = loadConfig({
    rootDir: repoRoot,
    envFile: install.envFile,
    processEnv: { ...install.env, ...overrides },
    createIfMissing: false,
  })
  if (!outcome.config) throw new Error(outcome.messages.map((m) => m.text).join('\n'))
  return outcome.config
}

/** Collects what a command or logger writes. */
export function captureStream(): { stream: Writable; text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString())
      done()
    },
  })
  return { stream, text: () => chunks.join('') }
}

/** The io a command gets, with captured stdout/stderr. */
export function commandIo(env: Record<string, string>): {
  io: Omit<CommandIo, 'argv'>
  stdout: () => string
  stderr: () => string
} {
  const out = captureStream()
  const err = captureStream()
  return { io: { env, stdout: out.stream, stderr: err.stream }, stdout: out.text, stderr: err.text }
}

export interface Harness {
  readonly dir: string
  readonly env: Record<string, string>
  readonly config: OaConfig
  readonly clock: ManualClock
  readonly main: DatabaseHandle<MainDatabase>
  readonly logs: DatabaseHandle<LogsDatabase>
  readonly security: SecurityServices
  readonly identity: IdentityServices
  readonly logger: Logger
  readonly app: Hono
  /** every log line written so far */
  logText(): string
}

/** A server as `oa start` composes it (minus the listener), over real files in a temp dir. */
export async function createHarness(
  options: {
    readonly overrides?: Record<string, string>
    readonly clock?: ManualClock
    readonly install?: ReturnType<typeof tempInstall>
  } = {},
): Promise<Harness> {
  const install = options.install ?? tempInstall()
  const config = configFor(install, options.overrides)
  const clock = options.clock ?? createManualClock('2026-03-02T10:00:00+05:30')
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
  onTestFinished(async () => {
    identity.stop()
    await logs.close()
    await main.close()
  })
  const readiness = createReadiness()
  readiness.set('ready')
  const app = createApp({ config, logger, clock, readiness, main, logs, security, identity })
  return {
    dir: install.dir,
    env: install.env,
    config,
    clock,
    main,
    logs,
    security,
    identity,
    logger,
    app,
    logText: captured.text,
  }
}

/**
 * A browser against the in-process app: keeps cookies, sends them back, and carries a CSRF token
 * fetched from `/auth/csrf-token` (refreshed from responses that return a new one).
 */
export interface Browser {
  csrf: string
  readonly cookies: Map<string, string>
  /** raw request with this browser's cookies and peer IP */
  request(
    path: string,
    init?: RequestInit & { headers?: Record<string, string> },
  ): Promise<Response>
  /** POST JSON with the CSRF header; picks up `csrf_token` from the reply */
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>
  get(path: string, headers?: Record<string, string>): Promise<Response>
  fetchCsrf(): Promise<string>
}

export function createBrowser(app: Hono, ip = '203.0.113.7'): Browser {
  const cookies = new Map<string, string>()
  const env = { incoming: { socket: { remoteAddress: ip } } }
  const browser: Browser = {
    csrf: '',
    cookies,
    async request(path, init = {}) {
      const headers: Record<string, string> = { ...(init.headers ?? {}) }
      if (cookies.size > 0) headers['cookie'] = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
      const res = await app.request(path, { ...init, headers }, env)
      for (const line of res.headers.getSetCookie()) {
        const [pair = ''] = line.split(';')
        const eq = pair.indexOf('=')
        const name = pair.slice(0, eq).trim()
        const value = pair.slice(eq + 1).trim()
        if (/max-age=0/i.test(line) || value === '') cookies.delete(name)
        else cookies.set(name, value)
      }
      return res
    },
    async post(path, body = {}, headers = {}) {
      const res = await browser.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrftoken': browser.csrf, ...headers },
        body: JSON.stringify(body),
      })
      if ((res.headers.get('content-type') ?? '').includes('json')) {
        const clone = (await res.clone().json()) as { csrf_token?: string }
        if (clone.csrf_token) browser.csrf = clone.csrf_token
      }
      return res
    },
    get: (path, headers = {}) =>
      browser.request(path, { headers: { accept: 'application/json', ...headers } }),
    async fetchCsrf() {
      const res = await browser.get('/auth/csrf-token')
      browser.csrf = ((await res.json()) as { csrf_token: string }).csrf_token
      return browser.csrf
    },
  }
  return browser
}

export const ADMIN = { username: 'admin', email: 'admin@example.com', password: 'Str0ng!Pass' }

/** First-run setup through the HTTP route, as the SPA does it. */
export async function setupAdmin(app: Hono): Promise<{ totpSecret: string }> {
  const b = createBrowser(app, '198.51.100.1')
  await b.fetchCsrf()
  const res = await b.post('/setup', ADMIN)
  if (res.status !== 200) throw new Error(`setup failed: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as { totp: { secret: string } }
  return { totpSecret: body.totp.secret }
}

/** A browser that passed the password step (and the simulator broker login when `broker`). */
export async function loggedInBrowser(
  app: Hono,
  options: { broker?: boolean; ip?: string } = {},
): Promise<Browser> {
  const b = createBrowser(app, options.ip)
  await b.fetchCsrf()
  const res = await b.post('/auth/login', { username: ADMIN.username, password: ADMIN.password })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  if (options.broker) {
    const cb = await b.request('/simulator/callback', { headers: { accept: 'application/json' } })
    if (cb.status !== 200) throw new Error(`broker login failed: ${cb.status} ${await cb.text()}`)
  }
  return b
}

/** POSTs JSON to the API as an SDK client would (no cookies, no CSRF). */
export function apiPost(
  app: Hono,
  path: string,
  body: unknown,
  ip = '203.0.113.50',
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(
    app.request(
      path,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      },
      { incoming: { socket: { remoteAddress: ip } } },
    ),
  )
}
