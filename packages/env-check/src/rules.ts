// The rules variables are checked with (spec: platform.md §2.3 "Validation" column). Each returns
// an outcome; none throws.
import { parseBoolean, type BooleanStyle } from './booleans.js'
import {
  MIN_FERNET_SALT_HEX,
  MIN_SECRET_LENGTH,
  PLACEHOLDER_FERNET_SALT,
  secretExposure,
} from './constants.js'
import { bad, ok, type Parser } from './fields.js'
import { maskSecret } from './mask.js'
import { parseRateLimit } from './rate-limit.js'
import { parseRedirectUrl } from './redirect-url.js'
import { parseSqliteUrl, type SqliteLocation } from './storage.js'
import { formatTimeOfDay, parseClockTime, parseCutoffTime, parseTimeWindow } from './time.js'
import type { LogLevel, RateLimit, TimeOfDay } from './types.js'

/** Any text, as is. */
export const anyText: Parser<string> = (raw) => ok(raw)

/** Text that is not blank; trimmed. */
export function nonBlank(what: string): Parser<string> {
  return (raw) => (raw.trim() === '' ? bad(`cannot be empty: it is ${what}`) : ok(raw.trim()))
}

/** A whole number of at least `min` (digits only, surrounding spaces allowed). */
export function int(min: number, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return (raw) => {
    const t = raw.trim()
    const n = Number(t)
    if (!/^\d+$/.test(t) || !Number.isSafeInteger(n))
      return bad(`must be a whole number${min > 0 ? ` of at least ${min}` : ''}`)
    if (n < min || n > max)
      return bad(
        max === Number.MAX_SAFE_INTEGER
          ? `must be at least ${min}`
          : `must be between ${min} and ${max}`,
      )
    return ok(n)
  }
}

/** A TCP port, 0–65535 (the original's range; 0 lets the OS choose). */
export const port: Parser<number> = (raw) => {
  const t = raw.trim()
  const n = Number(t)
  if (!/^\d+$/.test(t) || n > 65535) return bad('must be a valid port number (0-65535)')
  return ok(n)
}

/** A boolean with the original's per-variable spellings. */
export function bool(style: BooleanStyle): Parser<boolean> {
  return (raw, name) => {
    const out = parseBoolean(name, raw, style)
    return out.ok ? ok(out.value) : bad(out.message, { fix: out.fix })
  }
}

/** FLASK_ENV: development or production, any case. */
export const flaskEnv: Parser<'development' | 'production'> = (raw) => {
  const v = raw.toLowerCase()
  return v === 'development' || v === 'production'
    ? ok(v)
    : bad("must be 'development' or 'production'", { fix: "Set FLASK_ENV = 'production'." })
}

const LOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warn',
  ERROR: 'error',
  CRITICAL: 'fatal',
}

/** LOG_LEVEL, any case, mapped to pino's names. */
export const logLevel: Parser<LogLevel> = (raw) => {
  const level = LOG_LEVELS[raw.toUpperCase()]
  return level
    ? ok(level)
    : bad('must be one of: DEBUG, INFO, WARNING, ERROR, CRITICAL', {
        fix: "Set LOG_LEVEL = 'INFO'.",
      })
}

/** A Flask-Limiter string (§2.7). */
export const rateLimit: Parser<RateLimit> = (raw, name) => {
  const out = parseRateLimit(raw)
  return out.ok
    ? ok(out.value)
    : bad(out.message, {
        fix: `Examples: ${name} = '5 per minute', '10 per second', '10 per second;40 per minute'.`,
      })
}

/** SESSION_EXPIRY_TIME: 24-hour H:MM / HH:MM. */
export const clockTime: Parser<TimeOfDay> = (raw, name) => {
  const t = parseClockTime(raw)
  return t
    ? ok(t)
    : bad('must be a 24-hour time, HH:MM', { fix: `Examples: ${name} = '03:00', '15:30'.` })
}

/** A value that falls back to its default with a warning instead of failing, as the original. */
export interface Lenient<T> {
  readonly value: T
  /** set when the text was unusable and the default applied */
  readonly warning: string | null
}

/** Master-contract cutoffs: `H[:MM]`; unusable → the default and a warning. */
export function cutoffTime(fallback: TimeOfDay, zone: 'IST' | 'UTC'): Parser<Lenient<TimeOfDay>> {
  return (raw) => {
    const t = parseCutoffTime(raw)
    return ok(
      t
        ? { value: t, warning: null }
        : {
            value: fallback,
            warning: `invalid time ${JSON.stringify(raw)}, using the default ${formatTimeOfDay(fallback)} ${zone}; write HH:MM (24-hour)`,
          },
    )
  }
}

/** BROKER_KEEPALIVE_WINDOW: `HH:MM-HH:MM`; unusable → the default and a warning. */
export function timeWindow(fallback: {
  start: TimeOfDay
  end: TimeOfDay
}): Parser<Lenient<{ start: TimeOfDay; end: TimeOfDay }>> {
  return (raw) => {
    const w = parseTimeWindow(raw)
    return ok(
      w
        ? { value: w, warning: null }
        : {
            value: fallback,
            warning: `invalid window ${JSON.stringify(raw)}, using the default ${formatTimeOfDay(fallback.start)}-${formatTimeOfDay(fallback.end)} IST; write HH:MM-HH:MM`,
          },
    )
  }
}

/** Comma-separated list: trimmed items, empty items dropped. */
export const csv: Parser<string[]> = (raw) =>
  ok(
    raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  )

/** VALID_BROKERS: non-empty CSV, lower-cased (§2.6 step 3). */
export const validBrokers: Parser<string[]> = (raw) => {
  const list = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '')
  return list.length > 0
    ? ok([...new Set(list)])
    : bad('VALID_BROKERS not configured: the application cannot start without a broker list', {
        fix: "Copy VALID_BROKERS from .sample.env (it includes 'simulator').",
      })
}

/** HOST_SERVER: an absolute http(s) URL. */
export const httpUrl: Parser<string> = (raw, name) => {
  const t = raw.trim()
  let parsed: URL | undefined
  try {
    parsed = new URL(t)
  } catch {
    parsed = undefined
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.host)
    return bad('must be an http:// or https:// URL', {
      fix: `Set ${name} to the address browsers use, e.g. ${name} = 'http://127.0.0.1:5000' or 'https://trade.example.com'.`,
    })
  return ok(t)
}

/** WEBSOCKET_URL: starts with ws:// or wss://. */
export const wsUrl: Parser<string> = (raw) => {
  let valid = /^wss?:\/\//.test(raw)
  if (valid) {
    try {
      valid = new URL(raw).host !== ''
    } catch {
      valid = false
    }
  }
  return valid
    ? ok(raw)
    : bad("must start with 'ws://' or 'wss://'", {
        fix: "Example: WEBSOCKET_URL = 'ws://127.0.0.1:8765' (or 'wss://your.domain/ws' behind TLS).",
      })
}

/** REDIRECT_URL: §2.6 steps 1, 2, 4 and the scheme; the broker list is checked across fields. */
export const redirectUrl: Parser<{ url: string; broker: string }> = (raw) => {
  const out = parseRedirectUrl(raw)
  return out.ok ? ok(out.value) : bad(out.message, { fix: out.fix })
}

/** A `*_DATABASE_URL`: SQLite only. */
export const sqliteUrl: Parser<SqliteLocation> = (raw, name) => {
  const out = parseSqliteUrl(raw)
  if (out.ok) return ok(out.value)
  return bad(out.message, {
    code: out.unsupported ? 'unsupported' : 'invalid',
    fix: `Use a SQLite file: ${name} = 'sqlite:///db/${name === 'DATABASE_URL' ? 'openalgo' : name.replace(/_DATABASE_URL$/, '').toLowerCase()}.db' (relative paths land in OA_DATA_DIR).`,
  })
}

const GENERATE_CMD = `node -e "console.log(require('crypto').randomBytes(32).toString('hex'))"`
const GENERATE = `Generate one with: ${GENERATE_CMD}`

/** APP_KEY: at least 32 characters and not a public value. */
export const appKey: Parser<string> = (raw) => {
  const exposure = secretExposure(raw)
  if (exposure !== 'ok')
    return bad(
      'must be a secret only this install knows (anyone who knows it can forge session cookies)',
      {
        code: 'compromised_secret',
        fix: `Run 'pnpm oa start' once to replace it automatically, or paste the output of ${GENERATE_CMD} (browsers will log in again).`,
      },
    )
  if (raw.length < MIN_SECRET_LENGTH)
    return bad(`must be at least ${MIN_SECRET_LENGTH} characters (got ${raw.length})`, {
      fix: `${GENERATE} (browsers will log in again).`,
    })
  return ok(raw)
}

/**
 * API_KEY_PEPPER: at least 32 characters. A public value is accepted here and reported as a
 * warning by the caller: rotating it on a populated database would lock the trader out of every
 * stored password and token, so the rotation planner only replaces it on an empty database.
 */
export const pepper: Parser<string> = (raw) =>
  raw.length < MIN_SECRET_LENGTH
    ? bad(`must be at least ${MIN_SECRET_LENGTH} characters (got ${raw.length})`, {
        fix: `On a fresh install, paste the output of ${GENERATE_CMD}; on an install with users, restore the pepper from your .env backup (a new one makes stored passwords and tokens unreadable).`,
      })
    : ok(raw)

/** How FERNET_SALT was found; only `valid` is used, the rest fall back to the legacy salt. */
export type FernetSaltState =
  | { readonly kind: 'valid'; readonly salt: string }
  | { readonly kind: 'placeholder' }
  | { readonly kind: 'invalid'; readonly found: string }

/** FERNET_SALT: at least 32 hex characters; anything else means the legacy salt (a warning). */
export const fernetSalt: Parser<FernetSaltState> = (raw) => {
  const t = raw.trim()
  if (t === PLACEHOLDER_FERNET_SALT) return ok({ kind: 'placeholder' })
  if (t.length >= MIN_FERNET_SALT_HEX && /^[0-9a-fA-F]+$/.test(t))
    return ok({ kind: 'valid', salt: t })
  return ok({ kind: 'invalid', found: maskSecret(raw) })
}

/** One CSP source list: no `;` or line breaks, which would inject directives. */
export const cspValue: Parser<string> = (raw, name) =>
  /[;\r\n,]/.test(raw)
    ? bad("must be one source list: no ';' or ',' (they would start another directive)", {
        fix: `Example: ${name} = "'self' https://cdn.example.com"; leave it empty to omit the directive.`,
      })
    : ok(raw.trim())

/** A header value: no line breaks. */
export const headerValue: Parser<string> = (raw) =>
  /[\r\n]/.test(raw) ? bad('cannot contain line breaks') : ok(raw.trim())

// RFC 6265 cookie-name token characters
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** A cookie name (RFC 6265 token). */
export const cookieName: Parser<string> = (raw, name) =>
  COOKIE_NAME.test(raw)
    ? ok(raw)
    : bad("must be a cookie name: letters, digits and !#$%&'*+-.^_`|~ only, not empty", {
        fix: `Example: ${name} = 'instance1_session'.`,
      })

/** Empty means "none" (null); otherwise a whole number of at least `min`. */
export function emptyOrInt(min: number): Parser<number | null> {
  const parse = int(min)
  return (raw, name) => (raw.trim() === '' ? ok(null) : parse(raw, name))
}

/** Simulator seed: any non-negative safe integer. */
export const seed: Parser<number> = int(0)
