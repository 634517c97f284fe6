// The one place that knows the publicly-known secret values (W-34: the original kept two copies,
// in utils/env_check.py and start.sh, and they disagreed on the leaked APP_KEY; both are here).

/** Placeholder values `.sample.env` ships; first run replaces them (platform.md §2.9, §2.10). */
export const PLACEHOLDER_APP_KEY = 'OPENALGO_PLACEHOLDER_APP_KEY_REGENERATE_BEFORE_USE'
export const PLACEHOLDER_API_KEY_PEPPER =
  'OPENALGO_PLACEHOLDER_API_KEY_PEPPER_REGENERATE_BEFORE_USE'
export const PLACEHOLDER_FERNET_SALT = 'OPENALGO_PLACEHOLDER_FERNET_SALT_REGENERATE_BEFORE_USE'

/**
 * Values committed to the public OpenAlgo repository before the placeholders existed. Any `.env`
 * still carrying them is forgeable by anyone. The APP_KEY has two spellings because the original's
 * env check and start.sh each listed a different one.
 */
const LEAKED_APP_KEYS = [
  '3daa0403ce2501ee7432b75bf100048e3cf510d63d2754f952e93d88bf07ea84',
  '3daa0403ce2501ee7432b75bf100048e3cf510d63d2754f952729a991d8e2417',
] as const
const LEAKED_API_KEY_PEPPERS = [
  'a25d94718479b170c16278e321ea6c989358bf499a658fd20c90033cef8ce772',
] as const

/** APP_KEY values that must never be used: the placeholder and the historical leaked literals. */
export const COMPROMISED_APP_KEYS: ReadonlySet<string> = new Set([
  PLACEHOLDER_APP_KEY,
  ...LEAKED_APP_KEYS,
])
/** API_KEY_PEPPER values that must never be used. */
export const COMPROMISED_API_KEY_PEPPERS: ReadonlySet<string> = new Set([
  PLACEHOLDER_API_KEY_PEPPER,
  ...LEAKED_API_KEY_PEPPERS,
])

/** Every `OPENALGO_PLACEHOLDER_..._REGENERATE_BEFORE_USE` value, whatever the variable. */
export const PLACEHOLDER_PATTERN = /^OPENALGO_PLACEHOLDER_[A-Z0-9_]+_REGENERATE_BEFORE_USE$/

/** Minimum lengths of the two bootstrap secrets (characters). */
export const MIN_SECRET_LENGTH = 32
/** Minimum FERNET_SALT length (hex characters). */
export const MIN_FERNET_SALT_HEX = 32
/** Random bytes for a new APP_KEY / API_KEY_PEPPER (hex-encoded: 64 characters). */
export const SECRET_BYTES = 32
/** Random bytes for a new FERNET_SALT (hex-encoded: 32 characters). */
export const FERNET_SALT_BYTES = 16

/** The sample's REDIRECT_URL, which the original refuses to start with (§2.6 step 1). */
export const DEFAULT_REDIRECT_URL = 'http://127.0.0.1:5000/<broker>/callback'
/** The sample's BROKER_API_KEY placeholder in OpenAlgo's template. */
export const BROKER_API_KEY_PLACEHOLDER = 'YOUR_BROKER_API_KEY'

/** How a secret is classified: fine, a shipped placeholder, or a leaked literal. */
export type SecretExposure = 'ok' | 'placeholder' | 'leaked'

/** Classifies an APP_KEY / API_KEY_PEPPER / FERNET_SALT value without revealing it. */
export function secretExposure(value: string): SecretExposure {
  if (PLACEHOLDER_PATTERN.test(value)) return 'placeholder'
  if (COMPROMISED_APP_KEYS.has(value) || COMPROMISED_API_KEY_PEPPERS.has(value)) return 'leaked'
  return 'ok'
}
