/**
 * Secret redaction for logs, recorded requests and error causes (brokers.md §4 row 21,
 * STYLE.md §9). Two nets: field names known to carry credentials, and exact secret values (the
 * account's keys and tokens) wherever they appear in text.
 */

/** The text that replaces a secret. */
export const REDACTED = '[redacted]'

// Field/header/query names that carry credentials in the brokers in scope. Bare `token` and `key`
// are not here: Noren's `token` and Angel's `symboltoken` are instrument ids we want to see.
const SECRET_NAME =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-privatekey|x-api-key|x-kite-apikey|access[-_]?token|accesstoken|auth[-_]?token|authtoken|refresh[-_]?token|request[-_]?token|feed[-_]?token|feedtoken|jwt[-_]?token|jwttoken|susertoken|jkey|api[-_]?key|apikey|api[-_]?secret|apisecret|secret|client[-_]?secret|app[-_]?secret|password|passwd|pwd|pin|mpin|totp|otp|checksum|appidhash|encrykey|encryption[-_]?key|user[-_]?key|head\.key|auth[-_]?code|tokenid)$/i

// JSON Web Tokens are bearer credentials at most brokers (Angel, Fyers, Dhan, Upstox).
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g

/** Redacts strings, structured values, headers and URLs. */
export interface Redactor {
  /** Replaces known secret values and JWT-shaped tokens inside free text. */
  text(input: string): string
  /** Deep-copies a JSON-like value, redacting secret-named fields and secret values in strings. */
  value(input: unknown): unknown
  /** Redacts a header map (names are kept, secret values replaced). */
  headers(input: Readonly<Record<string, string>>): Record<string, string>
  /** Redacts query parameters with secret names, and secret values anywhere in the URL. */
  url(input: string): string
  /** True when `name` (a field, header or query name, or a dotted path) is treated as secret. */
  isSecretName(name: string): boolean
}

/** Options of {@link createRedactor}. */
export interface RedactorOptions {
  /** Exact secret values (api key, secret, auth/feed tokens); values shorter than 6 chars are ignored. */
  secrets?: readonly (string | undefined)[]
  /** Extra field names to treat as secret, matched case-insensitively (e.g. a broker's `jData` key). */
  names?: readonly string[]
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Creates a {@link Redactor}; cheap, build one per broker account (its secrets differ). */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const secrets = [
    ...new Set((options.secrets ?? []).filter((s): s is string => !!s && s.length >= 6)),
  ]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
  const secretPattern = secrets.length > 0 ? new RegExp(secrets.join('|'), 'g') : undefined
  const extra = new Set((options.names ?? []).map((n) => n.toLowerCase()))

  const isSecretName = (name: string): boolean => {
    const lower = name.toLowerCase()
    if (extra.has(lower)) return true
    if (SECRET_NAME.test(lower)) return true
    const last = lower.slice(lower.lastIndexOf('.') + 1)
    return last !== lower && (extra.has(last) || SECRET_NAME.test(last))
  }

  const text = (input: string): string => {
    let out = secretPattern === undefined ? input : input.replace(secretPattern, REDACTED)
    out = out.replace(JWT, REDACTED)
    return out
  }

  const walk = (input: unknown, path: string, depth: number): unknown => {
    if (typeof input === 'string') return text(input)
    if (input === null || typeof input !== 'object') return input
    if (depth > 20) return '[too deep]'
    if (Array.isArray(input)) return input.map((item) => walk(item, path, depth + 1))
    if (input instanceof Error) return redactError(input, text)
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(input)) {
      const childPath = path === '' ? key : `${path}.${key}`
      out[key] =
        (isSecretName(key) || isSecretName(childPath)) && item !== null && item !== ''
          ? REDACTED
          : walk(item, childPath, depth + 1)
    }
    return out
  }

  return {
    text,
    isSecretName,
    value: (input) => walk(input, '', 0),
    headers: (input) => {
      const out: Record<string, string> = {}
      for (const [name, value] of Object.entries(input)) {
        out[name] = isSecretName(name) ? REDACTED : text(value)
      }
      return out
    },
    url: (input) => {
      const q = input.indexOf('?')
      if (q < 0) return text(input)
      const hash = input.indexOf('#', q)
      const query = input.slice(q + 1, hash < 0 ? undefined : hash)
      const parts = query.split('&').map((pair) => {
        const eq = pair.indexOf('=')
        if (eq < 0) return pair
        let name = pair.slice(0, eq)
        try {
          name = decodeURIComponent(name)
        } catch {
          // keep the raw name; a malformed escape is not a secret
        }
        return isSecretName(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair
      })
      return text(`${input.slice(0, q)}?${parts.join('&')}${hash < 0 ? '' : input.slice(hash)}`)
    },
  }
}

function redactError(error: Error, text: (s: string) => string): Error {
  const copy = new Error(text(error.message))
  copy.name = error.name
  if (error.stack !== undefined) copy.stack = text(error.stack)
  return copy
}

/** A redactor without account secrets: field names and JWT shapes only. */
export const defaultRedactor: Redactor = createRedactor()
