import { createHmac, timingSafeEqual } from 'node:crypto'
import type { RandomSource } from './types.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const STEP_SEC = 30
const DIGITS = 6

/** RFC 4648 base32 without padding (what authenticator apps and pyotp use). */
export function base32Encode(bytes: Uint8Array): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31]
  return out
}

/** Decodes base32 (case-insensitive, spaces and `=` ignored); null on a foreign character. */
export function base32Decode(text: string): Buffer | null {
  const clean = text.replace(/[\s=]/g, '').toUpperCase()
  const out: number[] = []
  let buffer = 0
  let bits = 0
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch)
    if (v < 0) return null
    buffer = ((buffer << 5) | v) & 0xffff
    bits += 5
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

/** A new TOTP secret: 20 random bytes as 32 base32 chars (pyotp's `random_base32()` length). */
export function generateTotpSecret(random: RandomSource): string {
  return base32Encode(random.bytes(20))
}

/** The RFC 6238 step number of a time (30 s steps from the Unix epoch). */
export function totpStep(epochMs: number): number {
  return Math.floor(epochMs / 1000 / STEP_SEC)
}

/** The 6-digit code of one step (RFC 6238 with HMAC-SHA1, RFC 4226 truncation). */
export function totpCodeAt(secret: Uint8Array, step: number): string {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const mac = createHmac('sha1', secret).update(counter).digest()
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f
  const value = mac.readUInt32BE(offset) & 0x7fffffff
  return String(value % 10 ** DIGITS).padStart(DIGITS, '0')
}

export type TotpCheck =
  | { readonly ok: true; readonly step: number }
  | { readonly ok: false; readonly reason: 'malformed' | 'mismatch' | 'replayed' }

/**
 * Checks a code against the steps now-1, now and now+1 (W-14: a ±30 s window for clock drift),
 * refusing any step at or before `lastAcceptedStep` (W-14: a code works once). On success the
 * caller stores the returned step as the new `lastAcceptedStep`.
 */
export function verifyTotp(
  base32Secret: string,
  code: string,
  epochMs: number,
  lastAcceptedStep: number | null,
): TotpCheck {
  const secret = base32Decode(base32Secret)
  if (secret === null || secret.length === 0 || !/^\d{6}$/.test(code)) {
    return { ok: false, reason: 'malformed' }
  }
  const now = totpStep(epochMs)
  const given = Buffer.from(code)
  let replayed = false
  for (const step of [now - 1, now, now + 1]) {
    if (!timingSafeEqual(Buffer.from(totpCodeAt(secret, step)), given)) continue
    if (lastAcceptedStep !== null && step <= lastAcceptedStep) {
      replayed = true
      continue
    }
    return { ok: true, step }
  }
  return { ok: false, reason: replayed ? 'replayed' : 'mismatch' }
}

/** The provisioning URI an authenticator app scans (label = email, issuer OpenAlgo, as the original). */
export function totpUri(base32Secret: string, account: string, issuer = 'OpenAlgo'): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`
  return `otpauth://totp/${label}?secret=${base32Secret}&issuer=${encodeURIComponent(issuer)}`
}
