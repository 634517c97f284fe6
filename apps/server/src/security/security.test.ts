import { describe, expect, it } from 'vitest'
import { main } from '../cli.js'
import {
  ADMIN,
  apiPost,
  commandIo,
  createBrowser,
  createHarness,
  setupAdmin,
} from '../identity/test-helpers/harness.js'

const BANNED_TEXT = 'Access Denied: Your IP has been banned'

describe('login rate limit (LOGIN_RATE_LIMIT_MIN = 5 per minute)', () => {
  it('answers the 6th attempt within a minute from one IP with 429, before any password check', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const b = createBrowser(h.app, '203.0.113.20')
    await b.fetchCsrf()
    for (let i = 0; i < 5; i++) {
      const res = await b.post('/auth/login', { username: 'admin', password: 'Wrong!Pass1' })
      expect(res.status).toBe(401)
    }
    const argon2Before = h.identity.auth.hasher.stats.verifies
    const sixth = await b.post('/auth/login', { username: 'admin', password: ADMIN.password })
    expect(sixth.status).toBe(429)
    expect(sixth.headers.get('retry-after')).toBe('60')
    expect(await sixth.json()).toEqual({
      status: 'error',
      message: 'Too many login attempts. Please wait a minute and try again.',
      retry_after: 60,
    })
    expect(h.identity.auth.hasher.stats.verifies).toBe(argon2Before) // no password check ran
    // another IP is not affected (the limiter keys on the resolved client IP, W-7)
    const other = createBrowser(h.app, '203.0.113.21')
    await other.fetchCsrf()
    expect(
      (await other.post('/auth/login', { username: 'admin', password: ADMIN.password })).status,
    ).toBe(200)
    // the window moves: a minute after the first attempt, one more is allowed
    h.clock.advance(60_001)
    expect(
      (await b.post('/auth/login', { username: 'admin', password: 'Wrong!Pass1' })).status,
    ).toBe(401)
  })

  it('limits /api/v1 per client IP with the API envelope and a Retry-After header', async () => {
    const h = await createHarness({ overrides: { API_RATE_LIMIT: '3 per second' } })
    await setupAdmin(h.app)
    const key = await h.identity.auth.issueApiKey('admin')
    for (let i = 0; i < 3; i++)
      expect((await apiPost(h.app, '/api/v1/ping', { apikey: key })).status).toBe(200)
    const limited = await apiPost(h.app, '/api/v1/ping', { apikey: key })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(await limited.json()).toEqual({
      status: 'error',
      message: 'Rate limit exceeded. Please slow down your requests.',
      retry_after: 1,
    })
    expect((await apiPost(h.app, '/api/v1/ping', { apikey: key }, '203.0.113.51')).status).toBe(200)
  })
})

describe('IP bans (spec platform.md §7.6)', () => {
  const enableAutoBan = (h: Awaited<ReturnType<typeof createHarness>>, threshold: number): void => {
    h.main.sqlite
      .prepare(
        `UPDATE settings SET security_auto_ban_enabled = 1, security_api_threshold = ?,
           security_404_threshold = ?, security_api_ban_duration = 0, security_404_ban_duration = 24`,
      )
      .run(threshold, threshold)
  }

  it('bans an IP at the invalid-key threshold; `oa unban` lifts it and the server sees it on its next poll', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    enableAutoBan(h, 3)
    const ip = '198.51.100.66'
    for (let i = 0; i < 3; i++) {
      expect((await apiPost(h.app, '/api/v1/ping', { apikey: `bad-${i}` }, ip)).status).toBe(403)
    }
    const banned = await apiPost(h.app, '/api/v1/ping', { apikey: 'bad-3' }, ip)
    expect(banned.status).toBe(403)
    expect(banned.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await banned.text()).toBe(BANNED_TEXT)
    expect(
      (await h.app.request('/health', {}, { incoming: { socket: { remoteAddress: ip } } })).status,
    ).toBe(403)
    const row = h.logs.sqlite
      .prepare('SELECT * FROM ip_bans WHERE ip_address = ?')
      .get(ip) as Record<string, unknown>
    expect(row).toMatchObject({ created_by: 'api_key_detector', is_permanent: 1 })
    expect(String(row['ban_reason'])).toBe(
      'Exceeded invalid API key threshold: 3 attempts in 24 hours',
    )

    const cli = commandIo(h.env)
    expect(await main(['unban', ip], cli.io)).toBe(0)
    expect(cli.stdout()).toContain(`${ip} unbanned`)
    h.identity.auth.watcher.check() // the 100 ms poll, run now
    expect(
      (await h.app.request('/health', {}, { incoming: { socket: { remoteAddress: ip } } })).status,
    ).not.toBe(403)

    const again = commandIo(h.env)
    expect(await main(['unban', ip], again.io)).toBe(1)
    expect(again.stderr()).toContain('is not banned')
    expect(await main(['unban', 'not-an-ip'], commandIo(h.env).io)).toBe(1)
  })

  it('bans after repeated 404s within 24 h, counted on every hit (W-30), and never bans localhost', async () => {
    const h = await createHarness()
    enableAutoBan(h, 2)
    const probe = (path: string, ip: string) =>
      h.app.request(path, {}, { incoming: { socket: { remoteAddress: ip } } })
    expect((await probe('/wp-admin', '198.51.100.70')).status).toBe(404)
    expect((await probe('/favicon.ico', '198.51.100.70')).status).toBe(404) // benign, not counted
    expect((await probe('/.env', '198.51.100.70')).status).toBe(404) // the 2nd counted 404 bans
    expect(await (await probe('/', '198.51.100.70')).text()).toBe(BANNED_TEXT)
    const ban = h.logs.sqlite
      .prepare('SELECT expires_at, is_permanent FROM ip_bans')
      .get() as Record<string, unknown>
    expect(ban['is_permanent']).toBe(0) // 24 h, from the 404 duration setting
    for (let i = 0; i < 5; i++) await probe(`/nope-${i}`, '127.0.0.1')
    expect((await probe('/health', '127.0.0.1')).status).toBe(200)
  })

  it('forgets hits older than 24 h (a sliding window, not one anchored on the first hit)', async () => {
    const h = await createHarness()
    enableAutoBan(h, 2)
    const ip = '198.51.100.71'
    h.security.bans.record('404', ip, '/a')
    h.clock.advance(86_400_001)
    expect(h.security.bans.record('404', ip, '/b')).toEqual({ count: 1, banned: false })
    expect(h.security.bans.record('404', ip, '/c')).toEqual({ count: 2, banned: true })
  })

  it('makes a repeat offender permanent and keeps counting failed logins', async () => {
    const h = await createHarness()
    const ip = '198.51.100.72'
    const first = h.security.bans.ban(ip, { reason: 'Manual ban', hours: 1, createdBy: 'manual' })
    expect(first).toMatchObject({ ok: true, permanent: false, banCount: 1 })
    h.clock.advance(3_600_001)
    expect(h.security.bans.isBanned(ip)).toBe(false)
    const second = h.security.bans.ban(ip, { reason: 'Manual ban', hours: 1, createdBy: 'manual' })
    expect(second).toMatchObject({ ok: true, permanent: true, banCount: 2 }) // repeat_offender_limit 2
    expect(h.security.bans.ban('::1', { reason: 'x', createdBy: 'manual' })).toEqual({
      ok: false,
      reason: 'localhost',
    })
  })
})

describe('security headers and CORS', () => {
  it('sends CSP without inline scripts and X-Frame-Options agreeing with frame-ancestors (W-45)', async () => {
    const h = await createHarness()
    const res = await h.app.request('/health')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("frame-ancestors 'self'")
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    expect(res.headers.get('permissions-policy')).toContain('camera=()')
  })

  it('switches to the report-only header and drops XFO for a frame-ancestors list', async () => {
    const h = await createHarness({
      overrides: {
        CSP_REPORT_ONLY: 'TRUE',
        CSP_FRAME_ANCESTORS: "'self' https://dash.example.com",
      },
    })
    const res = await h.app.request('/health')
    expect(res.headers.get('content-security-policy')).toBeNull()
    expect(res.headers.get('content-security-policy-report-only')).toContain('frame-ancestors')
    expect(res.headers.get('x-frame-options')).toBeNull()
  })

  it('sends no CORS headers at all when CORS is disabled (W-10)', async () => {
    const h = await createHarness()
    const res = await apiPost(h.app, '/api/v1/ping', { apikey: 'x' }, '203.0.113.9', {
      origin: 'https://evil.example',
    })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('allows only the configured origins on /api/* when CORS is enabled', async () => {
    const h = await createHarness({
      overrides: { CORS_ENABLED: 'TRUE', CORS_ALLOWED_ORIGINS: 'https://app.example.com' },
    })
    const ok = await apiPost(h.app, '/api/v1/ping', { apikey: 'x' }, '203.0.113.9', {
      origin: 'https://app.example.com',
    })
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    const other = await apiPost(h.app, '/api/v1/ping', { apikey: 'x' }, '203.0.113.9', {
      origin: 'https://evil.example',
    })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await h.app.request('/api/v1/ping', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
    const web = await h.app.request('/health', { headers: { origin: 'https://app.example.com' } })
    expect(web.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('never leaks a stack trace: unexpected errors are a generic JSON 500 (W-42)', async () => {
    const h = await createHarness()
    h.app.post('/api/v1/explode', () => {
      throw new Error('internal detail apikey=0123456789abcdef0123456789abcdef')
    })
    const res = await apiPost(h.app, '/api/v1/explode', {})
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(JSON.parse(text)).toMatchObject({
      status: 'error',
      message: 'An unexpected error occurred',
    })
    expect(text).not.toContain('internal detail')
    expect(text).not.toMatch(/\n\s+at /)
    // and the log has the error with the secret masked
    expect(h.logText()).toContain('internal detail')
    expect(h.logText()).not.toContain('0123456789abcdef0123456789abcdef')
  })
})
