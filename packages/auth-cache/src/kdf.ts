import { createHash, hkdfSync, pbkdf2Sync } from 'node:crypto'

/** The salt the original used before `FERNET_SALT` existed (spec platform.md §2.10, §5.4). */
export const LEGACY_FERNET_SALT = 'openalgo_static_salt'

/** PBKDF2 iterations of the original's Fernet key derivation. */
export const FERNET_KDF_ITERATIONS = 100_000

/**
 * Derives the main Fernet key exactly as the original does (spec platform.md §5.4):
 * PBKDF2-HMAC-SHA256, 100 000 iterations, 32 bytes, password = the pepper (UTF-8), salt =
 * hex-decoded `FERNET_SALT`, or the ASCII legacy salt when `fernetSaltHex` is null.
 * Costs ~50 ms: call it once at startup, never per request.
 *
 * @returns the 32 raw key bytes (0–15 signing, 16–31 AES-128)
 */
export function deriveFernetKey(pepper: string, fernetSaltHex: string | null): Buffer {
  const salt =
    fernetSaltHex === null ? Buffer.from(LEGACY_FERNET_SALT, 'ascii') : parseHex(fernetSaltHex)
  return pbkdf2Sync(Buffer.from(pepper, 'utf8'), salt, FERNET_KDF_ITERATIONS, 32, 'sha256')
}

/** Purposes of the HKDF sub-keys this package derives (W-13: one key per purpose). */
export type SubKeyPurpose = 'api-key-lookup' | 'session-id' | 'cookie-signing' | 'csrf'

/**
 * A 32-byte sub-key for one purpose, HKDF-SHA256 over a root secret with `info` naming the
 * purpose, so a leak of one sub-key (say, a lookup HMAC key in a heap dump) reveals nothing about
 * the pepper or the other keys (spec platform.md §10.1 W-13). New material only: the Fernet key
 * stays the original's PBKDF2 derivation so existing databases keep decrypting.
 */
export function deriveSubKey(rootSecret: string, purpose: SubKeyPurpose): Buffer {
  // the salt is a fixed, public domain label: HKDF only needs the root secret to be secret
  const salt = createHash('sha256').update('oa/auth-cache/v1').digest()
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(rootSecret, 'utf8'), salt, `oa:${purpose}:v1`, 32),
  )
}

function parseHex(hex: string): Buffer {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex))
    throw new Error('FERNET_SALT must be an even-length hex string')
  return Buffer.from(hex, 'hex')
}
