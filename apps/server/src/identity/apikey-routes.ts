import type { Context } from 'hono'
import { Hono } from 'hono'
import type { Clock } from '../clock.js'
import { hasRecentReauth, userSession, type IdentityRouteDeps } from './auth-routes.js'
import { readFields, wantsJson } from './http-input.js'
import type { WebSession } from './sessions.js'

/**
 * The API-key page's routes (spec platform.md §5.2–5.3, W-18): metadata only on `GET /apikey`;
 * the key itself only from `POST /apikey/reveal` and `POST /apikey/rotate`, both requiring a
 * password re-entered within five minutes (in the body as `password`, or via `/auth/reauth`).
 * The user is always the session's, never a body field.
 */
export function apiKeyRoutes(deps: IdentityRouteDeps & { readonly clock: Clock }): Hono {
  const { identity, security, clock } = deps
  const { auth, users, sessions } = identity
  const app = new Hono()

  /** the session when its password was confirmed recently (or now, from `password`) */
  const confirmed = async (c: Context): Promise<WebSession | Response> => {
    const session = userSession(identity, c)
    if (!session) return c.json({ status: 'error', message: 'Not authenticated' }, 401)
    if (hasRecentReauth(session, clock.now())) return session
    const f = await readFields(c)
    const password = f['password']
    if (password && (await users.checkPassword(session.username, password)))
      return sessions.markReauth(session)
    if (password) security.bans.record('login', security.clientIp(c))
    return c.json(
      {
        status: 'error',
        error: 'reauth_required',
        message: 'Please confirm your password to see or change the API key.',
      },
      401,
    )
  }

  app.get('/apikey', async (c, next) => {
    // browser navigation gets the web app's page; the SPA asks for JSON
    if (!wantsJson(c)) return next()
    const session = userSession(identity, c)
    if (!session) return c.json({ status: 'error', message: 'Not authenticated' }, 401)
    const meta = auth.store.apiKeyMeta(session.username)
    return c.json({
      status: 'success',
      login_username: session.username,
      has_api_key: meta !== undefined,
      created_at: meta?.createdAt ?? null,
      order_mode: meta?.orderMode ?? 'auto',
    })
  })

  app.post('/apikey/reveal', async (c) => {
    const session = await confirmed(c)
    if (session instanceof Response) return session
    const key = auth.revealApiKey(session.username)
    if (key === null)
      return c.json({ status: 'error', message: 'No API key yet. Generate one first.' }, 404)
    return c.json({ status: 'success', api_key: key })
  })

  app.post('/apikey/rotate', async (c) => {
    const session = await confirmed(c)
    if (session instanceof Response) return session
    const key = await auth.issueApiKey(session.username)
    return c.json({ status: 'success', message: 'API key updated successfully.', api_key: key })
  })

  app.post('/apikey/mode', async (c) => {
    const session = userSession(identity, c)
    if (!session) return c.json({ status: 'error', message: 'Not authenticated' }, 401)
    const mode = (await readFields(c))['mode']
    if (mode !== 'auto' && mode !== 'semi_auto')
      return c.json(
        { status: 'error', message: 'Invalid mode. Must be "auto" or "semi_auto"' },
        400,
      )
    if (!auth.setOrderMode(session.username, mode))
      return c.json({ status: 'error', message: 'No API key yet. Generate one first.' }, 404)
    return c.json({ status: 'success', message: `Order mode updated to ${mode}`, mode })
  })

  return app
}
