import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { createReadiness } from '../readiness.js'
import { createApp } from './app.js'

const logger = pino({ level: 'silent' })

describe('http app', () => {
  it('answers /health 503 while starting, 200 when ready, 503 while stopping', async () => {
    const readiness = createReadiness()
    const app = createApp({ logger, readiness })
    const starting = await app.request('/health')
    expect(starting.status).toBe(503)
    expect(await starting.json()).toMatchObject({ status: 'starting' })
    readiness.set('ready')
    const ready = await app.request('/health')
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ok' })
    readiness.set('stopping', 'SIGTERM')
    expect((await app.request('/health')).status).toBe(503)
    readiness.set('ready')
    expect((await app.request('/health/ready')).status).toBe(503)
    expect((await app.request('/health/live')).status).toBe(200)
  })

  it('answers unknown /api paths with a 404 in the API envelope', async () => {
    const app = createApp({ logger, readiness: createReadiness() })
    const res = await app.request('/api/v1/nope', { method: 'POST' })
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      status: 'error',
      message: 'Not found',
      path: '/api/v1/nope',
    })
  })
})

describe('web app serving', () => {
  it('serves the SPA shell for client routes, assets with long caching, and keeps /api 404s in the envelope', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'oa-webui-'))
    try {
      mkdirSync(join(dir, 'assets'))
      writeFileSync(
        join(dir, 'index.html'),
        '<!doctype html><title>oa</title><div id="root"></div>',
      )
      writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)')
      const app = createApp({ logger, readiness: createReadiness(), webUiDir: dir })
      const shell = await app.request('/dashboard')
      expect(shell.status).toBe(200)
      expect(await shell.text()).toContain('<div id="root">')
      const asset = await app.request('/assets/app-abc123.js')
      expect(asset.status).toBe(200)
      expect(asset.headers.get('cache-control')).toContain('immutable')
      expect((await app.request('/assets/missing.js')).status).toBe(404)
      expect((await app.request('/api/v1/unknown')).status).toBe(404)
      expect(await (await app.request('/api/v1/unknown')).json()).toMatchObject({ status: 'error' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('says how to build the web app when it is missing', async () => {
    const app = createApp({ logger, readiness: createReadiness(), webUiDir: '/nonexistent/dist' })
    const res = await app.request('/')
    expect(res.status).toBe(503)
    expect(await res.text()).toContain('pnpm build')
  })
})
