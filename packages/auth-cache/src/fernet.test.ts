import { execFileSync, spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { createFernet } from './fernet.js'
import { deriveFernetKey } from './kdf.js'
import type { Clock, RandomSource } from './types.js'

const at = (iso: string): Clock => ({ now: () => Date.parse(iso) })
const noRandom: RandomSource = {
  bytes: () => {
    throw new Error('not used')
  },
}

// Published acceptance vectors of the Fernet spec (github.com/fernet/spec generate.json,
// verify.json, invalid.json), the same ones Python's cryptography runs in its own test suite.
const SPEC_SECRET = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4='
const SPEC_TOKEN =
  'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA=='
const SPEC_IV = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
const INVALID: readonly { desc: string; token: string; now: string }[] = [
  {
    desc: 'incorrect mac',
    token:
      'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykQUFBQUFBQUFBQQ==',
    now: '1985-10-26T01:20:01-07:00',
  },
  {
    desc: 'too short',
    token: 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPA==',
    now: '1985-10-26T01:20:01-07:00',
  },
  {
    desc: 'invalid base64',
    token:
      '%%%%%%%%%%%%%AECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==',
    now: '1985-10-26T01:20:01-07:00',
  },
  {
    desc: 'payload size not multiple of block size',
    token:
      'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPOm73QeoCk9uGib28Xe5vz6oxq5nmxbx_v7mrfyudzUm',
    now: '1985-10-26T01:20:01-07:00',
  },
  {
    desc: 'payload padding error',
    token:
      'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0ODz4LEpdELGQAad7aNEHbf-JkLPIpuiYRLQ3RtXatOYREu2FWke6CnJNYIbkuKNqOhw==',
    now: '1985-10-26T01:20:01-07:00',
  },
  {
    desc: 'far-future TS (unacceptable clock skew)',
    token:
      'gAAAAAAdwStRAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAnja1xKYyhd-Y6mSkTOyTGJmw2Xc2a6kBd-iX9b_qXQcw==',
    now: '1985-10-26T01:20:01-07:00',
  },
  {
    desc: 'incorrect IV (causes padding error)',
    token:
      'gAAAAAAdwJ6xBQECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAkLhFLHpGtDBRLRTZeUfWgHSv49TF2AUEZ1TIvcZjK1zQ==',
    now: '1985-10-26T01:20:01-07:00',
  },
  {
    desc: 'trailing characters after b64 padding',
    token: `${SPEC_TOKEN}trailingdata`,
    now: '1985-10-26T01:20:01-07:00',
  },
  {
    desc: 'invalid characters in b64',
    token:
      '*gAAAAAAdwJ6wAAECAwQFBgcI!CQoLDA0ODy021?cpGVWKZ_eEwC@GM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==',
    now: '1985-10-26T01:20:01-07:00',
  },
  {
    desc: 'invalid non-urlsafe characters in b64',
    token:
      'gAAAAAAdwJ6wAAEC/AwQFBgcICQoLDA0ODy+021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==',
    now: '1985-10-26T01:20:01-07:00',
  },
]

// A deployment-shaped vector: pepper and FERNET_SALT as env-check provisions them (64 and 32
// hex chars). Expected values were produced by the original's own stack:
//   python3 -c "import hashlib; print(hashlib.pbkdf2_hmac('sha256', PEPPER.encode(),
//     bytes.fromhex(SALT), 100000, 32).hex())"
//   python3 -c "from cryptography.fernet import Fernet; import base64
//     f = Fernet(base64.urlsafe_b64encode(KEY)); print(f.encrypt(b'simulator-session-7f3a9c'))"
//   f._encrypt_from_parts(b'simulator-session-7f3a9c', 1763892000, bytes(range(16)))
// (cryptography 48.0.0, Python 3.11.7).
const PEPPER = '3f1c9a7e5b2d4f608e1a3c5b7d9f0e2a4c6b8d0f1e3a5c7b9d2f4e6a8c0b1d3f'
const SALT_HEX = '9c2e4a6b8d0f1a3c5e7b9d1f3a5c7e9b'
const KEY_WITH_SALT = '0c692bd764bdffa1a062849cd7fbf8307ca9d91347d4ccc0567b5039636c41b6'
const KEY_LEGACY = 'dbe373f8082eecc54446c9ebde536a70f32c56b7c4368f0df7a305a0c6a32b73'
const PY_TOKEN_SALT =
  'gAAAAABrBB4UCDKSNzRn1owI0eYuxWixN3lBL9TN6cCCw7bLWkoooqoHtOKVqUVFjMOeIWQdVv_-QXOJa3LhsZNwmXf1RiEvt2Q10m0JYnHNVuOMu-mAag8='
const PY_TOKEN_LEGACY =
  'gAAAAABrBB4U6OjU-YoogIwuiep5zUE4lJzHElsz0XGBlwUkZ4IPIRIauh-eIRRm5Ee7vzwuCD0Kn1r8sma0mdbIdATXkvsmu-2VQ9FI8NjwdxX_7vL8Me5u-U1_Ohcf0kFzW0aZVI8d'
const PY_TOKEN_FIXED =
  'gAAAAABpItsgAAECAwQFBgcICQoLDA0OD0o03QROWuw9xv5xZJcUWh8T9dF2ILptxxGwtMxzkPusBdAaOjNytWah7UH9jKB9YSIh5V8RC1ZKyEcX5HqmuCI='
const PY_TOKEN_TIME = '2026-12-01T00:00:00Z' // after the tokens' own timestamps

describe('Fernet codec against the published spec vectors', () => {
  it('generates the spec token byte for byte from its key, IV, time and plaintext', () => {
    const f = createFernet(SPEC_SECRET, {
      clock: at('1985-10-26T01:20:00-07:00'),
      random: noRandom,
    })
    const seconds = Date.parse('1985-10-26T01:20:00-07:00') / 1000
    expect(f.encryptAt('hello', seconds, SPEC_IV)).toBe(SPEC_TOKEN)
  })

  it('verifies the spec token one second later', () => {
    const f = createFernet(SPEC_SECRET, {
      clock: at('1985-10-26T01:20:01-07:00'),
      random: noRandom,
    })
    expect(f.decrypt(SPEC_TOKEN, { ttlSec: 60 })).toBe('hello')
  })

  it.each(INVALID)('rejects the invalid vector "$desc"', ({ token, now }) => {
    const f = createFernet(SPEC_SECRET, { clock: at(now), random: noRandom })
    expect(f.decrypt(token, { ttlSec: 60 })).toBeNull()
  })

  it('rejects an expired token only when a TTL is asked for (the original enforces none)', () => {
    const f = createFernet(SPEC_SECRET, {
      clock: at('1985-10-26T01:21:31-07:00'),
      random: noRandom,
    })
    expect(f.decrypt(SPEC_TOKEN, { ttlSec: 60 })).toBeNull()
    expect(f.decrypt(SPEC_TOKEN)).toBe('hello')
  })

  it('decrypts a token stamped in the future when no TTL is asked for (a clock stepped back)', () => {
    const f = createFernet(SPEC_SECRET, {
      clock: at('1985-10-26T00:00:00-07:00'),
      random: noRandom,
    })
    expect(f.decrypt(SPEC_TOKEN)).toBe('hello')
    expect(f.decrypt(SPEC_TOKEN, { ttlSec: 60 })).toBeNull()
  })

  it('round-trips with a fresh IV from the injected random source', () => {
    const f = createFernet(SPEC_SECRET, {
      clock: at('2026-01-01T00:00:00Z'),
      random: { bytes: (n) => Buffer.alloc(n, 7) },
    })
    const token = f.encrypt('broker-token ✓')
    expect(token.startsWith('gAAAAA')).toBe(true)
    expect(f.decrypt(token)).toBe('broker-token ✓')
  })
})

describe('key derivation of the original (spec platform.md §5.4)', () => {
  it('derives the PBKDF2 key with a FERNET_SALT as hashlib.pbkdf2_hmac does', () => {
    expect(deriveFernetKey(PEPPER, SALT_HEX).toString('hex')).toBe(KEY_WITH_SALT)
  })

  it('derives the legacy key with the static salt when FERNET_SALT is absent', () => {
    expect(deriveFernetKey(PEPPER, null).toString('hex')).toBe(KEY_LEGACY)
  })

  it('decrypts ciphertexts written by the Python original under both salts', () => {
    const clock = at(PY_TOKEN_TIME)
    const withSalt = createFernet(deriveFernetKey(PEPPER, SALT_HEX), { clock, random: noRandom })
    const legacy = createFernet(deriveFernetKey(PEPPER, null), { clock, random: noRandom })
    expect(withSalt.decrypt(PY_TOKEN_SALT)).toBe('simulator-session-7f3a9c')
    expect(legacy.decrypt(PY_TOKEN_LEGACY)).toBe('zerodha_api_key:access_token_abc123')
    // the wrong key fails the MAC: null, not garbage
    expect(legacy.decrypt(PY_TOKEN_SALT)).toBeNull()
  })

  it('writes exactly what the Python original writes for the same key, time and IV', () => {
    const f = createFernet(deriveFernetKey(PEPPER, SALT_HEX), {
      clock: at(PY_TOKEN_TIME),
      random: noRandom,
    })
    expect(f.encryptAt('simulator-session-7f3a9c', 1763892000, SPEC_IV)).toBe(PY_TOKEN_FIXED)
  })

  const python = spawnSync('python3', ['-c', 'import cryptography.fernet'], { stdio: 'ignore' })
  it.runIf(python.status === 0)(
    'is readable by Python cryptography when it is installed here (live cross-check)',
    () => {
      const key = deriveFernetKey(PEPPER, SALT_HEX)
      const token = createFernet(key, {
        clock: { now: () => Date.now() },
        random: { bytes: (n) => Buffer.alloc(n, 3) },
      }).encrypt('written-by-oa')
      const out = execFileSync('python3', [
        '-c',
        'import base64,sys; from cryptography.fernet import Fernet; ' +
          'print(Fernet(base64.urlsafe_b64encode(bytes.fromhex(sys.argv[1]))).decrypt(sys.argv[2].encode()).decode())',
        key.toString('hex'),
        token,
      ])
      expect(out.toString().trim()).toBe('written-by-oa')
    },
  )
})
