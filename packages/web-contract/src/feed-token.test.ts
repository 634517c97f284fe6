import { describe, expect, it } from 'vitest'
import {
  deriveFeedTokenKey,
  FEED_TOKEN_MAX_TTL_MS,
  mintFeedToken,
  verifyFeedToken,
} from './feed-token.js'

const key = deriveFeedTokenKey('a'.repeat(64))
const now = Date.parse('2026-03-02T10:00:00+05:30')

describe('feed token', () => {
  it('gives back the username it was minted for until it expires', () => {
    const { token, expiresAtMs } = mintFeedToken({
      key,
      username: 'trader',
      nowMs: now,
      ttlMs: 60_000,
    })
    expect(expiresAtMs).toBe(now + 60_000)
    expect(verifyFeedToken(token, { key, nowMs: now })).toBe('trader')
    expect(verifyFeedToken(token, { key, nowMs: now + 59_000 })).toBe('trader')
    expect(verifyFeedToken(token, { key, nowMs: now + 60_000 })).toBeNull()
  })

  it('refuses a token signed with another APP_KEY', () => {
    const { token } = mintFeedToken({ key, username: 'trader', nowMs: now, ttlMs: 60_000 })
    expect(
      verifyFeedToken(token, { key: deriveFeedTokenKey('b'.repeat(64)), nowMs: now }),
    ).toBeNull()
  })

  it('refuses a token whose username or expiry was edited', () => {
    const { token } = mintFeedToken({ key, username: 'trader', nowMs: now, ttlMs: 60_000 })
    const [p, , e, m] = token.split('.')
    const other = Buffer.from('admin').toString('base64url')
    expect(verifyFeedToken(`${p}.${other}.${e}.${m}`, { key, nowMs: now })).toBeNull()
    const later = String(Number(e) + 30)
    const user = token.split('.')[1]
    expect(verifyFeedToken(`${p}.${user}.${later}.${m}`, { key, nowMs: now })).toBeNull()
  })

  it('clamps the lifetime to fifteen minutes', () => {
    const { expiresAtMs } = mintFeedToken({ key, username: 'u', nowMs: now, ttlMs: 86_400_000 })
    expect(expiresAtMs).toBe(now + FEED_TOKEN_MAX_TTL_MS)
  })

  it('refuses garbage without throwing', () => {
    for (const bad of [
      '',
      'oaft1',
      'oaft1.a.b.c',
      'x.y.z.w',
      'oaft1..1.x',
      'oaft1.dQ.99999999999.x',
    ])
      expect(verifyFeedToken(bad, { key, nowMs: now })).toBeNull()
  })
})
