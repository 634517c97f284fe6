import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createSecretHasher } from './argon2.js'
import {
  createManualClock,
  openAuthCache,
  PEPPER,
  seededRandom,
  tempDbPath,
} from './test-helpers/fixtures.js'

const T0 = '2026-03-02T10:00:00+05:30'

describe('API-key verification', () => {
  it('issues a 64-hex key stored only as Argon2id hash, HMAC lookup and Fernet ciphertext', async () => {
    const path = tempDbPath()
    const { auth, main } = await openAuthCache(path, { clock: createManualClock(T0) })
    const key = await auth.issueApiKey('admin')
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    const row = main.sqlite
      .prepare('SELECT * FROM api_keys WHERE user_id = ?')
      .get('admin') as Record<string, string>
    expect(row['api_key_hash']).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$/)
    expect(row['api_key_lookup']).toMatch(/^[0-9a-f]{64}$/)
    expect(row['api_key_lookup']).not.toBe(key)
    expect(auth.decrypt(row['api_key_encrypted'] ?? '')).toBe(key)
    main.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    expect(readFileSync(path).includes(Buffer.from(key))).toBe(false)
  })

  it('verifies a new key with exactly one Argon2 check, whatever the number of users', async () => {
    const { auth } = await openAuthCache(tempDbPath(), { clock: createManualClock(T0) })
    await auth.issueApiKey('alice')
    const key = await auth.issueApiKey('bob')
    await auth.issueApiKey('carol')
    const before = auth.hasher.stats.verifies
    expect(await auth.verifier.verify(key)).toMatchObject({
      ok: true,
      key: { username: 'bob', keyId: 2 },
    })
    expect(auth.hasher.stats.verifies - before).toBe(1)
  })

  it('answers a cached key from memory without Argon2 or the database', async () => {
    const { auth } = await openAuthCache(tempDbPath(), { clock: createManualClock(T0) })
    const key = await auth.issueApiKey('admin')
    await auth.verifier.verify(key)
    const { verifies } = auth.hasher.stats
    const { storeLookups } = auth.verifier.stats
    expect(auth.verifier.cached(key)).toMatchObject({ username: 'admin', keyId: 1 })
    expect(await auth.verifier.verify(key)).toMatchObject({ ok: true })
    expect(auth.hasher.stats.verifies).toBe(verifies)
    expect(auth.verifier.stats.storeLookups).toBe(storeLookups)
  })

  it('rejects an unknown key with no Argon2 work at all, then from the negative cache', async () => {
    const { auth } = await openAuthCache(tempDbPath(), { clock: createManualClock(T0) })
    await auth.issueApiKey('admin')
    const wrong = 'f'.repeat(64)
    expect(await auth.verifier.verify(wrong)).toEqual({ ok: false, reason: 'invalid' })
    expect(await auth.verifier.verify(wrong)).toEqual({ ok: false, reason: 'invalid' })
    expect(auth.hasher.stats.verifies).toBe(0)
    expect(auth.verifier.stats).toMatchObject({ storeLookups: 1, negativeHits: 1 })
    expect(auth.verifier.cached(wrong)).toBeUndefined()
  })

  it('runs one Argon2 check for 1000 concurrent requests carrying the same new key', async () => {
    const { auth } = await openAuthCache(tempDbPath(), { clock: createManualClock(T0) })
    const key = await auth.issueApiKey('admin')
    const verdicts = await Promise.all(
      Array.from({ length: 1000 }, () => auth.verifier.verify(key)),
    )
    expect(verdicts.every((v) => v.ok)).toBe(true)
    expect(auth.hasher.stats.verifies).toBe(1)
    expect(auth.verifier.stats.joinedInFlight).toBe(999)
  })

  it('verifies a key written by the original (no lookup) once, then backfills its lookup', async () => {
    const { auth, main } = await openAuthCache(tempDbPath(), { clock: createManualClock(T0) })
    // what the original's upsert_api_key writes: Argon2id(key + pepper) and Fernet(key)
    const legacyKey = 'a1'.repeat(32)
    const hash = await createSecretHasher({ pepper: PEPPER, random: seededRandom(9) }).hash(
      legacyKey,
    )
    main.sqlite
      .prepare('INSERT INTO api_keys (user_id, api_key_hash, api_key_encrypted) VALUES (?, ?, ?)')
      .run('admin', hash, auth.encrypt(legacyKey))
    expect(await auth.verifier.verify(legacyKey)).toMatchObject({
      ok: true,
      key: { username: 'admin' },
    })
    expect(auth.verifier.stats.legacyBackfills).toBe(1)
    const row = main.sqlite.prepare('SELECT api_key_lookup FROM api_keys').get() as {
      api_key_lookup: string
    }
    expect(row.api_key_lookup).toBe(auth.verifier.lookupOf(legacyKey))
    // a later miss (caches dropped) goes through the index: still one Argon2 check
    auth.verifier.invalidateAll()
    const before = auth.hasher.stats.verifies
    expect(await auth.verifier.verify(legacyKey)).toMatchObject({ ok: true })
    expect(auth.hasher.stats.verifies - before).toBe(1)
    expect(auth.verifier.stats.legacyBackfills).toBe(1)
  })

  it('rejects the old key at once after rotation in the same process', async () => {
    const { auth } = await openAuthCache(tempDbPath(), { clock: createManualClock(T0) })
    const old = await auth.issueApiKey('admin')
    expect(await auth.verifier.verify(old)).toMatchObject({ ok: true })
    const rotated = await auth.issueApiKey('admin')
    expect(auth.verifier.cached(old)).toBeUndefined()
    expect(await auth.verifier.verify(old)).toEqual({ ok: false, reason: 'invalid' })
    expect(await auth.verifier.verify(rotated)).toMatchObject({
      ok: true,
      key: { username: 'admin' },
    })
  })

  it('does not cache a verdict reached while the key was being rotated', async () => {
    const { auth } = await openAuthCache(tempDbPath(), { clock: createManualClock(T0) })
    const old = await auth.issueApiKey('admin')
    const inFlight = auth.verifier.verify(old) // Argon2 running
    auth.verifier.invalidateUser('admin') // what a rotation does meanwhile
    expect(await inFlight).toMatchObject({ ok: true }) // the request that started before may pass
    expect(auth.verifier.cached(old)).toBeUndefined() // but nothing stale stays behind
  })

  it('drops a plaintext key from the hot map after its TTL', async () => {
    const clock = createManualClock(T0)
    const { auth } = await openAuthCache(tempDbPath(), { clock, hotKeyTtlMs: 60_000 })
    const key = await auth.issueApiKey('admin')
    await auth.verifier.verify(key)
    expect(auth.verifier.cached(key)).toBeDefined()
    clock.advance(60_001)
    auth.verifier.tick()
    expect(auth.verifier.cached(key)).toBeUndefined()
    // the keyed-hash level still knows it: no Argon2 needed to re-admit it
    const before = auth.hasher.stats.verifies
    expect(await auth.verifier.verify(key)).toMatchObject({ ok: true })
    expect(auth.hasher.stats.verifies).toBe(before)
  })

  it('rejects empty and oversized keys without hashing them', async () => {
    const { auth } = await openAuthCache(tempDbPath(), { clock: createManualClock(T0) })
    expect(await auth.verifier.verify('')).toEqual({ ok: false, reason: 'invalid' })
    expect(await auth.verifier.verify('x'.repeat(10_000))).toEqual({ ok: false, reason: 'invalid' })
    expect(auth.verifier.stats.storeLookups).toBe(0)
  })
})

describe('cross-process invalidation through the auth epoch', () => {
  it('a second connection rejects a rotated key on its next poll', async () => {
    const path = tempDbPath()
    const clock = createManualClock(T0)
    const { auth: server } = await openAuthCache(path, { clock })
    const { auth: proxy } = await openAuthCache(path, { clock })
    const old = await server.issueApiKey('admin')
    expect(await proxy.verifier.verify(old)).toMatchObject({ ok: true })
    expect(proxy.verifier.cached(old)).toBeDefined()

    const rotated = await server.issueApiKey('admin')
    expect(proxy.watcher.check()).toBe(true) // data_version moved, auth_epoch changed
    expect(proxy.verifier.cached(old)).toBeUndefined()
    expect(await proxy.verifier.verify(old)).toEqual({ ok: false, reason: 'invalid' })
    expect(await proxy.verifier.verify(rotated)).toMatchObject({ ok: true })
    expect(proxy.watcher.check()).toBe(false) // nothing new
  })

  it('rejects the old key within the documented bound (one 100 ms poll) with a real timer', async () => {
    const path = tempDbPath()
    const clock = { now: () => Date.now() }
    const schedule = (fn: () => void, ms: number): (() => void) => {
      const t = setInterval(fn, ms)
      return () => clearInterval(t)
    }
    const { auth: cli } = await openAuthCache(path, { clock })
    const { auth: proxy } = await openAuthCache(path, {
      clock,
      watch: { intervalMs: 100, schedule },
    })
    proxy.watcher.start()
    const old = await cli.issueApiKey('admin')
    expect(await proxy.verifier.verify(old)).toMatchObject({ ok: true })
    await cli.issueApiKey('admin')
    const rotatedAt = Date.now()
    await expect
      .poll(() => proxy.verifier.cached(old), { interval: 5, timeout: 1_000 })
      .toBeUndefined()
    // generous against a loaded CI box; the design bound is one poll interval
    expect(Date.now() - rotatedAt).toBeLessThan(500)
    expect(await proxy.verifier.verify(old)).toEqual({ ok: false, reason: 'invalid' })
  })

  it('a process that was not running sees every change on start (nothing is fire-and-forget)', async () => {
    const path = tempDbPath()
    const clock = createManualClock(T0)
    const { auth: first } = await openAuthCache(path, { clock })
    const old = await first.issueApiKey('admin')
    await first.issueApiKey('admin')
    const { auth: late } = await openAuthCache(path, { clock })
    expect(await late.verifier.verify(old)).toEqual({ ok: false, reason: 'invalid' })
  })
})
