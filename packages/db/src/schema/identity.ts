import type { Generated } from 'kysely'

/**
 * Identity tables of the main database (spec platform.md §3.3), in the original's shape plus
 * oa's additions (marked "oa:"). Booleans are 0/1; oa writes times as UTC ISO-8601 text.
 */

/** `users`: the single admin (setup creates it). */
export interface UsersTable {
  id: Generated<number>
  username: string
  email: string
  /** Argon2id PHC of `password + pepper` */
  password_hash: string
  /** Fernet ciphertext of the 32-char base32 TOTP secret */
  totp_secret: string
  is_admin: Generated<number>
  totp_enabled: Generated<number>
  totp_required_for_login: Generated<number>
  totp_required_for_mcp: Generated<number>
  totp_required_for_password_reset: Generated<number>
  /** oa: last accepted TOTP step, refusing replays (W-14) */
  totp_last_step: number | null
  /** oa: UTC ISO */
  created_at: string | null
  /** oa: UTC ISO of the last password change */
  password_changed_at: string | null
}

/** `auth`: one broker session per user; tokens are Fernet ciphertext. */
export interface AuthTable {
  id: Generated<number>
  name: string
  /** Fernet ciphertext of the broker access token; '' when revoked */
  auth: string
  feed_token: string | null
  broker: string
  user_id: string | null
  is_revoked: Generated<number>
  secret_api_key: string | null
  primary_ip: string | null
  secondary_ip: string | null
  ip_updated_at: string | null
  aux_param1: string | null
  aux_param2: string | null
  aux_param3: string | null
  aux_param4: string | null
  /** oa: UTC ISO of when the token was issued; NULL on rows written by the original (W-16) */
  issued_at: string | null
}

/** `api_keys`: one key per user. */
export interface ApiKeysTable {
  id: Generated<number>
  /** the username */
  user_id: string
  /** Argon2id PHC of `key + pepper` */
  api_key_hash: string
  /** Fernet ciphertext of the key, so its owner can reveal it */
  api_key_encrypted: string
  created_at: string | null
  order_mode: Generated<string>
  /**
   * oa: hex HMAC-SHA256 of the key under a pepper-derived sub-key, unique and indexed (W-26).
   * A trigger nulls it when another writer changes `api_key_hash` without it.
   */
  api_key_lookup: string | null
}

/** `active_sessions`: oa's server-side web sessions (W-5), one row per browser. */
export interface ActiveSessionsTable {
  id: Generated<number>
  username: string
  /** oa: hex HMAC of the session id; the id itself lives only in the browser's cookie */
  session_id: string
  device_info: string | null
  ip_address: string | null
  broker: string | null
  /** UTC ISO (the original wrote IST wall-clock) */
  login_time: string | null
  last_seen: string | null
  /** oa: `totp_pending` | `password` | `broker` */
  stage: Generated<string>
  /** oa: UTC ISO; the row is dead after it */
  expires_at: string | null
  /** oa: UTC ISO of the last password re-authentication (reveal/rotate the API key, W-18) */
  reauth_at: string | null
  /** oa: UTC ISO of the last TOTP verification */
  totp_verified_at: string | null
}

export interface LoginAttemptsTable {
  id: Generated<number>
  username: string
  ip_address: string | null
  device_info: string | null
  /** `success` | `failed` */
  status: string
  /** `password` | `oauth` | `resume` | `totp` | `totp_resume` */
  login_type: string | null
  broker: string | null
  /** `invalid_credentials` | `invalid_totp` */
  failure_reason: string | null
  timestamp: string | null
}

/** oa: single-use password-reset tokens granted after a TOTP check (§6.6); only hashes stored. */
export interface PasswordResetTokensTable {
  id: Generated<number>
  token_hash: string
  username: string
  created_at: string
  expires_at: string
  used_at: string | null
}

export interface IdentityTables {
  users: UsersTable
  auth: AuthTable
  api_keys: ApiKeysTable
  active_sessions: ActiveSessionsTable
  login_attempts: LoginAttemptsTable
  password_reset_tokens: PasswordResetTokensTable
}
