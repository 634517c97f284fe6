import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { onTestFinished, describe, expect, it } from 'vitest'
import { requestHeader } from '../http/request-header.js'
import { configFor, tempInstall } from '../identity/test-helpers/harness.js'
import { securityHeaders } from './security-headers.js'

/** The app on a real loopback socket, as `oa start` serves it (the Node path of the middleware). */
async function listen(app: Hono): Promise<string> {
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('security headers over a Node socket', () => {
  it('sends every header on a JSON answer, keeps a route its own CSP, and reads request headers', async () => {
    const config = configFor(tempInstall())
    const app = new Hono()
    app.use('*', securityHeaders(config.security, true))
    app.post('/json', (c) =>
      c.json({ host: requestHeader(c, 'host'), missing: requestHeader(c, 'x-none') ?? null }),
    )
    app.get('/own', (c) => c.text('x', 200, { 'Content-Security-Policy': "default-src 'none'" }))
    const base = await listen(app)

    const res = await fetch(`${base}/json`, { method: 'POST', body: '{}' })
    expect(await res.json()).toEqual({ host: base.slice('http://'.length), missing: null })
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-xss-protection')).toBe('0')
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    expect(res.headers.get('permissions-policy')).toContain('camera=()')
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000')

    const own = await fetch(`${base}/own`)
    expect(own.headers.get('content-security-policy')).toBe("default-src 'none'")
    expect(own.headers.get('x-content-type-options')).toBe('nosniff')
  })
})
