import type { Context } from 'hono'
import { Hono } from 'hono'
import type { Logger } from '../logger.js'
import type { SecurityServices } from '../security/security.js'
import { deviceInfo, readFields, wantsJson } from './http-input.js'
import type { IdentityServices } from './identity.js'
import { passwordProblem } from './password-policy.js'
import type { WebSession } from './sessions.js'
import type { UserRow } from './users.js'

export interface IdentityRouteDeps {
  readonly identity: IdentityServices
  readonly security: SecurityServices
  readonly logger: Logger
}

const REAUTH_WINDOW_MS = 5 * 60_000

/** 401 in the envelope for routes that need the password stage at least. */
function notAuthenticated(c: Context): Response {
  return c.json({ status: 'error', message: 'Not authenticated' }, 401)
}

/** The request's session when the app password was accepted (stage password or broker). */
export function userSession(identity: IdentityServices, c: Context): WebSession | null {
  const s = identity.sessions.current(c)
  return s && s.stage !== 'totp_pending' ? s : null
}

/**
 * `/auth/*` and `/setup` (spec platform.md §6.1–§6.6): first-run setup, two-stage login with
 * TOTP, logout everywhere, session status (never the API key, W-18), password change and the
 * TOTP password reset. The login and reset limiters and CSRF run before these handlers.
 */
export function authRoutes(deps: IdentityRouteDeps): Hono {
  const { identity, security } = deps
  const { users, sessions, csrf, auth } = identity
  const app = new Hono()
  const ipOf = (c: Context): string => security.clientIp(c)

  /** After the password (and TOTP) step: resume a live broker session when there is one. */
  const finishLogin = (c: Context, session: WebSession, via: 'password' | 'totp'): Response => {
    const user = session.username
    const live = auth.brokerSessions.get(user)
    if (live && identity.configuredBroker?.id === live.broker) {
      const resumed = sessions.promote(c, session, { stage: 'broker', broker: live.broker })
      users.recordAttempt({
        username: user,
        ip: ipOf(c),
        device: deviceInfo(c),
        status: 'success',
        loginType: via === 'password' ? 'resume' : 'totp_resume',
        broker: live.broker,
      })
      return c.json({
        status: 'success',
        message: 'Broker session resumed',
        redirect: '/dashboard',
        broker: resumed.broker,
        csrf_token: csrf.rotate(c),
      })
    }
    users.recordAttempt({
      username: user,
      ip: ipOf(c),
      device: deviceInfo(c),
      status: 'success',
      loginType: via,
    })
    return c.json({ status: 'success', csrf_token: csrf.rotate(c) })
  }

  app.get('/auth/check-setup', (c) =>
    c.json({ status: 'success', needs_setup: users.needsSetup() }),
  )

  app.get('/auth/csrf-token', (c) => c.json({ csrf_token: csrf.token(c) }))

  app.post('/setup', async (c) => {
    const f = await readFields(c)
    const json = wantsJson(c)
    const result = await users.setup({
      username: f['username'] ?? '',
      email: f['email'] ?? '',
      password: f['password'] ?? '',
    })
    if (!result.ok) {
      if (result.code === 'already_setup') {
        return json
          ? c.json({ status: 'error', message: result.message, redirect: '/auth/login' }, 400)
          : c.redirect('/auth/login')
      }
      return json
        ? c.json({ status: 'error', message: result.message }, 400)
        : c.redirect(`/setup?error=${encodeURIComponent(result.message)}`)
    }
    const message =
      'Account created successfully! Please configure your SMTP credentials in Profile settings for password recovery.'
    // the TOTP secret goes to the browser once, in this response, never into a cookie (W-6)
    return json
      ? c.json({
          status: 'success',
          message,
          redirect: '/auth/login',
          totp: { secret: result.totpSecret, uri: result.totpUri },
        })
      : c.redirect('/auth/login')
  })

  app.post('/auth/login', async (c) => {
    if (users.needsSetup()) {
      return c.json(
        { status: 'error', message: 'Please complete initial setup first.', redirect: '/setup' },
        400,
      )
    }
    const existing = sessions.current(c)
    if (existing?.stage === 'broker')
      return c.json({ status: 'success', message: 'Already logged in', redirect: '/dashboard' })
    if (existing?.stage === 'password')
      return c.json({ status: 'success', message: 'Already logged in', redirect: '/broker' })
    const f = await readFields(c)
    const username = f['username'] ?? ''
    const password = f['password'] ?? ''
    if (!username || !password) {
      return c.json({ status: 'error', message: 'Username and password are required.' }, 400)
    }
    const ip = ipOf(c)
    const user = await users.checkPassword(username, password)
    if (!user) {
      users.recordAttempt({
        username,
        ip,
        device: deviceInfo(c),
        status: 'failed',
        loginType: 'password',
        failureReason: 'invalid_credentials',
      })
      security.bans.record('login', ip)
      return c.json({ status: 'error', message: 'Invalid credentials' }, 401)
    }
    if (user.totp_enabled && user.totp_required_for_login) {
      sessions.create(c, {
        username: user.username,
        stage: 'totp_pending',
        ip,
        device: deviceInfo(c),
      })
      return c.json({
        status: 'totp_required',
        message: 'Enter the 6-digit code from your authenticator app.',
        csrf_token: csrf.rotate(c),
      })
    }
    const session = sessions.create(c, {
      username: user.username,
      stage: 'password',
      ip,
      device: deviceInfo(c),
    })
    return finishLogin(c, session, 'password')
  })

  app.post('/auth/login/totp', async (c) => {
    const pending = sessions.current(c)
    if (!pending || pending.stage !== 'totp_pending') {
      // a pending session lives 300 s (its expires_at); current() has dropped an older one
      if (!pending && sessions.hasCookie(c)) {
        return c.json(
          {
            status: 'error',
            message: 'Login session expired. Please sign in again.',
            redirect: '/login',
          },
          401,
        )
      }
      return c.json({ status: 'error', message: 'No pending login. Sign in first.' }, 401)
    }
    const f = await readFields(c)
    const code = (f['totp_code'] ?? '').trim()
    if (!code) return c.json({ status: 'error', message: 'TOTP code is required.' }, 400)
    const user = users.byUsername(pending.username)
    if (!user || !users.checkTotp(user, code)) {
      users.recordAttempt({
        username: pending.username,
        ip: ipOf(c),
        device: deviceInfo(c),
        status: 'failed',
        loginType: 'totp',
        failureReason: 'invalid_totp',
      })
      security.bans.record('login', ipOf(c))
      return c.json({ status: 'error', message: 'Invalid TOTP code.' }, 401)
    }
    const session = sessions.promote(c, pending, { stage: 'password', totpVerified: true })
    return finishLogin(c, session, 'totp')
  })

  const logout = (c: Context): Response => {
    // a cross-site page must not be able to log the trader out (the original's Sec-Fetch-Site rule)
    const site = c.req.header('sec-fetch-site')
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      return c.json({ error: 'Access Denied' }, 403)
    const session = sessions.current(c)
    sessions.destroy(c)
    if (session && session.stage !== 'totp_pending') {
      // logout means every device (spec platform.md §5.5): broker token revoked (epoch bumped in
      // the same transaction), every session row gone, every cache entry of the user dropped
      auth.revokeBrokerSession(session.username)
      sessions.destroyUser(session.username)
      deps.logger.info({ username: session.username }, 'logged out everywhere')
    }
    const token = csrf.rotate(c)
    if (c.req.method === 'GET') return c.redirect('/auth/login')
    return c.json({ status: 'success', message: 'Logged out successfully', csrf_token: token })
  }
  app.post('/auth/logout', logout)
  app.get('/auth/logout', logout)

  app.get('/auth/session-status', (c) => {
    const session = userSession(identity, c)
    if (!session) {
      return c.json({
        status: 'success',
        message: 'Not authenticated',
        authenticated: false,
        logged_in: false,
      })
    }
    const count = sessions.countForUser(session.username)
    if (session.stage === 'broker') {
      sessions.touch(session, ipOf(c))
      const live = auth.brokerSessions.get(session.username)
      if (!live && !identity.configuredBroker?.sessionless) {
        return c.json({
          status: 'success',
          authenticated: true,
          logged_in: true,
          user: session.username,
          broker: session.broker,
          broker_session_expired: true,
        })
      }
      // never the API key (W-18): the UI reveals it through POST /apikey/reveal
      return c.json({
        status: 'success',
        authenticated: true,
        logged_in: true,
        user: session.username,
        broker: session.broker,
        has_api_key: auth.store.apiKeyMeta(session.username) !== undefined,
        active_sessions: count,
      })
    }
    return c.json({
      status: 'success',
      authenticated: true,
      logged_in: false,
      user: session.username,
      broker: null,
      active_sessions: count,
    })
  })

  app.post('/auth/reauth', async (c) => {
    const session = userSession(identity, c)
    if (!session) return notAuthenticated(c)
    const f = await readFields(c)
    if (!(await users.checkPassword(session.username, f['password'] ?? ''))) {
      security.bans.record('login', ipOf(c))
      return c.json({ status: 'error', message: 'Current password is incorrect.' }, 401)
    }
    sessions.markReauth(session)
    return c.json({
      status: 'success',
      message: 'Password confirmed',
      valid_for_seconds: REAUTH_WINDOW_MS / 1000,
    })
  })

  const changePassword = async (c: Context): Promise<Response> => {
    const session = userSession(identity, c)
    if (!session) return notAuthenticated(c)
    const f = await readFields(c)
    const oldPassword = f['old_password'] ?? f['current_password'] ?? ''
    const newPassword = f['new_password'] ?? ''
    const confirm = f['confirm_password'] ?? newPassword
    const user = await users.checkPassword(session.username, oldPassword)
    if (!user) return c.json({ status: 'error', message: 'Current password is incorrect.' }, 400)
    if (newPassword !== confirm)
      return c.json(
        { status: 'error', message: 'New password and confirm password do not match.' },
        400,
      )
    const weak = passwordProblem(newPassword)
    if (weak) return c.json({ status: 'error', message: weak }, 400)
    await users.setPassword(user.username, newPassword)
    // every device logs in again with the new password (W-5: deleting the rows really ends them)
    sessions.destroyUser(user.username)
    sessions.destroy(c)
    auth.credentialsChanged(user.username)
    return c.json({
      status: 'success',
      message: 'Your password has been changed successfully.',
      csrf_token: csrf.rotate(c),
    })
  }
  app.post('/auth/change-password', changePassword)
  app.post('/auth/change', changePassword)

  app.post('/auth/reset-password', async (c) => {
    const f = await readFields(c)
    const step = f['step'] ?? ''
    const email = f['email'] ?? ''
    switch (step) {
      case 'email':
        // the same answer whether or not the email is known (no enumeration)
        return c.json({ status: 'success', message: 'Email verified' })
      case 'select_totp':
        return c.json({ status: 'success', method: 'totp' })
      case 'select_email': {
        const user = users.byEmail(email)
        if (user && user.totp_enabled && user.totp_required_for_password_reset) {
          return c.json(
            {
              status: 'error',
              message:
                "This account requires TOTP for password reset. Please choose 'Authenticator app' instead.",
            },
            400,
          )
        }
        // oa sends no email yet: the TOTP route is the reset path
        return c.json(
          {
            status: 'error',
            message: 'Email reset is not available. Please use TOTP authentication.',
          },
          400,
        )
      }
      case 'totp': {
        const user: UserRow | undefined = users.byEmail(email)
        if (user && users.checkTotp(user, f['totp_code'] ?? '')) {
          return c.json({
            status: 'success',
            message: 'TOTP verified',
            token: users.issueResetToken(user.username),
          })
        }
        security.bans.record('login', ipOf(c))
        return c.json({ status: 'error', message: 'Invalid TOTP code. Please try again.' }, 400)
      }
      case 'password': {
        const password = f['password'] ?? ''
        const weak = passwordProblem(password)
        if (weak) return c.json({ status: 'error', message: weak }, 400)
        const username = users.consumeResetToken(f['token'] ?? '', email)
        if (!username)
          return c.json({ status: 'error', message: 'Invalid or expired reset token.' }, 400)
        await users.setPassword(username, password)
        sessions.destroyUser(username)
        auth.credentialsChanged(username)
        return c.json({ status: 'success', message: 'Your password has been reset successfully.' })
      }
      default:
        return c.json({ status: 'error', message: 'Invalid step' }, 400)
    }
  })

  return app
}

/** Whether the session re-entered its password within the last five minutes (W-18). */
export function hasRecentReauth(session: WebSession, nowMs: number): boolean {
  return session.reauthAtMs !== null && nowMs - session.reauthAtMs <= REAUTH_WINDOW_MS
}
