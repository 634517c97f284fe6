import { createHmac, timingSafeEqual } from 'node:crypto'
import {
  isIssuedBeforeLastBoundary,
  nextBoundaryAfter,
  type RandomSource,
  type SessionExpiry,
} from '@oa/auth-cache'
import type { SqliteDatabase } from '@oa/db'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Clock } from '../clock.js'

/** How far a browser got: password accepted (awaiting TOTP), app user, or broker connected. */
export type SessionStage = 'totp_pending' | 'password' | 'broker'

/** A server-side web session (W-5, W-6, W-15): the cookie carries only its random id. */
export interface WebSession {
  readonly rowId: number
  readonly username: string
  readonly stage: SessionStage
  readonly broker: string | null
  /** epoch ms; the W-16 rule compares it with the last boundary */
  readonly loginTimeMs: number
  readonly expiresAtMs: number
  readonly reauthAtMs: number | null
  readonly totpVerifiedAtMs: number | null
  /** HMAC of the id, for binding CSRF tokens to this session */
  readonly binding: string
}

export interface SessionManagerOptions {
  readonly db: SqliteDatabase
  readonly clock: Clock
  readonly random: RandomSource
  /** 32-byte key signing the cookie value */
  readonly cookieKey: Uint8Array
  /** 32-byte key of the stored id hash */
  readonly idKey: Uint8Array
  /** SESSION_COOKIE_NAME (already `__Secure-` prefixed on https) */
  readonly cookieName: string
  /** HOST_SERVER is https */
  readonly secure: boolean
  readonly expiry: SessionExpiry
  /** sessions per user; the oldest goes first (spec platform.md §5.7) */
  readonly maxPerUser?: number
}

export interface SessionManager {
  /** the request's live session, or null (no/forged cookie, deleted, expired, or before the last boundary) */
  current(c: Context): WebSession | null
  /** whether the request carries a session cookie at all (live or not) */
  hasCookie(c: Context): boolean
  /** creates a session, sets its cookie; replaces the request's current session if any */
  create(
    c: Context,
    init: { username: string; stage: SessionStage; ip: string; device: string },
  ): WebSession
  /** moves a session forward (new id and cookie when leaving `totp_pending`: no fixation) */
  promote(
    c: Context,
    session: WebSession,
    patch: {
      stage?: SessionStage
      broker?: string | null
      totpVerified?: boolean
      resetLoginTime?: boolean
    },
  ): WebSession
  /** stamps a successful password re-authentication (reveal/rotate the API key, W-18) */
  markReauth(session: WebSession): WebSession
  /** refreshes `last_seen`, at most every 30 s */
  touch(session: WebSession, ip: string): void
  /** deletes the request's session and its cookie */
  destroy(c: Context): void
  /** deletes every session of a user (logout everywhere, password change); returns how many */
  destroyUser(username: string): number
  countForUser(username: string): number
  /** deletes expired rows and rows from before the last boundary; returns how many */
  sweep(): number
}

interface SessionRow {
  id: number
  username: string
  session_id: string
  stage: string
  broker: string | null
  login_time: string | null
  last_seen: string | null
  expires_at: string | null
  reauth_at: string | null
  totp_verified_at: string | null
}

const PENDING_TOTP_MS = 300_000
const DISABLED_EXPIRY_MS = 365 * 86_400_000
const TOUCH_MS = 30_000

export function createSessionManager(options: SessionManagerOptions): SessionManager {
  const { db, clock, expiry } = options
  const maxPerUser = options.maxPerUser ?? 5
  const iso = (ms: number): string => new Date(ms).toISOString()
  const ms = (value: string | null): number | null => {
    if (value === null) return null
    const t = Date.parse(value)
    return Number.isFinite(t) ? t : null
  }
  const q = {
    byHash: db.prepare('SELECT * FROM active_sessions WHERE session_id = ?'),
    insert: db.prepare(
      `INSERT INTO active_sessions (username, session_id, device_info, ip_address, broker, login_time, last_seen, stage, expires_at)
       VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
    ),
    update: db.prepare(
      `UPDATE active_sessions SET session_id = ?, stage = ?, broker = ?, login_time = ?, expires_at = ?,
         totp_verified_at = ? WHERE id = ?`,
    ),
    reauth: db.prepare('UPDATE active_sessions SET reauth_at = ? WHERE id = ?'),
    touch: db.prepare('UPDATE active_sessions SET last_seen = ?, ip_address = ? WHERE id = ?'),
    delete: db.prepare('DELETE FROM active_sessions WHERE id = ?'),
    deleteUser: db.prepare('DELETE FROM active_sessions WHERE username = ?'),
    countUser: db.prepare(`SELECT COUNT(*) AS n FROM active_sessions WHERE username = ?`),
    oldest: db.prepare(
      `SELECT id FROM active_sessions WHERE username = ? ORDER BY login_time ASC, id ASC LIMIT ?`,
    ),
    sweep: db.prepare(
      `DELETE FROM active_sessions WHERE expires_at IS NULL OR expires_at <= ? OR login_time < ?`,
    ),
  }

  const sign = (id: string): string =>
    createHmac('sha256', options.cookieKey).update(id).digest('base64url')
  const hashId = (id: string): string =>
    createHmac('sha256', options.idKey).update(id).digest('hex')
  const lifetimeEnd = (now: number, stage: SessionStage): number => {
    if (stage === 'totp_pending') return now + PENDING_TOTP_MS
    // per-session expiry at the next SESSION_EXPIRY_TIME (W-15), 365 days when disabled
    return expiry.disabled ? now + DISABLED_EXPIRY_MS : nextBoundaryAfter(now, expiry.time)
  }
  const writeCookie = (c: Context, id: string, expiresAtMs: number): void => {
    setCookie(c, options.cookieName, `${id}.${sign(id)}`, {
      httpOnly: true,
      secure: options.secure,
      sameSite: 'Lax',
      path: '/',
      maxAge: Math.max(1, Math.floor((expiresAtMs - clock.now()) / 1000)),
    })
  }
  const clearCookie = (c: Context): void => {
    deleteCookie(c, options.cookieName, { path: '/', secure: options.secure })
  }
  const toSession = (row: SessionRow): WebSession => ({
    rowId: row.id,
    username: row.username,
    stage: row.stage === 'totp_pending' || row.stage === 'password' ? row.stage : 'broker',
    broker: row.broker,
    loginTimeMs: ms(row.login_time) ?? 0,
    expiresAtMs: ms(row.expires_at) ?? 0,
    reauthAtMs: ms(row.reauth_at),
    totpVerifiedAtMs: ms(row.totp_verified_at),
    binding: row.session_id,
  })
  const newId = (): string => options.random.bytes(32).toString('base64url')
  const memo = new WeakMap<Context, WebSession | null>()

  const current = (c: Context): WebSession | null => {
    if (memo.has(c)) return memo.get(c) ?? null
    let found: WebSession | null = null
    const raw = getCookie(c, options.cookieName)
    const dot = raw ? raw.indexOf('.') : -1
    if (raw && dot > 0) {
      const id = raw.slice(0, dot)
      const given = Buffer.from(raw.slice(dot + 1))
      const expected = Buffer.from(sign(id))
      if (given.length === expected.length && timingSafeEqual(given, expected)) {
        const row = q.byHash.get(hashId(id)) as SessionRow | undefined
        if (row) {
          const session = toSession(row)
          const now = clock.now()
          const stale =
            session.expiresAtMs <= now ||
            (session.stage !== 'totp_pending' &&
              isIssuedBeforeLastBoundary(session.loginTimeMs, now, expiry))
          if (stale) q.delete.run(row.id)
          else found = session
        }
      }
    }
    memo.set(c, found)
    return found
  }

  return {
    current,
    hasCookie: (c) => getCookie(c, options.cookieName) !== undefined,
    create(c, init) {
      const previous = current(c)
      if (previous) q.delete.run(previous.rowId)
      const now = clock.now()
      const id = newId()
      const expiresAt = lifetimeEnd(now, init.stage)
      const insert = db.transaction(() => {
        const count = (q.countUser.get(init.username) as { n: number }).n
        if (count >= maxPerUser) {
          for (const r of q.oldest.all(init.username, count - maxPerUser + 1) as { id: number }[])
            q.delete.run(r.id)
        }
        return Number(
          q.insert.run(
            init.username,
            hashId(id),
            init.device,
            init.ip,
            iso(now),
            iso(now),
            init.stage,
            iso(expiresAt),
          ).lastInsertRowid,
        )
      })
      const rowId = insert()
      writeCookie(c, id, expiresAt)
      const session: WebSession = {
        rowId,
        username: init.username,
        stage: init.stage,
        broker: null,
        loginTimeMs: now,
        expiresAtMs: expiresAt,
        reauthAtMs: null,
        totpVerifiedAtMs: null,
        binding: hashId(id),
      }
      memo.set(c, session)
      return session
    },
    promote(c, session, patch) {
      const now = clock.now()
      const stage = patch.stage ?? session.stage
      const rotate = session.stage === 'totp_pending' && stage !== 'totp_pending'
      const loginTimeMs = patch.resetLoginTime || rotate ? now : session.loginTimeMs
      const expiresAtMs =
        stage === session.stage && !rotate ? session.expiresAtMs : lifetimeEnd(now, stage)
      const totpVerifiedAtMs = patch.totpVerified ? now : session.totpVerifiedAtMs
      const broker = patch.broker !== undefined ? patch.broker : session.broker
      let binding = session.binding
      if (rotate) {
        const id = newId()
        binding = hashId(id)
        writeCookie(c, id, expiresAtMs)
      }
      // otherwise the id (and the cookie's Max-Age, the same next boundary) stays: only its
      // hash is stored, so the cookie cannot be re-issued, and the row's expires_at is what counts
      q.update.run(
        binding,
        stage,
        broker,
        iso(loginTimeMs),
        iso(expiresAtMs),
        totpVerifiedAtMs === null ? null : iso(totpVerifiedAtMs),
        session.rowId,
      )
      const next: WebSession = {
        ...session,
        stage,
        broker,
        loginTimeMs,
        expiresAtMs,
        totpVerifiedAtMs,
        binding,
      }
      memo.set(c, next)
      return next
    },
    markReauth(session) {
      const now = clock.now()
      q.reauth.run(iso(now), session.rowId)
      return { ...session, reauthAtMs: now }
    },
    touch(session, ip) {
      const now = clock.now()
      const row = q.byHash.get(session.binding) as SessionRow | undefined
      const last = ms(row?.last_seen ?? null) ?? 0
      if (now - last >= TOUCH_MS) q.touch.run(iso(now), ip, session.rowId)
    },
    destroy(c) {
      const session = current(c)
      if (session) q.delete.run(session.rowId)
      clearCookie(c)
      memo.set(c, null)
    },
    destroyUser: (username) => Number(q.deleteUser.run(username).changes),
    countForUser: (username) => (q.countUser.get(username) as { n: number }).n,
    sweep() {
      const now = clock.now()
      const boundary = expiry.disabled ? 0 : nextBoundaryAfter(now, expiry.time) - 86_400_000
      // totp_pending rows carry their own short expires_at, so the boundary rule covers the rest
      return Number(q.sweep.run(iso(now), iso(boundary)).changes)
    },
  }
}
