import { base32Decode, totpCodeAt, totpStep } from '@oa/auth-cache'
import type { WebEvent } from '@oa/web-contract'
import { deriveFeedTokenKey, verifyFeedToken } from '@oa/web-contract/feed-token'
import { Hono } from 'hono'
import { describe, expect, it, vi } from 'vitest'
import { mountIdentityRoutes } from '../identity/mount.js'
import {
  ADMIN,
  createBrowser,
  createHarness,
  loggedInBrowser,
  setupAdmin,
  type Harness,
} from '../identity/test-helpers/harness.js'
import { installSecurityMiddleware } from '../security/security.js'
import { WebBackendError, type WebBackends } from './backends.js'
import { mountWebRoutes } from './mount.js'

/** The harness's server with the given backends behind `/ui/api`. */
function appWith(h: Harness, backends: WebBackends): Hono {
  const app = new Hono()
  installSecurityMiddleware(app, h.config, h.security, h.identity.csrf.middleware())
  const deps = {
    config: h.config,
    clock: h.clock,
    logger: h.logger,
    identity: h.identity,
    security: h.security,
    main: h.main,
    logs: h.logs,
  }
  mountIdentityRoutes(app, deps)
  mountWebRoutes(app, deps, backends)
  return app
}

const FUNDS = {
  availableCashE4: 1_000_000_000,
  collateralE4: 0,
  m2mUnrealizedE4: -12_500,
  m2mRealizedE4: 0,
  utilisedDebitsE4: 0,
}

/** Reads SSE frames from a streaming response until `until` says stop. */
async function readEvents(
  res: Response,
  until: (events: { event: string; data: string }[]) => boolean,
): Promise<{ event: string; data: string }[]> {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  const events: { event: string; data: string }[] = []
  let buffer = ''
  while (!until(events)) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += decoder.decode(value, { stream: true })
    let cut: number
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, cut)
      buffer = buffer.slice(cut + 2)
      const event = /^event: ?(.*)$/m.exec(frame)?.[1]
      const data = /^data: ?(.*)$/m.exec(frame)?.[1]
      if (event !== undefined && data !== undefined) events.push({ event, data })
    }
  }
  await reader.cancel()
  return events
}

describe('web session routes', () => {
  it('tells a browser without a session to log in, and a password-only one to connect its broker', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const anonymous = createBrowser(h.app)
    const res = await anonymous.get('/ui/api/orderbook')
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ code: 'session_expired' })
    const password = await loggedInBrowser(h.app)
    const res2 = await password.get('/ui/api/orderbook')
    expect(res2.status).toBe(401)
    expect(await res2.json()).toMatchObject({ code: 'broker_not_connected' })
  })

  it('answers 503 not_available for a book whose service has not landed, never a made-up book', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const b = await loggedInBrowser(h.app, { broker: true })
    for (const path of ['/ui/api/orderbook', '/ui/api/funds', '/ui/api/positions']) {
      const res = await b.get(path)
      expect(res.status).toBe(503)
      expect(await res.json()).toMatchObject({ status: 'error', code: 'not_available' })
    }
  })

  it('reads funds through the backend as the session user, never a body field', async () => {
    const h = await createHarness()
    const funds = vi.fn(() => Promise.resolve(FUNDS))
    const app = appWith(h, { funds })
    await setupAdmin(app)
    const b = await loggedInBrowser(app, { broker: true })
    const res = await b.get('/ui/api/funds?user=someone-else')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'success', data: FUNDS })
    expect(funds).toHaveBeenCalledWith({ username: ADMIN.username, broker: 'simulator' })
  })

  it('places an order only with a CSRF token and a valid body, and shows the refusal in place', async () => {
    const h = await createHarness()
    const placeOrder = vi.fn((_caller: unknown, input: { symbol: string }) =>
      input.symbol === 'BAD'
        ? Promise.reject(new WebBackendError(400, 'Symbol not found: BAD'))
        : Promise.resolve({ message: 'Order placed', orderId: 'O1' }),
    )
    const app = appWith(h, { placeOrder })
    await setupAdmin(app)
    const b = await loggedInBrowser(app, { broker: true })
    const order = {
      symbol: 'SBIN',
      exchange: 'NSE',
      action: 'BUY',
      quantity: 1,
      priceType: 'MARKET',
      product: 'MIS',
    }
    const noCsrf = await b.post('/ui/api/orders', order, { 'x-csrftoken': '' })
    expect(noCsrf.status).toBe(400)
    expect(placeOrder).not.toHaveBeenCalled()

    const zero = await b.post('/ui/api/orders', { ...order, quantity: 0 })
    expect(zero.status).toBe(400)
    expect(((await zero.json()) as { message: string }).message).toContain(
      'quantity must be greater than 0',
    )

    const placed = await b.post('/ui/api/orders', order)
    expect(await placed.json()).toEqual({
      status: 'success',
      data: { message: 'Order placed', orderId: 'O1' },
    })
    expect(placeOrder.mock.calls[0]?.[1]).toMatchObject({ symbol: 'SBIN', price: '0' })

    const refused = await b.post('/ui/api/orders', { ...order, symbol: 'BAD' })
    expect(refused.status).toBe(400)
    expect(await refused.json()).toMatchObject({
      code: 'upstream',
      message: 'Symbol not found: BAD',
    })
  })

  it('switches analyzer mode in the settings row and pushes it to every open tab', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const b = await loggedInBrowser(h.app, { broker: true })
    const other = await loggedInBrowser(h.app, { broker: true, ip: '203.0.113.8' })
    const stream = await other.get('/ui/api/events', { accept: 'text/event-stream' })
    expect(stream.headers.get('content-type')).toContain('text/event-stream')
    const reading = readEvents(stream, (e) => e.some((x) => x.event === 'mode'))
    await new Promise((r) => setTimeout(r, 20))
    const res = await b.post('/ui/api/analyzer', { mode: 'analyze' })
    expect(await res.json()).toEqual({ status: 'success', data: { mode: 'analyze' } })
    const events = await reading
    expect(events[0]?.event).toBe('ready')
    expect(JSON.parse(events.find((e) => e.event === 'mode')!.data)).toEqual({
      type: 'mode',
      mode: 'analyze',
    })
    const row = h.main.sqlite.prepare('SELECT analyze_mode FROM settings WHERE id = 1').get()
    expect(row).toEqual({ analyze_mode: 1 })
    expect(await (await b.get('/ui/api/analyzer')).json()).toMatchObject({
      data: { mode: 'analyze' },
    })
  })

  it('pushes a bus event only to the user it belongs to, and ends the stream after logout', async () => {
    const h = await createHarness()
    let emit: ((u: string | null, e: WebEvent) => void) | null = null
    const app = appWith(h, {
      orderEvents: true,
      subscribe: (listener) => {
        emit = listener
        return () => (emit = null)
      },
    })
    await setupAdmin(app)
    const b = await loggedInBrowser(app, { broker: true })
    expect(await (await b.get('/ui/api/me')).json()).toMatchObject({
      data: { user: 'admin', broker: 'simulator', mode: 'live', orderEvents: true },
    })
    const stream = await b.get('/ui/api/events', { accept: 'text/event-stream' })
    const reading = readEvents(stream, (e) => e.some((x) => x.event === 'session'))
    await new Promise((r) => setTimeout(r, 20))
    emit!('someone-else', { type: 'notice', level: 'info', message: 'not yours' })
    emit!('admin', { type: 'portfolio', what: ['positions'] })
    await new Promise((r) => setTimeout(r, 20))
    const other = await loggedInBrowser(app, { broker: true, ip: '203.0.113.9' })
    await other.post('/auth/logout', {})
    // the stream notices at its next heartbeat (or event)
    emit!('admin', { type: 'portfolio', what: ['funds'] })
    const events = await reading
    expect(events.map((e) => e.event)).toEqual(['ready', 'portfolio', 'session'])
    expect(events.some((e) => e.data.includes('not yours'))).toBe(false)
  })

  it('mints a feed token the ws-proxy can verify with APP_KEY alone', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const b = await loggedInBrowser(h.app, { broker: true })
    const res = await b.get('/ui/api/feed-token')
    expect(res.headers.get('cache-control')).toBe('no-store')
    const { data } = (await res.json()) as { data: { token: string; expiresAtMs: number } }
    const key = deriveFeedTokenKey(h.config.secrets.appKey)
    expect(verifyFeedToken(data.token, { key, nowMs: h.clock.now() })).toBe('admin')
    expect(data.expiresAtMs - h.clock.now()).toBeLessThanOrEqual(10 * 60_000)
    expect(verifyFeedToken(data.token, { key, nowMs: data.expiresAtMs })).toBeNull()
  })

  it('shows the authenticator secret only after the password, and enables 2FA only with a valid code', async () => {
    const h = await createHarness()
    const { totpSecret } = await setupAdmin(h.app)
    const b = await loggedInBrowser(h.app)
    const denied = await b.post('/ui/api/totp/secret', { password: 'wrong' })
    expect(denied.status).toBe(401)
    expect(await denied.json()).toMatchObject({ code: 'reauth_required' })
    const shown = await b.post('/ui/api/totp/secret', { password: ADMIN.password })
    expect(await shown.json()).toMatchObject({ data: { secret: totpSecret } })

    const flags = { enabled: true, requiredForLogin: true, requiredForPasswordReset: false }
    const wrong = await b.post('/ui/api/totp', { ...flags, code: '000000' })
    expect(wrong.status).toBe(400)
    const code = totpCodeAt(base32Decode(totpSecret) ?? Buffer.alloc(0), totpStep(h.clock.now()))
    const okRes = await b.post('/ui/api/totp', { ...flags, code })
    expect(await okRes.json()).toEqual({ status: 'success', data: flags })
    expect(await (await b.get('/ui/api/totp')).json()).toEqual({ status: 'success', data: flags })
  })

  it('answers unknown /ui/api paths with JSON 404, not the web app', async () => {
    const h = await createHarness()
    const res = await createBrowser(h.app).get('/ui/api/nope')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ status: 'error', message: 'Not found' })
  })
})
