import type { Context } from 'hono'
import { Hono } from 'hono'
import type { OaConfig } from '@oa/env-check'
import { userSession, type IdentityRouteDeps } from './auth-routes.js'
import { deviceInfo, readFields, wantsJson } from './http-input.js'

/**
 * Broker login (spec platform.md §6.7), fixing W-1: `/<broker>/callback` routes only the
 * REDIRECT_URL broker, when it is in VALID_BROKERS and registered (404 otherwise, so probing
 * other names learns nothing), and only for a browser whose app password was accepted; there is
 * no "bind to the admin" path. The login limiter runs first; CSRF does not apply (brokers
 * redirect here cross-site), which is why the session is required.
 */
export function brokerRoutes(deps: IdentityRouteDeps & { readonly config: OaConfig }): Hono {
  const { identity, security } = deps
  const { auth, users, sessions } = identity
  const app = new Hono()

  const callback = async (c: Context): Promise<Response> => {
    const requested = c.req.param('broker') ?? ''
    const plugin = identity.configuredBroker
    if (!plugin || plugin.id !== requested)
      return c.json({ status: 'error', message: 'Not found' }, 404)
    const session = userSession(identity, c)
    if (!session) {
      return wantsJson(c)
        ? c.json({ status: 'error', message: 'Please log in first.', redirect: '/auth/login' }, 401)
        : c.redirect('/auth/login')
    }
    const input = { ...c.req.query(), ...(c.req.method === 'POST' ? await readFields(c) : {}) }
    const ip = security.clientIp(c)
    const tokens = await plugin.login(input)
    if (!tokens) {
      users.recordAttempt({
        username: session.username,
        ip,
        device: deviceInfo(c),
        status: 'failed',
        loginType: 'oauth',
        broker: plugin.id,
      })
      return wantsJson(c)
        ? c.json({ status: 'error', message: 'Broker authentication failed' }, 401)
        : c.redirect('/auth/broker')
    }
    // encrypted at rest (Fernet), decrypted copy cached, epoch bumped for the other processes
    auth.saveBrokerSession({ username: session.username, broker: plugin.id, ...tokens })
    sessions.promote(c, session, { stage: 'broker', broker: plugin.id, resetLoginTime: true })
    users.recordAttempt({
      username: session.username,
      ip,
      device: deviceInfo(c),
      status: 'success',
      loginType: 'oauth',
      broker: plugin.id,
    })
    deps.logger.info({ username: session.username, broker: plugin.id }, 'broker login')
    // master contract download and the like hook in here; they must not delay the response
    void identity.emitBrokerLogin(session.username, plugin.id)
    return wantsJson(c)
      ? c.json({ status: 'success', message: 'Authentication successful', redirect: '/dashboard' })
      : c.redirect('/dashboard')
  }
  app.get('/:broker/callback', callback)
  app.post('/:broker/callback', callback)
  return app
}
