import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createBrokerSessionCache, type StoredBrokerSession } from './broker-session-cache.js'
import { lastBoundaryAtOrBefore, nextBoundaryAfter, ttlUntilBoundary } from './session-boundary.js'
import { createManualClock, openAuthCache, tempDbPath } from './test-helpers/fixtures.js'

const THREE_AM = { hour: 3, minute: 0 }
const expiry = { time: THREE_AM, disabled: false }

describe('session boundary (SESSION_EXPIRY_TIME IST, independent of the host time zone)', () => {
  it('finds the last and next 03:00 IST around a given instant', () => {
    const at = Date.parse('2026-03-02T02:59:00+05:30')
    expect(new Date(lastBoundaryAtOrBefore(at, THREE_AM)).toISOString()).toBe(
      '2026-02-28T21:30:00.000Z',
    )
    expect(new Date(nextBoundaryAfter(at, THREE_AM)).toISOString()).toBe('2026-03-01T21:30:00.000Z')
    const onIt = Date.parse('2026-03-02T03:00:00+05:30')
    expect(lastBoundaryAtOrBefore(onIt, THREE_AM)).toBe(onIt)
  })

  it('caps a TTL at the next boundary (W-27), or not at all when expiry is disabled', () => {
    const at = Date.parse('2026-03-02T02:59:00+05:30')
    expect(ttlUntilBoundary(at, expiry, 86_400_000)).toBe(60_000)
    expect(ttlUntilBoundary(at, { ...expiry, disabled: true }, 86_400_000)).toBe(86_400_000)
  })
})

describe('broker session cache', () => {
  it('serves decrypted tokens from memory while the database holds only ciphertext', async () => {
    const path = tempDbPath()
    const { auth, main } = await openAuthCache(path, {
      clock: createManualClock('2026-03-02T10:00:00+05:30'),
    })
    auth.saveBrokerSession({
      username: 'admin',
      broker: 'simulator',
      authToken: 'tok-SECRET-123',
      feedToken: 'feed-SECRET-456',
    })
    expect(auth.brokerSessions.get('admin')).toMatchObject({
      broker: 'simulator',
      authToken: 'tok-SECRET-123',
    })
    expect(auth.brokerSessions.feedToken('admin')).toBe('feed-SECRET-456')
    auth.brokerSessions.clear()
    // a miss reloads and decrypts the row
    expect(auth.brokerSessions.get('admin')?.authToken).toBe('tok-SECRET-123')
    main.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    const file = readFileSync(path)
    expect(file.includes(Buffer.from('tok-SECRET-123'))).toBe(false)
    expect(file.includes(Buffer.from('feed-SECRET-456'))).toBe(false)
  })

  it('stops serving a token at the daily boundary, even from the cache (W-16, W-27)', async () => {
    const clock = createManualClock('2026-03-02T02:59:00+05:30')
    const { auth } = await openAuthCache(tempDbPath(), { clock })
    auth.saveBrokerSession({ username: 'admin', broker: 'simulator', authToken: 'yesterday' })
    expect(auth.brokerSessions.get('admin')?.authToken).toBe('yesterday')
    clock.advance(61_000) // 03:00:01 IST: the entry's TTL ended at 03:00, the row is stale
    expect(auth.brokerSessions.get('admin')).toBeNull()
  })

  it('keeps the token across the boundary when session expiry is disabled', async () => {
    const clock = createManualClock('2026-03-02T02:59:00+05:30')
    const { auth } = await openAuthCache(tempDbPath(), {
      clock,
      expiry: { time: THREE_AM, disabled: true },
    })
    auth.saveBrokerSession({ username: 'admin', broker: 'deltaexchange', authToken: '24x7' })
    clock.advance(3_600_000)
    expect(auth.brokerSessions.get('admin')?.authToken).toBe('24x7')
  })

  it('restores on startup only tokens issued after the last boundary, skipping revoked ones', async () => {
    const path = tempDbPath()
    const clock = createManualClock('2026-03-02T09:00:00+05:30')
    const { auth: before } = await openAuthCache(path, { clock })
    before.saveBrokerSession({ username: 'fresh', broker: 'simulator', authToken: 't1' })
    before.saveBrokerSession({ username: 'gone', broker: 'simulator', authToken: 't2' })
    before.revokeBrokerSession('gone')
    clock.set('2026-03-02T02:00:00+05:30')
    before.saveBrokerSession({ username: 'stale', broker: 'simulator', authToken: 't3' })

    clock.set('2026-03-02T09:30:00+05:30')
    const { auth: after } = await openAuthCache(path, { clock })
    const result = after.restore()
    expect(result).toMatchObject({ loaded: 1, skipped: 1, users: ['fresh'] })
    expect(after.brokerSessions.get('fresh')?.authToken).toBe('t1')
    expect(after.brokerSessions.get('stale')).toBeNull()
    expect(after.brokerSessions.get('gone')).toBeNull()
  })

  it('treats rows written by the original (no issue time) as stale', () => {
    const row: StoredBrokerSession = {
      username: 'admin',
      broker: 'zerodha',
      authCiphertext: 'ct',
      feedCiphertext: null,
      brokerUserId: null,
      revoked: false,
      issuedAtMs: null,
    }
    const cache = createBrokerSessionCache({
      clock: createManualClock('2026-03-02T10:00:00+05:30'),
      expiry,
      source: { load: () => row },
      decrypt: () => 'plain',
    })
    expect(cache.get('admin')).toBeNull()
    expect(cache.restore([row])).toMatchObject({ loaded: 0, skipped: 1 })
  })

  it('forces a new broker login when a token no longer decrypts (lost pepper or salt)', () => {
    const clock = createManualClock('2026-03-02T10:00:00+05:30')
    const cache = createBrokerSessionCache({
      clock,
      expiry,
      source: {
        load: (username) => ({
          username,
          broker: 'simulator',
          authCiphertext: 'gAAAA-not-ours',
          feedCiphertext: null,
          brokerUserId: null,
          revoked: false,
          issuedAtMs: clock.now() - 1000,
        }),
      },
      decrypt: () => null,
    })
    expect(cache.get('admin')).toBeNull()
  })

  it('revokes every token at the boundary and other connections drop theirs on the next poll', async () => {
    const path = tempDbPath()
    const clock = createManualClock('2026-03-02T10:00:00+05:30')
    const { auth: server } = await openAuthCache(path, { clock })
    const { auth: proxy } = await openAuthCache(path, { clock })
    server.saveBrokerSession({ username: 'admin', broker: 'simulator', authToken: 'live' })
    expect(proxy.brokerSessions.get('admin')?.authToken).toBe('live')
    expect(server.revokeAllBrokerSessions()).toBe(1)
    expect(server.brokerSessions.get('admin')).toBeNull()
    expect(proxy.brokerSessions.get('admin')?.authToken).toBe('live') // cached until it polls
    proxy.watcher.check()
    expect(proxy.brokerSessions.get('admin')).toBeNull()
  })
})
