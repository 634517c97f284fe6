import { hashRaw } from '@node-rs/argon2'
import { describe, expect, it } from 'vitest'
import { ARGON2_PARAMS, createSecretHasher } from './argon2.js'

const PEPPER = 'p'.repeat(64)
const seeded = { bytes: (n: number) => Buffer.alloc(n, 0x2a) }

describe('Argon2id with the original parameters', () => {
  // The reference implementation's Argon2id vector (phc-winner-argon2, also in argon2-cffi's
  // test suite): password "password", salt "somesalt", m=65536, t=2, p=4, 32-byte hash.
  const REFERENCE_PHC =
    '$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo'

  it('computes the reference Argon2id vector of the C implementation', async () => {
    const raw = await hashRaw('password', {
      ...ARGON2_PARAMS,
      timeCost: 2,
      salt: Buffer.from('somesalt'),
    })
    expect(raw.toString('hex')).toBe(
      '1a9677b0afe81fda7b548895e7a1bfeb8668ffc19a530e37e088a668fab1c02a',
    )
  })

  it('verifies an existing PHC string made by another implementation', async () => {
    // pepper '' so the secret is exactly "password"
    const hasher = createSecretHasher({ pepper: '', random: seeded })
    expect(await hasher.verify(REFERENCE_PHC, 'password')).toBe(true)
    expect(await hasher.verify(REFERENCE_PHC, 'Password')).toBe(false)
    expect(hasher.needsRehash(REFERENCE_PHC)).toBe(true) // t=2, current policy is t=3
  })

  it('hashes secret + pepper into a PHC string with m=65536,t=3,p=4 and a 16-byte salt', async () => {
    const hasher = createSecretHasher({ pepper: PEPPER, random: seeded })
    const phc = await hasher.hash('S3cret!pass')
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    expect(hasher.needsRehash(phc)).toBe(false)
    expect(await hasher.verify(phc, 'S3cret!pass')).toBe(true)
    // the pepper is part of the secret: a hasher with another pepper refuses it
    const other = createSecretHasher({ pepper: 'q'.repeat(64), random: seeded })
    expect(await other.verify(phc, 'S3cret!pass')).toBe(false)
    // plain concatenation, exactly like the original: hash(secret) with pepper '' of secret+pepper
    const bare = createSecretHasher({ pepper: '', random: seeded })
    expect(await bare.verify(phc, `S3cret!pass${PEPPER}`)).toBe(true)
  })

  it('answers false for a malformed hash instead of throwing', async () => {
    const hasher = createSecretHasher({ pepper: PEPPER, random: seeded })
    expect(await hasher.verify('not-a-hash', 'x')).toBe(false)
    expect(await hasher.verify('$argon2id$v=19$garbage', 'x')).toBe(false)
  })

  it('never runs more Argon2 computations at once than its cap', async () => {
    const hasher = createSecretHasher({ pepper: PEPPER, random: seeded, maxConcurrent: 1 })
    const phc = await hasher.hash('abc')
    let maxActive = 0
    const runs = Array.from({ length: 3 }, () => hasher.verify(phc, 'abc'))
    const probe = setInterval(() => (maxActive = Math.max(maxActive, hasher.stats.active)), 1)
    expect(await Promise.all(runs)).toEqual([true, true, true])
    clearInterval(probe)
    expect(maxActive).toBe(1)
    expect(hasher.stats.verifies).toBe(3)
  })
})
