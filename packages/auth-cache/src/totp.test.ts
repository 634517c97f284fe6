import { describe, expect, it } from 'vitest'
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  totpCodeAt,
  totpStep,
  totpUri,
  verifyTotp,
} from './totp.js'

// RFC 6238 Appendix B, SHA-1 column: seed "12345678901234567890", 8 digits there; the last six
// digits are what a 6-digit generator yields (the truncation is value mod 10^digits).
const RFC_SEED = Buffer.from('12345678901234567890')
const RFC_VECTORS: readonly [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
]

describe('TOTP (RFC 6238, 6 digits, 30 s, SHA-1)', () => {
  it.each(RFC_VECTORS)('matches the RFC 6238 vector at T=%i', (seconds, eight) => {
    expect(totpCodeAt(RFC_SEED, totpStep(seconds * 1000))).toBe(eight.slice(2))
  })

  it('round-trips base32 the way authenticator apps read it', () => {
    expect(base32Encode(RFC_SEED)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')).toEqual(RFC_SEED)
    expect(base32Decode('not base32!')).toBeNull()
  })

  it('makes 32-character base32 secrets like pyotp.random_base32()', () => {
    const secret = generateTotpSecret({ bytes: (n) => Buffer.alloc(n, 0xa5) })
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
  })

  const secret = base32Encode(RFC_SEED)
  const now = 1_763_892_000_000
  const codeAt = (ms: number): string => totpCodeAt(RFC_SEED, totpStep(ms))

  it('accepts the previous, current and next step to absorb clock drift', () => {
    expect(verifyTotp(secret, codeAt(now - 30_000), now, null)).toMatchObject({ ok: true })
    expect(verifyTotp(secret, codeAt(now), now, null)).toMatchObject({ ok: true })
    expect(verifyTotp(secret, codeAt(now + 30_000), now, null)).toMatchObject({ ok: true })
    expect(verifyTotp(secret, codeAt(now - 90_000), now, null)).toEqual({
      ok: false,
      reason: 'mismatch',
    })
  })

  it('refuses a code replayed within its window', () => {
    const first = verifyTotp(secret, codeAt(now), now, null)
    expect(first.ok).toBe(true)
    const step = first.ok ? first.step : -1
    expect(verifyTotp(secret, codeAt(now), now + 5_000, step)).toEqual({
      ok: false,
      reason: 'replayed',
    })
    expect(verifyTotp(secret, codeAt(now + 30_000), now + 30_000, step)).toMatchObject({ ok: true })
  })

  it('rejects codes that are not six digits', () => {
    expect(verifyTotp(secret, '12345', now, null)).toEqual({ ok: false, reason: 'malformed' })
    expect(verifyTotp(secret, 'abcdef', now, null)).toEqual({ ok: false, reason: 'malformed' })
  })

  it('builds the provisioning URI with the email as label and OpenAlgo as issuer', () => {
    expect(totpUri('ABC', 'me@example.com')).toBe(
      'otpauth://totp/OpenAlgo:me%40example.com?secret=ABC&issuer=OpenAlgo',
    )
  })
})
