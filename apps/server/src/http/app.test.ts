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
