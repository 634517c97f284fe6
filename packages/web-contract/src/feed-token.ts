/**
 * The browser's market-data credential (spec frontend-and-features.md §13 "Market data in the
 * browser"): a short-lived, read-only token the server mints for a logged-in web session, so
 * the page can open the ws-proxy feed without ever holding the API key (W-3, W-18).
 *
 * Format: `oaft1.<base64url(username)>.<expiry epoch seconds>.<base64url(HMAC-SHA256)>`, the MAC
 * over `oaft1.<base64url(username)>.<expiry>` with {@link deriveFeedTokenKey}(APP_KEY). Both
 * processes have APP_KEY, so the proxy verifies it with no database or IPC round-trip.
 *
 * The ws-proxy accepts `{"action":"authenticate","feed_token":"oaft1...."}` next to `api_key`:
 * `verifyFeedToken(token, { key, nowMs })` gives the username (then the proxy looks up the
 * user's broker as it does for a key), or null → the usual authentication error. The token
 * grants market data only (never order updates of another user, never REST).
 *
 * Node only (node:crypto): import it as `@oa/web-contract/feed-token`, never from the browser.
 */
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'

const PREFIX = 'oaft1'
/** the longest lifetime a verifier accepts, whatever the token says: 15 minutes */
export const FEED_TOKEN_MAX_TTL_MS = 15 * 60_000

/**
 * The 32-byte HMAC key from APP_KEY: HKDF-SHA256 with its own `info` label, so it reveals
 * nothing about the session, CSRF or cookie keys derived from the same root.
 */
export function deriveFeedTokenKey(appKey: string): Buffer {
  const salt = createHash('sha256').update('oa/web-contract/v1').digest()
  return Buffer.from(hkdfSync('sha256', Buffer.from(appKey, 'utf8'), salt, 'oa:feed-token:v1', 32))
}

function mac(key: Uint8Array, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url')
}

/**
 * Mints a token for `username` valid until `nowMs + ttlMs` (at most
 * {@link FEED_TOKEN_MAX_TTL_MS}; longer is clamped).
 */
export function mintFeedToken(options: {
  readonly key: Uint8Array
  readonly username: string
  readonly nowMs: number
  readonly ttlMs: number
}): { token: string; expiresAtMs: number } {
  const ttl = Math.min(Math.max(options.ttlMs, 1_000), FEED_TOKEN_MAX_TTL_MS)
  const expSeconds = Math.floor((options.nowMs + ttl) / 1000)
  const body = `${PREFIX}.${Buffer.from(options.username, 'utf8').toString('base64url')}.${expSeconds}`
  return { token: `${body}.${mac(options.key, body)}`, expiresAtMs: expSeconds * 1000 }
}

/**
 * The username a token was minted for, or null when it is malformed, forged, expired, or claims
 * a lifetime longer than {@link FEED_TOKEN_MAX_TTL_MS} from now. Constant-time MAC comparison.
 */
export function verifyFeedToken(
  token: string,
  options: { readonly key: Uint8Array; readonly nowMs: number },
): string | null {
  if (token.length > 512) return null
  const parts = token.split('.')
  if (parts.length !== 4) return null
  const [prefix, user, exp, given] = parts as [string, string, string, string]
  if (prefix !== PREFIX || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]+$/.test(user)) return null
  const expMs = Number(exp) * 1000
  if (expMs <= options.nowMs || expMs - options.nowMs > FEED_TOKEN_MAX_TTL_MS + 1_000) return null
  const expected = Buffer.from(mac(options.key, `${prefix}.${user}.${exp}`))
  const actual = Buffer.from(given)
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null
  const username = Buffer.from(user, 'base64url').toString('utf8')
  return username.length > 0 ? username : null
}
