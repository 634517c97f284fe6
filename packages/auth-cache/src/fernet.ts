import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto'
import type { Clock, RandomSource } from './types.js'

const VERSION = 0x80
const HEADER = 1 + 8 + 16
const MAC = 32
const MAX_CLOCK_SKEW_SEC = 60
const B64URL = /^[A-Za-z0-9_-]*={0,2}$/

/** Options of one decryption. */
export interface FernetDecryptOptions {
  /** reject tokens older than this many seconds (the original enforces none) */
  readonly ttlSec?: number
}

/**
 * A Fernet codec compatible byte for byte with Python's `cryptography.fernet` (version 0x80,
 * https://github.com/fernet/spec): base64url(0x80 ‖ 8-byte big-endian seconds ‖ IV ‖
 * AES-128-CBC/PKCS7 ciphertext ‖ HMAC-SHA256 of all before). Built on `node:crypto` only.
 */
export interface FernetCodec {
  /** encrypts UTF-8 text with a fresh IV and the current time */
  encrypt(plaintext: string): string
  /** encrypts with the given parts; deterministic, for test vectors */
  encryptAt(plaintext: string | Uint8Array, timeSec: number, iv: Uint8Array): string
  /**
   * Decrypts to UTF-8 text. Expected failures return null, never throw: bad base64, wrong
   * version, bad MAC (wrong key), bad padding, and, only when `ttlSec` is given (exactly as
   * `cryptography` does), an expired token or one stamped more than 60 s in the future.
   */
  decrypt(token: string, options?: FernetDecryptOptions): string | null
  /** like decrypt, returning the raw plaintext bytes */
  decryptBytes(token: string, options?: FernetDecryptOptions): Buffer | null
}

/**
 * Builds a Fernet codec from the 32 raw key bytes (bytes 0–15 sign, 16–31 encrypt), e.g. from
 * {@link deriveFernetKey}, or from a base64url Fernet key string as Python prints it.
 *
 * @throws Error when the key is not 32 bytes
 */
export function createFernet(
  key: Uint8Array | string,
  deps: { readonly clock: Clock; readonly random: RandomSource },
): FernetCodec {
  const raw = typeof key === 'string' ? Buffer.from(key, 'base64url') : Buffer.from(key)
  if (raw.length !== 32) throw new Error(`a Fernet key is 32 bytes, got ${raw.length}`)
  const signingKey = raw.subarray(0, 16)
  const encryptionKey = raw.subarray(16, 32)

  const encryptAt = (plaintext: string | Uint8Array, timeSec: number, iv: Uint8Array): string => {
    if (iv.length !== 16) throw new Error('a Fernet IV is 16 bytes')
    const cipher = createCipheriv('aes-128-cbc', encryptionKey, iv)
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext
    const body = Buffer.concat([cipher.update(data), cipher.final()])
    const header = Buffer.alloc(9)
    header[0] = VERSION
    header.writeBigUInt64BE(BigInt(Math.floor(timeSec)), 1)
    const signed = Buffer.concat([header, iv, body])
    const mac = createHmac('sha256', signingKey).update(signed).digest()
    // Python's urlsafe_b64encode keeps the '=' padding; Node's base64url drops it
    return Buffer.concat([signed, mac]).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
  }

  const decryptBytes = (token: string, options: FernetDecryptOptions = {}): Buffer | null => {
    if (token.length === 0 || token.length % 4 !== 0 || !B64URL.test(token)) return null
    const data = Buffer.from(token, 'base64url')
    if (data.length < HEADER + 16 + MAC || data[0] !== VERSION) return null
    if ((data.length - HEADER - MAC) % 16 !== 0) return null
    const signed = data.subarray(0, data.length - MAC)
    const expected = createHmac('sha256', signingKey).update(signed).digest()
    if (!timingSafeEqual(expected, data.subarray(data.length - MAC))) return null
    if (options.ttlSec !== undefined) {
      // like cryptography, time is only checked when a TTL is asked for: without one, a token
      // "from the future" (the clock stepped back) must still decrypt, or stored tokens are lost
      const timestamp = Number(data.readBigUInt64BE(1))
      const nowSec = Math.floor(deps.clock.now() / 1000)
      if (timestamp + options.ttlSec < nowSec) return null
      if (nowSec + MAX_CLOCK_SKEW_SEC < timestamp) return null
    }
    try {
      const decipher = createDecipheriv('aes-128-cbc', encryptionKey, data.subarray(9, HEADER))
      return Buffer.concat([
        decipher.update(data.subarray(HEADER, data.length - MAC)),
        decipher.final(),
      ])
    } catch {
      return null // bad PKCS7 padding
    }
  }

  return {
    encrypt: (plaintext) => encryptAt(plaintext, deps.clock.now() / 1000, deps.random.bytes(16)),
    encryptAt,
    decryptBytes,
    decrypt(token, options) {
      const bytes = decryptBytes(token, options)
      return bytes === null ? null : bytes.toString('utf8')
    },
  }
}
