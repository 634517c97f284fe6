import type { DatabaseHandle, LogsDatabase, MainDatabase } from '@oa/db'
import type { OaConfig } from '@oa/env-check'
import {
  analyzerToggleInput,
  cancelOrderInput,
  closePositionInput,
  dateRangeQuery,
  modifyOrderInput,
  placeOrderInput,
  quotesInput,
  totpConfigureInput,
  type AnalyzerLog,
  type Logs,
  type Me,
  type TotpStatus,
  type WebEvent,
} from '@oa/web-contract'
import { deriveFeedTokenKey, mintFeedToken } from '@oa/web-contract/feed-token'
import { totpUri } from '@oa/auth-cache'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { z } from 'zod'
import type { Caller } from '../api/endpoint.js'
import type { Clock } from '../clock.js'
import { hasRecentReauth } from '../identity/auth-routes.js'
import type { IdentityServices } from '../identity/identity.js'
import type { WebSession } from '../identity/sessions.js'
import type { Logger } from '../logger.js'
import type { SecurityServices } from '../security/security.js'
import { createStoredAnalyzerMode } from './analyzer-mode.js'
import { WebBackendError, type WebBackends } from './backends.js'
import type { EventHub } from './event-hub.js'
import { istDate, istMidnight, toIstIso } from './ist.js'
import { marketStatusAt } from './market-hours.js'

export interface WebRouteDeps {
  readonly config: OaConfig
  readonly clock: Clock
  readonly logger: Logger
  readonly identity: IdentityServices
  readonly security: SecurityServices
  readonly main: DatabaseHandle<MainDatabase>
  readonly logs: DatabaseHandle<LogsDatabase>
  readonly backends: WebBackends
  readonly hub: EventHub
  readonly version: string
  /** heartbeat of the push stream; it also re-checks the session (default 15 s) */
  readonly heartbeatMs?: number
}

const FEED_TOKEN_TTL_MS = 10 * 60_000

/** 401 bodies the web app acts on (spec platform.md §6.5's `session_expired` shape). */
const EXPIRED = {
  status: 'error',
  error: 'session_expired',
  code: 'session_expired',
  message: 'Your session has expired. Please log in again.',
} as const
const NO_BROKER = {
  status: 'error',
  error: 'broker_not_connected',
  code: 'broker_not_connected',
  message: 'Connect your broker to continue.',
} as const

/**
 * The web app's session routes under `/ui/api` (W-3, W-12, W-21): every read and action the
 * pages need, authenticated by the session cookie (CSRF on every POST, by the global
 * middleware), calling the same service functions as `/api/v1` through {@link WebBackends}, so
 * the browser never holds the API key. Also the push stream (`/ui/api/events`, server-sent
 * events) and the feed token for the ws-proxy.
 */
export function webRoutes(deps: WebRouteDeps): Hono {
  const { identity, clock, backends, hub, config } = deps
  const app = new Hono()
  const storedMode = createStoredAnalyzerMode(deps.main.sqlite, clock)
  const modeNow = (): 'live' | 'analyze' => backends.analyzerMode?.get() ?? storedMode.get()
  const feedKey = deriveFeedTokenKey(config.secrets.appKey)

  /** the broker-connected session, or the 401 the web app acts on */
  const connected = (c: Context): WebSession | Response => {
    const s = identity.sessions.current(c)
    if (!s || s.stage === 'totp_pending') return c.json(EXPIRED, 401)
    if (s.stage !== 'broker') return c.json(NO_BROKER, 401)
    return s
  }
  /** the password-stage session at least (settings work before a broker is connected) */
  const signedIn = (c: Context): WebSession | Response => {
    const s = identity.sessions.current(c)
    return !s || s.stage === 'totp_pending' ? c.json(EXPIRED, 401) : s
  }
  const callerOf = (s: WebSession): Caller => ({ username: s.username, broker: s.broker })
  const ok = (c: Context, data: unknown): Response => c.json({ status: 'success', data })
  const bad = (c: Context, message: string): Response =>
    c.json({ status: 'error', code: 'invalid_input', message }, 400)
  const notAvailable = (c: Context, what: string): Response =>
    c.json(
      {
        status: 'error',
        code: 'not_available',
        message: `${what} is not available in this build yet.`,
      },
      503,
    )
  const issues = (error: z.ZodError): string =>
    error.issues
      .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ')
  const body = async (c: Context): Promise<unknown> => {
    try {
      return await c.req.json()
    } catch {
      return undefined
    }
  }
  /** runs a backend call: expected refusals → their status and message */
  const run = async (c: Context, fn: () => Promise<unknown>): Promise<Response> => {
    try {
      return ok(c, await fn())
    } catch (error) {
      if (error instanceof WebBackendError)
        return c.json({ status: 'error', code: 'upstream', message: error.message }, error.status)
      throw error
    }
  }

  /** GET reads that need only a backend */
  const read = (
    path: string,
    what: string,
    pick: (b: WebBackends) => ((caller: Caller) => Promise<unknown>) | undefined,
  ): void => {
    app.get(path, async (c) => {
      const s = connected(c)
      if (s instanceof Response) return s
      const fn = pick(backends)
      if (!fn) return notAvailable(c, what)
      return run(c, () => fn.call(backends, callerOf(s)))
    })
  }

  app.get('/ui/api/me', (c) => {
    const s = signedIn(c)
    if (s instanceof Response) return s
    const me: Me = {
      user: s.username,
      broker: s.broker,
      configuredBroker: identity.configuredBroker?.id ?? null,
      mode: modeNow(),
      hostServer: config.server.hostServer,
      websocketUrl: config.websocket.url,
      version: deps.version,
      orderEvents: backends.orderEvents === true,
    }
    return ok(c, me)
  })

  read('/ui/api/funds', 'Funds data', (b) => b.funds)
  read('/ui/api/orderbook', 'The order book', (b) => b.orderBook)
  read('/ui/api/tradebook', 'The trade book', (b) => b.tradeBook)
  read('/ui/api/positions', 'The position book', (b) => b.positions)
  read('/ui/api/holdings', 'Holdings data', (b) => b.holdings)
  read('/ui/api/master-contract', 'Master contract status', (b) => b.masterContract)

  app.get('/ui/api/market-status', (c) => {
    const s = signedIn(c)
    if (s instanceof Response) return s
    return ok(c, marketStatusAt(clock.now()))
  })

  app.post('/ui/api/quotes', async (c) => {
    const s = connected(c)
    if (s instanceof Response) return s
    const parsed = quotesInput.safeParse(await body(c))
    if (!parsed.success) return bad(c, issues(parsed.error))
    if (!backends.quotes) return notAvailable(c, 'The quotes service')
    const quotes = backends.quotes
    return run(c, () => quotes.call(backends, callerOf(s), parsed.data.symbols))
  })

  /** POST actions: schema, backend, and a push so every tab of the user refreshes */
  const action = <S extends z.ZodType>(
    path: string,
    what: string,
    schema: S | null,
    pick: (
      b: WebBackends,
    ) => ((caller: Caller, input: z.output<S>) => Promise<unknown>) | undefined,
  ): void => {
    app.post(path, async (c) => {
      const s = connected(c)
      if (s instanceof Response) return s
      let input = undefined as z.output<S>
      if (schema) {
        const parsed = schema.safeParse(await body(c))
        if (!parsed.success) return bad(c, issues(parsed.error))
        input = parsed.data
      }
      const fn = pick(backends)
      if (!fn) return notAvailable(c, what)
      return run(c, () => fn.call(backends, callerOf(s), input))
    })
  }
  action('/ui/api/orders', 'Placing orders from the web app', placeOrderInput, (b) => b.placeOrder)
  action('/ui/api/orders/modify', 'Modifying orders', modifyOrderInput, (b) => b.modifyOrder)
  action(
    '/ui/api/orders/cancel',
    'Cancelling orders',
    cancelOrderInput,
    (b) => b.cancelOrder && ((caller, input) => b.cancelOrder!(caller, input.orderId)),
  )
  action('/ui/api/orders/cancel-all', 'Cancelling orders', null, (b) => b.cancelAllOrders)
  action('/ui/api/positions/close', 'Closing positions', closePositionInput, (b) => b.closePosition)
  action('/ui/api/positions/close-all', 'Closing positions', null, (b) => b.closeAllPositions)
  action(
    '/ui/api/master-contract/reload',
    'Reloading the master contract',
    null,
    (b) => b.reloadMasterContract,
  )

  app.get('/ui/api/analyzer', (c) => {
    const s = signedIn(c)
    if (s instanceof Response) return s
    return ok(c, { mode: modeNow() })
  })
  app.post('/ui/api/analyzer', async (c) => {
    const s = connected(c)
    if (s instanceof Response) return s
    const parsed = analyzerToggleInput.safeParse(await body(c))
    if (!parsed.success) return bad(c, issues(parsed.error))
    const mode = parsed.data.mode
    if (backends.analyzerMode) await backends.analyzerMode.set(mode, callerOf(s))
    else storedMode.set(mode)
    deps.logger.info({ username: s.username, mode }, 'analyzer mode switched')
    // every tab and device follows (W-8), not only the one that clicked
    hub.publish(null, { type: 'mode', mode })
    return ok(c, { mode })
  })

  app.get('/ui/api/analyzer/log', async (c) => {
    const s = connected(c)
    if (s instanceof Response) return s
    const q = dateRangeQuery.safeParse(c.req.query())
    if (!q.success) return bad(c, 'Dates must be YYYY-MM-DD.')
    const today = istDate(clock.now())
    const range = { startIst: q.data.start ?? today, endIst: q.data.end ?? today }
    if (!backends.analyzerLog) return notAvailable(c, 'The analyzer request log')
    const log = backends.analyzerLog
    return run(c, (): Promise<AnalyzerLog> => log.call(backends, callerOf(s), range))
  })

  const trafficQ = deps.logs.sqlite.prepare(
    `SELECT id, timestamp, method, path, status_code, duration_ms, client_ip FROM traffic_logs
     ORDER BY id DESC LIMIT 50`,
  )
  const trafficStatsQ = deps.logs.sqlite.prepare(
    `SELECT COUNT(*) AS n, COALESCE(SUM(status_code >= 400), 0) AS errors,
       COALESCE(AVG(duration_ms), 0) AS avg FROM traffic_logs`,
  )
  const loginsQ = deps.main.sqlite.prepare(
    `SELECT id, timestamp, username, ip_address, status, login_type, broker, device_info
     FROM login_attempts WHERE username = ? ORDER BY id DESC LIMIT 100`,
  )
  app.get('/ui/api/logs', (c) => {
    const s = signedIn(c)
    if (s instanceof Response) return s
    const iso = (t: string | null): string => {
      const ms = t ? Date.parse(t) : NaN
      return Number.isFinite(ms) ? toIstIso(ms) : (t ?? '')
    }
    type T = {
      id: number
      timestamp: string
      method: string
      path: string
      status_code: number
      duration_ms: number
      client_ip: string
    }
    type L = {
      id: number
      timestamp: string | null
      username: string
      ip_address: string | null
      status: string
      login_type: string | null
      broker: string | null
      device_info: string | null
    }
    const stats = trafficStatsQ.get() as { n: number; errors: number; avg: number }
    const out: Logs = {
      traffic: (trafficQ.all() as T[]).map((r) => ({
        id: r.id,
        time: iso(r.timestamp),
        method: r.method,
        path: r.path,
        status: r.status_code,
        durationMs: r.duration_ms,
        clientIp: r.client_ip,
      })),
      logins: (loginsQ.all(s.username) as L[]).map((r) => ({
        id: r.id,
        time: iso(r.timestamp),
        username: r.username,
        ip: r.ip_address ?? '',
        status: r.status,
        loginType: r.login_type ?? '',
        broker: r.broker,
        device: r.device_info ?? '',
      })),
      stats: { totalRequests: stats.n, errorRequests: stats.errors, avgDurationMs: stats.avg },
    }
    return ok(c, out)
  })

  app.get('/ui/api/feed-token', (c) => {
    const s = connected(c)
    if (s instanceof Response) return s
    const { token, expiresAtMs } = mintFeedToken({
      key: feedKey,
      username: s.username,
      nowMs: clock.now(),
      ttlMs: FEED_TOKEN_TTL_MS,
    })
    c.header('Cache-Control', 'no-store')
    return ok(c, { token, expiresAtMs, websocketUrl: config.websocket.url })
  })

  // ── TOTP enrolment and 2FA switches (spec frontend-and-features.md §3.13, WS-5) ──
  type TotpRow = {
    totp_secret: string
    email: string
    totp_enabled: number
    totp_required_for_login: number
    totp_required_for_password_reset: number
  }
  const totpRowQ = deps.main.sqlite.prepare(
    `SELECT totp_secret, email, totp_enabled, totp_required_for_login,
       totp_required_for_password_reset FROM users WHERE username = ?`,
  )
  const totpWriteQ = deps.main.sqlite.prepare(
    `UPDATE users SET totp_enabled = ?, totp_required_for_login = ?,
       totp_required_for_password_reset = ? WHERE username = ?`,
  )
  const statusOf = (r: TotpRow): TotpStatus => ({
    enabled: r.totp_enabled === 1,
    requiredForLogin: r.totp_required_for_login === 1,
    requiredForPasswordReset: r.totp_required_for_password_reset === 1,
  })
  app.get('/ui/api/totp', (c) => {
    const s = signedIn(c)
    if (s instanceof Response) return s
    const row = totpRowQ.get(s.username) as TotpRow | undefined
    if (!row) return c.json(EXPIRED, 401)
    return ok(c, statusOf(row))
  })
  app.post('/ui/api/totp/secret', async (c) => {
    const s = signedIn(c)
    if (s instanceof Response) return s
    // the secret is a login factor: shown only after the password was re-entered (WS-5)
    if (!hasRecentReauth(s, clock.now())) {
      const password = ((await body(c)) as { password?: unknown } | undefined)?.password
      const fine =
        typeof password === 'string' && (await identity.users.checkPassword(s.username, password))
      if (!fine) {
        if (typeof password === 'string')
          deps.security.bans.record('login', deps.security.clientIp(c))
        return c.json(
          {
            status: 'error',
            code: 'reauth_required',
            error: 'reauth_required',
            message: 'Please confirm your password to see the authenticator secret.',
          },
          401,
        )
      }
      identity.sessions.markReauth(s)
    }
    const row = totpRowQ.get(s.username) as TotpRow | undefined
    if (!row) return c.json(EXPIRED, 401)
    const secret = identity.auth.decrypt(row.totp_secret) ?? row.totp_secret
    c.header('Cache-Control', 'no-store')
    return ok(c, { secret, uri: totpUri(secret, row.email) })
  })
  app.post('/ui/api/totp', async (c) => {
    const s = signedIn(c)
    if (s instanceof Response) return s
    const parsed = totpConfigureInput.safeParse(await body(c))
    if (!parsed.success) return bad(c, issues(parsed.error))
    const user = identity.users.byUsername(s.username)
    if (!user) return c.json(EXPIRED, 401)
    // a current code proves the authenticator works before any switch depends on it
    if (!identity.users.checkTotp(user, parsed.data.code)) {
      deps.security.bans.record('login', deps.security.clientIp(c))
      return c.json(
        { status: 'error', code: 'invalid_input', message: 'Invalid TOTP code. Please try again.' },
        400,
      )
    }
    const on = parsed.data.enabled
    totpWriteQ.run(
      on ? 1 : 0,
      on && parsed.data.requiredForLogin ? 1 : 0,
      on && parsed.data.requiredForPasswordReset ? 1 : 0,
      s.username,
    )
    deps.logger.info({ username: s.username, enabled: on }, 'two-factor settings changed')
    const row = totpRowQ.get(s.username) as TotpRow
    return ok(c, statusOf(row))
  })

  // ── the push stream ──
  const aliveQ = deps.main.sqlite.prepare(
    'SELECT 1 AS ok FROM active_sessions WHERE id = ? AND session_id = ?',
  )
  app.get('/ui/api/events', (c) => {
    const s = signedIn(c)
    if (s instanceof Response) return s
    c.header('Cache-Control', 'no-store')
    c.header('X-Accel-Buffering', 'no')
    return streamSSE(c, async (stream) => {
      const queue: WebEvent[] = []
      let wake: (() => void) | null = null
      let closed = false
      const remove = hub.add({
        username: s.username,
        send: (event) => {
          queue.push(event)
          wake?.()
        },
      })
      const heartbeatMs = deps.heartbeatMs ?? 15_000
      const timer = setInterval(() => wake?.(), heartbeatMs)
      stream.onAbort(() => {
        closed = true
        wake?.()
      })
      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ mode: modeNow() }) })
        while (!closed) {
          if (queue.length === 0) {
            await new Promise<void>((resolve) => (wake = resolve))
            wake = null
          }
          if (closed) break
          // logout elsewhere, password change, daily boundary: the row is gone, and nothing
          // more reaches this browser
          if (!aliveQ.get(s.rowId, s.binding) || s.expiresAtMs <= clock.now()) {
            const ended: WebEvent = {
              type: 'session',
              reason: 'ended',
              message: 'You have been logged out. Please log in again.',
            }
            await stream.writeSSE({ event: ended.type, data: JSON.stringify(ended) })
            break
          }
          const batch = queue.splice(0)
          for (const event of batch) {
            await stream.writeSSE({ event: event.type, data: JSON.stringify(event) })
          }
          if (batch.length === 0) await stream.write(': keep-alive\n\n')
        }
      } finally {
        clearInterval(timer)
        remove()
      }
    })
  })

  // an unknown /ui/api path is a JSON 404, never the SPA shell
  app.all('/ui/api/*', (c) =>
    c.json({ status: 'error', message: 'Not found', path: c.req.path }, 404),
  )
  return app
}

/** The IST day bounds of a `YYYY-MM-DD` range, epoch ms [start, end). */
export function istRangeMs(startIst: string, endIst: string): { fromMs: number; toMs: number } {
  return { fromMs: istMidnight(startIst), toMs: istMidnight(endIst) + 86_400_000 }
}
