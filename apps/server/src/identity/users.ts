import { createHash, timingSafeEqual } from 'node:crypto'
import {
  generateTotpSecret,
  totpUri,
  verifyTotp,
  type AuthCache,
  type RandomSource,
} from '@oa/auth-cache'
import type { SqliteDatabase } from '@oa/db'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import { passwordProblem } from './password-policy.js'

/** A `users` row as the identity code reads it. */
export interface UserRow {
  readonly id: number
  readonly username: string
  readonly email: string
  readonly password_hash: string
  readonly totp_secret: string
  readonly is_admin: number | null
  readonly totp_enabled: number
  readonly totp_required_for_login: number
  readonly totp_required_for_mcp: number
  readonly totp_required_for_password_reset: number
  readonly totp_last_step: number | null
}

export type SetupResult =
  | {
      readonly ok: true
      readonly username: string
      /** the TOTP secret (base32) and its provisioning URI, shown once to the new admin */
      readonly totpSecret: string
      readonly totpUri: string
    }
  | {
      readonly ok: false
      readonly code: 'already_setup' | 'weak_password' | 'invalid_input'
      readonly message: string
    }

export interface SetupInput {
  readonly username: string
  readonly email: string
  readonly password: string
}

export type LoginAttempt = {
  readonly username: string
  readonly ip: string
  readonly device: string
  readonly status: 'success' | 'failed'
  readonly loginType: 'password' | 'oauth' | 'resume' | 'totp' | 'totp_resume'
  readonly broker?: string | null
  readonly failureReason?: 'invalid_credentials' | 'invalid_totp' | null
}

/**
 * Users, passwords and TOTP (spec platform.md §6.1, §6.2, §6.6). Credential rows are read from
 * the database on every check, never cached (W-43), so a changed password stops working at once.
 */
export interface UserService {
  needsSetup(): boolean
  /** first-run setup: the admin, its Argon2id hash, a TOTP secret and an API key, in one transaction (W-41) */
  setup(input: SetupInput): Promise<SetupResult>
  byUsername(username: string): UserRow | undefined
  byEmail(email: string): UserRow | undefined
  /**
   * The user when `password` is theirs, else null. An unknown username costs the same Argon2
   * work as a known one (no timing oracle). Rehashes a hash made with older parameters.
   */
  checkPassword(username: string, password: string): Promise<UserRow | null>
  /** sets a new password (policy checked by the caller) */
  setPassword(username: string, password: string): Promise<void>
  /**
   * Checks a TOTP code for the user: ±1 step, and a step once used is refused (W-14). The
   * accepted step is stored atomically, so two requests racing with one code cannot both pass.
   */
  checkTotp(user: UserRow, code: string): boolean
  recordAttempt(attempt: LoginAttempt): void
  /** a single-use reset token (43 chars) for the user, valid 10 minutes; only its hash is kept */
  issueResetToken(username: string): string
  /** consumes a reset token; the username it was issued to, or null */
  consumeResetToken(token: string, email: string): string | null
}

const RESET_TTL_MS = 10 * 60_000

export function createUserService(options: {
  readonly db: SqliteDatabase
  readonly auth: AuthCache
  readonly clock: Clock
  readonly random: RandomSource
  readonly logger: Logger
}): UserService {
  const { db, auth, clock, random, logger } = options
  const iso = (): string => new Date(clock.now()).toISOString()
  const q = {
    anyAdmin: db.prepare('SELECT 1 FROM users WHERE COALESCE(is_admin, 0) = 1 LIMIT 1'),
    byUsername: db.prepare('SELECT * FROM users WHERE username = ?'),
    byEmail: db.prepare('SELECT * FROM users WHERE email = ?'),
    insertUser: db.prepare(
      `INSERT INTO users (username, email, password_hash, totp_secret, is_admin, totp_enabled,
         totp_required_for_login, totp_required_for_mcp, totp_required_for_password_reset, created_at)
       VALUES (?, ?, ?, ?, 1, 0, 0, 0, 0, ?)`,
    ),
    setupDone: db.prepare(
      `INSERT INTO app_meta (key, value, updated_at) VALUES ('setup_done', ?, ?)`,
    ),
    setHash: db.prepare(
      'UPDATE users SET password_hash = ?, password_changed_at = ? WHERE username = ?',
    ),
    rehash: db.prepare(
      'UPDATE users SET password_hash = ? WHERE username = ? AND password_hash = ?',
    ),
    totpStep: db.prepare(
      'UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)',
    ),
    attempt: db.prepare(
      `INSERT INTO login_attempts (username, ip_address, device_info, status, login_type, broker, failure_reason, timestamp)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertReset: db.prepare(
      'INSERT INTO password_reset_tokens (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)',
    ),
    reset: db.prepare('SELECT * FROM password_reset_tokens WHERE token_hash = ?'),
    useReset: db.prepare(
      'UPDATE password_reset_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL',
    ),
    pruneResets: db.prepare('DELETE FROM password_reset_tokens WHERE expires_at < ?'),
  }
  // Argon2 of a random secret: what a login for an unknown user is checked against
  let decoy: Promise<string> | null = null
  const decoyHash = (): Promise<string> =>
    (decoy ??= auth.hasher.hash(random.bytes(16).toString('hex')))

  const totpSecretOf = (user: UserRow): string => {
    // the original falls back to the raw value for rows written before encryption
    return auth.decrypt(user.totp_secret) ?? user.totp_secret
  }

  return {
    needsSetup: () => q.anyAdmin.get() === undefined,
    async setup(input) {
      const username = input.username.trim()
      const email = input.email.trim()
      if (!username || username.length > 80 || hasControlChars(username))
        return {
          ok: false,
          code: 'invalid_input',
          message: 'Username must be 1 to 80 printable characters.',
        }
      if (!email || email.length > 120)
        return { ok: false, code: 'invalid_input', message: 'Email must be 1 to 120 characters.' }
      const weak = passwordProblem(input.password)
      if (weak) return { ok: false, code: 'weak_password', message: weak }
      if (q.anyAdmin.get() !== undefined)
        return {
          ok: false,
          code: 'already_setup',
          message: 'Setup is already complete: an admin user exists.',
        }
      // the slow parts first (Argon2), then one short IMMEDIATE transaction that re-checks
      const passwordHash = await auth.hasher.hash(input.password)
      const totpSecret = generateTotpSecret(random)
      const { key: _key, material } = await auth.prepareApiKey()
      const now = iso()
      const create = db.transaction((): boolean => {
        if (q.anyAdmin.get() !== undefined) return false
        // app_meta.setup_done is a primary key: a second concurrent setup fails here (W-41)
        q.setupDone.run(username, now)
        q.insertUser.run(username, email, passwordHash, auth.encrypt(totpSecret), now)
        auth.store.saveApiKey(username, material, now)
        return true
      })
      try {
        if (!create.immediate()) {
          return {
            ok: false,
            code: 'already_setup',
            message: 'Setup is already complete: an admin user exists.',
          }
        }
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error)
        if (/UNIQUE|PRIMARY KEY/i.test(text))
          return {
            ok: false,
            code: 'already_setup',
            message: 'Setup is already complete: an admin user exists.',
          }
        throw error
      }
      auth.credentialsChanged(username)
      logger.info({ username }, 'admin user created')
      return { ok: true, username, totpSecret, totpUri: totpUri(totpSecret, email) }
    },
    byUsername: (username) => q.byUsername.get(username) as UserRow | undefined,
    byEmail: (email) => q.byEmail.get(email) as UserRow | undefined,
    async checkPassword(username, password) {
      const user = q.byUsername.get(username) as UserRow | undefined
      if (!user) {
        await auth.hasher.verify(await decoyHash(), password)
        return null
      }
      if (!(await auth.hasher.verify(user.password_hash, password))) return null
      if (auth.hasher.needsRehash(user.password_hash)) {
        const fresh = await auth.hasher.hash(password)
        q.rehash.run(fresh, user.username, user.password_hash)
      }
      return user
    },
    async setPassword(username, password) {
      const hash = await auth.hasher.hash(password)
      q.setHash.run(hash, iso(), username)
    },
    checkTotp(user, code) {
      const check = verifyTotp(totpSecretOf(user), code.trim(), clock.now(), user.totp_last_step)
      if (!check.ok) return false
      // compare-and-set: a concurrent request with the same code loses here
      return Number(q.totpStep.run(check.step, user.id, check.step).changes) === 1
    },
    recordAttempt(a) {
      q.attempt.run(
        a.username.slice(0, 255),
        a.ip,
        a.device,
        a.status,
        a.loginType,
        a.broker ?? null,
        a.failureReason ?? null,
        iso(),
      )
    },
    issueResetToken(username) {
      const token = random.bytes(32).toString('base64url')
      const now = clock.now()
      q.pruneResets.run(new Date(now).toISOString())
      q.insertReset.run(
        sha256(token),
        username,
        new Date(now).toISOString(),
        new Date(now + RESET_TTL_MS).toISOString(),
      )
      return token
    },
    consumeResetToken(token, email) {
      if (!token) return null
      const row = q.reset.get(sha256(token)) as
        | {
            id: number
            token_hash: string
            username: string
            expires_at: string
            used_at: string | null
          }
        | undefined
      if (!row || row.used_at !== null || Date.parse(row.expires_at) <= clock.now()) return null
      // constant-time on the hash, as the original compares digests
      if (!timingSafeEqual(Buffer.from(row.token_hash), Buffer.from(sha256(token)))) return null
      const user = q.byUsername.get(row.username) as UserRow | undefined
      if (!user || user.email !== email) return null
      return Number(q.useReset.run(iso(), row.id).changes) === 1 ? user.username : null
    },
  }
}

function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++)
    if (text.charCodeAt(i) < 0x20 || text.charCodeAt(i) === 0x7f) return true
  return false
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}
