import { describe, expect, it } from 'vitest'
import {
  ADMIN,
  apiPost,
  createHarness,
  loggedInBrowser,
  setupAdmin,
} from './test-helpers/harness.js'

describe('POST /api/v1/ping (api.md §11.4)', () => {
  it('answers pong with the broker for a valid key, 403 for a wrong one, 400 naming apikey without one', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const key = await h.identity.auth.issueApiKey('admin')
    const ok = await apiPost(h.app, '/api/v1/ping', { apikey: key })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe(
      '{"status":"success","data":{"broker":"simulator","message":"pong"}}',
    )
    const slash = await apiPost(h.app, '/api/v1/ping/', { apikey: key })
    expect(slash.status).toBe(200)

    const wrong = await apiPost(h.app, '/api/v1/ping', { apikey: 'f'.repeat(64) })
    expect(wrong.status).toBe(403)
    expect(await wrong.json()).toEqual({ status: 'error', message: 'Invalid openalgo apikey' })

    const missing = await apiPost(h.app, '/api/v1/ping', {})
    expect(missing.status).toBe(400)
    expect(await missing.json()).toEqual({
      status: 'error',
      message: { apikey: ['Missing data for required field.'] },
    })
  })

  it('also takes the key from the X-API-KEY header (operator.md)', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const key = await h.identity.auth.issueApiKey('admin')
    const res = await apiPost(h.app, '/api/v1/ping', {}, '203.0.113.50', { 'x-api-key': key })
    expect(res.status).toBe(200)
  })

  it('uses the logged-in broker session when there is one', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    await loggedInBrowser(h.app, { broker: true })
    const key = await h.identity.auth.issueApiKey('admin')
    const auth = await h.identity.authenticateApiKey(key, '203.0.113.50')
    expect(auth).toMatchObject({ ok: true, caller: { username: 'admin', broker: 'simulator' } })
    expect(auth.ok && auth.authToken).toMatch(/^sim-/)
  })

  it('rejects the old key at once after rotation through the web page', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const old = await h.identity.auth.issueApiKey('admin')
    expect((await apiPost(h.app, '/api/v1/ping', { apikey: old })).status).toBe(200)
    const b = await loggedInBrowser(h.app)
    const rotated = await b.post('/apikey/rotate', { password: ADMIN.password })
    const { api_key: fresh } = (await rotated.json()) as { api_key: string }
    expect(fresh).toMatch(/^[0-9a-f]{64}$/)
    expect((await apiPost(h.app, '/api/v1/ping', { apikey: old })).status).toBe(403)
    expect((await apiPost(h.app, '/api/v1/ping', { apikey: fresh })).status).toBe(200)
  })
})

describe('API-key page (W-18)', () => {
  it('shows metadata only, and the key only after the password is confirmed again', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const b = await loggedInBrowser(h.app)
    const meta = await b.get('/apikey')
    const body = (await meta.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      status: 'success',
      login_username: 'admin',
      has_api_key: true,
      order_mode: 'auto',
    })
    expect(body).not.toHaveProperty('api_key')

    const refused = await b.post('/apikey/reveal')
    expect(refused.status).toBe(401)
    expect(await refused.json()).toMatchObject({ error: 'reauth_required' })
    const wrong = await b.post('/apikey/reveal', { password: 'Wrong!Pass1' })
    expect(wrong.status).toBe(401)
    const revealed = await b.post('/apikey/reveal', { password: ADMIN.password })
    const { api_key: key } = (await revealed.json()) as { api_key: string }
    expect((await apiPost(h.app, '/api/v1/ping', { apikey: key })).status).toBe(200)
    // within five minutes the confirmation holds; after, it is asked for again
    expect((await b.post('/apikey/reveal')).status).toBe(200)
    h.clock.advance(5 * 60_000 + 1)
    expect((await b.post('/apikey/reveal')).status).toBe(401)
  })

  it('needs a session; a body naming another user changes nothing (W-18)', async () => {
    const h = await createHarness()
    await setupAdmin(h.app)
    const anonymous = await h.app.request('/apikey', { headers: { accept: 'application/json' } })
    expect(anonymous.status).toBe(401)
    const b = await loggedInBrowser(h.app)
    const res = await b.post('/apikey/mode', { mode: 'semi_auto', user_id: 'someone-else' })
    expect(await res.json()).toMatchObject({ status: 'success', mode: 'semi_auto' })
    expect(h.identity.auth.orderMode('admin')).toBe('semi_auto')
  })
})
