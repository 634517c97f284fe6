import { totpCodeAt, totpStep, base32Decode } from '@oa/auth-cache'
import { describe, expect, it, vi } from 'vitest'
import {
  ADMIN,
  createBrowser,
  createHarness,
  createManualClock,
  loggedInBrowser,
  setupAdmin,
} from './test-helpers/harness.js'

describe('first-run setup', () => {
  it('creates the one admin once and refuses a second setup', async () => {
    const h = await createHarness()
    const b = createBrowser(h.app)
    expect(await (await b.get('/auth/check-setup')).json()).toEqual({
      status: 'success',
      needs_setup: true,
    })
    await b.fetchCsrf()
    const res = await b.post('/setup', ADMIN)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { status: string; totp: { secret: string; uri: string } }
    expect(body.status).toBe('success')
    expect(body.totp.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(body.totp.uri).toContain('otpauth://totp/OpenAlgo:admin%40example.com')
    expect(await (await b.get('/auth/check-setup')).json()).toEqual({
      status: 'success',
      needs_setup: false,
    })
    const again = await b.post('/setup', { ...ADMIN, username: 'other', email: 'o@example.com' })
    expect(again.status).toBe(400)
    expect(await again.json()).toMatchObject({ status: 'error', redirect: '/auth/login' })
    // the admin came with an API key, stored only as hash + lookup + ciphertext
    const key = h.main.sqlite.prepare('SELECT * FROM api_keys').get() as Record<string, string>
    expect(key['user_id']).toBe('admin')
    expect(key['api_key_hash']).toMatch(/^\$argon2id\$/)
  })

  it('answers the policy message for a weak password', async () => {
    const h = await createHarness()
    const b = createBrowser(h.app)
    await b.fetchCsrf()
    const res = await b.post('/setup', { ...ADMIN, password: 'Password1' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      status: 'error',
      message: 'Password must contain at least 1 special character (!@#$%^&*)',
    })
  })

  it('creates exactly one admin when two setups race (W-41)', async () => {
    const h = await createHarness()
    const a = createBrowser(h.app, '198.51.100.2')
    const b = createBrowser(h.app, '198.51.100.3')
    await a.fetchCsrf()
    await b.fetchCsrf()
    const [ra, rb] = await Promise.all([
      a.post('/setup', ADMIN),
      b.post('/setup', { ...ADMIN, username: 'admin2', email: 'two@example.com' }),
    ])
    expect([ra.status, rb.status].sort()).toEqual([200, 400])
    const n = h.main.sqlite.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }
    expect(n.n).toBe(1)
  })
})

describe('CSRF', () => {
  it('rejects a state-changing web request without a valid token, with the §7.2 JSON', async () => {
    const h = await createHarness()
    const b = createBrowser(h.app)
    const res = await b.post('/auth/login', { username: 'x', password: 'y' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: 'CSRF validation failed',
      message: 'Security token expired or invalid. Please refresh the page and try again.',
    })
    // a token minted for another browser (another nonce cookie) does not verify here either
    const other = createBrowser(h.app)
    b.csrf = await other.fetchCsrf()
    expect((await b.post('/auth/login', { username: 'x', password: 'y' })).status).toBe(400)
  })

  it('accepts the token from the X-CSRF-Token header and from the csrf_token form field', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const b = createBrowser(h.app)
    const token = await b.fetchCsrf()
    const viaHeader = await b.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': token },
      body: JSON.stringify({ username: 'admin', password: 'wrong' }),
    })
    expect(viaHeader.status).toBe(401)
    const form = new URLSearchParams({ username: 'admin', password: 'wrong', csrf_token: token })
    const viaForm = await b.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
    expect(viaForm.status).toBe(401)
  })

  it('exempts /api/v1 (API-key authenticated)', async () => {
    const h = await createHarness()
    const res = await h.app.request('/api/v1/ping', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apikey: 'nope' }),
    })
    expect(res.status).toBe(403)
  })
})

describe('two-stage login with server-side sessions', () => {
  it('answers the §6.3 table: setup first, bad credentials, password stage, broker stage', async () => {
    const h = await createHarness()
    const b = createBrowser(h.app)
    await b.fetchCsrf()
    const early = await b.post('/auth/login', { username: 'admin', password: ADMIN.password })
    expect(early.status).toBe(400)
    expect(await early.json()).toEqual({
      status: 'error',
      message: 'Please complete initial setup first.',
      redirect: '/setup',
    })
    await setupAdmin(h.app)
    const bad = await b.post('/auth/login', { username: 'admin', password: 'Wrong!Pass1' })
    expect(bad.status).toBe(401)
    expect(await bad.json()).toEqual({ status: 'error', message: 'Invalid credentials' })
    const attempt = h.main.sqlite.prepare('SELECT * FROM login_attempts').get() as Record<
      string,
      string
    >
    expect(attempt).toMatchObject({
      status: 'failed',
      login_type: 'password',
      failure_reason: 'invalid_credentials',
    })

    const ok = await b.post('/auth/login', { username: 'admin', password: ADMIN.password })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ status: 'success' })
    const cookie = ok.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${h.config.security.sessionCookieName}=`))
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(await (await b.get('/auth/session-status')).json()).toMatchObject({
      authenticated: true,
      logged_in: false,
      user: 'admin',
    })
    const again = await b.post('/auth/login', { username: 'admin', password: ADMIN.password })
    expect(await again.json()).toMatchObject({ message: 'Already logged in', redirect: '/broker' })

    // the cookie carries a random id; the database holds only its keyed hash
    const sessionCookie = b.cookies.get(h.config.security.sessionCookieName) ?? ''
    const id = sessionCookie.split('.')[0] ?? ''
    const row = h.main.sqlite
      .prepare('SELECT session_id, stage FROM active_sessions')
      .get() as Record<string, string>
    expect(row['stage']).toBe('password')
    expect(row['session_id']).toMatch(/^[0-9a-f]{64}$/)
    expect(row['session_id']).not.toContain(id)
  })

  it('logs in to the simulator broker only with an app session, and fires the broker-login hook', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const hook = vi.fn()
    h.identity.onBrokerLogin(hook)
    const anonymous = createBrowser(h.app)
    const refused = await anonymous.request('/simulator/callback', {
      headers: { accept: 'application/json' },
    })
    expect(refused.status).toBe(401)
    expect(h.main.sqlite.prepare('SELECT COUNT(*) AS n FROM auth').get()).toEqual({ n: 0 })

    const b = await loggedInBrowser(h.app)
    const res = await b.request('/simulator/callback', { headers: { accept: 'application/json' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      status: 'success',
      message: 'Authentication successful',
      redirect: '/dashboard',
    })
    expect(hook).toHaveBeenCalledWith({ username: 'admin', broker: 'simulator' })
    const status = (await (await b.get('/auth/session-status')).json()) as Record<string, unknown>
    expect(status).toMatchObject({
      authenticated: true,
      logged_in: true,
      user: 'admin',
      broker: 'simulator',
    })
    expect(status).not.toHaveProperty('api_key') // W-18
    const row = h.main.sqlite.prepare('SELECT auth, broker, is_revoked FROM auth').get() as Record<
      string,
      unknown
    >
    expect(row).toMatchObject({ broker: 'simulator', is_revoked: 0 })
    expect(String(row['auth'])).toMatch(/^gAAAAA/) // Fernet ciphertext
    expect(h.identity.auth.brokerSessions.get('admin')?.authToken).toMatch(/^sim-/)
  })

  it('routes only the configured broker: other names are 404 even when logged in (W-1)', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const b = await loggedInBrowser(h.app)
    for (const path of ['/zerodha/callback', '/rmoney/callback', '/compositedge/callback']) {
      const res = await b.request(path, { method: 'POST', headers: { accept: 'application/json' } })
      expect(res.status).toBe(404)
    }
    expect(h.main.sqlite.prepare('SELECT COUNT(*) AS n FROM auth').get()).toEqual({ n: 0 })
  })

  it('logs out everywhere: sessions deleted, broker token revoked, epoch bumped, old cookie dead', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const b = await loggedInBrowser(h.app, { broker: true })
    const other = await loggedInBrowser(h.app, { ip: '203.0.113.99' })
    const epoch = () =>
      (
        h.main.sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'auth_epoch'`).get() as {
          value: string
        }
      ).value
    const before = Number(epoch())
    const stale = new Map(b.cookies)
    const res = await b.post('/auth/logout')
    expect(await res.json()).toMatchObject({
      status: 'success',
      message: 'Logged out successfully',
    })
    expect(Number(epoch())).toBeGreaterThan(before)
    expect(h.main.sqlite.prepare('SELECT COUNT(*) AS n FROM active_sessions').get()).toEqual({
      n: 0,
    })
    expect(h.main.sqlite.prepare('SELECT is_revoked, auth FROM auth').get()).toEqual({
      is_revoked: 1,
      auth: '',
    })
    expect(h.identity.auth.brokerSessions.get('admin')).toBeNull()
    expect(await (await other.get('/auth/session-status')).json()).toMatchObject({
      authenticated: false,
    })
    b.cookies.clear()
    for (const [k, v] of stale) b.cookies.set(k, v)
    expect(await (await b.get('/auth/session-status')).json()).toMatchObject({
      authenticated: false,
    })
  })

  it('refuses a logout started by another site', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const b = await loggedInBrowser(h.app)
    const res = await b.post('/auth/logout', {}, { 'sec-fetch-site': 'cross-site' })
    expect(res.status).toBe(403)
    expect(await (await b.get('/auth/session-status')).json()).toMatchObject({
      authenticated: true,
    })
  })

  it('ends every session at SESSION_EXPIRY_TIME, even an idle one (W-15, W-16)', async () => {
    const clock = createManualClock('2026-03-02T02:58:00+05:30')
    const h = await createHarness({ clock })
    await setupAdmin(h.app)
    const b = await loggedInBrowser(h.app, { broker: true })
    expect(await (await b.get('/auth/session-status')).json()).toMatchObject({ logged_in: true })
    clock.set('2026-03-02T03:00:01+05:30')
    expect(await (await b.get('/auth/session-status')).json()).toMatchObject({
      authenticated: false,
    })
    // and the boundary job revokes the broker token for the API and the ws-proxy
    expect(h.identity.rollover.runDue()).toBe(true)
    expect(h.identity.rollover.runDue()).toBe(false)
    expect(h.main.sqlite.prepare('SELECT is_revoked FROM auth').get()).toEqual({ is_revoked: 1 })
  })
})

describe('TOTP', () => {
  const enableTotpLogin = (h: Awaited<ReturnType<typeof createHarness>>): void => {
    h.main.sqlite.prepare('UPDATE users SET totp_enabled = 1, totp_required_for_login = 1').run()
  }
  const code = (secret: string, ms: number): string =>
    totpCodeAt(base32Decode(secret) ?? Buffer.alloc(0), totpStep(ms))

  it('asks for the code after the password, accepts it once, and refuses its replay (W-14)', async () => {
    const h = await createHarness()
    const { totpSecret } = await setupAdmin(h.app)
    enableTotpLogin(h)
    const b = createBrowser(h.app)
    await b.fetchCsrf()
    const first = await b.post('/auth/login', { username: 'admin', password: ADMIN.password })
    expect(await first.json()).toMatchObject({ status: 'totp_required' })
    expect(await (await b.get('/auth/session-status')).json()).toMatchObject({
      authenticated: false,
    })
    const wrong = await b.post('/auth/login/totp', {
      totp_code: '000000' === code(totpSecret, h.clock.now()) ? '111111' : '000000',
    })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toEqual({ status: 'error', message: 'Invalid TOTP code.' })
    const valid = code(totpSecret, h.clock.now())
    const ok = await b.post('/auth/login/totp', { totp_code: valid })
    expect(ok.status).toBe(200)
    expect(await (await b.get('/auth/session-status')).json()).toMatchObject({
      authenticated: true,
    })

    const thief = createBrowser(h.app)
    await thief.fetchCsrf()
    await thief.post('/auth/login', { username: 'admin', password: ADMIN.password })
    const replay = await thief.post('/auth/login/totp', { totp_code: valid })
    expect(replay.status).toBe(401)
  })

  it('expires a pending TOTP login after 300 s', async () => {
    const h = await createHarness()
    const { totpSecret } = await setupAdmin(h.app)
    enableTotpLogin(h)
    const b = createBrowser(h.app)
    await b.fetchCsrf()
    await b.post('/auth/login', { username: 'admin', password: ADMIN.password })
    h.clock.advance(301_000)
    const late = await b.post('/auth/login/totp', { totp_code: code(totpSecret, h.clock.now()) })
    expect(late.status).toBe(401)
    expect(await late.json()).toMatchObject({
      message: 'Login session expired. Please sign in again.',
    })
  })

  it('resets a forgotten password with a TOTP code and a single-use token (§6.6)', async () => {
    const h = await createHarness()
    const { totpSecret } = await setupAdmin(h.app)
    const b = createBrowser(h.app)
    await b.fetchCsrf()
    const verified = await b.post('/auth/reset-password', {
      step: 'totp',
      email: ADMIN.email,
      totp_code: code(totpSecret, h.clock.now()),
    })
    const { token } = (await verified.json()) as { token: string }
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const weak = await b.post('/auth/reset-password', {
      step: 'password',
      email: ADMIN.email,
      token,
      password: 'short',
    })
    expect(await weak.json()).toEqual({
      status: 'error',
      message: 'Password must be at least 8 characters long',
    })
    const done = await b.post('/auth/reset-password', {
      step: 'password',
      email: ADMIN.email,
      token,
      password: 'N3w!Password',
    })
    expect(await done.json()).toEqual({
      status: 'success',
      message: 'Your password has been reset successfully.',
    })
    const reused = await b.post('/auth/reset-password', {
      step: 'password',
      email: ADMIN.email,
      token,
      password: 'An0ther!Pass',
    })
    expect(await reused.json()).toEqual({
      status: 'error',
      message: 'Invalid or expired reset token.',
    })
    expect(await h.identity.users.checkPassword('admin', 'N3w!Password')).not.toBeNull()
  })
})

describe('password change', () => {
  it('ends every session and the old password stops working at once (W-5, W-43)', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const b = await loggedInBrowser(h.app)
    const other = await loggedInBrowser(h.app, { ip: '203.0.113.98' })
    const mismatch = await b.post('/auth/change-password', {
      old_password: ADMIN.password,
      new_password: 'N3w!Password',
      confirm_password: 'different',
    })
    expect(await mismatch.json()).toEqual({
      status: 'error',
      message: 'New password and confirm password do not match.',
    })
    const res = await b.post('/auth/change-password', {
      old_password: ADMIN.password,
      new_password: 'N3w!Password',
      confirm_password: 'N3w!Password',
    })
    expect(await res.json()).toMatchObject({ status: 'success' })
    expect(await (await other.get('/auth/session-status')).json()).toMatchObject({
      authenticated: false,
    })
    expect(await h.identity.users.checkPassword('admin', ADMIN.password)).toBeNull()
    expect(await h.identity.users.checkPassword('admin', 'N3w!Password')).not.toBeNull()
  })
})
