import { createHash, createHmac } from 'node:crypto'
import type { RandomSource } from './types.js'

/** A new OpenAlgo API key: 32 random bytes as 64 lower-case hex chars (spec platform.md §5.2). */
export function generateApiKey(random: RandomSource): string {
  return random.bytes(32).toString('hex')
}

/**
 * The indexed lookup value of a key: hex HMAC-SHA256 under the `api-key-lookup` sub-key
 * (spec platform.md §10.3 W-26). It finds the one row to Argon2-verify, and keys every cache
 * that outlives a minute, so those never hold the key itself (W-4).
 */
export function apiKeyLookup(lookupKey: Uint8Array, apiKey: string): string {
  return createHmac('sha256', lookupKey).update(apiKey, 'utf8').digest('hex')
}

/**
 * The fingerprint the original records for an invalid key attempt: the first 16 hex chars of
 * SHA-256 of the key (spec platform.md §3.3 `invalid_api_key_tracker.api_keys_tried`).
 */
export function apiKeyFingerprint(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex').slice(0, 16)
}
