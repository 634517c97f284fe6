import { BROKER_API_KEY_PLACEHOLDER, secretExposure } from './constants.js'

/** Variables whose values are never printed (STYLE.md §9). */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'APP_KEY',
  'API_KEY_PEPPER',
  'FERNET_SALT',
  'BROKER_API_KEY',
  'BROKER_API_SECRET',
  'BROKER_API_KEY_MARKET',
  'BROKER_API_SECRET_MARKET',
])

const MAX_SHOWN = 120

/** `(hidden, 12 chars)`: the shape of a secret without any of its characters. */
export function maskSecret(value: string): string {
  if (value === '') return '(empty)'
  return `(hidden, ${value.length} char${value.length === 1 ? '' : 's'})`
}

/** Hides the password of `scheme://user:password@host/...`; other text is returned as is. */
export function redactUrlPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^@/\s]*@/i, '$1:***@')
}

/**
 * How a problem shows the value it found: quoted and truncated for ordinary variables, masked for
 * secrets (public placeholders are named instead), `(missing)` when absent.
 */
export function describeFound(variable: string, value: string | undefined): string {
  if (value === undefined) return '(missing)'
  if (SECRET_VARIABLES.has(variable)) {
    const exposure = secretExposure(value)
    if (exposure === 'placeholder') return 'the .sample.env placeholder'
    if (exposure === 'leaked') return 'a publicly known value from an old .sample.env'
    if (value === BROKER_API_KEY_PLACEHOLDER || value === 'YOUR_BROKER_API_SECRET')
      return 'the OpenAlgo sample placeholder'
    return maskSecret(value)
  }
  if (value === '') return '(empty)'
  const shown = redactUrlPassword(value)
  const cut = shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN)}…` : shown
  return JSON.stringify(cut)
}
