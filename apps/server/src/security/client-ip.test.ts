import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createClientIpResolver, isPrivateOrLoopback, normalizeIp } from './client-ip.js'

function resolveWith(
  trust: boolean,
  peer: string | undefined,
  headers: Record<string, string> = {},
): Promise<string> {
  const app = new Hono()
  const resolve = createClientIpResolver({ trustProxyHeaders: trust })
  app.get('/', (c) => c.text(resolve(c)))
  const env = peer ? { incoming: { socket: { remoteAddress: peer } } } : undefined
  return Promise.resolve(app.request('/', { headers }, env)).then((r) => r.text())
}

describe('client IP resolution (spec platform.md §7.5, W-7, W-9)', () => {
  it('uses the TCP peer and ignores forwarded headers when proxy trust is off', async () => {
    expect(await resolveWith(false, '203.0.113.5', { 'x-forwarded-for': '1.2.3.4' })).toBe(
      '203.0.113.5',
    )
  })

  it('takes the right-most untrusted X-Forwarded-For hop behind a trusted proxy', async () => {
    // the client wrote "6.6.6.6"; nginx appended the real peer 198.51.100.9; a LAN hop follows
    const xff = '6.6.6.6, 198.51.100.9, 10.0.0.2'
    expect(await resolveWith(true, '127.0.0.1', { 'x-forwarded-for': xff })).toBe('198.51.100.9')
  })

  it('ignores forwarded headers sent by an untrusted peer (no spoofing from the internet)', async () => {
    expect(await resolveWith(true, '203.0.113.5', { 'x-forwarded-for': '1.2.3.4' })).toBe(
      '203.0.113.5',
    )
  })

  it('does not honour CF-Connecting-IP / True-Client-IP without Cloudflare ranges', async () => {
    expect(await resolveWith(true, '127.0.0.1', { 'cf-connecting-ip': '9.9.9.9' })).toBe(
      '127.0.0.1',
    )
    expect(await resolveWith(true, '127.0.0.1', { 'x-real-ip': '198.51.100.4' })).toBe(
      '198.51.100.4',
    )
  })

  it('normalises IPv4-mapped IPv6 and classifies private ranges', () => {
    expect(normalizeIp('::FFFF:192.0.2.1')).toBe('192.0.2.1')
    expect(isPrivateOrLoopback('10.1.2.3')).toBe(true)
    expect(isPrivateOrLoopback('172.20.0.1')).toBe(true)
    expect(isPrivateOrLoopback('172.32.0.1')).toBe(false)
    expect(isPrivateOrLoopback('fd00::1')).toBe(true)
    expect(isPrivateOrLoopback('8.8.8.8')).toBe(false)
  })

  it('reports "unknown" for an in-process request without a socket', async () => {
    expect(await resolveWith(true, undefined)).toBe('unknown')
  })
})
